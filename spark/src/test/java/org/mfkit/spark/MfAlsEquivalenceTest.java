package org.mfkit.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mfkit.core.Backends;
import org.mfkit.core.Kernels;
import org.mfkit.data.CountWeighting;
import org.mfkit.data.Ratings;
import org.mfkit.model.AlsConfig;
import org.mfkit.model.ExplicitAls;
import org.mfkit.model.FactorModel;
import org.mfkit.model.ImplicitAls;
import org.mfkit.model.ImplicitAlsConfig;
import org.mfkit.model.TrainOptions;
import org.mfkit.core.Solver;

/**
 * MfAls against mfkit's single-machine trainers on the same data, from the same start
 * (FactorInit is keyed by row id, and the ids here are the dense indices): equal within 1e-4
 * of the largest value, for 1, 2 and 3 blocks, with both sides broadcast, both shuffled, and
 * one of each; and the same bits for all of them and for a repeat on the ratings shuffled into
 * other partitions.
 */
class MfAlsEquivalenceTest {
    private static final int ITERATIONS = 3;
    private static final int RANK = 6;
    private static Ratings explicitData;
    private static Ratings implicitData;
    private static FactorModel explicitReference;
    private static FactorModel implicitReference;

    @BeforeAll
    static void train() {
        explicitData = RealisticRatings.generate(240, 160, 6000, 8, 11);
        implicitData = ones(explicitData);
        try (Kernels kernels = Backends.open("best")) {
            TrainOptions options = TrainOptions.defaults().withEpochs(ITERATIONS).withSeed(5);
            explicitReference = new ExplicitAls(AlsConfig.defaults().withFactors(RANK).withLambda(0.1f, true))
                    .fit(kernels, explicitData, options).model();
            implicitReference = new ImplicitAls(ImplicitAlsConfig.defaults().withFactors(RANK)
                    .withAlphaLambda(5f, 0.1f).withSolver(Solver.cg(3))).fit(kernels, implicitData, options).model();
        }
    }

    static Ratings ones(Ratings r) {
        List<Integer> all = new ArrayList<>();
        for (int j = 0; j < r.size(); j++) all.add(j);
        return RealisticRatings.select(r, all, true);
    }

    /** Which side is broadcast for 1, 2 and 3 blocks: all three combinations over the test. */
    private static final String[] MODES = {"both sides broadcast", "both sides shuffled",
            "items broadcast, users shuffled"};

    /** A threshold giving {@link #MODES}: the data has 240 users and 160 items. */
    private static long threshold(int blocks, int width) {
        long users = 240L * width * Float.BYTES;
        long items = 160L * width * Float.BYTES;
        return blocks == 1 ? users : blocks == 2 ? 0L : (users + items) / 2;
    }

    static MfAls estimator(boolean implicit, int blocks, boolean broadcast) {
        MfAls als = new MfAls().setRank(RANK).setMaxIter(ITERATIONS).setSeed(5).setNumBlocks(blocks)
                .setBroadcastThreshold(broadcast ? SharedParams.DEFAULT_BROADCAST_THRESHOLD : 0L);
        return implicit ? als.setImplicitPrefs(true).setAlpha(5).setRegParam(0.1) : als.setRegParam(0.1);
    }

    @Test
    void explicitFactorsEqualSingleMachineAndKeepTheirBitsForEveryBlockCountModeAndOrder() {
        check(false);
    }

    @Test
    void implicitFactorsEqualSingleMachineAndKeepTheirBitsForEveryBlockCountModeAndOrder() {
        check(true);
    }

    /**
     * 1, 2 and 3 blocks in the three broadcast modes, each within 1e-4 of the single-machine
     * trainer and bit-identical to each other; then a repeat of the first on the same ratings
     * shuffled into five partitions: the same bits again.
     */
    private static void check(boolean implicit) {
        Ratings data = implicit ? implicitData : explicitData;
        FactorModel reference = implicit ? implicitReference : explicitReference;
        int width = implicit ? RANK : RANK + 1;
        Dataset<Row> frame = SparkTestSession.frame(data, 3);
        FactorModel first = null;
        for (int blocks = 1; blocks <= 3; blocks++) {
            FactorModel m = estimator(implicit, blocks, true).setBroadcastThreshold(threshold(blocks, width)).fit(frame)
                    .toFactorModel();
            String where = (implicit ? "implicit, " : "explicit, ") + blocks + " blocks, " + MODES[blocks - 1];
            if (!implicit) assertEquals(reference.globalMean(), m.globalMean(), 1e-6f, where);
            assertClose(reference, m, where);
            if (first == null) first = m;
            else assertSameBits(first, m, where);
        }
        FactorModel shuffled = estimator(implicit, 1, true).setBroadcastThreshold(threshold(1, width))
                .fit(SparkTestSession.frame(shuffle(data, 9), 5)).toFactorModel();
        assertSameBits(first, shuffled, (implicit ? "implicit" : "explicit") + ", shuffled input");
    }

    /** Heavy-tailed play counts (Pareto, 1 and up) on the explicit data's pairs. */
    static Ratings counts(Ratings r, long seed) {
        Random random = new Random(seed);
        int[] u = new int[r.size()];
        int[] i = new int[r.size()];
        float[] v = new float[r.size()];
        for (int j = 0; j < r.size(); j++) {
            u[j] = r.user(j);
            i[j] = r.item(j);
            v[j] = (float) Math.floor(Math.pow(1 - random.nextDouble(), -1.2));
        }
        return new Ratings(r.numUsers(), r.numItems(), u, i, v);
    }

    /**
     * Count weighting (log, and BM25 with its statistics gathered from the blocks) gives the
     * single-machine trainer's factors on the same counts: log with 2 blocks shuffled; BM25 with
     * 1 block broadcast and 3 blocks in mixed modes, the same bits for both, and the statistics
     * the single-machine model records.
     */
    @Test
    void countWeightedImplicitFactorsEqualSingleMachine() {
        Ratings data = counts(explicitData, 17);
        Dataset<Row> frame = SparkTestSession.frame(data, 3);
        CountWeighting log = CountWeighting.log(0.5f);
        CountWeighting bm25 = CountWeighting.bm25(50f, 0.7f);
        FactorModel logReference;
        FactorModel bm25Reference;
        try (Kernels kernels = Backends.open("best")) {
            TrainOptions options = TrainOptions.defaults().withEpochs(ITERATIONS).withSeed(5);
            ImplicitAlsConfig config = ImplicitAlsConfig.defaults().withFactors(RANK).withAlphaLambda(5f, 0.1f)
                    .withSolver(Solver.cg(3));
            logReference = new ImplicitAls(config.withWeighting(log)).fit(kernels, data, options).model();
            bm25Reference = new ImplicitAls(config.withWeighting(bm25)).fit(kernels, data, options).model();
        }
        FactorModel logged = estimator(true, 2, false).setWeighting("log").setLogEpsilon(0.5).fit(frame)
                .toFactorModel();
        assertClose(logReference, logged, "log weighting, 2 blocks shuffled");
        assertEquals("LOG", logged.hyperParameters().get("weighting"));
        FactorModel first = null;
        for (int blocks : new int[] {1, 3}) {
            FactorModel m = estimator(true, blocks, true).setBroadcastThreshold(threshold(blocks, RANK))
                    .setWeighting("BM25").setBm25K1(50).setBm25B(0.7).fit(frame).toFactorModel();
            String where = "bm25 weighting, " + blocks + " blocks, " + MODES[blocks - 1];
            assertClose(bm25Reference, m, where);
            assertArrayEquals(bm25Reference.countStatistics().userCounts(), m.countStatistics().userCounts(), 0f, where);
            assertArrayEquals(bm25Reference.countStatistics().itemSums(), m.countStatistics().itemSums(), 0f, where);
            assertEquals(bm25Reference.hyperParameters().get("bm25K1"), m.hyperParameters().get("bm25K1"), where);
            if (first == null) first = m;
            else assertSameBits(first, m, where);
        }
    }

    /** iALS++'s subspace sweep (blocks of 4 of the 6 dimensions) equals the single-machine trainer, 1 and 2 blocks. */
    @Test
    void subspaceSolverEqualsSingleMachine() {
        FactorModel explicitRef;
        FactorModel implicitRef;
        try (Kernels kernels = Backends.open("best")) {
            TrainOptions options = TrainOptions.defaults().withEpochs(ITERATIONS).withSeed(5);
            explicitRef = new ExplicitAls(AlsConfig.defaults().withFactors(RANK).withLambda(0.1f, true)
                    .withSolver(Solver.subspace(4))).fit(kernels, explicitData, options).model();
            implicitRef = new ImplicitAls(ImplicitAlsConfig.defaults().withFactors(RANK).withAlphaLambda(5f, 0.1f)
                    .withSolver(Solver.subspace(4))).fit(kernels, implicitData, options).model();
        }
        for (boolean implicit : new boolean[] {false, true}) {
            Dataset<Row> frame = SparkTestSession.frame(implicit ? implicitData : explicitData, 2);
            for (int blocks = 1; blocks <= 2; blocks++) {
                FactorModel m = estimator(implicit, blocks, blocks == 1).setSolver("subspace4").fit(frame)
                        .toFactorModel();
                String where = (implicit ? "implicit" : "explicit") + " subspace4, " + blocks + " blocks";
                assertClose(implicit ? implicitRef : explicitRef, m, where);
                assertEquals("subspace4", m.hyperParameters().get("solver").toLowerCase(java.util.Locale.ROOT)
                        .replace("(", "").replace(")", ""), where);
            }
        }
    }

    private static void assertSameBits(FactorModel a, FactorModel b, String where) {
        assertArrayEquals(bits(a.userFactors()), bits(b.userFactors()), where + ": user factors");
        assertArrayEquals(bits(a.itemFactors()), bits(b.itemFactors()), where + ": item factors");
        if (a.hasUserBias()) {
            assertArrayEquals(bits(a.userBias()), bits(b.userBias()), where + ": user biases");
            assertArrayEquals(bits(a.itemBias()), bits(b.itemBias()), where + ": item biases");
        }
        assertEquals(Float.floatToRawIntBits(a.globalMean()), Float.floatToRawIntBits(b.globalMean()), where + ": μ");
    }

    private static int[] bits(float[] values) {
        int[] out = new int[values.length];
        for (int j = 0; j < values.length; j++) out[j] = Float.floatToRawIntBits(values[j]);
        return out;
    }

    static Ratings shuffle(Ratings r, long seed) {
        List<Integer> order = new ArrayList<>();
        for (int j = 0; j < r.size(); j++) order.add(j);
        Collections.shuffle(order, new Random(seed));
        return RealisticRatings.select(r, order, false);
    }

    /** Every row the distributed model has (by id) within 1e-4 × the largest reference value. */
    static void assertClose(FactorModel reference, FactorModel distributed, String where) {
        int k = reference.k();
        assertEquals(k, distributed.k());
        compare(reference.userFactors(), reference.userBias(), distributed, true, k, where);
        compare(reference.itemFactors(), reference.itemBias(), distributed, false, k, where);
    }

    private static void compare(float[] ref, float[] refBias, FactorModel m, boolean users, int k, String where) {
        float[] got = users ? m.userFactors() : m.itemFactors();
        float[] gotBias = users ? m.userBias() : m.itemBias();
        int n = users ? m.numUsers() : m.numItems();
        double scale = 0;
        for (float v : ref) scale = Math.max(scale, Math.abs(v));
        double worst = 0;
        for (int d = 0; d < n; d++) {
            int id = Integer.parseInt((users ? m.userIds() : m.itemIds()).externalId(d));
            for (int t = 0; t < k; t++) worst = Math.max(worst, Math.abs(ref[id * k + t] - got[d * k + t]));
            if (refBias != null) worst = Math.max(worst, Math.abs(refBias[id] - gotBias[d]));
        }
        assertTrue(worst <= 1e-4 * scale, where + ": " + (users ? "users" : "items") + " differ by " + worst
                + " > 1e-4 × " + scale);
    }
}
