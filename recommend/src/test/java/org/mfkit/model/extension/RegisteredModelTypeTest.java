package org.mfkit.model.extension;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mfkit.core.Backends;
import org.mfkit.core.Kernels;
import org.mfkit.data.Ratings;
import org.mfkit.model.FactorModel;
import org.mfkit.model.FoldIn;
import org.mfkit.model.Models;
import org.mfkit.model.Recommender;
import org.mfkit.model.ScoredItem;
import org.mfkit.model.TrainOptions;
import org.mfkit.model.io.ModelFile;

/** A type registered from outside the model package trains through Models, saves, loads back and serves. */
class RegisteredModelTypeTest {
    @TempDir
    Path dir;

    @Test
    void aRegisteredTypeTrainsSavesLoadsAndFoldsIn() throws Exception {
        Models.register(ItemPopularity.MODEL_TYPE);
        assertTrue(Models.names().contains(ItemPopularity.TYPE));
        assertTrue(Models.isImplicit(ItemPopularity.TYPE));
        // Items 0..3 seen by 4, 3, 2, 1 users.
        Ratings train = new Ratings(4, 5, new int[] {0, 1, 2, 3, 0, 1, 2, 0, 1, 0}, new int[] {0, 0, 0, 0, 1, 1, 1, 2, 2, 3},
                new float[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1});
        try (Kernels kernels = Backends.open("scalar")) {
            FactorModel model = Models.fit(ItemPopularity.TYPE, kernels, train, TrainOptions.defaults()).model();
            Path file = dir.resolve("popularity.mfm");
            ModelFile.save(model.toState(), file);
            FactorModel back = Models.fromState(ModelFile.load(file));
            assertEquals(ItemPopularity.TYPE, back.type());
            assertArrayEquals(model.itemFactors(), back.itemFactors());
            assertEquals(new ItemPopularity.Config(2, 1f),
                    Models.type(back.type()).fromMap(back.hyperParameters()), "the configuration comes back from the file");
            try (Recommender recommender = new Recommender(kernels, back, train)) {
                List<ScoredItem> top = recommender.recommend(3, 2);
                assertEquals(List.of(1, 2), List.of(top.get(0).index(), top.get(1).index()), "most popular unseen first");
                assertEquals(0.75f, top.get(0).score(), 1e-6f);
                // Fold-in goes through the type's FoldInMethod: an HKV solve, so a user of the
                // popular items gets a positive weight on the popularity column.
                FoldIn user = recommender.foldIn(new int[] {0, 1}, null);
                assertTrue(user.factors()[0] > 0f, "folded-in weight " + user.factors()[0]);
                assertEquals(0f, user.factors()[1]);
            }
        }
        // The trainer can also be built from settings, as the command line does.
        assertEquals(ItemPopularity.TYPE, Models.type(ItemPopularity.TYPE).trainer(Map.of("shrinkage", "3")).type());
    }
}
