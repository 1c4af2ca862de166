package org.mfkit.model;

import java.util.Arrays;
import java.util.List;
import org.mfkit.core.Backends;
import org.mfkit.core.Kernels;
import org.mfkit.core.spi.BackendOptions;
import org.mfkit.data.Split;
import org.mfkit.data.Splits;
import org.mfkit.data.SyntheticData;
import org.mfkit.eval.Evaluator;
import org.mfkit.eval.PopularityBaseline;
import org.mfkit.eval.RankingMetrics;

/**
 * Prints each model's quality on the synthetic data sets and its median time per epoch (from
 * the epoch listener, so setup and validation are excluded) on one backend. Not a test: run
 * it by hand, e.g. {@code java -cp <test and main classes> org.mfkit.model.ModelsReport scalar 2}.
 * Timings on shared machines vary by 20–30%.
 */
public final class ModelsReport {
    private ModelsReport() {}

    /** Arguments: backend name (default scalar), thread count (default 0 = all processors). */
    public static void main(String[] args) {
        String backend = args.length > 0 ? args[0] : "scalar";
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        try (Kernels kernels = Backends.open(backend, BackendOptions.threads(threads))) {
            System.out.println("backend " + kernels);
            explicit(kernels, "dense 300x200, 30k, rank 3, noise 0.5",
                    new SyntheticData.Spec(300, 200, 30_000, 3, 0.5, 0.5, false, false, 7), 8);
            explicit(kernels, "MovieLens-100K shape 943x1682, 100k, rank 5, integer ratings",
                    SyntheticData.Spec.movieLens100kShape(7), 8);
            explicit(kernels, "MovieLens-100K shape, defaults",
                    SyntheticData.Spec.movieLens100kShape(7), 32);
            explicit(kernels, "MovieLens-100K-like (movieLens100kRealistic), defaults",
                    SyntheticData.Spec.movieLens100kRealistic(7), 32);
            implicit(kernels, "implicit 400x300, 12k", new SyntheticData.Spec(400, 300, 12_000, 3, 0.5, 0.8, true, false, 11), 8);
            implicit(kernels, "implicit MovieLens-100K shape, defaults",
                    SyntheticData.Spec.movieLens100kShape(7).asImplicit(), 32);
            implicit(kernels, "implicit MovieLens-100K-like (movieLens100kImplicitRealistic), defaults",
                    SyntheticData.Spec.movieLens100kImplicitRealistic(7), 32);
        }
    }

    private static void explicit(Kernels kernels, String name, SyntheticData.Spec spec, int k) {
        SyntheticData.Dataset data = SyntheticData.generate(spec);
        Split split = Splits.random(data.ratings(), 0.2, 1);
        System.out.printf("%n%s: noise floor RMSE %.4f%n", name, data.noiseFloorRmse());
        List<Trainer> trainers = k == 32
                ? List.of(Models.trainer("biased-mf"), Models.trainer("als"))
                : List.of(AbstractModelsTest.tunedSgd(), AbstractModelsTest.tunedAls());
        for (Trainer trainer : trainers) {
            // Tuned rows keep the epochs the tests use; default rows run the type's default epochs.
            int epochs = k == 32 ? Models.type(trainer.type()).defaultEpochs() : trainer.type().equals("als") ? 10 : 40;
            long[] times = new long[epochs];
            TrainingResult r = trainer.fit(kernels, split.train(), TrainOptions.defaults().withEpochs(epochs)
                    .withListener(e -> times[e.epoch() - 1] = e.elapsedNanos()));
            double rmse = Evaluator.ratings(kernels, r.model(), split.test()).rmse();
            System.out.printf("  %-10s k=%-2d %2d epochs  test RMSE %.4f (%.3f × floor)  median %.2f ms/epoch%n",
                    trainer.type(), r.model().k(), epochs, rmse, rmse / data.noiseFloorRmse(), median(times));
        }
    }

    private static void implicit(Kernels kernels, String name, SyntheticData.Spec spec, int k) {
        SyntheticData.Dataset data = SyntheticData.generate(spec);
        Split split = Splits.perUser(data.ratings(), 0.2, 1);
        RankingMetrics pop = Evaluator.ranking(PopularityBaseline.fit(split.train()), split.train(), split.test(), 10);
        System.out.printf("%n%s: popularity Recall@10 %.4f NDCG@10 %.4f%n", name, pop.recall(), pop.ndcg());
        List<Trainer> trainers = k == 32
                ? List.of(Models.trainer("implicit-als"), Models.trainer("bpr"))
                : List.of(AbstractModelsTest.tunedImplicitAls(), AbstractModelsTest.tunedBpr());
        for (Trainer trainer : trainers) {
            int epochs = k == 32 ? Models.type(trainer.type()).defaultEpochs() : trainer.type().equals("bpr") ? 30 : 10;
            long[] times = new long[epochs];
            TrainingResult r = trainer.fit(kernels, split.train(), TrainOptions.defaults().withEpochs(epochs)
                    .withListener(e -> times[e.epoch() - 1] = e.elapsedNanos()));
            RankingMetrics m = Evaluator.ranking(kernels, r.model(), split.train(), split.test(), 10);
            System.out.printf("  %-12s k=%-2d %2d epochs  Recall@10 %.4f (%.2f × popularity) NDCG@10 %.4f AUC %.4f"
                    + "  median %.2f ms/epoch%n", trainer.type(), r.model().k(), epochs, m.recall(),
                    m.recall() / pop.recall(), m.ndcg(), m.auc(), median(times));
        }
    }

    private static double median(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2] / 1e6;
    }
}
