package org.mfkit.bench;

import java.io.PrintStream;
import java.util.Locale;
import org.mfkit.bench.jmh.TrainData;
import org.mfkit.core.Backends;
import org.mfkit.core.Kernels;
import org.mfkit.core.spi.BackendOptions;
import org.mfkit.data.Ratings;
import org.mfkit.data.Split;
import org.mfkit.data.Splits;
import org.mfkit.eval.Evaluator;
import org.mfkit.model.BiasedMfConfig;
import org.mfkit.model.BiasedMfSgd;
import org.mfkit.model.Bpr;
import org.mfkit.model.BprConfig;
import org.mfkit.model.TrainOptions;
import org.mfkit.model.TrainingResult;

/**
 * The quality checks behind the SGD and BPR schedules (issue 11), with their epoch times:
 * {@code sgd}: biased MF, k = 64, defaults, seed 42, 10 epochs on the 10M set, training RMSE of
 * the final model; {@code bpr}: BPR, k = 64, defaults, seed 42, 20 epochs on the
 * MovieLens-1M-shaped set with a per-user 20 % hold-out (seed 7), Recall@10 on the held-out
 * items. The same program run against an older build gives the figures to compare with.
 */
final class Quality {
    private Quality() {}

    static int run(String which, String backend, int threads, PrintStream out) {
        try (Kernels kernels = Backends.open(backend, threads == 0 ? BackendOptions.defaults() : BackendOptions.threads(threads))) {
            StringBuilder epochs = new StringBuilder();
            TrainOptions options = TrainOptions.defaults().withSeed(42)
                    .withListener(e -> epochs.append(String.format(Locale.ROOT, " %.3f", e.elapsedNanos() / 1e9)));
            long start;
            String result;
            double fit;
            switch (which) {
                case "sgd" -> {
                    Ratings train = TrainData.load("synth10m");
                    start = System.nanoTime();
                    TrainingResult r = new BiasedMfSgd(BiasedMfConfig.defaults().withFactors(64))
                            .fit(kernels, train, options.withEpochs(10));
                    fit = (System.nanoTime() - start) / 1e9;
                    result = String.format(Locale.ROOT, "training RMSE after 10 epochs %.6f",
                            Evaluator.ratings(kernels, r.model(), train).rmse());
                }
                case "bpr" -> {
                    Split split = Splits.perUser(TrainData.load("ml1m"), 0.2, 7);
                    start = System.nanoTime();
                    TrainingResult r = new Bpr(BprConfig.defaults().withFactors(64)).fit(kernels, split.train(),
                            options.withEpochs(20));
                    fit = (System.nanoTime() - start) / 1e9;
                    result = String.format(Locale.ROOT, "Recall@10 on held-out items %.4f",
                            Evaluator.ranking(kernels, r.model(), split.train(), split.test(), 10).recall());
                }
                default -> throw new IllegalArgumentException("--quality " + which + ": expected sgd or bpr");
            }
            out.printf(Locale.ROOT, "%s on %s, %d threads: %s; fit %.2f s, epochs (s):%s%n", which,
                    kernels.backendName(), kernels.threads(), result, fit, epochs);
            return BenchRunner.OK;
        } catch (RuntimeException e) {
            out.println("mfkit bench: quality run failed: " + e);
            return BenchRunner.RUN_ERROR;
        }
    }
}
