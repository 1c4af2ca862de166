package org.mfkit.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The count weightings against float64 formulas written out here, and their fold-in forms. */
class CountWeightingTest {
    /** A float32 result of one float64 expression: within a few units in the last place. */
    private static final double RELATIVE = 1e-6;

    /** 3 users × 4 items, item 3 without interactions; values are play counts. */
    private static final int USERS = 3;
    private static final int ITEMS = 4;
    private static final int[] U = {0, 0, 0, 1, 1, 2};
    private static final int[] I = {0, 1, 2, 0, 2, 0};
    private static final float[] R = {1f, 30f, 2f, 500f, 4f, 7f};

    @Test
    void noneKeepsTheValues() {
        assertArrayEquals(R, CountWeighting.none().apply(USERS, ITEMS, U, I, R));
    }

    @Test
    void logIsLog1pOfTheValueOverEpsilon() {
        for (float eps : new float[] {1f, 0.5f, 1e-3f}) {
            float[] w = CountWeighting.log(eps).apply(USERS, ITEMS, U, I, R);
            for (int j = 0; j < R.length; j++) assertClose(Math.log(1 + R[j] / (double) eps), w[j]);
        }
    }

    /**
     * BM25 as implicit's bm25_weight computes it on the item × user matrix: N = 4 items (rows),
     * idf per user (column) = ln N − ln(1 + entries of the user), length per item = its value sum
     * over the mean sum of all 4 items (the empty one included).
     */
    @Test
    void bm25FollowsTheFormulaWithItemsAsDocuments() {
        float k1 = 100f;
        float b = 0.8f;
        double[] itemSum = {1 + 500 + 7, 30, 2 + 4, 0};
        double mean = (itemSum[0] + itemSum[1] + itemSum[2] + itemSum[3]) / 4;
        double[] userEntries = {3, 2, 1};
        float[] w = CountWeighting.bm25(k1, b).apply(USERS, ITEMS, U, I, R);
        for (int j = 0; j < R.length; j++) {
            double idf = Math.log(4) - Math.log(1 + userEntries[U[j]]);
            double length = (1 - b) + b * itemSum[I[j]] / mean;
            double expected = R[j] * (k1 + 1.0) / (k1 * length + R[j]) * idf;
            assertClose(expected, w[j]);
        }
        // User 0 has 3 of 4 items: idf = ln 4 − ln 4 = 0 (up to rounding), so its weights vanish.
        assertEquals(0f, w[0], 1e-6f);
        // K1 = 0 keeps only idf; B = 0 ignores the item's length.
        float[] flat = CountWeighting.bm25(0f, 0.8f).apply(USERS, ITEMS, U, I, R);
        assertClose(Math.log(4) - Math.log(3), flat[3]);
        float[] noLength = CountWeighting.bm25(10f, 0f).apply(USERS, ITEMS, U, I, R);
        assertClose(500 * 11.0 / (10 + 500) * (Math.log(4) - Math.log(3)), noLength[3]);
    }

    @Test
    void bm25ClampsTheIdfOfAUserHoldingEveryItem() {
        int[] users = {0, 0, 1};
        int[] items = {0, 1, 0};
        float[] w = CountWeighting.bm25(1.2f, 0.75f).apply(2, 2, users, items, new float[] {3f, 1f, 2f});
        // ln 2 − ln 3 < 0 for user 0: clamped to 0 (implicit would give a negative weight).
        assertEquals(0f, w[0]);
        assertEquals(0f, w[1]);
        assertEquals(0f, w[2], 1e-6f, "ln 2 − ln 2 = 0 for user 1");
    }

    @Test
    void zeroValuesWeighZero() {
        float[] zeros = new float[R.length];
        for (CountWeighting w : List.of(CountWeighting.none(), CountWeighting.log(1f), CountWeighting.bm25(100f, 0.8f),
                CountWeighting.bm25(0f, 1f))) {
            assertArrayEquals(zeros, w.apply(USERS, ITEMS, U, I, zeros), w.toString());
        }
    }

    @Test
    void statisticsCountEntriesPerUserAndSumValuesPerItem() {
        CountWeighting.Statistics s = CountWeighting.Statistics.of(USERS, ITEMS, U, I, R);
        assertArrayEquals(new float[] {3f, 2f, 1f}, s.userCounts());
        assertArrayEquals(new float[] {508f, 30f, 6f, 0f}, s.itemSums());
        assertEquals(USERS, s.numUsers());
        assertEquals(ITEMS, s.numItems());
    }

    /** Folding in a training user (or item) with the training statistics gives its training weights. */
    @Test
    void foldInWeighsARowAsTrainingDid() {
        Random random = new Random(3);
        int users = 40;
        int items = 30;
        int n = 300;
        int[] u = new int[n];
        int[] i = new int[n];
        float[] r = new float[n];
        boolean[] taken = new boolean[users * items];
        for (int j = 0; j < n; j++) {
            int pair;
            do {
                pair = random.nextInt(users * items);
            } while (taken[pair]);
            taken[pair] = true;
            u[j] = pair / items;
            i[j] = pair % items;
            r[j] = (float) Math.floor(Math.exp(random.nextGaussian() * 2));
        }
        for (CountWeighting w : List.of(CountWeighting.none(), CountWeighting.log(0.5f), CountWeighting.bm25(100f, 0.8f),
                CountWeighting.bm25(1.2f, 0.3f))) {
            CountWeighting.Statistics s = CountWeighting.Statistics.of(users, items, u, i, r);
            float[] trained = w.apply(users, items, u, i, r);
            assertArrayEquals(trained, w.apply(s, u, i, r), w.toString());
            int user = 7;
            int item = 11;
            int[] itemsOfUser = select(u, user, i);
            int[] usersOfItem = select(i, item, u);
            assertArrayEquals(selectValues(u, user, trained), w.foldInUser(s, itemsOfUser, selectValues(u, user, r)), w.toString());
            assertArrayEquals(selectValues(i, item, trained), w.foldInItem(s, usersOfItem, selectValues(i, item, r)), w.toString());
        }
    }

    @Test
    void ratingsKeepTheirIdsAndTimestamps() {
        IdMap users = IdMap.of(List.of("a", "b", "c"));
        IdMap items = IdMap.of(List.of("w", "x", "y", "z"));
        Ratings ratings = new Ratings(USERS, ITEMS, U, I, R, new long[] {1, 2, 3, 4, 5, 6}, users, items);
        Ratings weighted = CountWeighting.log(1f).apply(ratings);
        assertSame(users, weighted.userIds());
        assertSame(items, weighted.itemIds());
        assertEquals(6L, weighted.timestamp(5));
        assertArrayEquals(CountWeighting.log(1f).apply(USERS, ITEMS, U, I, R), weighted.values());
    }

    @Test
    void badArgumentsAreNamed() {
        assertMessage("epsilon", () -> CountWeighting.log(0f));
        assertMessage("k1", () -> CountWeighting.bm25(-1f, 0.5f));
        assertMessage("b = 1.5", () -> CountWeighting.bm25(1f, 1.5f));
        assertMessage("values[1] = -2.0", () -> CountWeighting.log(1f).apply(2, 2, new int[] {0, 1}, new int[] {0, 1},
                new float[] {1f, -2f}));
        assertMessage("items[0] = 4", () -> CountWeighting.none().apply(2, 2, new int[] {0}, new int[] {4}, new float[] {1f}));
        assertMessage("statistics", () -> CountWeighting.bm25(1f, 1f).apply(null, U, I, R));
        assertMessage("itemSums[0] = NaN", () -> new CountWeighting.Statistics(new float[1], new float[] {Float.NaN}));
        assertMessage("'tfidf' is not a weighting", () -> CountWeighting.Scheme.parse("tfidf"));
        assertEquals(CountWeighting.Scheme.BM25, CountWeighting.Scheme.parse(" BM25 "));
    }

    private static void assertMessage(String part, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    private static void assertClose(double expected, float got) {
        assertEquals(expected, got, RELATIVE * Math.max(1e-30, Math.abs(expected)) + 1e-12, "expected " + expected);
    }

    private static int[] select(int[] key, int wanted, int[] other) {
        return java.util.stream.IntStream.range(0, key.length).filter(j -> key[j] == wanted).map(j -> other[j]).toArray();
    }

    private static float[] selectValues(int[] key, int wanted, float[] values) {
        int[] at = java.util.stream.IntStream.range(0, key.length).filter(j -> key[j] == wanted).toArray();
        float[] out = new float[at.length];
        for (int j = 0; j < at.length; j++) out[j] = values[at[j]];
        return out;
    }
}
