package org.mfkit.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mfkit.core.Backends;
import org.mfkit.core.Kernels;
import org.mfkit.core.Solver;
import org.mfkit.data.Ratings;
import org.mfkit.data.Split;
import org.mfkit.data.Splits;
import org.mfkit.data.SyntheticData;
import org.mfkit.eval.Evaluator;
import org.mfkit.eval.PopularityBaseline;
import org.mfkit.eval.RankingMetrics;
import org.mfkit.eval.RatingMetrics;
import org.mfkit.model.io.ModelFile;

/**
 * The model suite every backend runs (scalar in core, cpu-vector in its module): quality on
 * synthetic low-rank data, agreement with the scalar reference on the same seed, the training
 * loop's guards, the defined edge cases, and the recommender. Subclasses open their backend.
 *
 * <p>Agreement margins: a parallel backend's SGD/BPR schedules and summation orders differ
 * from the scalar one, so trained factors differ; the same seed must still give test RMSE
 * within {@value #RMSE_MARGIN} and Recall@10 within {@value #RECALL_MARGIN} of the scalar run.
 */
public abstract class AbstractModelsTest {
    /** Largest allowed |RMSE(backend) − RMSE(scalar)| on the same seed. */
    public static final double RMSE_MARGIN = 0.02;
    /** Largest allowed |Recall@10(backend) − Recall@10(scalar)| on the same seed. */
    public static final double RECALL_MARGIN = 0.03;

    private static SyntheticData.Dataset explicitData;
    private static Split explicitSplit;
    private static Split implicitSplit;

    protected Kernels kernels;
    private Kernels scalar;

    /** Opens the backend under test (or skips the test through an assumption, saying why). */
    protected abstract Kernels open();

    @BeforeEach
    public void openBackends() {
        kernels = open();
        scalar = Backends.open("scalar");
        if (explicitData == null) {
            explicitData = SyntheticData.generate(new SyntheticData.Spec(300, 200, 30_000, 3, 0.5, 0.5, false, false, 7));
            explicitSplit = Splits.random(explicitData.ratings(), 0.2, 1);
            SyntheticData.Dataset implicit = SyntheticData.generate(
                    new SyntheticData.Spec(400, 300, 12_000, 3, 0.5, 0.8, true, false, 11));
            implicitSplit = Splits.perUser(implicit.ratings(), 0.2, 1);
        }
    }

    @AfterEach
    public void closeBackends() {
        // open() may have skipped the test (no device) before anything was opened.
        if (kernels != null) kernels.close();
        if (scalar != null) scalar.close();
    }

    // The suite's configurations are spelled out rather than derived from the defaults, so that
    // what it asserts keeps its meaning when the defaults move (they are tuned for
    // MovieLens-sized data, docs/MODELS.md; these sets are small and dense).

    static BiasedMfSgd tunedSgd() {
        return new BiasedMfSgd(new BiasedMfConfig(8, 0.02f, 0.02f, 0.01f, LearningRateSchedule.EXPONENTIAL, 0.95f, 0.1f,
                true, 1.5f));
    }

    static ExplicitAls tunedAls() {
        return new ExplicitAls(AlsConfig.defaults().withFactors(8).withLambda(0.05f, true));
    }

    static ImplicitAls tunedImplicitAls() {
        return new ImplicitAls(new ImplicitAlsConfig(8, 10f, 0.1f, Solver.cg(3), 0.01f));
    }

    static Bpr tunedBpr() {
        return new Bpr(new BprConfig(8, 0.05f, 0.002f, 0.002f, true, NegativeSampling.UNIFORM, 0,
                LearningRateSchedule.CONSTANT, 1f, 0.1f, 1.5f));
    }

    private double explicitRmse(Kernels on, Trainer trainer, int epochs) {
        long start = System.nanoTime();
        TrainingResult r = trainer.fit(on, explicitSplit.train(), TrainOptions.defaults().withEpochs(epochs));
        double ms = (System.nanoTime() - start) / 1e6 / epochs;
        RatingMetrics m = Evaluator.ratings(on, r.model(), explicitSplit.test());
        System.out.printf("[models] %-12s %-10s test RMSE %.4f = %.3f × noise floor %.4f, %.2f ms/epoch (incl. setup)%n",
                trainer.type(), on.backendName(), m.rmse(), m.rmse() / explicitData.noiseFloorRmse(),
                explicitData.noiseFloorRmse(), ms);
        return m.rmse();
    }

    private double implicitRecall(Kernels on, Trainer trainer, int epochs) {
        long start = System.nanoTime();
        TrainingResult r = trainer.fit(on, implicitSplit.train(), TrainOptions.defaults().withEpochs(epochs));
        double ms = (System.nanoTime() - start) / 1e6 / epochs;
        RankingMetrics m = Evaluator.ranking(on, r.model(), implicitSplit.train(), implicitSplit.test(), 10);
        System.out.printf("[models] %-12s %-10s Recall@10 %.4f NDCG@10 %.4f AUC %.4f, %.2f ms/epoch (incl. setup)%n",
                trainer.type(), on.backendName(), m.recall(), m.ndcg(), m.auc(), ms);
        return m.recall();
    }

    // ------------------------------------------------------------------ quality and agreement

    @Test
    public void biasedMfReachesTheNoiseFloorAndAgreesWithScalar() {
        double rmse = explicitRmse(kernels, tunedSgd(), 40);
        assertTrue(rmse < 1.10 * explicitData.noiseFloorRmse(), "RMSE " + rmse + " vs floor " + explicitData.noiseFloorRmse());
        double reference = explicitRmse(scalar, tunedSgd(), 40);
        assertEquals(reference, rmse, RMSE_MARGIN);
    }

    @Test
    public void explicitAlsReachesTheNoiseFloorAndAgreesWithScalar() {
        double rmse = explicitRmse(kernels, tunedAls(), 10);
        assertTrue(rmse < 1.10 * explicitData.noiseFloorRmse(), "RMSE " + rmse + " vs floor " + explicitData.noiseFloorRmse());
        double reference = explicitRmse(scalar, tunedAls(), 10);
        assertEquals(reference, rmse, RMSE_MARGIN);
    }

    @Test
    public void implicitAlsBeatsPopularityAndAgreesWithScalar() {
        double popularity = Evaluator.ranking(PopularityBaseline.fit(implicitSplit.train()), implicitSplit.train(),
                implicitSplit.test(), 10).recall();
        double recall = implicitRecall(kernels, tunedImplicitAls(), 10);
        System.out.printf("[models] popularity Recall@10 %.4f%n", popularity);
        assertTrue(recall > 1.5 * popularity, "recall " + recall + " vs popularity " + popularity);
        assertEquals(implicitRecall(scalar, tunedImplicitAls(), 10), recall, RECALL_MARGIN);
    }

    @Test
    public void implicitAlsWithCholeskyAlsoBeatsPopularity() {
        double popularity = Evaluator.ranking(PopularityBaseline.fit(implicitSplit.train()), implicitSplit.train(),
                implicitSplit.test(), 10).recall();
        double recall = implicitRecall(kernels, new ImplicitAls(tunedImplicitAls().config().withSolver(Solver.cholesky())), 8);
        assertTrue(recall > 1.5 * popularity, "recall " + recall + " vs popularity " + popularity);
    }

    /**
     * Every half-step of the subspace solver is one block coordinate descent sweep, each block
     * minimized exactly, and CG from the current rows never increases the quadratic either: the
     * full objective cannot go up from epoch to epoch (up to float32 rounding).
     */
    @Test
    public void implicitAlsLossDecreasesEveryEpochWithSubspaceAndCg() {
        double popularity = Evaluator.ranking(PopularityBaseline.fit(implicitSplit.train()), implicitSplit.train(),
                implicitSplit.test(), 10).recall();
        for (Solver solver : List.of(Solver.subspace(4), Solver.subspace(3), Solver.cg(3))) {
            List<EpochReport> seen = new ArrayList<>();
            ImplicitAls trainer = new ImplicitAls(ImplicitAlsConfig.defaults().withFactors(8).withSolver(solver));
            TrainingResult r = trainer.fit(kernels, implicitSplit.train(),
                    TrainOptions.defaults().withEpochs(10).withLossEvery(1).withListener(seen::add));
            for (int e = 1; e < seen.size(); e++) {
                double before = seen.get(e - 1).loss();
                double after = seen.get(e).loss();
                assertTrue(after <= before * (1 + 1e-5), solver.label() + ": loss rose from " + before + " to " + after
                        + " at epoch " + (e + 1));
            }
            double recall = Evaluator.ranking(kernels, r.model(), implicitSplit.train(), implicitSplit.test(), 10).recall();
            System.out.printf("[models] implicit-als %s %s Recall@10 %.4f, losses %.5f -> %.5f%n", solver.label(),
                    kernels.backendName(), recall, seen.get(0).loss(), seen.get(seen.size() - 1).loss());
            assertTrue(recall > 1.5 * popularity, solver.label() + ": recall " + recall + " vs popularity " + popularity);
        }
    }

    @Test
    public void explicitAlsWithTheSubspaceSolverReachesTheNoiseFloor() {
        double rmse = explicitRmse(kernels, new ExplicitAls(AlsConfig.defaults().withFactors(8).withLambda(0.05f, true)
                .withSolver(Solver.subspace(4))), 10);
        assertTrue(rmse < 1.10 * explicitData.noiseFloorRmse(), "RMSE " + rmse + " vs floor " + explicitData.noiseFloorRmse());
    }

    /** The ALS loss costs a pass over the data: computed after the last epoch and every n-th, NaN otherwise. */
    @Test
    public void alsLossIsComputedOnlyWhereAsked() {
        for (Trainer trainer : List.of(tunedImplicitAls(), tunedAls())) {
            Ratings train = Models.isImplicit(trainer.type()) ? implicitSplit.train() : explicitSplit.train();
            List<EpochReport> byDefault = trainer.fit(kernels, train, TrainOptions.defaults().withEpochs(5)).history();
            List<EpochReport> everySecond = trainer.fit(kernels, train,
                    TrainOptions.defaults().withEpochs(5).withLossEvery(2)).history();
            for (int e = 1; e <= 5; e++) {
                assertEquals(e == 5, Double.isFinite(byDefault.get(e - 1).loss()), trainer.type() + " default, epoch " + e);
                assertEquals(e == 5 || e % 2 == 0, Double.isFinite(everySecond.get(e - 1).loss()),
                        trainer.type() + " every 2nd, epoch " + e);
            }
            assertEquals(byDefault.get(4).loss(), everySecond.get(4).loss(), 0.0, trainer.type() + ": the same last loss");
        }
        assertThrows(IllegalArgumentException.class, () -> TrainOptions.defaults().withLossEvery(-1));
    }

    @Test
    public void bprBeatsPopularityAndAgreesWithScalar() {
        double popularity = Evaluator.ranking(PopularityBaseline.fit(implicitSplit.train()), implicitSplit.train(),
                implicitSplit.test(), 10).recall();
        double recall = implicitRecall(kernels, tunedBpr(), 30);
        assertTrue(recall > 1.5 * popularity, "recall " + recall + " vs popularity " + popularity);
        assertEquals(implicitRecall(scalar, tunedBpr(), 30), recall, RECALL_MARGIN);
        double popularitySampled = implicitRecall(kernels,
                new Bpr(tunedBpr().config().withSampling(NegativeSampling.POPULARITY)), 30);
        assertTrue(popularitySampled > 1.2 * popularity, "popularity-sampled BPR recall " + popularitySampled);
    }

    @Test
    public void sameSeedSameBackendGivesTheSameModel() {
        for (Trainer trainer : List.of(tunedSgd(), tunedAls(), tunedImplicitAls(), tunedBpr())) {
            Ratings train = Models.isImplicit(trainer.type()) ? implicitSplit.train() : explicitSplit.train();
            TrainOptions options = TrainOptions.defaults().withEpochs(3).withSeed(5);
            FactorModel a = trainer.fit(kernels, train, options).model();
            FactorModel b = trainer.fit(kernels, train, options).model();
            assertArrayEquals(a.userFactors(), b.userFactors(), trainer.type());
            assertArrayEquals(a.itemFactors(), b.itemFactors(), trainer.type());
            FactorModel c = trainer.fit(kernels, train, options.withSeed(6)).model();
            assertFalse(java.util.Arrays.equals(a.itemFactors(), c.itemFactors()), trainer.type() + ": seed ignored");
        }
    }

    // ------------------------------------------------------------------ training loop

    @Test
    public void listenerSeesEveryEpochAndEarlyStoppingKeepsTheBestEpoch() {
        List<EpochReport> seen = new ArrayList<>();
        Split inner = Splits.random(explicitSplit.train(), 0.2, 3);
        // A big k with no regularization overfits, so the validation RMSE turns up and stops training.
        BiasedMfSgd overfitting = new BiasedMfSgd(BiasedMfConfig.defaults().withFactors(64)
                .withRegularization(0f, 0f).withLearningRate(0.03f).withSchedule(LearningRateSchedule.CONSTANT, 1f));
        TrainingResult r = overfitting.fit(kernels, inner.train(), TrainOptions.defaults().withEpochs(60)
                .withValidation(inner.test()).withEarlyStopping(3).withListener(seen::add));
        assertEquals(r.history(), seen);
        for (int e = 0; e < seen.size(); e++) {
            assertEquals(e + 1, seen.get(e).epoch());
            assertEquals("rmse", seen.get(e).metricName());
            assertTrue(seen.get(e).elapsedNanos() > 0);
        }
        assertTrue(r.stoppedEarly(), "expected an early stop, history " + seen);
        assertEquals(seen.size() - 3, r.bestEpoch());
        double best = seen.get(r.bestEpoch() - 1).validation();
        for (EpochReport report : seen) assertTrue(report.validation() >= best);
        double rmse = Evaluator.ratings(kernels, r.model(), inner.test()).rmse();
        assertEquals(best, rmse, 1e-4, "the returned model is the best epoch's");
    }

    @Test
    public void implicitValidationReportsRecall() {
        Split inner = Splits.perUser(implicitSplit.train(), 0.2, 3);
        TrainingResult r = tunedImplicitAls().fit(kernels, inner.train(), TrainOptions.defaults().withEpochs(3)
                .withValidation(inner.test()).withValidationK(5));
        assertEquals("recall@5", r.history().get(2).metricName());
        double recall = Evaluator.ranking(kernels, r.model(), inner.train(), inner.test(), 5).recall();
        assertEquals(r.history().get(2).validation(), recall, 1e-9);
    }

    @Test
    public void sgdDivergenceIsReportedWithTheLastGoodModel() {
        BiasedMfSgd tooFast = new BiasedMfSgd(BiasedMfConfig.defaults().withLearningRate(5f));
        TrainingFailedException e = assertThrows(TrainingFailedException.class,
                () -> tooFast.fit(kernels, explicitSplit.train(), TrainOptions.defaults().withEpochs(20)));
        assertTrue(e.getMessage().contains("learning rate below 5.0"), e.getMessage());
        assertTrue(e.getMessage().contains("epoch " + e.epoch()), e.getMessage());
        assertNotNull(e.lastGoodModel());
        for (float v : e.lastGoodModel().userFactors()) assertTrue(Float.isFinite(v));
    }

    @Test
    public void nonFiniteFactorsNameTheEpochAndSide() {
        // Ratings near Float.MAX_VALUE are finite, but the first user solve overflows.
        Ratings huge = new Ratings(3, 3, new int[] {0, 1, 2, 0}, new int[] {0, 1, 2, 1},
                new float[] {3e38f, -3e38f, 3e38f, -3e38f});
        TrainingFailedException e = assertThrows(TrainingFailedException.class,
                () -> new ExplicitAls(AlsConfig.defaults().withFactors(2)).fit(kernels, huge, TrainOptions.defaults()));
        assertEquals(1, e.epoch());
        // Where the overflow surfaces depends on the backend's summation: as non-finite user
        // factors, or as an infinite pivot when the item systems are built from huge user factors.
        assertTrue(e.side().equals("users") || e.side().equals("items"), e.side());
        assertTrue(e.getMessage().contains("epoch 1: the " + e.side()), e.getMessage());
        assertTrue(e.getMessage().contains("the initial model is kept"), e.getMessage());
        for (float v : e.lastGoodModel().itemFactors()) assertTrue(Float.isFinite(v));
    }

    // ------------------------------------------------------------------ edge cases

    @Test
    public void usersAndItemsWithoutInteractionsGetZeroFactors() {
        // 6 users, 5 items; user 5 and item 4 never occur.
        Ratings r = new Ratings(6, 5, new int[] {0, 0, 1, 2, 3, 4, 1}, new int[] {0, 1, 2, 3, 0, 1, 3},
                new float[] {5, 3, 4, 1, 2, 5, 4});
        for (Trainer trainer : List.of(Models.trainer("biased-mf"), Models.trainer("als"), Models.trainer("implicit-als"),
                Models.trainer("bpr"))) {
            FactorModel m = trainer.fit(kernels, r, TrainOptions.defaults().withEpochs(3)).model();
            float[] p = m.userFactors();
            for (int c = 0; c < m.k(); c++) assertEquals(0f, p[5 * m.k() + c], trainer.type());
            assertEquals(0f, m.userBias(5), trainer.type());
            if (!trainer.type().equals("bpr")) {
                float[] q = m.itemFactors();
                for (int c = 0; c < m.k(); c++) assertEquals(0f, q[4 * m.k() + c], trainer.type());
                assertEquals(0f, m.itemBias(4), trainer.type());
            }
            if (trainer.type().equals("biased-mf")) {
                assertEquals(m.clip(m.globalMean() + m.itemBias(2)), m.predict(5, 2), 1e-6f);
            }
            try (Recommender rec = new Recommender(kernels, m, r)) {
                assertEquals(3, rec.recommend(5, 3).size(), "a user without history still gets a full list");
            }
        }
    }

    @Test
    public void factorsLargerThanUsersAndItemsTrainFinite() {
        Ratings r = new Ratings(4, 3, new int[] {0, 1, 2, 3, 0}, new int[] {0, 1, 2, 0, 2}, new float[] {1, 2, 3, 4, 5});
        assertFinite(new BiasedMfSgd(BiasedMfConfig.defaults().withFactors(16)).fit(kernels, r, TrainOptions.defaults()).model());
        assertFinite(new ExplicitAls(AlsConfig.defaults().withFactors(16)).fit(kernels, r, TrainOptions.defaults()).model());
        assertFinite(new ImplicitAls(ImplicitAlsConfig.defaults().withFactors(16)).fit(kernels, r, TrainOptions.defaults()).model());
        assertFinite(new Bpr(BprConfig.defaults().withFactors(16)).fit(kernels, r, TrainOptions.defaults()).model());
    }

    private static void assertFinite(FactorModel m) {
        for (float v : m.userFactors()) assertTrue(Float.isFinite(v), m.toString());
        for (float v : m.itemFactors()) assertTrue(Float.isFinite(v), m.toString());
    }

    @Test
    public void duplicatesLastWinsForExplicitAndSumForImplicit() {
        Ratings withDuplicates = new Ratings(3, 3, new int[] {0, 1, 0, 2, 1}, new int[] {0, 1, 0, 2, 2},
                new float[] {1, 4, 5, 2, 3});
        Ratings lastWins = new Ratings(3, 3, new int[] {0, 1, 2, 1}, new int[] {0, 1, 2, 2}, new float[] {5, 4, 2, 3});
        for (Trainer trainer : List.of(Models.trainer("als"), Models.trainer("biased-mf"))) {
            FactorModel a = trainer.fit(kernels, withDuplicates, TrainOptions.defaults().withEpochs(3)).model();
            FactorModel b = trainer.fit(kernels, lastWins, TrainOptions.defaults().withEpochs(3)).model();
            assertArrayEquals(b.userFactors(), a.userFactors(), trainer.type());
            assertEquals(b.globalMean(), a.globalMean(), trainer.type());
        }
        Ratings summed = new Ratings(3, 3, new int[] {0, 1, 2, 1}, new int[] {0, 1, 2, 2}, new float[] {6, 4, 2, 3});
        FactorModel a = Models.trainer("implicit-als").fit(kernels, withDuplicates, TrainOptions.defaults().withEpochs(3)).model();
        FactorModel b = Models.trainer("implicit-als").fit(kernels, summed, TrainOptions.defaults().withEpochs(3)).model();
        assertArrayEquals(b.userFactors(), a.userFactors());
        // With timestamps the latest wins even when it comes first.
        Ratings timed = new Ratings(1, 1, new int[] {0, 0}, new int[] {0, 0}, new float[] {2, 4}, new long[] {20, 10},
                null, null);
        assertEquals(2f, Models.trainer("als").fit(kernels, timed, TrainOptions.defaults().withEpochs(1)).model().globalMean());
    }

    @Test
    public void ratingsOutsideTheDeclaredRangeAreRejected() {
        Ratings r = new Ratings(2, 2, new int[] {0, 1, 1}, new int[] {0, 1, 0}, new float[] {3, 7, 1});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Models.trainer("biased-mf").fit(kernels, r, TrainOptions.defaults().withRatingRange(1, 5)));
        assertTrue(e.getMessage().contains("position 1 = 7.0") && e.getMessage().contains("[1.0, 5.0]"), e.getMessage());
        FactorModel m = Models.trainer("als").fit(kernels, r, TrainOptions.defaults().withEpochs(2)).model();
        assertEquals(1f, m.clipMin());
        assertEquals(7f, m.clipMax(), "without a declared range predictions clip to the observed range");
        Ratings negative = new Ratings(1, 1, new int[] {0}, new int[] {0}, new float[] {-1});
        assertThrows(IllegalArgumentException.class, () -> Models.trainer("implicit-als").fit(kernels, negative,
                TrainOptions.defaults()));
    }

    // ------------------------------------------------------------------ recommender

    @Test
    public void recommendationsExcludeSeenItemsAndHaveExactlyKEntries() {
        FactorModel m = tunedImplicitAls().fit(kernels, implicitSplit.train(), TrainOptions.defaults().withEpochs(3)).model();
        Ratings train = implicitSplit.train();
        try (Recommender rec = new Recommender(kernels, m, train)) {
            int[] users = {0, 1, 2, 399};
            List<List<ScoredItem>> batch = rec.recommend(users, 10, RecommendOptions.defaults());
            for (int r = 0; r < users.length; r++) {
                List<ScoredItem> list = batch.get(r);
                assertEquals(10, list.size());
                assertEquals(list, rec.recommend(users[r], 10));
                Set<Integer> own = itemsOf(train, users[r]);
                for (int j = 0; j < list.size(); j++) {
                    assertFalse(own.contains(list.get(j).index()));
                    if (j > 0) assertTrue(list.get(j - 1).score() >= list.get(j).score());
                }
            }
            // Allow list of 3 items, one seen: at most 2 candidates remain.
            int seenItem = itemsOf(train, 0).iterator().next();
            int[] unseen = unseenItems(train, 0, 2);
            List<ScoredItem> allowed = rec.recommend(0, 5, RecommendOptions.defaults()
                    .withAllow(new int[] {seenItem, unseen[0], unseen[1]}));
            assertEquals(2, allowed.size());
            List<ScoredItem> denied = rec.recommend(0, 5, RecommendOptions.defaults().withDeny(new int[] {unseen[0]}));
            assertTrue(denied.stream().noneMatch(s -> s.index() == unseen[0]));
            List<ScoredItem> all = rec.recommend(0, 1000, RecommendOptions.defaults().withExcludeSeen(false));
            assertEquals(m.numItems(), all.size(), "k above the catalogue returns every candidate");
            assertThrows(IllegalArgumentException.class, () -> rec.recommend(0, 0));
            assertThrows(IllegalArgumentException.class, () -> rec.recommend(400, 5));
            assertThrows(IllegalArgumentException.class,
                    () -> rec.recommend(0, 5, RecommendOptions.defaults().withDeny(new int[] {300})));
        }
    }

    @Test
    public void recommendationScoresArePredictionsForExplicitModels() {
        FactorModel m = tunedSgd().fit(kernels, explicitSplit.train(), TrainOptions.defaults().withEpochs(3)).model();
        try (Recommender rec = new Recommender(kernels, m, null)) {
            ScoredItem top = rec.recommend(4, 1).get(0);
            float raw = m.globalMean() + m.userBias(4) + m.itemBias(top.index());
            float[] p = m.userFactors();
            float[] q = m.itemFactors();
            for (int c = 0; c < m.k(); c++) raw += p[4 * m.k() + c] * q[top.index() * m.k() + c];
            assertEquals(raw, top.score(), 1e-4f);
            float[] predicted = rec.predict(new int[] {4, 7}, new int[] {top.index(), 3});
            assertEquals(m.predict(4, top.index()), predicted[0], 1e-4f);
            assertEquals(m.predict(7, 3), predicted[1], 1e-4f);
        }
    }

    @Test
    public void similarItemsAndUsersByCosine() {
        // Items 0 and 2 point the same way (different lengths), item 1 is orthogonal, item 3 opposite.
        float[] q = {1, 0, 0, 1, 2, 0, -1, 0};
        float[] p = {1, 1, 2, 2, 0, 1};
        FactorModel m = new FactorModel("als", 2, 3, 4, 0f, p, q, null, null, null, null, java.util.Map.of(),
                Float.NaN, Float.NaN);
        try (Recommender rec = new Recommender(kernels, m, null)) {
            List<ScoredItem> sim = rec.similarItems(0, 5);
            assertEquals(3, sim.size(), "the item itself is excluded");
            assertEquals(2, sim.get(0).index());
            assertEquals(1f, sim.get(0).score(), 1e-6f);
            assertEquals(1, sim.get(1).index());
            assertEquals(0f, sim.get(1).score(), 1e-6f);
            assertEquals(-1f, sim.get(2).score(), 1e-6f);
            List<ScoredItem> users = rec.similarUsers(0, 1);
            assertEquals(1, users.get(0).index());
            assertEquals(1f, users.get(0).score(), 1e-6f);

            // Filters: an allow list keeps only its items (the query item never comes back), a
            // deny list removes items, and together the deny list wins.
            List<ScoredItem> allowed = rec.similarItems(0, 5, RecommendOptions.defaults().withAllow(new int[] {0, 1, 3}));
            assertEquals(List.of(1, 3), allowed.stream().map(ScoredItem::index).toList());
            List<ScoredItem> denied = rec.similarItems(0, 5, RecommendOptions.defaults().withDeny(new int[] {2}));
            assertEquals(List.of(1, 3), denied.stream().map(ScoredItem::index).toList());
            List<ScoredItem> both = rec.similarItems(0, 5, RecommendOptions.defaults().withAllow(new int[] {2, 3})
                    .withDeny(new int[] {2}));
            assertEquals(List.of(3), both.stream().map(ScoredItem::index).toList());
            assertEquals(-1f, both.get(0).score(), 1e-6f);
            assertEquals(List.of(), rec.similarItems(0, 5, RecommendOptions.defaults().withAllow(new int[] {0})));
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                    () -> rec.similarItems(0, 5, RecommendOptions.defaults().withDeny(new int[] {4})));
            assertTrue(bad.getMessage().startsWith("deny[0] = 4 is out of range"), bad.getMessage());

            // A folded-in row: cosine against every item, under the same filters.
            FoldIn row = new FoldIn(new float[] {0f, -3f}, 0f);
            List<ScoredItem> fromRow = rec.similarItems(row, 2, RecommendOptions.defaults().withDeny(new int[] {0}));
            assertEquals(List.of(2, 3), fromRow.stream().map(ScoredItem::index).toList(), "item 1 is the same direction");
            fromRow = rec.similarItems(row, 1, RecommendOptions.defaults().withAllow(new int[] {1}));
            assertEquals(1, fromRow.get(0).index());
            assertEquals(-1f, fromRow.get(0).score(), 1e-6f);
            assertThrows(IllegalArgumentException.class, () -> rec.similarItems(new FoldIn(new float[3], 0f), 1,
                    RecommendOptions.defaults()));
        }
    }

    @Test
    public void foldInReproducesATrainedUser() {
        Ratings train = explicitSplit.train();
        FactorModel m = tunedAls().fit(kernels, train, TrainOptions.defaults().withEpochs(12)).model();
        int user = 17;
        List<Integer> items = new ArrayList<>();
        List<Float> values = new ArrayList<>();
        for (int j = 0; j < train.size(); j++) {
            if (train.user(j) == user) {
                items.add(train.item(j));
                values.add(train.value(j));
            }
        }
        int[] ids = items.stream().mapToInt(Integer::intValue).toArray();
        float[] vals = new float[values.size()];
        for (int j = 0; j < vals.length; j++) vals[j] = values.get(j);
        try (Recommender rec = new Recommender(kernels, m, train)) {
            FoldIn folded = rec.foldIn(ids, vals);
            float[] trained = java.util.Arrays.copyOfRange(m.userFactors(), user * m.k(), (user + 1) * m.k());
            float[] got = folded.factors();
            for (int c = 0; c < m.k(); c++) assertEquals(trained[c], got[c], 0.02, "factor " + c);
            List<ScoredItem> fromFold = rec.recommend(folded, ids, 5, RecommendOptions.defaults());
            assertEquals(rec.recommend(user, 5).get(0).index(), fromFold.get(0).index());
            assertEquals(0f, rec.foldIn(new int[0], new float[0]).factors()[0]);
        }
        FactorModel implicit = tunedImplicitAls().fit(kernels, implicitSplit.train(), TrainOptions.defaults().withEpochs(3)).model();
        try (Recommender rec = new Recommender(kernels, implicit, implicitSplit.train())) {
            FoldIn folded = rec.foldIn(new int[] {1, 2, 3}, null);
            assertEquals(5, rec.recommend(folded, new int[] {1, 2, 3}, 5, RecommendOptions.defaults()).size());
        }
    }

    @Test
    public void foldInItemReproducesATrainedItem() {
        // Explicit ALS: the last half-step of an epoch solves the items' [q, b] against the final
        // [P, b_u], so folding in a trained item with its own ratings solves the same system again.
        Ratings train = explicitSplit.train();
        FactorModel als = tunedAls().fit(kernels, train, TrainOptions.defaults().withEpochs(6)).model();
        int item = 23;
        try (Recommender rec = new Recommender(kernels, als, train)) {
            FoldIn folded = rec.foldInItem(usersOf(train, item), valuesOf(train, item));
            assertRow(als.itemFactors(), item, als.k(), folded.factors(), 1e-4f);
            assertEquals(als.itemBias(item), folded.bias(), 1e-4f);
            assertEquals(item, rec.similarItems(folded, 1, RecommendOptions.defaults()).get(0).index());
            // Whom to show the item: users by μ + b_u + b_i + p_u·q, best first.
            List<ScoredItem> top = rec.topUsers(folded, 5);
            assertEquals(5, top.size());
            for (int j = 0; j < top.size(); j++) {
                assertEquals(score(als, top.get(j).index(), folded), top.get(j).score(), 1e-4f);
                if (j > 0) assertTrue(top.get(j - 1).score() >= top.get(j).score());
            }
            float best = Float.NEGATIVE_INFINITY;
            for (int u = 0; u < als.numUsers(); u++) best = Math.max(best, score(als, u, folded));
            assertEquals(best, top.get(0).score(), 1e-4f);
            assertEquals(0f, rec.foldInItem(new int[0], new float[0]).factors()[0]);
            assertThrows(IllegalArgumentException.class, () -> rec.foldInItem(new int[] {1}, null));
            IllegalArgumentException out = assertThrows(IllegalArgumentException.class,
                    () -> rec.foldInItem(new int[] {als.numUsers()}, new float[] {3f}));
            assertTrue(out.getMessage().startsWith("users[0] = " + als.numUsers() + " is out of range"), out.getMessage());
        }
        // Biased MF: the item's bias is the shrunk mean residual against μ + b_u.
        FactorModel sgd = tunedSgd().fit(kernels, train, TrainOptions.defaults().withEpochs(3)).model();
        try (Recommender rec = new Recommender(kernels, sgd, train)) {
            int[] users = usersOf(train, item);
            float[] values = valuesOf(train, item);
            double residual = 0;
            for (int j = 0; j < users.length; j++) residual += values[j] - sgd.globalMean() - sgd.userBias(users[j]);
            float biasReg = BiasedMfSgd.MODEL_TYPE.fromMap(sgd.hyperParameters()).biasReg();
            assertEquals(residual / (users.length * (1 + biasReg)), rec.foldInItem(users, values).bias(), 1e-4);
        }
        // Implicit ALS with BM25 weighting and exact solves: the item's weights are recomputed
        // from the statistics the model recorded, so its factors come back.
        ImplicitAls bm25 = new ImplicitAls(tunedImplicitAls().config().withSolver(Solver.cholesky())
                .withWeighting(org.mfkit.data.CountWeighting.bm25(100f, 0.8f)));
        Ratings implicitTrain = implicitSplit.train();
        FactorModel hkv = bm25.fit(kernels, implicitTrain, TrainOptions.defaults().withEpochs(4)).model();
        assertNotNull(hkv.countStatistics());
        int implicitItem = 5;
        try (Recommender rec = new Recommender(kernels, hkv, implicitTrain)) {
            FoldIn folded = rec.foldInItem(usersOf(implicitTrain, implicitItem), null);
            assertRow(hkv.itemFactors(), implicitItem, hkv.k(), folded.factors(), 1e-4f);
            // A user folds in with the weights training gave their interactions: the same HKV
            // solve against the final Q, its row written out here with the training weights.
            int user = 3;
            int[] items = itemsOfUser(implicitTrain, user);
            FoldIn again = rec.foldIn(items, null);
            float[] weights = bm25.config().weighting().apply(implicitTrain.numUsers(), implicitTrain.numItems(),
                    implicitTrain.users(), implicitTrain.items(), implicitTrain.values());
            float[] own = new float[items.length];
            for (int j = 0, at = 0; j < implicitTrain.size(); j++) if (implicitTrain.user(j) == user) own[at++] = weights[j];
            float[] expected = new float[hkv.k()];
            try (org.mfkit.core.DenseMatrix q = kernels.matrix(hkv.numItems(), hkv.k(), hkv.itemFactors());
                 org.mfkit.core.DenseMatrix gram = kernels.matrix(hkv.k(), hkv.k());
                 org.mfkit.core.DenseMatrix x = kernels.matrix(1, hkv.k());
                 org.mfkit.core.CsrMatrix row = kernels.csr(1, hkv.numItems(), new int[] {0, items.length}, items, own);
                 org.mfkit.core.IndexArray rows = kernels.indices("rows", new int[] {0})) {
                kernels.gram(q, gram);
                kernels.solveImplicit(x, rows, row, q, gram, new org.mfkit.core.ImplicitAlsParams(bm25.config().alpha(),
                        bm25.config().lambda()), Solver.cholesky());
                x.downloadRows(0, expected, 0, 1);
            }
            assertRow(expected, 0, hkv.k(), again.factors(), 1e-4f);
        }
    }

    private static float score(FactorModel m, int user, FoldIn item) {
        float s = m.globalMean() + m.userBias(user) + item.bias();
        float[] p = m.userFactors();
        float[] q = item.factors();
        for (int c = 0; c < m.k(); c++) s += p[user * m.k() + c] * q[c];
        return s;
    }

    private static void assertRow(float[] matrix, int row, int k, float[] got, float tolerance) {
        for (int c = 0; c < k; c++) assertEquals(matrix[row * k + c], got[c], tolerance, "factor " + c);
    }

    /** The users who rated {@code item}, in list order. */
    private static int[] usersOf(Ratings r, int item) {
        return java.util.stream.IntStream.range(0, r.size()).filter(j -> r.item(j) == item).map(r::user).toArray();
    }

    /** The values of {@code item}'s ratings, in list order. */
    private static float[] valuesOf(Ratings r, int item) {
        int[] at = java.util.stream.IntStream.range(0, r.size()).filter(j -> r.item(j) == item).toArray();
        float[] out = new float[at.length];
        for (int j = 0; j < at.length; j++) out[j] = r.value(at[j]);
        return out;
    }

    /** The items of {@code user}, in list order. */
    private static int[] itemsOfUser(Ratings r, int user) {
        return java.util.stream.IntStream.range(0, r.size()).filter(j -> r.user(j) == user).map(r::item).toArray();
    }

    @Test
    public void modelsRoundTripThroughModelFiles(@TempDir Path dir) throws Exception {
        for (Trainer trainer : List.of(tunedSgd(), tunedAls(), tunedImplicitAls(), tunedBpr())) {
            Ratings train = Models.isImplicit(trainer.type()) ? implicitSplit.train() : explicitSplit.train();
            FactorModel m = trainer.fit(kernels, train, TrainOptions.defaults().withEpochs(2)).model();
            Path file = dir.resolve(trainer.type() + ModelFile.EXTENSION);
            ModelFile.save(m.toState(), file);
            FactorModel back = Models.fromState(ModelFile.load(file));
            assertEquals(m.type(), back.type());
            assertEquals(m.clipMin(), back.clipMin());
            assertArrayEquals(m.itemFactors(), back.itemFactors());
            assertEquals(m.predict(3, 4), back.predict(3, 4));
            assertEquals(kernels.backendName(), back.hyperParameters().get("backend"));
        }
    }

    private static Set<Integer> itemsOf(Ratings r, int user) {
        Set<Integer> s = new HashSet<>();
        for (int j = 0; j < r.size(); j++) if (r.user(j) == user) s.add(r.item(j));
        return s;
    }

    private static int[] unseenItems(Ratings r, int user, int count) {
        Set<Integer> own = itemsOf(r, user);
        int[] out = new int[count];
        int n = 0;
        for (int i = 0; n < count; i++) if (!own.contains(i)) out[n++] = i;
        return out;
    }
}
