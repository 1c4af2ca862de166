package org.mfkit.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.mfkit.core.BackendInfo;
import org.mfkit.core.Backends;
import org.mfkit.core.Kernels;
import org.mfkit.data.Ratings;
import org.mfkit.data.Split;
import org.mfkit.data.Splits;
import org.mfkit.data.SyntheticData;
import org.mfkit.data.io.RatingsFormat;
import org.mfkit.data.io.RatingsReader;
import org.mfkit.data.io.RatingsWriter;
import org.mfkit.eval.Evaluator;
import org.mfkit.model.BiasedMfConfig;
import org.mfkit.model.BiasedMfSgd;
import org.mfkit.model.FactorModel;
import org.mfkit.model.Models;
import org.mfkit.model.Recommender;
import org.mfkit.model.ScoredItem;
import org.mfkit.model.TrainOptions;
import org.mfkit.model.TrainingResult;
import org.mfkit.model.io.ModelFile;

/**
 * mfkit used as a library: read a ratings file, pick a backend by name and by "best", train a
 * model, evaluate it, recommend for a user, save the model and load it back.
 *
 * <p>Run with {@code --add-modules=jdk.incubator.vector} (otherwise cpu-vector reports itself
 * unavailable and "best" falls back to the scalar reference). Argument: a working directory.
 */
public final class Quickstart {
    private Quickstart() {}

    public static void main(String[] args) throws IOException {
        Path work = Path.of(args.length > 0 ? args[0] : "quickstart");
        Files.createDirectories(work);

        // Your data would be a file already; here a MovieLens-100K-shaped synthetic set is written first.
        Path csv = work.resolve("ratings.csv");
        RatingsWriter.write(SyntheticData.generate(SyntheticData.Spec.movieLens100kShape(7)).ratings(), csv,
                RatingsFormat.CSV);
        Ratings ratings = RatingsReader.detecting().read(csv).ratings();
        Split split = Splits.random(ratings, 0.1, 1);
        System.out.printf("Read %,d ratings (%,d users x %,d items)%n", ratings.size(), ratings.numUsers(),
                ratings.numItems());

        System.out.println("Backends:");
        for (BackendInfo backend : Backends.list()) System.out.println("  " + backend);

        TrainOptions options = TrainOptions.defaults().withEpochs(15).withSeed(42);
        // A model type by name with its documented defaults ...
        try (Kernels scalar = Backends.open("scalar")) {
            TrainingResult als = Models.fit("als", scalar, split.train(), options);
            System.out.printf("als on %s: test RMSE %.4f%n", scalar.backendName(),
                    Evaluator.ratings(scalar, als.model(), split.test()).rmse());
        }

        // ... or a trainer with chosen hyper-parameters, on the best backend this machine has.
        BiasedMfSgd sgd = new BiasedMfSgd(BiasedMfConfig.defaults().withFactors(16).withLearningRate(0.02f));
        try (Kernels best = Backends.open(Backends.BEST)) {
            FactorModel model = sgd.fit(best, split.train(), options).model();
            System.out.printf("biased-mf on %s (%d threads): test RMSE %.4f%n", best.backendName(), best.threads(),
                    Evaluator.ratings(best, model, split.test()).rmse());

            String userId = ratings.userIds().externalId(0);
            int user = model.userIds().find(userId);
            List<ScoredItem> top;
            try (Recommender recommender = new Recommender(best, model, split.train())) {
                top = recommender.recommend(user, 5);
            }
            System.out.println("Top 5 for user " + userId + ":");
            for (ScoredItem item : top) {
                System.out.printf("  item %s  %.3f%n", model.itemIds().externalId(item.index()), item.score());
            }

            Path file = work.resolve("biased-mf.mfm");
            ModelFile.save(model.toState(), file);
            FactorModel loaded = Models.fromState(ModelFile.load(file));
            try (Recommender recommender = new Recommender(best, loaded, split.train())) {
                if (!recommender.recommend(user, 5).equals(top)) {
                    throw new IllegalStateException("the model loaded from " + file + " recommends differently");
                }
            }
            System.out.printf("Saved %s (%,d bytes); loaded back, same recommendations%n", file, Files.size(file));
        }
    }
}
