package org.mfkit.core.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
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

/**
 * The conformance suite every backend runs against itself (docs/KERNELS.md, "Conformance").
 * Each case draws fresh random inputs from a seed derived from the case, runs one kernel
 * through the checked {@link Kernels} façade, and compares every output element with the
 * float64 {@link Oracle} within the oracle's error bound. Outputs are poisoned with NaN before
 * each call, so an element the kernel forgot to write fails; parts of the inputs the kernel
 * must not touch (rows not in the batch) are compared bit for bit afterwards.
 *
 * <p>A backend module subclasses this with {@link #openKernels()}. The factor dimensions
 * {@link #K_VALUES} cover every tail length for 4-, 8- and 16-lane vectors and the values
 * issue 2 names.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ConformanceSuite {
    /** Factor dimensions: every remainder modulo 4, 8 and 16 around each power of two, and issue 2's list. */
    public static final int[] K_VALUES =
            {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 40, 63, 64, 65, 100, 127, 128, 129, 256};

    private Kernels kernels;
    private final List<AutoCloseable> handles = new ArrayList<>();

    /** Opens the backend under test. Called once per test class. */
    protected abstract Kernels openKernels();

    /**
     * Whether SGD and BPR on lists with a repeated user or item follow list order exactly. A
     * parallel backend returns false: repeated lists are then checked loosely (finite results,
     * losses and factors near the sequential oracle), while repeat-free lists are still checked
     * against the sequential oracle within its bound.
     */
    protected boolean sequentialOnRepeatedIds() {
        return true;
    }

    @BeforeAll
    void openBackend() {
        kernels = openKernels();
    }

    @AfterAll
    void closeBackend() {
        if (kernels != null) kernels.close();
    }

    @AfterEach
    void releaseHandles() throws Exception {
        for (int i = handles.size() - 1; i >= 0; i--) handles.get(i).close();
        handles.clear();
    }

    /** The backend under test. */
    protected final Kernels kernels() {
        return kernels;
    }

    static IntStream ks() {
        return Arrays.stream(K_VALUES);
    }

    static Stream<Arguments> ksWithBoth() {
        return ks().boxed().flatMap(k -> Stream.of(Arguments.of(k, false), Arguments.of(k, true)));
    }

    // ================================================================ data helpers

    private static SplittableRandom random(String group, int k, int variant) {
        return new SplittableRandom(group.hashCode() * 1_000_003L + k * 131L + variant);
    }

    /** Uniform in [-scale, scale), with one element forced away from zero so no input is all zeros. */
    static float[] values(SplittableRandom rnd, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (rnd.nextDouble(-1, 1) * scale);
        if (n > 0) v[rnd.nextInt(n)] = (float) (scale * 0.75);
        return v;
    }

    static int[] ids(SplittableRandom rnd, int n, int bound) {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) v[i] = rnd.nextInt(bound);
        return v;
    }

    /** The first n ids of a random permutation of [0, bound): no repeats. */
    static int[] distinctIds(SplittableRandom rnd, int n, int bound) {
        int[] perm = IntStream.range(0, bound).toArray();
        for (int i = 0; i < n; i++) {
            int j = i + rnd.nextInt(bound - i);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        return Arrays.copyOf(perm, n);
    }

    private <T extends AutoCloseable> T track(T handle) {
        handles.add(handle);
        return handle;
    }

    DenseMatrix matrix(int rows, int cols, float[] v) {
        return track(kernels.matrix(rows, cols, v));
    }

    DenseMatrix vector(float[] v) {
        return track(kernels.vector(v));
    }

    /** A matrix whose every element is NaN, so unwritten output elements show. */
    DenseMatrix poisoned(int rows, int cols) {
        float[] nan = new float[rows * cols];
        Arrays.fill(nan, Float.NaN);
        return matrix(rows, cols, nan);
    }

    IndexArray indices(int[] ids) {
        return track(kernels.indices("rows", ids));
    }

    Interactions pairs(int[] users, int[] items) {
        return track(kernels.pairs(users, items));
    }

    Interactions interactions(int[] users, int[] items, float[] values) {
        return track(kernels.interactions(users, items, values));
    }

    Triples triples(int[] users, int[] positives, int[] negatives) {
        return track(kernels.triples(users, positives, negatives));
    }

    /** Host form of a CSR matrix (the oracle reads this; the backend gets the uploaded copy). */
    record HostCsr(int rows, int cols, int[] rowPtr, int[] colIdx, float[] values) {}

    CsrMatrix upload(HostCsr c) {
        return track(kernels.csr(c.rows, c.cols, c.rowPtr, c.colIdx, c.values));
    }

    /**
     * Random CSR rows with lengths 0..maxLength (row 1 always empty, row 0 never), column ids
     * possibly repeated within a row, values from {@code valueGen}.
     */
    static HostCsr randomCsr(SplittableRandom rnd, int rows, int cols, int maxLength, Supplier<Float> valueGen) {
        int[] rowPtr = new int[rows + 1];
        for (int r = 0; r < rows; r++) {
            int len = r == 1 ? 0 : (r == 0 ? 1 + rnd.nextInt(maxLength) : rnd.nextInt(maxLength + 1));
            rowPtr[r + 1] = rowPtr[r] + len;
        }
        int nnz = rowPtr[rows];
        int[] colIdx = new int[nnz];
        float[] values = new float[nnz];
        for (int e = 0; e < nnz; e++) {
            colIdx[e] = rnd.nextInt(cols);
            values[e] = valueGen.get();
        }
        return new HostCsr(rows, cols, rowPtr, colIdx, values);
    }

    // ================================================================ assertions

    static void assertWithin(String what, Oracle.Approx expected, float[] actual) {
        assertEquals(expected.value.length, actual.length, what + ": length");
        for (int i = 0; i < actual.length; i++) {
            if (Float.isNaN(actual[i])) fail(what + "[" + i + "] is NaN: the element was not written");
            if (!expected.accepts(i, actual[i])) {
                fail(what + "[" + i + "] = " + actual[i] + ", oracle " + expected.value[i] + " ± "
                        + Oracle.SAFETY * expected.bound[i] + " (difference " + Math.abs(actual[i] - expected.value[i]) + ")");
            }
        }
    }

    /** Rows of a row-major {@code cols}-wide matrix not in {@code touched} must be bit-identical. */
    static void assertUntouchedRows(String what, float[] before, float[] after, int cols, int[] touched) {
        boolean[] t = new boolean[cols == 0 ? 0 : before.length / cols];
        for (int id : touched) t[id] = true;
        for (int r = 0; r < t.length; r++) {
            if (t[r]) continue;
            for (int c = 0; c < cols; c++) {
                int at = r * cols + c;
                if (Float.floatToRawIntBits(before[at]) != Float.floatToRawIntBits(after[at])) {
                    fail(what + " row " + r + " is not in the batch but element " + c + " changed from "
                            + before[at] + " to " + after[at]);
                }
            }
        }
    }

    static void assertBitsEqual(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                fail(what + "[" + i + "]: " + expected[i] + " then " + actual[i]);
            }
        }
    }

    static void assertSymmetric(String what, float[] a, int systems, int k) {
        for (int s = 0; s < systems; s++) {
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < i; j++) {
                    float lower = a[s * k * k + i * k + j];
                    float upper = a[s * k * k + j * k + i];
                    if (Float.floatToRawIntBits(lower) != Float.floatToRawIntBits(upper)) {
                        fail(what + " system " + s + " is not exactly symmetric at (" + i + ", " + j + "): "
                                + lower + " vs " + upper);
                    }
                }
            }
        }
    }

    // ================================================================ memory

    @ParameterizedTest(name = "k={0}")
    @MethodSource("ks")
    void memoryRoundTrip(int k) {
        SplittableRandom rnd = random("memory", k, 0);
        int rows = 5;
        float[] v = values(rnd, rows * k, 1);
        DenseMatrix fresh = track(kernels.matrix(rows, k));
        assertBitsEqual("fresh matrix (zero-filled)", new float[rows * k], fresh.toArray());
        DenseMatrix m = matrix(rows, k, v);
        assertBitsEqual("download after upload", v, m.toArray());
        float[] part = values(rnd, 2 * k, 2);
        m.uploadRows(2, part, 0, 2);
        float[] expected = v.clone();
        System.arraycopy(part, 0, expected, 2 * k, 2 * k);
        assertBitsEqual("after uploadRows(2, .., 2)", expected, m.toArray());
        float[] window = new float[k + 4];
        Arrays.fill(window, -7f);
        m.downloadRows(3, window, 2, 1);
        for (int c = 0; c < k; c++) assertEquals(expected[3 * k + c], window[2 + c], "downloadRows element " + c);
        assertEquals(-7f, window[0]);
        assertEquals(-7f, window[k + 3]);
        assertEquals(expected[4 * k + k - 1], m.get(4, k - 1));
        DenseMatrix copy = poisoned(rows, k);
        kernels.copy(m, copy);
        assertBitsEqual("copy", expected, copy.toArray());
        assertTrue(kernels.allFinite(copy));
        double norm = 0;
        for (float x : expected) norm += (double) x * x;
        assertEquals(norm, kernels.squaredNorm(copy), Oracle.gamma(expected.length) * norm);
        float[] withInf = expected.clone();
        withInf[withInf.length - 1] = Float.POSITIVE_INFINITY;
        copy.upload(withInf);
        assertFalse(kernels.allFinite(copy));
    }

    // ================================================================ family 1: dots

    @ParameterizedTest(name = "k={0}")
    @MethodSource("ks")
    void dot(int k) {
        SplittableRandom rnd = random("dot", k, 0);
        int nUsers = 9;
        int nItems = 11;
        int n = 1 + (k * 7) % 37;
        float[] p = values(rnd, nUsers * k, 1);
        float[] q = values(rnd, nItems * k, 1);
        int[] users = ids(rnd, n, nUsers);
        int[] items = ids(rnd, n, nItems);
        if (n > 1) { // a duplicate pair
            users[n - 1] = users[0];
            items[n - 1] = items[0];
        }
        DenseMatrix out = poisoned(n, 1);
        kernels.dot(matrix(nUsers, k, p), matrix(nItems, k, q), pairs(users, items), out);
        assertWithin("dot", Oracle.dot(p, q, k, users, items), out.toArray());
    }

    @ParameterizedTest(name = "k={0}")
    @MethodSource("ks")
    void predict(int k) {
        SplittableRandom rnd = random("predict", k, 0);
        int nUsers = 7;
        int nItems = 13;
        int n = 1 + (k * 5) % 29;
        float[] p = values(rnd, nUsers * k, 1);
        float[] q = values(rnd, nItems * k, 1);
        float[] bu = values(rnd, nUsers, 0.5);
        float[] bi = values(rnd, nItems, 0.5);
        float mu = 3.25f;
        int[] users = ids(rnd, n, nUsers);
        int[] items = ids(rnd, n, nItems);
        DenseMatrix out = poisoned(n, 1);
        kernels.predict(mu, vector(bu), vector(bi), matrix(nUsers, k, p), matrix(nItems, k, q), pairs(users, items), out);
        assertWithin("predict", Oracle.predict(mu, bu, bi, p, q, k, users, items), out.toArray());
    }

    @Test
    void emptyBatches() {
        int k = 5;
        SplittableRandom rnd = random("empty", k, 0);
        float[] p = values(rnd, 3 * k, 1);
        float[] q = values(rnd, 4 * k, 1);
        DenseMatrix pm = matrix(3, k, p);
        DenseMatrix qm = matrix(4, k, q);
        DenseMatrix bu = vector(values(rnd, 3, 1));
        DenseMatrix bi = vector(values(rnd, 4, 1));
        int[] none = new int[0];
        kernels.dot(pm, qm, pairs(none, none), matrix(0, 1, new float[0]));
        kernels.predict(1f, bu, bi, pm, qm, pairs(none, none), matrix(0, 1, new float[0]));
        kernels.scores(pm, indices(none), qm, matrix(0, 4, new float[0]));
        kernels.topK(pm, indices(none), qm, null, null, 3, new int[0], new float[0]);
        Interactions noRatings = interactions(none, none, new float[0]);
        SgdParams sgd = new SgdParams(3f, 0.05f, 0.01f, 0.01f);
        assertEquals(0.0, kernels.sgd(pm, qm, bu, bi, noRatings, sgd));
        assertEquals(0.0, kernels.sgdMiniBatch(pm, qm, bu, bi, noRatings, sgd));
        assertEquals(0.0, kernels.bpr(pm, qm, bi, triples(none, none, none), new BprParams(0.05f, 0.01f, 0.01f)));
        assertBitsEqual("p after empty updates", p, pm.toArray());
        assertBitsEqual("q after empty updates", q, qm.toArray());
        DenseMatrix gramOut = poisoned(k, k);
        kernels.gram(matrix(0, k, new float[0]), gramOut);
        assertBitsEqual("gram of an empty y", new float[k * k], gramOut.toArray());
        HostCsr csr = new HostCsr(3, 4, new int[4], none, new float[0]);
        CsrMatrix ratings = upload(csr);
        kernels.normalEquationsExplicit(indices(none), ratings, qm, new ExplicitAlsParams(1f, false),
                matrix(0, k * k, new float[0]), matrix(0, k, new float[0]));
        kernels.choleskySolve(matrix(0, k * k, new float[0]), matrix(0, k, new float[0]), matrix(0, k, new float[0]));
        kernels.solveExplicit(pm, indices(none), ratings, qm, new ExplicitAlsParams(1f, false), Solver.cholesky());
        assertBitsEqual("x after an empty ALS batch", p, pm.toArray());
    }

    @ParameterizedTest(name = "k={0}")
    @MethodSource("ks")
    void scores(int k) {
        SplittableRandom rnd = random("scores", k, 0);
        int nUsers = 6;
        int nItems = 17 + k % 13;
        float[] p = values(rnd, nUsers * k, 1);
        float[] q = values(rnd, nItems * k, 1);
        int[] rows = {4, 0, 4, 5};
        DenseMatrix out = poisoned(rows.length, nItems);
        kernels.scores(matrix(nUsers, k, p), indices(rows), matrix(nItems, k, q), out);
        assertWithin("scores", Oracle.scores(p, rows, q, nItems, k, null), out.toArray());
    }

    // ================================================================ top-K

    @ParameterizedTest(name = "k={0} itemBias={1}")
    @MethodSource("ksWithBoth")
    void topK(int k, boolean withBias) {
        SplittableRandom rnd = random("topK", k, withBias ? 1 : 0);
        int nUsers = 5;
        int nItems = 23 + k % 9;
        float[] p = values(rnd, nUsers * k, 1);
        float[] q = values(rnd, nItems * k, 1);
        float[] bias = withBias ? values(rnd, nItems, 0.5) : null;
        int[] rows = {3, 1, 3, 0};
        // Row 0 excludes nothing, row 1 a few (one twice), row 2 all but three, row 3 everything.
        List<int[]> ex = List.of(new int[0], new int[] {2, 5, 2, nItems - 1},
                IntStream.range(3, nItems).toArray(), IntStream.range(0, nItems).toArray());
        HostCsr exclude = csrOf(ex, nItems);
        int bigK = 1 + k % 8;
        checkTopK(k, p, q, bias, rows, exclude, nItems, bigK);
        checkTopK(k, p, q, bias, rows, exclude, nItems, nItems + 2); // K larger than every row's candidates
        checkTopK(k, p, q, bias, rows, null, nItems, 1);
    }

    private static HostCsr csrOf(List<int[]> rowsOfCols, int cols) {
        int[] rowPtr = new int[rowsOfCols.size() + 1];
        for (int r = 0; r < rowsOfCols.size(); r++) rowPtr[r + 1] = rowPtr[r] + rowsOfCols.get(r).length;
        int[] colIdx = new int[rowPtr[rowsOfCols.size()]];
        for (int r = 0; r < rowsOfCols.size(); r++) {
            System.arraycopy(rowsOfCols.get(r), 0, colIdx, rowPtr[r], rowsOfCols.get(r).length);
        }
        float[] ones = new float[colIdx.length];
        Arrays.fill(ones, 1f);
        return new HostCsr(rowsOfCols.size(), cols, rowPtr, colIdx, ones);
    }

    private void checkTopK(int k, float[] p, float[] q, float[] bias, int[] rows, HostCsr exclude, int nItems, int bigK) {
        int[] outItems = new int[rows.length * bigK];
        float[] outScores = new float[rows.length * bigK];
        Arrays.fill(outItems, Integer.MIN_VALUE);
        Arrays.fill(outScores, Float.NaN);
        kernels.topK(matrix(p.length / k, k, p), indices(rows), matrix(nItems, k, q), bias == null ? null : vector(bias),
                exclude == null ? null : upload(exclude), bigK, outItems, outScores);
        Oracle.Approx s = Oracle.scores(p, rows, q, nItems, k, bias);
        for (int r = 0; r < rows.length; r++) {
            boolean[] barred = new boolean[nItems];
            if (exclude != null) {
                for (int e = exclude.rowPtr()[r]; e < exclude.rowPtr()[r + 1]; e++) barred[exclude.colIdx()[e]] = true;
            }
            int candidates = 0;
            for (boolean b : barred) if (!b) candidates++;
            int expectedCount = Math.min(bigK, candidates);
            boolean[] returned = new boolean[nItems];
            String row = "topK row " + r + " (K = " + bigK + ", " + candidates + " candidates) slot ";
            double worstReturned = Double.POSITIVE_INFINITY;
            double worstBound = 0;
            for (int slot = 0; slot < bigK; slot++) {
                int item = outItems[r * bigK + slot];
                float score = outScores[r * bigK + slot];
                if (slot >= expectedCount) {
                    assertEquals(-1, item, row + slot + ": beyond the candidates the item must be -1");
                    assertEquals(Float.NEGATIVE_INFINITY, score, row + slot + ": beyond the candidates the score must be -Inf");
                    continue;
                }
                assertTrue(item >= 0 && item < nItems, row + slot + ": item " + item + " out of range");
                assertFalse(barred[item], row + slot + ": item " + item + " is excluded");
                assertFalse(returned[item], row + slot + ": item " + item + " returned twice");
                returned[item] = true;
                int at = r * nItems + item;
                assertTrue(s.accepts(at, score), row + slot + ": item " + item + " score " + score + ", oracle "
                        + s.value[at] + " ± " + Oracle.SAFETY * s.bound[at]);
                if (slot > 0) {
                    float prev = outScores[r * bigK + slot - 1];
                    int prevItem = outItems[r * bigK + slot - 1];
                    assertTrue(prev > score || (prev == score && prevItem < item),
                            row + slot + ": (" + item + ", " + score + ") ranked after (" + prevItem + ", " + prev + ")");
                }
                if (s.value[at] < worstReturned) {
                    worstReturned = s.value[at];
                    worstBound = s.bound[at];
                }
            }
            for (int i = 0; i < nItems; i++) {
                if (barred[i] || returned[i]) continue;
                int at = r * nItems + i;
                assertTrue(s.value[at] <= worstReturned + Oracle.SAFETY * (worstBound + s.bound[at]) + Oracle.FLOOR,
                        "topK row " + r + ": item " + i + " (oracle " + s.value[at] + ") beats a returned item ("
                                + worstReturned + ") but was left out");
            }
        }
    }

    @Test
    void topKBreaksTiesByLowerItemId() {
        // Integer-valued factors: every score is exact in float32, so ties are real ties.
        int k = 3;
        float[] p = {1, 0, 0, 0, 1, 1};
        int nItems = 10;
        float[] q = new float[nItems * k];
        float[] ranks = {2, 5, 5, 1, 5, 2, 2, 5, 0, 1};
        for (int i = 0; i < nItems; i++) {
            q[i * k] = ranks[i];
            q[i * k + 1] = ranks[i] % 2;
            q[i * k + 2] = ranks[i] % 2;
        }
        int[] rows = {0, 1};
        int bigK = 6;
        int[] items = new int[rows.length * bigK];
        float[] scores = new float[rows.length * bigK];
        HostCsr exclude = csrOf(List.of(new int[] {4}, new int[0]), nItems);
        kernels.topK(matrix(2, k, p), indices(rows), matrix(nItems, k, q), null, upload(exclude), bigK, items, scores);
        assertArrayEquals(new int[] {1, 2, 7, 0, 5, 6}, Arrays.copyOf(items, bigK), "row 0 (item 4 excluded)");
        assertArrayEquals(new float[] {5, 5, 5, 2, 2, 2}, Arrays.copyOf(scores, bigK), "row 0 scores");
        // Row 1 scores are q1 + q2 = 2·(rank mod 2): 2 for items 1,2,3,4,7,9 and 0 for the rest.
        assertArrayEquals(new int[] {1, 2, 3, 4, 7, 9}, Arrays.copyOfRange(items, bigK, 2 * bigK), "row 1");
        float[] bias = new float[nItems];
        bias[9] = 0.5f;
        int[] withBias = new int[4];
        float[] withBiasScores = new float[4];
        kernels.topK(matrix(2, k, p), indices(rows), matrix(nItems, k, q), vector(bias), null, 2, withBias, withBiasScores);
        assertArrayEquals(new int[] {1, 2, 9, 1}, withBias, "item bias 0.5 lifts item 9 to the top of row 1");
        assertArrayEquals(new float[] {5, 5, 2.5f, 2}, withBiasScores);
    }

    @Test
    void topKWithHugeKAndNoRows() {
        // K is bounded by nothing but the output length; with no rows it may be huge, and a
        // backend must not size anything by K alone.
        float[] p = {1, 2};
        float[] q = {1, 0, 0, 1, 1, 1};
        kernels.topK(matrix(1, 2, p), indices(new int[0]), matrix(3, 2, q), null, null, Integer.MAX_VALUE,
                new int[0], new float[0]);
        int bigK = 1 << 20;
        int[] items = new int[bigK];
        float[] scores = new float[bigK];
        kernels.topK(matrix(1, 2, p), indices(new int[] {0}), matrix(3, 2, q), null, null, bigK, items, scores);
        assertArrayEquals(new int[] {2, 1, 0, -1}, Arrays.copyOf(items, 4));
        assertEquals(-1, items[bigK - 1]);
        assertEquals(Float.NEGATIVE_INFINITY, scores[bigK - 1]);
    }

    // ================================================================ family 2: SGD and BPR

    private static final SgdParams SGD = new SgdParams(3.5f, 0.05f, 0.02f, 0.01f);
    private static final BprParams BPR = new BprParams(0.05f, 0.01f, 0.02f);

    /** A rating list; repeat-free lists have distinct users and distinct items. */
    private record RatingList(int[] users, int[] items, float[] ratings) {}

    private static RatingList ratingList(SplittableRandom rnd, int n, int nUsers, int nItems, boolean repeatFree) {
        int[] users = repeatFree ? distinctIds(rnd, n, nUsers) : ids(rnd, n, nUsers);
        int[] items = repeatFree ? distinctIds(rnd, n, nItems) : ids(rnd, n, nItems);
        if (!repeatFree && n > 2) { // a duplicate pair and a repeated user at least
            users[n - 1] = users[0];
            items[n - 1] = items[0];
            users[n - 2] = users[1];
        }
        float[] r = new float[n];
        for (int j = 0; j < n; j++) r[j] = 1 + rnd.nextInt(9) * 0.5f;
        return new RatingList(users, items, r);
    }

    @ParameterizedTest(name = "k={0} repeatFree={1}")
    @MethodSource("ksWithBoth")
    void sgd(int k, boolean repeatFree) {
        SplittableRandom rnd = random("sgd", k, repeatFree ? 1 : 0);
        int nUsers = 14;
        int nItems = 16;
        double scale = 1 / Math.sqrt(k);
        float[] p = values(rnd, nUsers * k, scale);
        float[] q = values(rnd, nItems * k, scale);
        float[] bu = values(rnd, nUsers, 0.3);
        float[] bi = values(rnd, nItems, 0.3);
        RatingList list = ratingList(rnd, repeatFree ? 11 : 40, nUsers, nItems, repeatFree);
        boolean biased = k % 2 == 1 || repeatFree;
        Oracle.Params expected = Oracle.sgd(p, q, k, biased ? bu : null, biased ? bi : null, list.users, list.items,
                list.ratings, SGD.globalMean(), SGD.learningRate(), SGD.factorReg(), SGD.biasReg());
        DenseMatrix pm = matrix(nUsers, k, p);
        DenseMatrix qm = matrix(nItems, k, q);
        DenseMatrix bum = biased ? vector(bu) : null;
        DenseMatrix bim = biased ? vector(bi) : null;
        double loss = kernels.sgd(pm, qm, bum, bim, interactions(list.users, list.items, list.ratings), SGD);
        checkUpdate("sgd", expected, loss, repeatFree, p, pm, q, qm, list.users, list.items, k,
                biased ? new float[][] {bu, bi} : null, bum, bim, squaredErrors(list, k));
    }

    @ParameterizedTest(name = "k={0} biased={1}")
    @MethodSource("ksWithBoth")
    void sgdMiniBatch(int k, boolean biased) {
        SplittableRandom rnd = random("sgdMiniBatch", k, biased ? 1 : 0);
        int nUsers = 12;
        int nItems = 15;
        double scale = 1 / Math.sqrt(k);
        float[] p = values(rnd, nUsers * k, scale);
        float[] q = values(rnd, nItems * k, scale);
        float[] bu = values(rnd, nUsers, 0.3);
        float[] bi = values(rnd, nItems, 0.3);
        // Users 10 and 11, items 13 and 14 get no rating: they must stay untouched.
        RatingList list = ratingList(rnd, 1 + (k * 3) % 41, 10, 13, false);
        Oracle.Params expected = Oracle.sgdMiniBatch(p, q, k, biased ? bu : null, biased ? bi : null, list.users,
                list.items, list.ratings, SGD.globalMean(), SGD.learningRate(), SGD.factorReg(), SGD.biasReg());
        DenseMatrix pm = matrix(nUsers, k, p);
        DenseMatrix qm = matrix(nItems, k, q);
        DenseMatrix bum = biased ? vector(bu) : null;
        DenseMatrix bim = biased ? vector(bi) : null;
        double loss = kernels.sgdMiniBatch(pm, qm, bum, bim, interactions(list.users, list.items, list.ratings), SGD);
        // Mini-batch is defined without an order, so every backend is held to the bound.
        checkUpdate("sgdMiniBatch", expected, loss, true, p, pm, q, qm, list.users, list.items, k,
                biased ? new float[][] {bu, bi} : null, bum, bim, squaredErrors(list, k));
    }

    @ParameterizedTest(name = "k={0} repeatFree={1}")
    @MethodSource("ksWithBoth")
    void bpr(int k, boolean repeatFree) {
        SplittableRandom rnd = random("bpr", k, repeatFree ? 1 : 0);
        int nUsers = 13;
        int nItems = 24;
        double scale = 1 / Math.sqrt(k);
        float[] p = values(rnd, nUsers * k, scale);
        float[] q = values(rnd, nItems * k, scale);
        float[] bi = values(rnd, nItems, 0.3);
        int n = repeatFree ? 9 : 35;
        int[] users = repeatFree ? distinctIds(rnd, n, nUsers) : ids(rnd, n, nUsers);
        int[] both = distinctIds(rnd, 2 * n <= nItems ? 2 * n : nItems, nItems);
        int[] pos = new int[n];
        int[] neg = new int[n];
        for (int j = 0; j < n; j++) {
            if (repeatFree) {
                pos[j] = both[2 * j];
                neg[j] = both[2 * j + 1];
            } else {
                pos[j] = rnd.nextInt(nItems);
                neg[j] = (pos[j] + 1 + rnd.nextInt(nItems - 1)) % nItems;
            }
        }
        boolean biased = k % 2 == 0 || repeatFree;
        Oracle.Params expected = Oracle.bpr(p, q, k, biased ? bi : null, users, pos, neg,
                BPR.learningRate(), BPR.factorReg(), BPR.biasReg());
        DenseMatrix pm = matrix(nUsers, k, p);
        DenseMatrix qm = matrix(nItems, k, q);
        DenseMatrix bim = biased ? vector(bi) : null;
        double loss = kernels.bpr(pm, qm, bim, triples(users, pos, neg), BPR);
        int[] touchedItems = IntStream.concat(Arrays.stream(pos), Arrays.stream(neg)).toArray();
        checkUpdate("bpr", expected, loss, repeatFree, p, pm, q, qm, users, touchedItems, k,
                biased ? new float[][] {null, bi} : null, null, bim, bprLoss(users, pos, neg, k));
    }

    /**
     * Bounds of a side-block partition of [0, n), uneven; blocks may be empty unless
     * {@code minWidth} asks for at least that many ids per block.
     */
    private static int[] blockBounds(SplittableRandom rnd, int side, int n, int minWidth) {
        int[] b = new int[side + 1];
        b[side] = n;
        int spare = n - minWidth * side;
        int[] cuts = new int[side - 1];
        for (int c = 0; c < cuts.length; c++) cuts[c] = rnd.nextInt(spare + 1);
        Arrays.sort(cuts);
        for (int c = 1; c < side; c++) b[c] = cuts[c - 1] + minWidth * c;
        return b;
    }

    private static int[] permuted(int[] v, int[] order) {
        int[] out = new int[order.length];
        for (int x = 0; x < order.length; x++) out[x] = v[order[x]];
        return out;
    }

    /**
     * SGD on a list arranged on a grid (repeated users and items, a duplicate pair, uneven and
     * empty blocks): every backend runs it in list order, a parallel one with each round's
     * cells on its threads, so every backend is held to the sequential bound of the arranged
     * list.
     */
    /**
     * SGD on a one-cell grid whose users come in runs of 1 to 24 ratings (a backend may keep p_u
     * and the running dot in registers across a run), one run repeating an item back to back
     * and one repeating it with another item between: held to the sequential bound on any
     * thread count.
     */
    @ParameterizedTest(name = "k={0}")
    @MethodSource("ks")
    void sgdOnGridLongUserRuns(int k) {
        SplittableRandom rnd = random("sgdOnGridLongUserRuns", k, 0);
        int nUsers = 7;
        int nItems = 40;
        double scale = 1 / Math.sqrt(k);
        float[] p = values(rnd, nUsers * k, scale);
        float[] q = values(rnd, nItems * k, scale);
        float[] bu = values(rnd, nUsers, 0.3);
        float[] bi = values(rnd, nItems, 0.3);
        int[] runs = {1, 2, 24, 3, 17, 9, 5};
        int n = 0;
        for (int length : runs) n += length;
        int[] users = new int[n];
        int[] items = new int[n];
        float[] ratings = new float[n];
        int j = 0;
        for (int u = 0; u < nUsers; u++) {
            int first = j;
            for (int x = 0; x < runs[u]; x++, j++) {
                users[j] = u;
                items[j] = rnd.nextInt(nItems);
                ratings[j] = 1 + rnd.nextInt(9) * 0.5f;
            }
            if (u == 2) items[first + 6] = items[first + 5];  // back to back
            if (u == 4) items[first + 9] = items[first + 7];  // one rating between
        }
        BlockGrid grid = BlockGrid.of(new int[] {0, nUsers}, new int[] {0, nItems});
        assertArrayEquals(users, permuted(users, grid.arrange(users, items).order()), "the runs are in schedule order");
        boolean biased = k % 2 == 0;
        Oracle.Params expected = Oracle.sgd(p, q, k, biased ? bu : null, biased ? bi : null, users, items, ratings,
                SGD.globalMean(), SGD.learningRate(), SGD.factorReg(), SGD.biasReg());
        DenseMatrix pm = matrix(nUsers, k, p);
        DenseMatrix qm = matrix(nItems, k, q);
        DenseMatrix bum = biased ? vector(bu) : null;
        DenseMatrix bim = biased ? vector(bi) : null;
        double loss = kernels.sgd(pm, qm, bum, bim, track(kernels.interactions(users, items, ratings, grid)), SGD);
        RatingList list = new RatingList(users, items, ratings);
        checkUpdate("sgd on user runs", expected, loss, true, p, pm, q, qm, users, items, k,
                biased ? new float[][] {bu, bi} : null, bum, bim, squaredErrors(list, k));
    }

    @ParameterizedTest(name = "k={0}")
    @MethodSource("ks")
    void sgdOnGrid(int k) {
        SplittableRandom rnd = random("sgdOnGrid", k, 0);
        int nUsers = 14;
        int nItems = 16;
        double scale = 1 / Math.sqrt(k);
        float[] p = values(rnd, nUsers * k, scale);
        float[] q = values(rnd, nItems * k, scale);
        float[] bu = values(rnd, nUsers, 0.3);
        float[] bi = values(rnd, nItems, 0.3);
        RatingList list = ratingList(rnd, 30 + k % 37, nUsers, nItems, false);
        int side = 1 + k % 4;
        BlockGrid grid = BlockGrid.of(blockBounds(rnd, side, nUsers, 0), blockBounds(rnd, side, nItems, 0));
        int[] order = grid.arrange(list.users, list.items).order();
        RatingList arranged = new RatingList(permuted(list.users, order), permuted(list.items, order), new float[order.length]);
        for (int x = 0; x < order.length; x++) arranged.ratings[x] = list.ratings[order[x]];
        boolean biased = k % 2 == 1;
        Oracle.Params expected = Oracle.sgd(p, q, k, biased ? bu : null, biased ? bi : null, arranged.users,
                arranged.items, arranged.ratings, SGD.globalMean(), SGD.learningRate(), SGD.factorReg(), SGD.biasReg());
        DenseMatrix pm = matrix(nUsers, k, p);
        DenseMatrix qm = matrix(nItems, k, q);
        DenseMatrix bum = biased ? vector(bu) : null;
        DenseMatrix bim = biased ? vector(bi) : null;
        Interactions ratings = track(kernels.interactions(list.users, list.items, list.ratings, grid));
        assertArrayEquals(arranged.users, ratings.users().toArray(), "the list is arranged in schedule order");
        double loss = kernels.sgd(pm, qm, bum, bim, ratings, SGD);
        checkUpdate("sgd on a grid", expected, loss, true, p, pm, q, qm, list.users, list.items, k,
                biased ? new float[][] {bu, bi} : null, bum, bim, squaredErrors(arranged, k));
    }

    /** BPR on triples arranged on a grid (negatives in their positive's item block): held to the sequential bound. */
    @ParameterizedTest(name = "k={0}")
    @MethodSource("ks")
    void bprOnGrid(int k) {
        SplittableRandom rnd = random("bprOnGrid", k, 0);
        int nUsers = 13;
        int nItems = 24;
        double scale = 1 / Math.sqrt(k);
        float[] p = values(rnd, nUsers * k, scale);
        float[] q = values(rnd, nItems * k, scale);
        float[] bi = values(rnd, nItems, 0.3);
        int side = 1 + k % 4;
        BlockGrid grid = BlockGrid.of(blockBounds(rnd, side, nUsers, 0), blockBounds(rnd, side, nItems, 2));
        int[] itemBlock = grid.itemBlocks();
        int n = 25 + k % 29;
        int[] users = ids(rnd, n, nUsers);
        int[] pos = ids(rnd, n, nItems);
        users[n - 1] = users[0]; // a repeated (user, positive) pair
        pos[n - 1] = pos[0];
        int[] neg = new int[n];
        for (int j = 0; j < n; j++) {
            int lo = grid.itemStart(itemBlock[pos[j]]);
            int width = grid.itemStart(itemBlock[pos[j]] + 1) - lo;
            neg[j] = lo + (pos[j] - lo + 1 + rnd.nextInt(width - 1)) % width;
        }
        int[] order = grid.arrange(users, pos).order();
        int[] au = permuted(users, order);
        int[] ap = permuted(pos, order);
        int[] an = permuted(neg, order);
        boolean biased = k % 2 == 0;
        Oracle.Params expected = Oracle.bpr(p, q, k, biased ? bi : null, au, ap, an,
                BPR.learningRate(), BPR.factorReg(), BPR.biasReg());
        DenseMatrix pm = matrix(nUsers, k, p);
        DenseMatrix qm = matrix(nItems, k, q);
        DenseMatrix bim = biased ? vector(bi) : null;
        Triples triples = track(kernels.triples(users, pos, neg, grid));
        assertArrayEquals(an, triples.negatives().toArray(), "the triples are arranged in schedule order");
        // Triples already in schedule order (what a sampler walking the cells draws) take the one-pass path.
        Triples arranged = track(kernels.triples(au, ap, an, grid));
        assertArrayEquals(au, arranged.users().toArray(), "arranged triples: users as given");
        assertArrayEquals(ap, arranged.positives().toArray(), "arranged triples: positives as given");
        assertArrayEquals(an, arranged.negatives().toArray(), "arranged triples: negatives as given");
        assertEquals(triples.conflictFree(), arranged.conflictFree(), "arranged triples: conflict-free flag");
        for (int c = 0; c <= side * side; c++) {
            assertEquals(triples.schedule().start(c), arranged.schedule().start(c), "arranged triples: cell " + c);
        }
        double loss = kernels.bpr(pm, qm, bim, triples, BPR);
        int[] touchedItems = IntStream.concat(Arrays.stream(pos), Arrays.stream(neg)).toArray();
        checkUpdate("bpr on a grid", expected, loss, true, p, pm, q, qm, users, touchedItems, k,
                biased ? new float[][] {null, bi} : null, null, bim, bprLoss(au, ap, an, k));
        // Without the loss: NaN, and the same updates bit for bit.
        DenseMatrix pNoLoss = matrix(nUsers, k, p);
        DenseMatrix qNoLoss = matrix(nItems, k, q);
        DenseMatrix biNoLoss = biased ? vector(bi) : null;
        BprParams noLoss = new BprParams(BPR.learningRate(), BPR.factorReg(), BPR.biasReg(), false);
        assertTrue(Double.isNaN(kernels.bpr(pNoLoss, qNoLoss, biNoLoss, triples, noLoss)),
                "bpr without the loss returns NaN");
        assertArrayEquals(pm.toArray(), pNoLoss.toArray(), "p: the same updates without the loss");
        assertArrayEquals(qm.toArray(), qNoLoss.toArray(), "q: the same updates without the loss");
        if (biased) assertArrayEquals(bim.toArray(), biNoLoss.toArray(), "item biases: the same updates without the loss");
    }

    /** {@code listOrder}: the backend must follow list order (repeat-free or grid lists, or a sequential backend). */
    private void checkUpdate(String kernel, Oracle.Params expected, double loss, boolean listOrder,
                             float[] p, DenseMatrix pm, float[] q, DenseMatrix qm, int[] users, int[] items, int k,
                             float[][] biasesBefore, DenseMatrix bum, DenseMatrix bim,
                             LossOfFactors lossAfter) {
        float[] pAfter = pm.toArray();
        float[] qAfter = qm.toArray();
        assertUntouchedRows(kernel + " p", p, pAfter, k, users);
        assertUntouchedRows(kernel + " q", q, qAfter, k, items);
        if (biasesBefore != null && bum != null) assertUntouchedRows(kernel + " userBias", biasesBefore[0], bum.toArray(), 1, users);
        if (biasesBefore != null && bim != null) assertUntouchedRows(kernel + " itemBias", biasesBefore[1], bim.toArray(), 1, items);
        if (listOrder || sequentialOnRepeatedIds()) {
            assertEquals(expected.loss, loss, Oracle.SAFETY * expected.lossBound + Oracle.FLOOR, kernel + " loss");
            assertWithin(kernel + " p", expected.pApprox(), pAfter);
            assertWithin(kernel + " q", expected.qApprox(), qAfter);
            if (bum != null) assertWithin(kernel + " userBias", expected.userBiasApprox(), bum.toArray());
            if (bim != null) assertWithin(kernel + " itemBias", expected.itemBiasApprox(), bim.toArray());
        } else {
            // Another order of the same updates (a parallel schedule): not within rounding of the
            // sequential result, but the pass must do the same work. Checked by loss: the loss it
            // returns, and the training loss of the parameters it leaves, each within 10% of
            // the sequential oracle's (the lists have a few repeats per row and η = 0.05, so
            // reordering moves either by a few percent).
            assertEquals(expected.loss, loss, 0.1 * expected.loss + 1e-6, kernel + " loss (any conflict-free order)");
            float[][] got = {pAfter, qAfter, bum == null ? null : bum.toArray(), bim == null ? null : bim.toArray()};
            for (float[] v : got) {
                if (v == null) continue;
                for (int i = 0; i < v.length; i++) assertTrue(Float.isFinite(v[i]), kernel + " left a non-finite " + v[i]);
            }
            float[][] oracle = {narrow(expected.p), narrow(expected.q), narrow(expected.userBias), narrow(expected.itemBias)};
            double after = lossAfter.of(got);
            double oracleAfter = lossAfter.of(oracle);
            assertEquals(oracleAfter, after, 0.1 * oracleAfter + 1e-6, kernel + " training loss after the pass");
        }
    }

    private static float[] narrow(double[] v) {
        if (v == null) return null;
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) out[i] = (float) v[i];
        return out;
    }

    /** Σ (r − μ − b_u − b_i − p_u·q_i)² in float64 over a list, for parameters {p, q, userBias, itemBias}. */
    /** The training loss of a set of factor matrices (P, Q, biases), as the oracle defines it. */
    @FunctionalInterface
    private interface LossOfFactors {
        double of(float[][] factors);
    }

    private static LossOfFactors squaredErrors(RatingList list, int k) {
        return x -> {
            double sum = 0;
            for (int j = 0; j < list.users.length; j++) {
                int u = list.users[j];
                int i = list.items[j];
                double pred = SGD.globalMean();
                for (int t = 0; t < k; t++) pred += (double) x[0][u * k + t] * x[1][i * k + t];
                if (x[2] != null) pred += x[2][u] + x[3][i];
                double e = list.ratings[j] - pred;
                sum += e * e;
            }
            return sum;
        };
    }

    /** Σ −ln σ(x_uij) in float64 over triples, for parameters {p, q, -, itemBias}. */
    private static LossOfFactors bprLoss(int[] users, int[] pos, int[] neg, int k) {
        return x -> {
            double sum = 0;
            for (int j = 0; j < users.length; j++) {
                double m = 0;
                for (int t = 0; t < k; t++) {
                    m += (double) x[0][users[j] * k + t] * ((double) x[1][pos[j] * k + t] - x[1][neg[j] * k + t]);
                }
                if (x[3] != null) m += (double) x[3][pos[j]] - x[3][neg[j]];
                sum += Oracle.softplus(-m);
            }
            return sum;
        };
    }

    // ================================================================ family 3: ALS

    @ParameterizedTest(name = "k={0}")
    @MethodSource("ks")
    void gram(int k) {
        SplittableRandom rnd = random("gram", k, 0);
        int n = 3 + (k * 5) % 23;
        float[] y = values(rnd, n * k, 1);
        DenseMatrix out = poisoned(k, k);
        kernels.gram(matrix(n, k, y), out);
        float[] g = out.toArray();
        assertWithin("gram", Oracle.gram(y, n, k), g);
        assertSymmetric("gram", g, 1, k);
    }

    private static HostCsr alsRatings(SplittableRandom rnd, int rows, int cols, int maxLength, boolean implicit) {
        return randomCsr(rnd, rows, cols, maxLength,
                implicit ? () -> rnd.nextInt(4) == 0 ? 0f : (float) (rnd.nextInt(20) * 0.25)
                        : () -> (float) (1 + rnd.nextInt(9) * 0.5));
    }

    @ParameterizedTest(name = "k={0} scaleByCount={1}")
    @MethodSource("ksWithBoth")
    void normalEquationsExplicit(int k, boolean scaleByCount) {
        SplittableRandom rnd = random("neExplicit", k, scaleByCount ? 1 : 0);
        int nItems = 19;
        float[] y = values(rnd, nItems * k, 1 / Math.sqrt(k));
        HostCsr csr = alsRatings(rnd, 6, nItems, 12, false);
        int[] rows = {5, 1, 0, 3};
        ExplicitAlsParams params = new ExplicitAlsParams(0.75f, scaleByCount);
        DenseMatrix a = poisoned(rows.length, k * k);
        DenseMatrix b = poisoned(rows.length, k);
        kernels.normalEquationsExplicit(indices(rows), upload(csr), matrix(nItems, k, y), params, a, b);
        float[] av = a.toArray();
        float[] bv = b.toArray();
        for (int n = 0; n < rows.length; n++) {
            Oracle.NormalSystem sys = Oracle.explicit(rows[n], csr.rowPtr, csr.colIdx, csr.values, y, k,
                    params.lambda(), scaleByCount);
            assertWithin("A of row " + rows[n], sys.a, Arrays.copyOfRange(av, n * k * k, (n + 1) * k * k));
            assertWithin("b of row " + rows[n], sys.b, Arrays.copyOfRange(bv, n * k, (n + 1) * k));
        }
        assertSymmetric("A", av, rows.length, k);
    }

    @ParameterizedTest(name = "k={0}")
    @MethodSource("ks")
    void normalEquationsImplicit(int k) {
        SplittableRandom rnd = random("neImplicit", k, 0);
        int nItems = 21;
        float[] y = values(rnd, nItems * k, 1 / Math.sqrt(k));
        float[] gram = gramOf(y, nItems, k);
        HostCsr csr = alsRatings(rnd, 5, nItems, 10, true);
        int[] rows = {0, 1, 4, 2};
        ImplicitAlsParams params = new ImplicitAlsParams(2.5f, 0.5f);
        DenseMatrix a = poisoned(rows.length, k * k);
        DenseMatrix b = poisoned(rows.length, k);
        kernels.normalEquationsImplicit(indices(rows), upload(csr), matrix(nItems, k, y), matrix(k, k, gram), params, a, b);
        float[] av = a.toArray();
        float[] bv = b.toArray();
        for (int n = 0; n < rows.length; n++) {
            Oracle.NormalSystem sys = Oracle.implicit(rows[n], csr.rowPtr, csr.colIdx, csr.values, y, k, gram,
                    params.alpha(), params.lambda());
            assertWithin("A of row " + rows[n], sys.a, Arrays.copyOfRange(av, n * k * k, (n + 1) * k * k));
            assertWithin("b of row " + rows[n], sys.b, Arrays.copyOfRange(bv, n * k, (n + 1) * k));
        }
        assertSymmetric("A", av, rows.length, k);
    }

    /** YᵀY rounded to float32 from the oracle (the caller-supplied Gram is an exact input). */
    private static float[] gramOf(float[] y, int n, int k) {
        double[] g = Oracle.gram(y, n, k).value;
        float[] out = new float[g.length];
        for (int i = 0; i < g.length; i++) out[i] = (float) g[i];
        return out;
    }

    /** Random SPD k×k: M Mᵀ/k + I, exactly symmetric in float32. */
    private static float[] spd(SplittableRandom rnd, int k) {
        float[] m = values(rnd, k * k, 1);
        float[] a = new float[k * k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int t = 0; t < k; t++) s += (double) m[i * k + t] * m[j * k + t];
                float v = (float) (s / k + (i == j ? 1 : 0));
                a[i * k + j] = v;
                a[j * k + i] = v;
            }
        }
        return a;
    }

    @ParameterizedTest(name = "k={0}")
    @MethodSource("ks")
    void choleskySolve(int k) {
        SplittableRandom rnd = random("cholesky", k, 0);
        int systems = 3;
        float[] a = new float[systems * k * k];
        for (int s = 0; s < systems; s++) System.arraycopy(spd(rnd, k), 0, a, s * k * k, k * k);
        // Only the lower triangle is read: scribble over the strict upper triangle of system 1.
        for (int i = 0; i < k; i++) for (int j = i + 1; j < k; j++) a[k * k + i * k + j] = 1e6f;
        float[] b = values(rnd, systems * k, 1);
        DenseMatrix am = matrix(systems, k * k, a);
        DenseMatrix bm = matrix(systems, k, b);
        boolean inPlace = k % 2 == 1;
        DenseMatrix x = inPlace ? bm : poisoned(systems, k);
        kernels.choleskySolve(am, bm, x);
        float[] xv = x.toArray();
        for (int s = 0; s < systems; s++) {
            float[] lowerMirrored = Arrays.copyOfRange(a, s * k * k, (s + 1) * k * k);
            for (int i = 0; i < k; i++) for (int j = i + 1; j < k; j++) lowerMirrored[i * k + j] = lowerMirrored[j * k + i];
            Oracle.NormalSystem sys = Oracle.exact(lowerMirrored, 0, b, s * k, k);
            assertWithin("x of system " + s + (inPlace ? " (x = b)" : ""), Oracle.choleskySolution(sys, xv, s * k),
                    Arrays.copyOfRange(xv, s * k, (s + 1) * k));
        }
        assertBitsEqual("a after the solve", a, am.toArray());
        if (!inPlace) assertBitsEqual("b after the solve", b, bm.toArray());
    }

    @ParameterizedTest(name = "k={0}")
    @MethodSource("ks")
    void choleskyRejectsNonSpdAndWritesNothing(int k) {
        SplittableRandom rnd = random("choleskyNonSpd", k, 0);
        int systems = 3;
        float[] a = new float[systems * k * k];
        for (int s = 0; s < systems; s++) System.arraycopy(spd(rnd, k), 0, a, s * k * k, k * k);
        int bad = k - 1 - (k / 3);
        a[k * k + bad * k + bad] = -1f; // system 1, pivot `bad` (≤ the diagonal, so ≤ 0 after elimination)
        float[] b = values(rnd, systems * k, 1);
        float[] x0 = values(rnd, systems * k, 1);
        DenseMatrix bm = matrix(systems, k, b);
        boolean inPlace = k % 2 == 0;
        DenseMatrix x = inPlace ? bm : matrix(systems, k, x0);
        NotPositiveDefiniteException e = assertThrows(NotPositiveDefiniteException.class,
                () -> kernels.choleskySolve(matrix(systems, k * k, a), bm, x));
        assertEquals(1, e.system(), e.getMessage());
        assertEquals("a", e.argument(), e.getMessage());
        assertEquals(bad, e.column(), e.getMessage());
        assertTrue(e.getMessage().contains("a 1"), e.getMessage());
        assertBitsEqual("x after the failed solve" + (inPlace ? " (x = b)" : ""), inPlace ? b : x0, x.toArray());
    }

    /**
     * The solvers every ALS case runs: Cholesky, CG with 1–4 steps (varying with k), and the
     * subspace sweep with blocks around the lane widths, one that leaves a short last block,
     * 1, and more than k.
     */
    static Stream<Arguments> ksWithSolvers() {
        return ks().boxed().flatMap(k -> Stream.concat(Stream.of("cholesky", "cg"),
                IntStream.of(1, 3, 8, 16, 17, 32, Math.max(1, k / 2 + 1), k + 5).filter(b -> b <= k + 5).distinct()
                        .mapToObj(b -> "subspace" + b)).map(solver -> Arguments.of(k, solver)));
    }

    /** The named solver; {@code cg} gets {@code 1 + k % steps} steps. */
    private static Solver solver(String name, int k, int steps) {
        return name.equals("cg") ? Solver.cg(1 + k % steps) : Solver.parse("solver", name);
    }

    @ParameterizedTest(name = "k={0} {1}")
    @MethodSource("ksWithSolvers")
    void solveExplicit(int k, String solverName) {
        SplittableRandom rnd = random("solveExplicit", k, solverName.hashCode());
        int nUsers = 7;
        int nItems = 17;
        float[] y = values(rnd, nItems * k, 1 / Math.sqrt(k));
        float[] x0 = values(rnd, nUsers * k, 1);
        HostCsr csr = alsRatings(rnd, nUsers, nItems, 9, false);
        int[] rows = {6, 1, 0, 3, 4};
        ExplicitAlsParams params = new ExplicitAlsParams(1f, (k + solverName.length()) % 3 == 0);
        Solver solver = solver(solverName, k, 4);
        DenseMatrix x = matrix(nUsers, k, x0);
        kernels.solveExplicit(x, indices(rows), upload(csr), matrix(nItems, k, y), params, solver);
        checkAls(x.toArray(), x0, rows, k, solver, csr,
                row -> Oracle.explicit(row, csr.rowPtr, csr.colIdx, csr.values, y, k, params.lambda(), params.scaleByCount()));
    }

    @ParameterizedTest(name = "k={0} {1}")
    @MethodSource("ksWithSolvers")
    void solveImplicit(int k, String solverName) {
        SplittableRandom rnd = random("solveImplicit", k, solverName.hashCode());
        int nUsers = 6;
        int nItems = 14;
        float[] y = values(rnd, nItems * k, 1 / Math.sqrt(k));
        float[] gram = gramOf(y, nItems, k);
        float[] x0 = values(rnd, nUsers * k, 1);
        HostCsr csr = alsRatings(rnd, nUsers, nItems, 8, true);
        int[] rows = {2, 1, 0, 5};
        ImplicitAlsParams params = new ImplicitAlsParams(1.5f, 1f);
        Solver solver = solver(solverName, k, 3);
        DenseMatrix x = matrix(nUsers, k, x0);
        kernels.solveImplicit(x, indices(rows), upload(csr), matrix(nItems, k, y), matrix(k, k, gram), params, solver);
        checkAls(x.toArray(), x0, rows, k, solver, csr,
                row -> Oracle.implicit(row, csr.rowPtr, csr.colIdx, csr.values, y, k, gram, params.alpha(), params.lambda()));
    }

    /**
     * The exact-solve limit: with one block covering all k coordinates, one sweep is
     * x0 + A⁻¹(b − A x0) = A⁻¹b, whatever the start. The oracle's sweep must equal the float64
     * solution, and the backend's result must be within the sweep's bound of it.
     */
    @ParameterizedTest(name = "k={0}")
    @MethodSource("ks")
    void subspaceWithOneBlockIsAnExactSolve(int k) {
        SplittableRandom rnd = random("subspaceExact", k, 0);
        int nUsers = 5;
        int nItems = 12;
        float[] y = values(rnd, nItems * k, 1 / Math.sqrt(k));
        float[] gram = gramOf(y, nItems, k);
        float[] x0 = values(rnd, nUsers * k, 1);
        HostCsr csr = alsRatings(rnd, nUsers, nItems, 7, true);
        int[] rows = {0, 2, 3, 4};
        ImplicitAlsParams params = new ImplicitAlsParams(2f, 1f);
        for (int blockSize : new int[] {k, k + 1 + k % 3}) {
            DenseMatrix x = matrix(nUsers, k, x0);
            kernels.solveImplicit(x, indices(rows), upload(csr), matrix(nItems, k, y), matrix(k, k, gram), params,
                    Solver.subspace(blockSize));
            float[] after = x.toArray();
            assertUntouchedRows("x", x0, after, k, rows);
            for (int row : rows) {
                if (csr.rowPtr[row] == csr.rowPtr[row + 1]) continue;
                Oracle.NormalSystem sys = Oracle.implicit(row, csr.rowPtr, csr.colIdx, csr.values, y, k, gram,
                        params.alpha(), params.lambda());
                Oracle.Approx sweep = Oracle.subspace(sys, x0, row * k, blockSize);
                double[] exact = Oracle.exactSolution(sys);
                for (int t = 0; t < k; t++) {
                    assertEquals(exact[t], sweep.value[t], 1e-9 * (1 + Math.abs(exact[t])),
                            "the oracle's one-block sweep is the exact solve, row " + row + " element " + t);
                }
                assertWithin("x row " + row + " (subspace" + blockSize + " = exact solve)",
                        new Oracle.Approx(exact, sweep.bound), Arrays.copyOfRange(after, row * k, (row + 1) * k));
            }
        }
    }

    /**
     * Each block step minimizes the row's quadratic ½xᵀAx − bᵀx over its block exactly, so a
     * sweep never increases it, and from a random start it decreases. Three sweeps in a row
     * are compared, each within the slack its result's bound allows.
     */
    @ParameterizedTest(name = "k={0}")
    @MethodSource("ks")
    void subspaceSweepsDecreaseTheObjective(int k) {
        SplittableRandom rnd = random("subspaceMonotone", k, 0);
        int nUsers = 4;
        int nItems = 15;
        float[] y = values(rnd, nItems * k, 1 / Math.sqrt(k));
        float[] gram = gramOf(y, nItems, k);
        float[] x0 = values(rnd, nUsers * k, 2);
        HostCsr csr = alsRatings(rnd, nUsers, nItems, 9, true);
        int[] rows = {0, 2, 3};
        ImplicitAlsParams params = new ImplicitAlsParams(1f, 1f);
        Solver solver = Solver.subspace(Math.max(1, k / 3));
        DenseMatrix x = matrix(nUsers, k, x0);
        CsrMatrix ratings = upload(csr);
        DenseMatrix ym = matrix(nItems, k, y);
        DenseMatrix gm = matrix(k, k, gram);
        float[] before = x0;
        for (int sweep = 1; sweep <= 3; sweep++) {
            kernels.solveImplicit(x, indices(rows), ratings, ym, gm, params, solver);
            float[] after = x.toArray();
            for (int row : rows) {
                if (csr.rowPtr[row] == csr.rowPtr[row + 1]) continue;
                Oracle.NormalSystem sys = Oracle.implicit(row, csr.rowPtr, csr.colIdx, csr.values, y, k, gram,
                        params.alpha(), params.lambda());
                Oracle.Approx expected = Oracle.subspace(sys, before, row * k, solver.blockSize());
                double[] slackBound = new double[k];
                for (int t = 0; t < k; t++) slackBound[t] = Oracle.SAFETY * expected.bound[t] + Oracle.FLOOR;
                double fBefore = Oracle.objective(sys, before, row * k);
                double fAfter = Oracle.objective(sys, after, row * k);
                double slack = Oracle.objectiveSlack(sys, after, row * k, slackBound);
                assertTrue(fAfter <= fBefore + slack, "sweep " + sweep + " row " + row + ": objective " + fBefore
                        + " -> " + fAfter + " (slack " + slack + ")");
                if (sweep == 1) {
                    assertTrue(fAfter < fBefore, "the first sweep from a random start decreases the objective of row "
                            + row + ": " + fBefore + " -> " + fAfter);
                }
            }
            before = after;
        }
    }

    private static void checkAls(float[] after, float[] x0, int[] rows, int k, Solver solver, HostCsr csr,
                                 java.util.function.IntFunction<Oracle.NormalSystem> system) {
        assertUntouchedRows("x", x0, after, k, rows);
        for (int row : rows) {
            float[] got = Arrays.copyOfRange(after, row * k, (row + 1) * k);
            if (csr.rowPtr[row] == csr.rowPtr[row + 1]) {
                assertBitsEqual("x row " + row + " (no ratings: zero)", new float[k], got);
                continue;
            }
            Oracle.NormalSystem sys = system.apply(row);
            Oracle.Approx expected = switch (solver.kind()) {
                case CHOLESKY -> Oracle.choleskySolution(sys, after, row * k);
                case CG -> Oracle.conjugateGradient(sys, x0, row * k, solver.cgSteps());
                case SUBSPACE -> Oracle.subspace(sys, x0, row * k, solver.blockSize());
            };
            assertWithin("x row " + row + " (" + solver + ")", expected, got);
        }
    }

    @ParameterizedTest(name = "k={0}")
    @MethodSource("ks")
    void conjugateGradientStopsAtAnExactSolution(int k) {
        // y = e_t rows: A = I·(count) + λI is diagonal with small integers and x0 its exact
        // solution, so r = b − A x0 is exactly 0 and CG must return x0 bit for bit.
        int nItems = k;
        float[] y = new float[nItems * k];
        for (int t = 0; t < k; t++) y[t * k + t] = 1f;
        int[] rowPtr = {0, k, k};
        int[] cols = IntStream.range(0, k).toArray();
        float[] vals = new float[k];
        for (int t = 0; t < k; t++) vals[t] = 2f * (t % 5 + 1);
        HostCsr csr = new HostCsr(2, nItems, rowPtr, cols, vals);
        float[] x0 = new float[2 * k];
        for (int t = 0; t < k; t++) x0[t] = vals[t] / 2f; // A = I + λI = 2I, b = vals
        x0[k] = 42f; // row 1 is not in the batch
        for (Solver solver : new Solver[] {Solver.cg(5), Solver.subspace(1 + k / 4), Solver.subspace(k)}) {
            DenseMatrix x = matrix(2, k, x0);
            kernels.solveExplicit(x, indices(new int[] {0}), upload(csr), matrix(nItems, k, y),
                    new ExplicitAlsParams(1f, false), solver);
            assertBitsEqual("x after " + solver.label() + " from the exact solution", x0, x.toArray());
        }
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"cholesky", "cg3", "subspace2", "subspace6"})
    void alsRejectsANonSpdRowAndWritesNothing(String solverName) {
        int k = 6;
        Solver solver = Solver.parse("solver", solverName);
        SplittableRandom rnd = random("alsNonSpd", k, solver.kind().ordinal());
        int nItems = 9;
        float[] y = values(rnd, nItems * k, 0.3);
        float[] gram = new float[k * k];
        for (int t = 0; t < k; t++) gram[t * k + t] = -10f; // not a Gram matrix: A is negative definite
        HostCsr csr = alsRatings(rnd, 4, nItems, 5, true);
        float[] x0 = values(rnd, 4 * k, 1);
        DenseMatrix x = matrix(4, k, x0);
        NotPositiveDefiniteException e = assertThrows(NotPositiveDefiniteException.class,
                () -> kernels.solveImplicit(x, indices(new int[] {2, 0, 3}), upload(csr), matrix(nItems, k, y),
                        matrix(k, k, gram), new ImplicitAlsParams(1f, 0.1f), solver));
        assertTrue(e.getMessage().contains("ratings row"), e.getMessage());
        assertEquals("ratings row", e.argument());
        assertTrue(IntStream.of(2, 0, 3).anyMatch(r -> r == e.system() && csr.rowPtr[r] < csr.rowPtr[r + 1]),
                "the exception names a listed row with entries, not " + e.system());
        assertBitsEqual("x after the failed half-step", x0, x.toArray());
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"cholesky", "cg3", "subspace1", "subspace4"})
    void alsRejectsAnOverflowingRowAndWritesNothing(String solverName) {
        Solver solver = Solver.parse("solver", solverName);
        // q qᵀ overflows to +Inf: A is not a finite SPD matrix. CG meets a NaN pᵀAp, which
        // is a breakdown, never a success.
        int k = 4;
        float[] y = {1e30f, -1e30f, 1e30f, 1e30f, 0.5f, 0.25f, -0.5f, 1f};
        HostCsr csr = new HostCsr(2, 2, new int[] {0, 2, 3}, new int[] {0, 1, 1}, new float[] {1f, 2f, 3f});
        // The second start makes A·x0 = Inf − Inf = NaN in float32, so CG sees NaN, not Inf.
        float[][] starts = {{0.5f, -0.25f, 1f, 2f, 3f, 4f, 5f, 6f}, {1f, 1f, 0.5f, -0.5f, 3f, 4f, 5f, 6f}};
        for (float[] x0 : starts) {
            DenseMatrix x = matrix(2, k, x0);
            NotPositiveDefiniteException e = assertThrows(NotPositiveDefiniteException.class,
                    () -> kernels.solveExplicit(x, indices(new int[] {1, 0}), upload(csr), matrix(2, k, y),
                            new ExplicitAlsParams(0.1f, false), solver),
                    "start " + Arrays.toString(x0));
            assertEquals(0, e.system(), e.getMessage());
            assertBitsEqual("x after the failed half-step", x0, x.toArray());
        }
    }

    // ================================================================ determinism

    @ParameterizedTest(name = "k={0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {3, 16, 33, 128})
    void sameInputsGiveBitIdenticalResults(int k) {
        float[][] first = runEverything(k);
        float[][] second = runEverything(k);
        for (int i = 0; i < first.length; i++) assertBitsEqual("result " + i, first[i], second[i]);
    }

    private float[][] runEverything(int k) {
        SplittableRandom rnd = random("determinism", k, 0);
        int nUsers = 20;
        int nItems = 25;
        double scale = 1 / Math.sqrt(k);
        float[] p = values(rnd, nUsers * k, scale);
        float[] q = values(rnd, nItems * k, scale);
        float[] bu = values(rnd, nUsers, 0.3);
        float[] bi = values(rnd, nItems, 0.3);
        RatingList list = ratingList(rnd, 60, nUsers, nItems, false);
        List<float[]> results = new ArrayList<>();
        DenseMatrix pm = matrix(nUsers, k, p);
        DenseMatrix qm = matrix(nItems, k, q);
        DenseMatrix bum = vector(bu);
        DenseMatrix bim = vector(bi);
        Interactions ratings = interactions(list.users, list.items, list.ratings);
        results.add(new float[] {(float) kernels.sgd(pm, qm, bum, bim, ratings, SGD)});
        results.add(new float[] {(float) kernels.sgdMiniBatch(pm, qm, bum, bim, ratings, SGD)});
        int[] neg = new int[list.items.length];
        for (int j = 0; j < neg.length; j++) neg[j] = (list.items[j] + 1 + rnd.nextInt(nItems - 1)) % nItems;
        results.add(new float[] {(float) kernels.bpr(pm, qm, bim, triples(list.users, list.items, neg), BPR)});
        BlockGrid grid = BlockGrid.balanced(3, nUsers, nItems, list.users, list.items);
        Interactions onGrid = track(kernels.interactions(list.users, list.items, list.ratings, grid));
        results.add(new float[] {(float) kernels.sgd(pm, qm, bum, bim, onGrid, SGD)});
        int[] itemBlock = grid.itemBlocks();
        int[] inBlock = new int[neg.length];
        for (int j = 0; j < inBlock.length; j++) {
            int lo = grid.itemStart(itemBlock[list.items[j]]);
            int width = grid.itemStart(itemBlock[list.items[j]] + 1) - lo;
            inBlock[j] = width < 2 ? -1 : lo + (list.items[j] - lo + 1 + rnd.nextInt(width - 1)) % width;
        }
        int kept = 0;
        for (int j = 0; j < inBlock.length; j++) if (inBlock[j] >= 0) kept++;
        int[][] t = new int[3][kept];
        for (int j = 0, x = 0; j < inBlock.length; j++) {
            if (inBlock[j] < 0) continue;
            t[0][x] = list.users[j];
            t[1][x] = list.items[j];
            t[2][x++] = inBlock[j];
        }
        results.add(new float[] {(float) kernels.bpr(pm, qm, bim, track(kernels.triples(t[0], t[1], t[2], grid)), BPR)});
        results.add(pm.toArray());
        results.add(qm.toArray());
        results.add(bum.toArray());
        results.add(bim.toArray());
        DenseMatrix g = poisoned(k, k);
        kernels.gram(qm, g);
        results.add(g.toArray());
        int[] allUsers = IntStream.range(0, nUsers).toArray();
        DenseMatrix s = poisoned(nUsers, nItems);
        kernels.scores(pm, indices(allUsers), qm, s);
        results.add(s.toArray());
        int[] items = new int[nUsers * 4];
        float[] top = new float[nUsers * 4];
        kernels.topK(pm, indices(allUsers), qm, bim, null, 4, items, top);
        results.add(top);
        results.add(toFloats(items));
        HostCsr csr = alsRatings(rnd, nUsers, nItems, 9, true);
        CsrMatrix ratingsCsr = upload(csr);
        kernels.solveImplicit(pm, indices(allUsers), ratingsCsr, qm, g, new ImplicitAlsParams(1f, 1f), Solver.cg(3));
        results.add(pm.toArray());
        kernels.solveExplicit(pm, indices(allUsers), ratingsCsr, qm, new ExplicitAlsParams(1f, true), Solver.cholesky());
        results.add(pm.toArray());
        kernels.solveImplicit(qm, indices(IntStream.range(0, nItems).toArray()), upload(transpose(csr)), pm, g,
                new ImplicitAlsParams(2f, 0.5f), Solver.subspace(1 + k / 3));
        results.add(qm.toArray());
        kernels.solveExplicit(pm, indices(allUsers), ratingsCsr, qm, new ExplicitAlsParams(1f, false), Solver.subspace(8));
        results.add(pm.toArray());
        return results.toArray(new float[0][]);
    }

    /** The same entries by column: row c lists (r, value) for every entry (r, c), in row order. */
    static HostCsr transpose(HostCsr c) {
        int[] rowPtr = new int[c.cols + 1];
        for (int col : c.colIdx) rowPtr[col + 1]++;
        for (int j = 0; j < c.cols; j++) rowPtr[j + 1] += rowPtr[j];
        int[] next = Arrays.copyOf(rowPtr, c.cols);
        int[] colIdx = new int[c.colIdx.length];
        float[] values = new float[c.values.length];
        for (int r = 0; r < c.rows; r++) {
            for (int e = c.rowPtr[r]; e < c.rowPtr[r + 1]; e++) {
                int at = next[c.colIdx[e]]++;
                colIdx[at] = r;
                values[at] = c.values[e];
            }
        }
        return new HostCsr(c.cols, c.rows, rowPtr, colIdx, values);
    }

    private static float[] toFloats(int[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) out[i] = v[i];
        return out;
    }

    // ================================================================ bad inputs through the façade

    /** Asserts the call is rejected with a message naming each fragment, and that the factors did not change. */
    private void assertRejected(Executable call, DenseMatrix[] factors, String... fragments) {
        float[][] before = new float[factors.length][];
        for (int i = 0; i < factors.length; i++) before[i] = factors[i].toArray();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "message \"" + e.getMessage() + "\" does not name " + fragment);
        }
        for (int i = 0; i < factors.length; i++) assertBitsEqual("argument " + i + " after a rejected call", before[i], factors[i].toArray());
    }

    @Test
    void rejectsBadIdsValuesAndShapes() {
        int k = 4;
        SplittableRandom rnd = random("validation", k, 0);
        DenseMatrix p = matrix(3, k, values(rnd, 3 * k, 1));
        DenseMatrix q = matrix(5, k, values(rnd, 5 * k, 1));
        DenseMatrix bu = vector(values(rnd, 3, 1));
        DenseMatrix bi = vector(values(rnd, 5, 1));
        DenseMatrix[] all = {p, q, bu, bi};
        assertRejected(() -> kernels.pairs(new int[] {0, -3}, new int[] {1, 1}), all, "users[1]", "-3");
        assertRejected(() -> kernels.interactions(new int[] {0, 1}, new int[] {1, -2}, new float[] {1, 2}), all, "items[1]", "-2");
        assertRejected(() -> kernels.interactions(new int[] {0, 1, 2}, new int[] {1, 1, 1}, new float[] {1, 2, Float.NaN}),
                all, "values[2]", "NaN");
        assertRejected(() -> kernels.interactions(new int[] {0}, new int[] {1}, new float[] {Float.NEGATIVE_INFINITY}),
                all, "values[0]", "-Infinity");
        assertRejected(() -> kernels.interactions(new int[] {0, 1}, new int[] {1}, new float[] {1, 2}), all, "users", "items");
        Interactions userOutOfRange = interactions(new int[] {0, 3, 1}, new int[] {0, 1, 2}, new float[] {1, 2, 3});
        assertRejected(() -> kernels.sgd(p, q, bu, bi, userOutOfRange, SGD), all, "users[1]", "3", "[0, 3)");
        Interactions itemOutOfRange = interactions(new int[] {0, 1}, new int[] {7, 2}, new float[] {1, 2});
        assertRejected(() -> kernels.sgdMiniBatch(p, q, bu, bi, itemOutOfRange, SGD), all, "items[0]", "7");
        Interactions ok = interactions(new int[] {0, 1}, new int[] {4, 2}, new float[] {1, 2});
        DenseMatrix q5 = matrix(5, k + 1, values(rnd, 5 * (k + 1), 1));
        assertRejected(() -> kernels.sgd(p, q5, null, null, ok, SGD), all, "k mismatch", "k = 4", "k = 5");
        assertRejected(() -> kernels.sgd(p, q, bu, null, ok, SGD), all, "itemBias");
        assertRejected(() -> kernels.sgd(p, q, bi, bu, ok, SGD), all, "userBias", "5 × 1", "3 × 1");
        assertRejected(() -> kernels.sgd(p, p, null, null, ok, SGD), all, "q", "same matrix");
        assertRejected(() -> kernels.dot(p, q, ok, matrix(3, 1, new float[3])), all, "out", "3 × 1", "2 × 1");
        assertRejected(() -> kernels.triples(new int[] {0, 1}, new int[] {2, 3}, new int[] {2, 4}), all, "negatives[0]", "2");
        Triples badNegative = triples(new int[] {0}, new int[] {1}, new int[] {9});
        assertRejected(() -> kernels.bpr(p, q, bi, badNegative, BPR), all, "triples.negatives[0]", "9");
        BlockGrid grid = BlockGrid.of(new int[] {0, 1, 3}, new int[] {0, 2, 5});
        assertRejected(() -> kernels.triples(new int[] {0, 1}, new int[] {1, 3}, new int[] {0, 1}, grid), all,
                "negatives[1] = 1", "outside the item block [2, 5)", "positives[1] = 3");
        assertRejected(() -> kernels.interactions(new int[] {0, 4}, new int[] {1, 2}, new float[] {1, 2}, grid), all,
                "users[1] = 4", "outside the grid's 3 users");
        assertRejected(() -> kernels.triples(new int[] {0}, new int[] {7}, new int[] {1}, grid), all,
                "positives[0] = 7", "outside the grid's 5 items");
        assertRejected(() -> BlockGrid.of(new int[] {0, 2, 1}, new int[] {0, 1, 2}), all, "userBounds[2] = 1",
                "below userBounds[1] = 2");
        assertRejected(() -> BlockGrid.of(new int[] {1, 3}, new int[] {0, 2}), all, "userBounds[0] = 1");
        assertRejected(() -> BlockGrid.of(new int[] {0, 1, 3}, new int[] {0, 2}), all, "userBounds", "itemBounds");
        BlockGrid wide = BlockGrid.of(new int[] {0, 9}, new int[] {0, 9});
        Interactions onWideGrid = track(kernels.interactions(new int[] {0, 8}, new int[] {0, 1}, new float[] {1, 2}, wide));
        assertRejected(() -> kernels.sgd(p, q, bu, bi, onWideGrid, SGD), all, "users[1]", "8", "[0, 3)");
        assertRejected(() -> kernels.topK(p, indices(new int[] {0}), q, null, null, 0, new int[0], new float[0]), all, "k", "0");
        assertRejected(() -> kernels.topK(p, indices(new int[] {5}), q, null, null, 1, new int[1], new float[1]), all, "rows[0]", "5");
        assertRejected(() -> kernels.csr(2, 5, new int[] {0, 1, 2}, new int[] {0, 5}, new float[] {1, 1}), all, "colIdx[1]", "5");
        assertRejected(() -> kernels.csr(2, 5, new int[] {0, 2, 1}, new int[] {0, 4}, new float[] {1, 1}), all, "rowPtr[2]", "1");
        assertRejected(() -> new SgdParams(3f, -0.1f, 0f, 0f), all, "learningRate", "-0.1");
        assertRejected(() -> new ImplicitAlsParams(Float.NaN, 0f), all, "alpha", "NaN");
        assertRejected(() -> new ExplicitAlsParams(-1f, false), all, "lambda", "-1.0");
    }

    @Test
    void rejectsBadAlsInputs() {
        int k = 3;
        SplittableRandom rnd = random("validationAls", k, 0);
        DenseMatrix x = matrix(3, k, values(rnd, 3 * k, 1));
        DenseMatrix y = matrix(4, k, values(rnd, 4 * k, 1));
        DenseMatrix[] all = {x, y};
        CsrMatrix ratings = upload(new HostCsr(3, 4, new int[] {0, 2, 2, 3}, new int[] {0, 3, 1}, new float[] {1, 2, -1}));
        ExplicitAlsParams ex = new ExplicitAlsParams(1f, false);
        assertRejected(() -> kernels.solveExplicit(x, indices(new int[] {0, 3}), ratings, y, ex, Solver.cholesky()),
                all, "rows[1]", "3");
        assertRejected(() -> kernels.solveExplicit(x, indices(new int[] {0, 2, 0}), ratings, y, ex, Solver.cholesky()),
                all, "rows", "repeat");
        assertRejected(() -> kernels.solveExplicit(x, indices(new int[] {0}), ratings, matrix(5, k, new float[5 * k]), ex,
                Solver.cholesky()), all, "ratings", "4", "5");
        assertRejected(() -> kernels.solveExplicit(matrix(3, k + 1, new float[3 * (k + 1)]), indices(new int[] {0}), ratings,
                y, ex, Solver.cholesky()), all, "k mismatch", "x", "y");
        assertRejected(() -> kernels.solveImplicit(x, indices(new int[] {0}), ratings, y, matrix(k, k, new float[k * k]),
                new ImplicitAlsParams(1f, 1f), Solver.cg(2)), all, "negative", "-1.0");
        assertRejected(() -> new Solver(Solver.Kind.CG, 0), all, "cgSteps", "0");
        assertRejected(() -> Solver.subspace(0), all, "blockSize", "0");
        assertRejected(() -> Solver.parse("--solver", "subspace"), all, "--solver", "subspace");
        DenseMatrix a = matrix(2, k * k, new float[2 * k * k]);
        assertRejected(() -> kernels.choleskySolve(a, matrix(2, k + 1, new float[2 * (k + 1)]), matrix(2, k + 1,
                new float[2 * (k + 1)])), all, "a", "9", "16");
        assertRejected(() -> kernels.choleskySolve(a, matrix(3, k, new float[3 * k]), matrix(3, k, new float[3 * k])),
                all, "2", "3");
    }

    @Test
    void rejectsOutputsThatAliasInputValues() {
        // An output that is the values matrix of an Interactions or CsrMatrix would overwrite
        // the input while the kernel reads it.
        SplittableRandom rnd = random("aliasing", 1, 0);
        DenseMatrix p = matrix(3, 1, values(rnd, 3, 1));
        DenseMatrix q = matrix(3, 1, values(rnd, 3, 1));
        DenseMatrix bu = vector(values(rnd, 3, 1));
        DenseMatrix bi = vector(values(rnd, 3, 1));
        Interactions ratings = interactions(new int[] {0, 1, 2}, new int[] {2, 1, 0}, new float[] {1, 2, 3});
        DenseMatrix[] all = {p, q, bu, bi, ratings.values()};
        assertRejected(() -> kernels.dot(p, q, ratings, ratings.values()), all, "out");
        assertRejected(() -> kernels.predict(1f, bu, bi, p, q, ratings, ratings.values()), all, "out");
        assertRejected(() -> kernels.sgd(p, q, ratings.values(), bi, ratings, SGD), all, "userBias");
        assertRejected(() -> kernels.sgd(ratings.values(), q, null, null, ratings, SGD), all, "p");
        assertRejected(() -> kernels.sgdMiniBatch(p, q, bu, ratings.values(), ratings, SGD), all, "itemBias");
        CsrMatrix csr = upload(new HostCsr(3, 3, new int[] {0, 1, 2, 3}, new int[] {0, 1, 2}, new float[] {1, 2, 3}));
        DenseMatrix[] withCsr = {p, q, csr.values()};
        assertRejected(() -> kernels.solveExplicit(csr.values(), indices(new int[] {0}), csr, q, new ExplicitAlsParams(1f, false),
                Solver.cholesky()), withCsr, "x");
        assertRejected(() -> kernels.normalEquationsExplicit(indices(new int[] {0, 1, 2}), csr, q,
                new ExplicitAlsParams(1f, false), matrix(3, 1, new float[3]), csr.values()), withCsr, "b");
        assertRejected(() -> kernels.solveImplicit(csr.values(), indices(new int[] {0}), csr, q, matrix(1, 1, new float[] {1}),
                new ImplicitAlsParams(1f, 1f), Solver.cg(1)), withCsr, "x");
    }

    @Test
    void rejectsClosedHandles() {
        DenseMatrix p = matrix(2, 2, new float[] {1, 2, 3, 4});
        DenseMatrix q = track(kernels.matrix(2, 2, new float[] {1, 0, 0, 1}));
        q.close();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> kernels.dot(p, q, pairs(new int[] {0}, new int[] {1}), matrix(1, 1, new float[1])));
        assertTrue(e.getMessage().contains("q"), e.getMessage());
        assertNotNull(p.toArray());
    }
}
