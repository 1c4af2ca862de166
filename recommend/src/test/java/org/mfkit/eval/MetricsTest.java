package org.mfkit.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.mfkit.data.Ratings;

/** Every metric against a small example worked out by hand (the arithmetic is in the comments). */
class MetricsTest {
    private static final double EPS = 1e-12;

    @Test
    void rmseAndMae() {
        // errors 1, -2, 0, 1: squares 1 4 0 1 → mean 1.5; |e| mean 4/4 = 1
        float[] predicted = {4, 1, 3, 5};
        float[] actual = {3, 3, 3, 4};
        assertEquals(Math.sqrt(1.5), Metrics.rmse(predicted, actual), EPS);
        assertEquals(1.0, Metrics.mae(predicted, actual), EPS);
        assertTrue(Double.isNaN(Metrics.rmse(new float[0], new float[0])));
        assertThrows(IllegalArgumentException.class, () -> Metrics.rmse(new float[1], new float[2]));
    }

    // ranked: 7 3 9 1 5, relevant {3, 5, 8}: hits at ranks 2 and 5.
    private static final int[] RANKED = {7, 3, 9, 1, 5};
    private static final int[] RELEVANT = {3, 5, 8};

    @Test
    void precisionAndRecall() {
        assertEquals(1.0 / 3, Metrics.precisionAtK(RANKED, RELEVANT, 3), EPS);   // 1 hit in top 3
        assertEquals(2.0 / 5, Metrics.precisionAtK(RANKED, RELEVANT, 5), EPS);
        assertEquals(1.0 / 3, Metrics.recallAtK(RANKED, RELEVANT, 3), EPS);      // 1 of 3 relevant
        assertEquals(2.0 / 3, Metrics.recallAtK(RANKED, RELEVANT, 5), EPS);
        // A short list still divides by K; empty slots (-1) are ignored.
        assertEquals(1.0 / 10, Metrics.precisionAtK(new int[] {3, -1}, RELEVANT, 10), EPS);
        assertEquals(0.0, Metrics.recallAtK(RANKED, new int[0], 5), EPS);
    }

    @Test
    void ndcg() {
        // DCG@5 = 1/log2(3) + 1/log2(6); IDCG@5 = 1 + 1/log2(3) + 1/log2(4) = 1 + 0.63093 + 0.5
        double dcg = 1 / log2(3) + 1 / log2(6);
        double idcg = 1 + 1 / log2(3) + 0.5;
        assertEquals(dcg / idcg, Metrics.ndcgAtK(RANKED, RELEVANT, 5), EPS);
        // K = 2: DCG = 1/log2(3), IDCG = 1 + 1/log2(3)
        assertEquals((1 / log2(3)) / (1 + 1 / log2(3)), Metrics.ndcgAtK(RANKED, RELEVANT, 2), EPS);
        assertEquals(1.0, Metrics.ndcgAtK(new int[] {3, 5, 8}, RELEVANT, 3), EPS);
    }

    @Test
    void averagePrecision() {
        // hits at ranks 2 (P@2 = 1/2) and 5 (P@5 = 2/5); divide by min(5, 3) = 3
        assertEquals((0.5 + 0.4) / 3, Metrics.averagePrecisionAtK(RANKED, RELEVANT, 5), EPS);
        // K = 2: one hit at rank 2, divide by min(2, 3) = 2
        assertEquals(0.5 / 2, Metrics.averagePrecisionAtK(RANKED, RELEVANT, 2), EPS);
    }

    @Test
    void auc() {
        // relevant scores {0.9, 0.4}, others {0.5, 0.1, 0.4}: pairs won 0.9>all (3), 0.4>0.1 (1),
        // 0.4=0.4 (½), 0.4<0.5 (0) → 4.5 of 6
        float[] scores = {0.9f, 0.4f, 0.5f, 0.1f, 0.4f, 100f};
        boolean[] relevant = {true, true, false, false, false, false};
        boolean[] candidate = {true, true, true, true, true, false};
        assertEquals(4.5 / 6, Metrics.auc(scores, relevant, candidate), EPS);
        assertTrue(Double.isNaN(Metrics.auc(new float[] {1, 2}, new boolean[] {true, true}, null)));
    }

    @Test
    void catalogCoverage() {
        // items 0 1 2 4 among 8 → 4/8
        assertEquals(0.5, Metrics.catalogCoverage(new int[][] {{0, 1}, {1, 2}, {4, -1}}, 8), EPS);
    }

    @Test
    void popularityBaselineRanksByDistinctUsersAndSkipsSeenItems() {
        // item 2: users 0,1,2; item 0: users 0,1 (user 0 twice counts once); item 1: user 3
        Ratings train = new Ratings(4, 4, new int[] {0, 1, 2, 0, 1, 3, 0}, new int[] {2, 2, 2, 0, 0, 1, 0},
                new float[] {1, 1, 1, 1, 1, 1, 1});
        PopularityBaseline pop = PopularityBaseline.fit(train);
        assertEquals(3f, pop.scores()[2]);
        assertEquals(2f, pop.scores()[0]);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {2, 0, 3}, pop.recommend(3, 3), "user 3 saw item 1");
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {1, 3}, pop.recommend(0, 5),
                "seen items excluded, fewer than k candidates left");
        // user 3 tests on item 0: rank 2 of the list {2, 0} → recall 1, precision 1/2
        Ratings test = new Ratings(4, 4, new int[] {3}, new int[] {0}, new float[] {1});
        RankingMetrics m = Evaluator.ranking(pop, train, test, 2);
        assertEquals(1, m.users());
        assertEquals(1.0, m.recall(), EPS);
        assertEquals(0.5, m.precision(), EPS);
        assertEquals(1 / log2(3), m.ndcg(), EPS);
        // AUC over user 3's non-training items {0, 2, 3}: relevant 0 (score 2) beats 3 (0), loses to 2 (3)
        assertEquals(0.5, m.auc(), EPS);
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
