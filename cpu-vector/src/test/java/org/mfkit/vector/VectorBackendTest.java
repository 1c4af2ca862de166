package org.mfkit.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mfkit.core.BlockGrid;
import org.mfkit.core.BprParams;
import org.mfkit.core.CsrMatrix;
import org.mfkit.core.DenseMatrix;
import org.mfkit.core.ExplicitAlsParams;
import org.mfkit.core.ImplicitAlsParams;
import org.mfkit.core.IndexArray;
import org.mfkit.core.Interactions;
import org.mfkit.core.Kernels;
import org.mfkit.core.NotPositiveDefiniteException;
import org.mfkit.core.SgdParams;
import org.mfkit.core.Solver;
import org.mfkit.core.Triples;
import org.mfkit.core.reference.ScalarBackend;

/**
 * Cross-checks every kernel against the scalar reference on random inputs, with tolerances
 * derived from float32 rounding: a length-k dot in any summation order is within
 * k·u·Σ|a_t b_t| of the exact value (u = 2⁻²⁴), so two orders differ by at most twice that.
 * Thread counts 1, 2 and 3 (3 does not divide most sizes, so uneven ranges are exercised).
 */
class VectorBackendTest {
    private static final float U = 0x1p-24f;

    private Kernels scalar;

    @BeforeEach
    void open() {
        scalar = new Kernels(new ScalarBackend());
    }

    @AfterEach
    void close() {
        scalar.close();
    }

    private static Kernels vector(int threads) {
        return new Kernels(new VectorBackend(threads));
    }

    private static float[] random(SplittableRandom rnd, int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (rnd.nextDouble(-1, 1) * scale);
        return v;
    }

    private static int[] ids(SplittableRandom rnd, int n, int bound) {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) v[i] = rnd.nextInt(bound);
        return v;
    }

    /** Bound on |fl(a·b) − fl'(a·b)| for two summation orders of a length-k dot. */
    private static float dotTolerance(float[] a, int aOff, float[] b, int bOff, int k) {
        double abs = 0;
        for (int t = 0; t < k; t++) abs += Math.abs((double) a[aOff + t] * b[bOff + t]);
        return (float) (2 * (k + 2) * U * abs) + Float.MIN_NORMAL;
    }

    private static void assertClose(float[] expected, float[] actual, float tolerance, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            if (Math.abs(expected[i] - actual[i]) > tolerance) {
                throw new AssertionError(what + "[" + i + "]: expected " + expected[i] + ", got " + actual[i]
                        + " (tolerance " + tolerance + ")");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void gatheredDotAndPredictMatchTheReference(int threads) {
        SplittableRandom rnd = new SplittableRandom(1);
        try (Kernels v = vector(threads)) {
            for (int k : new int[] {1, 7, 16, 33, 64, 100}) {
                float[] p = random(rnd, 50 * k, 1f);
                float[] q = random(rnd, 40 * k, 1f);
                int n = 501;
                int[] users = ids(rnd, n, 50);
                int[] items = ids(rnd, n, 40);
                DenseMatrix pm = v.matrix(50, k, p);
                DenseMatrix qm = v.matrix(40, k, q);
                DenseMatrix ub = v.vector(random(rnd, 50, 1f));
                DenseMatrix ib = v.vector(random(rnd, 40, 1f));
                Interactions pairs = v.pairs(users, items);
                DenseMatrix expected = v.matrix(n, 1);
                DenseMatrix actual = v.matrix(n, 1);
                scalar.dot(pm, qm, pairs, expected);
                v.dot(pm, qm, pairs, actual);
                float[] e = expected.toArray();
                float[] a = actual.toArray();
                for (int j = 0; j < n; j++) {
                    float tol = dotTolerance(p, users[j] * k, q, items[j] * k, k);
                    assertEquals(e[j], a[j], tol, "dot k=" + k + " pair " + j);
                }
                scalar.predict(3.5f, ub, ib, pm, qm, pairs, expected);
                v.predict(3.5f, ub, ib, pm, qm, pairs, actual);
                e = expected.toArray();
                a = actual.toArray();
                for (int j = 0; j < n; j++) {
                    float tol = dotTolerance(p, users[j] * k, q, items[j] * k, k) + 8 * U * (4 + Math.abs(e[j]));
                    assertEquals(e[j], a[j], tol, "predict k=" + k + " pair " + j);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void scoresMatchTheReference(int threads) {
        SplittableRandom rnd = new SplittableRandom(2);
        try (Kernels v = vector(threads)) {
            for (int k : new int[] {3, 16, 64, 65}) {
                int nUsers = 9;
                int nItems = 37;
                float[] p = random(rnd, nUsers * k, 1f);
                float[] q = random(rnd, nItems * k, 1f);
                int[] rows = {0, 4, 4, 8, 2, 1, 7};
                DenseMatrix pm = v.matrix(nUsers, k, p);
                DenseMatrix qm = v.matrix(nItems, k, q);
                IndexArray r = v.indices("rows", rows);
                DenseMatrix expected = v.matrix(rows.length, nItems);
                DenseMatrix actual = v.matrix(rows.length, nItems);
                scalar.scores(pm, r, qm, expected);
                v.scores(pm, r, qm, actual);
                float[] e = expected.toArray();
                float[] a = actual.toArray();
                for (int x = 0; x < rows.length; x++) {
                    for (int i = 0; i < nItems; i++) {
                        float tol = dotTolerance(p, rows[x] * k, q, i * k, k);
                        assertEquals(e[x * nItems + i], a[x * nItems + i], tol, "score " + x + "," + i);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void topKMatchesTheReference(int threads) {
        SplittableRandom rnd = new SplittableRandom(3);
        int k = 24;
        int nUsers = 11;
        int nItems = 300;
        try (Kernels v = vector(threads)) {
            DenseMatrix p = v.matrix(nUsers, k, random(rnd, nUsers * k, 1f));
            DenseMatrix q = v.matrix(nItems, k, random(rnd, nItems * k, 1f));
            DenseMatrix bias = v.vector(random(rnd, nItems, 0.5f));
            int[] rows = {0, 3, 5, 10, 3};
            IndexArray r = v.indices("rows", rows);
            // Row 2 excludes all but 3 items, so its top-10 has empty slots.
            int[] rowPtr = new int[rows.length + 1];
            int[] cols = new int[4 + (nItems - 3)];
            int at = 0;
            for (int e : new int[] {5, 17, 200, 299}) cols[at++] = e;
            rowPtr[1] = at;
            rowPtr[2] = at;
            for (int i = 3; i < nItems; i++) cols[at++] = i;
            rowPtr[3] = at;
            rowPtr[4] = at;
            rowPtr[5] = at;
            CsrMatrix exclude = v.csr(rows.length, nItems, rowPtr, cols, new float[cols.length]);
            for (DenseMatrix b : new DenseMatrix[] {null, bias}) {
                for (CsrMatrix ex : new CsrMatrix[] {null, exclude}) {
                    int best = 10;
                    int[] ei = new int[rows.length * best];
                    float[] es = new float[rows.length * best];
                    int[] ai = new int[rows.length * best];
                    float[] as = new float[rows.length * best];
                    scalar.topK(p, r, q, b, ex, best, ei, es);
                    v.topK(p, r, q, b, ex, best, ai, as);
                    assertArrayEquals(ei, ai, "top-K items");
                    assertClose(es, as, 1e-5f, "top-K scores");
                }
            }
        }
    }

    private static SgdParams sgdParams() {
        return new SgdParams(0.1f, 0.01f, 0.02f, 0.01f);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void sgdOnConflictFreeListsEqualsSequentialOrder(int threads) {
        for (int k : new int[] {40, 64}) {
            SplittableRandom rnd = new SplittableRandom(4);
            int n = 200;
            int[] users = new int[n];
            int[] items = new int[n];
            for (int j = 0; j < n; j++) {
                users[j] = (j * 7) % n;
                items[j] = (j * 13 + 5) % n;
            }
            float[] p0 = random(rnd, n * k, 0.3f);
            float[] q0 = random(rnd, n * k, 0.3f);
            float[] ratings = random(rnd, n, 2f);
            try (Kernels v = vector(threads)) {
                Interactions list = v.interactions(users, items, ratings);
                assertTrue(list.conflictFree());
                for (boolean biased : new boolean[] {false, true}) {
                    DenseMatrix ps = v.matrix(n, k, p0);
                    DenseMatrix qs = v.matrix(n, k, q0);
                    DenseMatrix pv = v.matrix(n, k, p0);
                    DenseMatrix qv = v.matrix(n, k, q0);
                    DenseMatrix[] bs = biased ? new DenseMatrix[] {v.vector(random(rnd, n, 0.1f)), v.vector(random(rnd, n, 0.1f))}
                            : new DenseMatrix[] {null, null};
                    DenseMatrix[] bv = biased ? new DenseMatrix[] {v.matrix(n, 1, bs[0].toArray()), v.matrix(n, 1, bs[1].toArray())}
                            : new DenseMatrix[] {null, null};
                    double ls = scalar.sgd(ps, qs, bs[0], bs[1], list, sgdParams());
                    double lv = v.sgd(pv, qv, bv[0], bv[1], list, sgdParams());
                    assertEquals(ls, lv, 1e-4 * ls, "loss");
                    // One update per row; the error differs only by the dot's rounding (≤ ~1e-5 here).
                    assertClose(ps.toArray(), pv.toArray(), 1e-6f, "p");
                    assertClose(qs.toArray(), qv.toArray(), 1e-6f, "q");
                    if (biased) assertClose(bs[0].toArray(), bv[0].toArray(), 1e-6f, "user bias");
                }
            }
        }
    }

    /** A MovieLens-like toy: 300 users × 120 items, 6,000 ratings of a rank-8 truth plus noise. */
    private static final class Toy {
        final int nUsers = 300;
        final int nItems = 120;
        final int[] users;
        final int[] items;
        final float[] ratings;

        Toy(long seed, int n) {
            SplittableRandom rnd = new SplittableRandom(seed);
            float[] tu = random(rnd, nUsers * 8, 1f);
            float[] ti = random(rnd, nItems * 8, 1f);
            users = ids(rnd, n, nUsers);
            items = ids(rnd, n, nItems);
            ratings = new float[n];
            for (int j = 0; j < n; j++) {
                float s = 0;
                for (int t = 0; t < 8; t++) s += tu[users[j] * 8 + t] * ti[items[j] * 8 + t];
                ratings[j] = s + (float) rnd.nextDouble(-0.1, 0.1);
            }
        }
    }

    private static double trainSgd(Kernels k, Toy toy, int epochs, float[] p0, float[] q0, int dim, float[] out) {
        DenseMatrix p = k.matrix(toy.nUsers, dim, p0);
        DenseMatrix q = k.matrix(toy.nItems, dim, q0);
        DenseMatrix bu = k.matrix(toy.nUsers, 1);
        DenseMatrix bi = k.matrix(toy.nItems, 1);
        Interactions list = k.interactions(toy.users, toy.items, toy.ratings);
        SgdParams params = new SgdParams(0f, 0.02f, 0.01f, 0.01f);
        double loss = 0;
        for (int e = 0; e < epochs; e++) loss = k.sgd(p, q, bu, bi, list, params);
        if (out != null) System.arraycopy(p.toArray(), 0, out, 0, out.length);
        return loss;
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void sgdGridScheduleIsDeterministicAndTrainsLikeTheReference(int threads) {
        Toy toy = new Toy(5, 6000);
        int dim = 32;
        SplittableRandom rnd = new SplittableRandom(6);
        float[] p0 = random(rnd, toy.nUsers * dim, 0.1f);
        float[] q0 = random(rnd, toy.nItems * dim, 0.1f);
        int epochs = 30;
        double reference = trainSgd(scalar, toy, epochs, p0, q0, dim, null);
        float[] first = new float[toy.nUsers * dim];
        float[] second = new float[toy.nUsers * dim];
        double lossA;
        double lossB;
        try (Kernels v = vector(threads)) {
            lossA = trainSgd(v, toy, epochs, p0, q0, dim, first);
        }
        try (Kernels v = vector(threads)) {
            lossB = trainSgd(v, toy, epochs, p0, q0, dim, second);
        }
        assertEquals(lossA, lossB, 0.0, "same seed and thread count must give the same loss");
        assertArrayEquals(first, second, "same seed and thread count must give the same factors");
        // The grid reorders updates within an epoch; after 30 epochs the training loss must be
        // within 5% of sequential SGD's (measured: well under 1%).
        assertEquals(reference, lossA, 0.05 * reference, "training loss after " + epochs + " epochs");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void sgdOneThreadIsSequentialAndMiniBatchMatches(int threads) {
        for (int dim : new int[] {20, 64}) sgdOneThreadIsSequentialAndMiniBatchMatches(threads, dim);
    }

    private void sgdOneThreadIsSequentialAndMiniBatchMatches(int threads, int dim) {
        Toy toy = new Toy(7, 2000);
        SplittableRandom rnd = new SplittableRandom(8);
        float[] p0 = random(rnd, toy.nUsers * dim, 0.1f);
        float[] q0 = random(rnd, toy.nItems * dim, 0.1f);
        if (threads == 1) {
            float[] ps = new float[toy.nUsers * dim];
            float[] pv = new float[toy.nUsers * dim];
            double ls = trainSgd(scalar, toy, 3, p0, q0, dim, ps);
            double lv;
            try (Kernels v = vector(1)) {
                lv = trainSgd(v, toy, 3, p0, q0, dim, pv);
            }
            assertEquals(ls, lv, 1e-4 * ls, "sequential loss");
            assertClose(ps, pv, 1e-4f, "sequential p");
        }
        try (Kernels v = vector(threads)) {
            DenseMatrix[] s = {v.matrix(toy.nUsers, dim, p0), v.matrix(toy.nItems, dim, q0),
                v.vector(random(rnd, toy.nUsers, 0.1f)), v.vector(random(rnd, toy.nItems, 0.1f))};
            DenseMatrix[] w = {v.matrix(toy.nUsers, dim, p0), v.matrix(toy.nItems, dim, q0),
                v.vector(s[2].toArray()), v.vector(s[3].toArray())};
            Interactions list = v.interactions(toy.users, toy.items, toy.ratings);
            SgdParams params = new SgdParams(0.2f, 0.005f, 0.01f, 0.02f);
            double ls = scalar.sgdMiniBatch(s[0], s[1], s[2], s[3], list, params);
            double lv = v.sgdMiniBatch(w[0], w[1], w[2], w[3], list, params);
            assertEquals(ls, lv, 1e-5 * ls, "mini-batch loss");
            for (int m = 0; m < 4; m++) assertClose(s[m].toArray(), w[m].toArray(), 1e-5f, "mini-batch matrix " + m);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void bprWaveScheduleMatchesSequentialOrder(int threads) {
        SplittableRandom rnd = new SplittableRandom(9);
        int nUsers = 2000;
        int nItems = 3000;
        int k = 24;
        int n = 20000;
        int[] users = ids(rnd, n, nUsers);
        int[] pos = ids(rnd, n, nItems);
        int[] neg = new int[n];
        for (int j = 0; j < n; j++) neg[j] = (pos[j] + 1 + rnd.nextInt(nItems - 1)) % nItems;
        float[] p0 = random(rnd, nUsers * k, 0.1f);
        float[] q0 = random(rnd, nItems * k, 0.1f);
        float[] b0 = random(rnd, nItems, 0.1f);
        try (Kernels v = vector(threads)) {
            Triples triples = v.triples(users, pos, neg);
            BprParams params = new BprParams(0.05f, 0.01f, 0.01f);
            DenseMatrix ps = v.matrix(nUsers, k, p0);
            DenseMatrix qs = v.matrix(nItems, k, q0);
            DenseMatrix bs = v.vector(b0);
            double ls = 0;
            double lv = 0;
            for (int e = 0; e < 2; e++) ls = scalar.bpr(ps, qs, bs, triples, params);
            float[][] runs = new float[2][];
            for (int run = 0; run < 2; run++) {
                DenseMatrix pv = v.matrix(nUsers, k, p0);
                DenseMatrix qv = v.matrix(nItems, k, q0);
                DenseMatrix bv = v.vector(b0);
                for (int e = 0; e < 2; e++) lv = v.bpr(pv, qv, bv, triples, params);
                assertClose(ps.toArray(), pv.toArray(), 2e-5f, "p");
                assertClose(qs.toArray(), qv.toArray(), 2e-5f, "q");
                assertClose(bs.toArray(), bv.toArray(), 2e-5f, "item bias");
                runs[run] = qv.toArray();
            }
            assertEquals(ls, lv, 1e-5 * ls, "loss");
            assertArrayEquals(runs[0], runs[1], "two runs must agree bit for bit");
        }
    }

    /**
     * Lists arranged on a grid run their rounds' cells on all threads: the same bits on 1, 2 and
     * 3 threads (cells of a round share no row; losses added by cell), and list order, so the
     * scalar reference running the same list agrees to rounding.
     */
    @Test
    void gridListsGiveTheSameBitsOnAnyThreadCountAndFollowListOrder() {
        SplittableRandom rnd = new SplittableRandom(12);
        int nUsers = 2000;
        int nItems = 3000;
        int n = 30000;
        int[] users = ids(rnd, n, nUsers);
        int[] items = ids(rnd, n, nItems);
        float[] ratings = random(rnd, n, 2f);
        BlockGrid grid = BlockGrid.balanced(6, nUsers, nItems, users, items);
        int[] itemBlock = grid.itemBlocks();
        int[] neg = new int[n];
        for (int j = 0; j < n; j++) {
            int lo = grid.itemStart(itemBlock[items[j]]);
            int width = grid.itemStart(itemBlock[items[j]] + 1) - lo;
            neg[j] = lo + (items[j] - lo + 1 + rnd.nextInt(width - 1)) % width;
        }
        for (int k : new int[] {24, 64}) {
            float[] p0 = random(rnd, nUsers * k, 0.1f);
            float[] q0 = random(rnd, nItems * k, 0.1f);
            float[] bu0 = random(rnd, nUsers, 0.1f);
            float[] bi0 = random(rnd, nItems, 0.1f);
            float[][] first = null;
            for (int threads = 0; threads <= 3; threads++) {
                Kernels kernels = threads == 0 ? scalar : vector(threads);
                try {
                    DenseMatrix p = kernels.matrix(nUsers, k, p0);
                    DenseMatrix q = kernels.matrix(nItems, k, q0);
                    DenseMatrix bu = kernels.vector(bu0);
                    DenseMatrix bi = kernels.vector(bi0);
                    double sgd = 0;
                    double bpr = 0;
                    for (int e = 0; e < 2; e++) {
                        sgd = kernels.sgd(p, q, bu, bi, kernels.interactions(users, items, ratings, grid), sgdParams());
                        bpr = kernels.bpr(p, q, bi, kernels.triples(users, items, neg, grid), new BprParams(0.05f, 0.01f, 0.01f));
                    }
                    float[][] got = {p.toArray(), q.toArray(), bu.toArray(), bi.toArray(), {(float) sgd, (float) bpr}};
                    if (threads == 0) {
                        first = got;
                    } else if (threads == 1) {
                        for (int m = 0; m < 4; m++) assertClose(first[m], got[m], 1e-4f, "k = " + k + " vs reference, " + m);
                        for (int m = 0; m < 2; m++) assertEquals(first[4][m], got[4][m], 1e-5 * first[4][m], "loss " + m);
                        first = got;
                    } else {
                        for (int m = 0; m < got.length; m++) {
                            assertArrayEquals(first[m], got[m], "k = " + k + ", " + threads + " threads vs 1, result " + m);
                        }
                    }
                } finally {
                    if (threads > 0) kernels.close();
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void gramMatchesTheReferenceAndIsSymmetric(int threads) {
        SplittableRandom rnd = new SplittableRandom(10);
        try (Kernels v = vector(threads)) {
            for (int k : new int[] {1, 5, 16, 17, 40, 64, 70}) {
                for (int n : new int[] {0, 1, 300, 1000}) {
                    float[] y = random(rnd, n * k, 1f);
                    DenseMatrix ym = v.matrix(n, k, y);
                    DenseMatrix e = v.matrix(k, k);
                    DenseMatrix a = v.matrix(k, k);
                    scalar.gram(ym, e);
                    v.gram(ym, a);
                    float[] ev = e.toArray();
                    float[] av = a.toArray();
                    for (int i = 0; i < k; i++) {
                        for (int j = 0; j < k; j++) {
                            assertEquals(av[i * k + j], av[j * k + i], 0f, "symmetry");
                            double abs = 0;
                            for (int r = 0; r < n; r++) abs += Math.abs((double) y[r * k + i] * y[r * k + j]);
                            float tol = (float) (2 * (n + 2) * U * abs) + Float.MIN_NORMAL;
                            assertEquals(ev[i * k + j], av[i * k + j], tol, "gram k=" + k + " n=" + n + " (" + i + "," + j + ")");
                        }
                    }
                }
            }
        }
    }

    /** A random CSR ratings matrix with some empty rows, values in (0, 5]. */
    private static CsrMatrix ratingsCsr(Kernels k, SplittableRandom rnd, int rows, int cols, int maxPerRow) {
        int[] rowPtr = new int[rows + 1];
        int[] lengths = new int[rows];
        for (int r = 0; r < rows; r++) lengths[r] = r % 7 == 3 ? 0 : rnd.nextInt(maxPerRow + 1);
        for (int r = 0; r < rows; r++) rowPtr[r + 1] = rowPtr[r] + lengths[r];
        int[] colIdx = new int[rowPtr[rows]];
        float[] values = new float[colIdx.length];
        for (int e = 0; e < colIdx.length; e++) {
            colIdx[e] = rnd.nextInt(cols);
            values[e] = e % 5 == 0 ? 0f : 1 + rnd.nextInt(5);
        }
        return k.csr(rows, cols, rowPtr, colIdx, values);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void normalEquationsMatchTheReference(int threads) {
        SplittableRandom rnd = new SplittableRandom(11);
        try (Kernels v = vector(threads)) {
            for (int k : new int[] {3, 16, 21, 64}) {
                int nRows = 30;
                int nCols = 50;
                CsrMatrix csr = ratingsCsr(v, rnd, nRows, nCols, 300);
                DenseMatrix y = v.matrix(nCols, k, random(rnd, nCols * k, 0.5f));
                DenseMatrix g = v.matrix(k, k);
                scalar.gram(y, g);
                int[] rowIds = {0, 3, 29, 7, 12, 13};
                IndexArray rows = v.indices("rows", rowIds);
                DenseMatrix ea = v.matrix(rowIds.length, k * k);
                DenseMatrix eb = v.matrix(rowIds.length, k);
                DenseMatrix aa = v.matrix(rowIds.length, k * k);
                DenseMatrix ab = v.matrix(rowIds.length, k);
                // Sums of up to 300 terms of magnitude ≤ 5·0.25·(1+α·5); relative float32 bound.
                float tol = 300 * 2 * 302 * U * 5 * 0.25f * 11 + 1e-6f;
                scalar.normalEquationsExplicit(rows, csr, y, new ExplicitAlsParams(0.1f, true), ea, eb);
                v.normalEquationsExplicit(rows, csr, y, new ExplicitAlsParams(0.1f, true), aa, ab);
                assertClose(ea.toArray(), aa.toArray(), tol, "explicit A k=" + k);
                assertClose(eb.toArray(), ab.toArray(), tol, "explicit b k=" + k);
                scalar.normalEquationsImplicit(rows, csr, y, g, new ImplicitAlsParams(2f, 0.1f), ea, eb);
                v.normalEquationsImplicit(rows, csr, y, g, new ImplicitAlsParams(2f, 0.1f), aa, ab);
                assertClose(ea.toArray(), aa.toArray(), tol, "implicit A k=" + k);
                assertClose(eb.toArray(), ab.toArray(), tol, "implicit b k=" + k);
            }
        }
    }

    /** count SPD systems A = MMᵀ/k + I (condition number small) in rows of a k·k matrix. */
    private static float[] spd(SplittableRandom rnd, int count, int k) {
        float[] a = new float[count * k * k];
        for (int s = 0; s < count; s++) {
            float[] m = random(rnd, k * k, 1f);
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    double sum = i == j ? 1 : 0;
                    for (int t = 0; t < k; t++) sum += (double) m[i * k + t] * m[j * k + t] / k;
                    a[s * k * k + i * k + j] = (float) sum;
                }
            }
        }
        return a;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void choleskySolvesLikeTheReference(int threads) {
        SplittableRandom rnd = new SplittableRandom(12);
        try (Kernels v = vector(threads)) {
            for (int k : new int[] {1, 2, 15, 16, 17, 33, 64, 80}) {
                int count = 7;
                float[] a0 = spd(rnd, count, k);
                float[] b0 = random(rnd, count * k, 1f);
                DenseMatrix a = v.matrix(count, k * k, a0);
                DenseMatrix b = v.matrix(count, k, b0);
                DenseMatrix xs = v.matrix(count, k);
                DenseMatrix xv = v.matrix(count, k);
                scalar.choleskySolve(a, b, xs);
                v.choleskySolve(a, b, xv);
                // Well-conditioned (cond ≲ 10 for these sizes): both solutions are within ~k²u of the truth.
                assertClose(xs.toArray(), xv.toArray(), 2e-4f, "x k=" + k);
                assertArrayEquals(a0, a.toArray(), "a unchanged");
                v.choleskySolve(a, b, b);
                assertClose(xs.toArray(), b.toArray(), 2e-4f, "x aliasing b, k=" + k);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void smallSystemsGoLanesAcrossSystemsAndMatchTheReferenceBitForBit(int threads) {
        SplittableRandom rnd = new SplittableRandom(18);
        try (Kernels v = vector(threads)) {
            for (int k : new int[] {1, 4, 9, 16}) {
                int count = 53; // 3 groups of 16 and a remainder of 5, split across workers
                DenseMatrix a = v.matrix(count, k * k, spd(rnd, count, k));
                DenseMatrix b = v.matrix(count, k, random(rnd, count * k, 1f));
                DenseMatrix xs = v.matrix(count, k);
                DenseMatrix xv = v.matrix(count, k);
                scalar.choleskySolve(a, b, xs);
                v.choleskySolve(a, b, xv);
                float[] e = xs.toArray();
                float[] g = xv.toArray();
                int groupedEnd = 48 * k; // whole groups on every worker for 1 and 3 threads
                for (int i = 0; i < groupedEnd; i++) assertEquals(e[i], g[i], 0f, "k=" + k + " element " + i);
                assertClose(e, g, 2e-5f, "k=" + k);
            }
            int k = 12;
            int count = 40;
            float[] a0 = spd(rnd, count, k);
            a0[21 * k * k + 5 * k + 5] = -1f; // system 21 (inside the second group), pivot 5
            DenseMatrix a = v.matrix(count, k * k, a0);
            DenseMatrix b = v.matrix(count, k, random(rnd, count * k, 1f));
            float[] before = random(rnd, count * k, 1f);
            DenseMatrix x = v.matrix(count, k, before);
            NotPositiveDefiniteException e = assertThrows(NotPositiveDefiniteException.class, () -> v.choleskySolve(a, b, x));
            assertEquals(21, e.system(), e.getMessage());
            assertTrue(e.getMessage().contains("pivot 5"), e.getMessage());
            assertArrayEquals(before, x.toArray(), "x must be unchanged");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void choleskyRejectsIndefiniteSystemsAndWritesNothing(int threads) {
        SplittableRandom rnd = new SplittableRandom(13);
        int k = 20;
        int count = 9;
        float[] a0 = spd(rnd, count, k);
        a0[5 * k * k + 7 * k + 7] = -50f; // system 5, pivot 7
        a0[8 * k * k] = 0f;              // system 8, pivot 0
        try (Kernels v = vector(threads)) {
            DenseMatrix a = v.matrix(count, k * k, a0);
            DenseMatrix b = v.matrix(count, k, random(rnd, count * k, 1f));
            float[] before = random(rnd, count * k, 1f);
            DenseMatrix x = v.matrix(count, k, before);
            NotPositiveDefiniteException e = assertThrows(NotPositiveDefiniteException.class,
                    () -> v.choleskySolve(a, b, x));
            assertEquals(5, e.system(), e.getMessage());
            assertTrue(e.getMessage().contains("pivot 7"), e.getMessage());
            assertArrayEquals(before, x.toArray(), "x must be unchanged");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void alsHalfStepsMatchTheReference(int threads) {
        SplittableRandom rnd = new SplittableRandom(14);
        try (Kernels v = vector(threads)) {
            for (int k : new int[] {5, 16, 64}) {
                int nRows = 40;
                int nCols = 60;
                CsrMatrix csr = ratingsCsr(v, rnd, nRows, nCols, 80);
                DenseMatrix y = v.matrix(nCols, k, random(rnd, nCols * k, 0.3f));
                DenseMatrix g = v.matrix(k, k);
                scalar.gram(y, g);
                int[] rowIds = new int[nRows];
                for (int r = 0; r < nRows; r++) rowIds[r] = (r * 17) % nRows;
                IndexArray rows = v.indices("rows", rowIds);
                float[] x0 = random(rnd, nRows * k, 0.3f);
                for (Solver solver : new Solver[] {Solver.cholesky(), Solver.cg(3)}) {
                    DenseMatrix xs = v.matrix(nRows, k, x0);
                    DenseMatrix xv = v.matrix(nRows, k, x0);
                    scalar.solveExplicit(xs, rows, csr, y, new ExplicitAlsParams(0.5f, true), solver);
                    v.solveExplicit(xv, rows, csr, y, new ExplicitAlsParams(0.5f, true), solver);
                    assertClose(xs.toArray(), xv.toArray(), 2e-3f, "explicit " + solver + " k=" + k);
                    float[] solved = xv.toArray();
                    for (int t = 0; t < k; t++) assertEquals(0f, solved[3 * k + t], 0f, "empty row 3 becomes zero");
                    xs = v.matrix(nRows, k, x0);
                    xv = v.matrix(nRows, k, x0);
                    scalar.solveImplicit(xs, rows, csr, y, g, new ImplicitAlsParams(3f, 0.5f), solver);
                    v.solveImplicit(xv, rows, csr, y, g, new ImplicitAlsParams(3f, 0.5f), solver);
                    assertClose(xs.toArray(), xv.toArray(), 2e-3f, "implicit " + solver + " k=" + k);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void resultsAreBitIdenticalRunToRun(int threads) {
        SplittableRandom rnd = new SplittableRandom(15);
        int k = 64;
        float[] y = random(rnd, 5000 * k, 1f);
        float[][] grams = new float[2][];
        float[][] solves = new float[2][];
        for (int run = 0; run < 2; run++) {
            try (Kernels v = vector(threads)) {
                DenseMatrix ym = v.matrix(5000, k, y);
                DenseMatrix g = v.matrix(k, k);
                v.gram(ym, g);
                grams[run] = g.toArray();
                CsrMatrix csr = ratingsCsr(v, new SplittableRandom(16), 200, 5000, 100);
                DenseMatrix x = v.matrix(200, k);
                int[] all = new int[200];
                Arrays.setAll(all, i -> i);
                v.solveImplicit(x, v.indices("rows", all), csr, ym, g, new ImplicitAlsParams(1f, 1f), Solver.cg(3));
                solves[run] = x.toArray();
            }
        }
        assertArrayEquals(grams[0], grams[1]);
        assertArrayEquals(solves[0], solves[1]);
    }

    @org.junit.jupiter.api.Test
    void resultsDoNotDependOnWhetherTheKernelIsInterpretedOrCompiled() {
        // The first calls run interpreted (Vector API fallback code), later ones C2-compiled.
        SplittableRandom rnd = new SplittableRandom(17);
        int k = 64;
        float[] p = random(rnd, 20 * k, 1f);
        float[] q = random(rnd, 20 * k, 1f);
        try (Kernels v = vector(1)) {
            DenseMatrix pm = v.matrix(20, k, p);
            DenseMatrix qm = v.matrix(20, k, q);
            Interactions pairs = v.pairs(ids(rnd, 64, 20), ids(rnd, 64, 20));
            DenseMatrix out = v.matrix(64, 1);
            v.dot(pm, qm, pairs, out);
            float[] first = out.toArray();
            for (int call = 0; call < 20_000; call++) v.dot(pm, qm, pairs, out);
            assertArrayEquals(first, out.toArray());
        }
    }
}
