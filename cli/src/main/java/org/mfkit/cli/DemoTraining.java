package org.mfkit.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.mfkit.core.BackendInfo;
import org.mfkit.core.Backends;
import org.mfkit.core.Kernels;
import org.mfkit.core.Solver;
import org.mfkit.core.spi.BackendOptions;
import org.mfkit.data.Ratings;
import org.mfkit.data.Split;
import org.mfkit.data.Splits;
import org.mfkit.data.SyntheticData;
import org.mfkit.eval.Evaluator;
import org.mfkit.eval.PopularityBaseline;
import org.mfkit.model.BiasedMfConfig;
import org.mfkit.model.BiasedMfSgd;
import org.mfkit.model.EpochReport;
import org.mfkit.model.ImplicitAls;
import org.mfkit.model.ImplicitAlsConfig;
import org.mfkit.model.TrainOptions;
import org.mfkit.model.Trainer;
import org.mfkit.model.TrainingResult;

/**
 * The demo's last section: biased MF (explicit ratings) and implicit ALS (implicit feedback)
 * trained on the embedded synthetic MovieLens-100K-shaped data with every chosen backend, best
 * first, on the same split and seed, so quality is comparable across backends and speed is the
 * only thing that should differ. Baselines (global mean, popularity) and the data's noise floor
 * say how good the quality numbers are.
 */
final class DemoTraining {
    /** Factors of both models: MovieLens-100K-sized problems need no more. */
    private static final int FACTORS = 32;
    /** K of the implicit model's Recall@K. */
    private static final int RECALL_AT = 10;

    private final PrintWriter out;
    private final long seed;
    private final int epochs;
    private final int sweeps;
    private final int threads;

    DemoTraining(PrintWriter out, long seed, int epochs, int sweeps, int threads) {
        this.out = out;
        this.seed = seed;
        this.epochs = epochs;
        this.sweeps = sweeps;
        this.threads = threads;
    }

    /** One trained model's numbers. */
    private record Run(String backend, String model, double quality, double msPerEpoch, double firstEpochMs) {}

    void run(List<BackendInfo> backends) {
        long generate = System.nanoTime();
        SyntheticData.Dataset explicit = SyntheticData.generate(SyntheticData.Spec.movieLens100kShape(seed));
        SyntheticData.Dataset implicit = SyntheticData.generate(SyntheticData.Spec.movieLens100kShape(seed).asImplicit());
        double generated = (System.nanoTime() - generate) / 1e9;
        Ratings ratings = explicit.ratings();
        out.println("Training on the embedded data");
        out.printf(Locale.ROOT, "  synthetic, MovieLens-100K-shaped (seed %d, generated in %.1f s): %,d users x %,d items, "
                        + "%,d ratings 1-5 (rank-%d signal + noise, power-law popularity); the same shape as implicit feedback%n",
                seed, generated, ratings.numUsers(), ratings.numItems(), ratings.size(), explicit.spec().rank());

        Split ratingSplit = Splits.random(ratings, 0.1, seed);
        Split clickSplit = Splits.perUser(implicit.ratings(), 0.2, seed);
        double meanBaseline = meanRmse(ratingSplit.train(), ratingSplit.test());
        double popularity = Evaluator.ranking(PopularityBaseline.fit(clickSplit.train()), clickSplit.train(),
                clickSplit.test(), RECALL_AT).recall();
        out.printf(Locale.ROOT, "  biased MF, k = %d, %d epochs of SGD; quality = RMSE on 10%% held-out ratings "
                + "(lower is better; noise floor %.3f, global-mean baseline %.3f)%n", FACTORS, epochs,
                explicit.noiseFloorRmse(), meanBaseline);
        out.printf(Locale.ROOT, "  implicit ALS, k = %d, %d sweeps (%s); quality = Recall@%d on 20%% of each user's "
                + "items held out (higher is better; popularity baseline %.3f)%n", FACTORS, sweeps, solver(), RECALL_AT, popularity);
        out.flush();

        List<Run> runs = new ArrayList<>();
        for (BackendInfo b : backends) {
            try (Kernels kernels = Backends.open(b.name(), BackendOptions.threads(threads))) {
                runs.add(train(kernels, new BiasedMfSgd(BiasedMfConfig.defaults().withFactors(FACTORS)), "biased MF",
                        ratingSplit, epochs));
                runs.add(train(kernels, new ImplicitAls(ImplicitAlsConfig.defaults().withFactors(FACTORS)), "implicit ALS",
                        clickSplit, sweeps));
            }
        }
        Table table = new Table("  ", "backend", "model", "quality", ">ms/epoch", ">first epoch", ">vs slowest");
        for (Run r : runs) {
            double slowest = r.msPerEpoch();
            for (Run o : runs) {
                if (o.model().equals(r.model())) slowest = Math.max(slowest, o.msPerEpoch());
            }
            String quality = r.model().equals("biased MF")
                    ? String.format(Locale.ROOT, "RMSE %.4f", r.quality())
                    : String.format(Locale.ROOT, "Recall@%d %.4f", RECALL_AT, r.quality());
            table.row(r.backend(), r.model(), quality, String.format(Locale.ROOT, "%.1f", r.msPerEpoch()),
                    String.format(Locale.ROOT, "%.1f ms", r.firstEpochMs()),
                    String.format(Locale.ROOT, "%.1fx", slowest / r.msPerEpoch()));
        }
        out.println();
        table.print(out);
        out.println("  ms/epoch: the median epoch, validation not timed; the first epoch includes JIT compilation.");
        out.flush();
    }

    private Run train(Kernels kernels, Trainer trainer, String name, Split split, int rounds) {
        TrainOptions options = TrainOptions.defaults().withEpochs(rounds).withSeed(seed).withValidation(split.test())
                .withValidationK(RECALL_AT);
        TrainingResult result = trainer.fit(kernels, split.train(), options);
        List<EpochReport> history = result.history();
        double[] ms = new double[history.size()];
        for (int e = 0; e < ms.length; e++) ms[e] = history.get(e).elapsedMillis();
        Arrays.sort(ms);
        double median = ms.length % 2 == 1 ? ms[ms.length / 2] : (ms[ms.length / 2 - 1] + ms[ms.length / 2]) / 2;
        double quality = history.get(result.bestEpoch() - 1).validation();
        return new Run(kernels.backendName(), name, quality, median, history.get(0).elapsedMillis());
    }

    /** The implicit-ALS solver the demo uses, in words. */
    private static String solver() {
        Solver solver = ImplicitAlsConfig.defaults().solver();
        return solver.kind() == Solver.Kind.CG ? "CG, " + solver.cgSteps() + " steps" : "Cholesky";
    }

    /** RMSE of predicting every test rating by the training mean. */
    static double meanRmse(Ratings train, Ratings test) {
        double mean = train.mean();
        double sum = 0;
        for (int j = 0; j < test.size(); j++) {
            double e = test.value(j) - mean;
            sum += e * e;
        }
        return test.size() == 0 ? Double.NaN : Math.sqrt(sum / test.size());
    }
}
