package org.mfkit.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mfkit.core.DenseMatrix;
import org.mfkit.core.ExplicitAlsParams;
import org.mfkit.core.ImplicitAlsParams;
import org.mfkit.core.Kernels;
import org.mfkit.core.NotPositiveDefiniteException;
import org.mfkit.core.Solver;
import org.mfkit.core.conformance.Oracle;

/**
 * The dimension-major subspace sweep of cpu-vector ({@link VectorSubspace#sweepColumns}), which
 * cpu-vector takes for blocks of b ≤ {@value VectorSubspace#COLUMN_BLOCK_LIMIT}: every block
 * size it serves, k around the vector width, and rows of 0, 1, L − 1, L, L + 1, 2L + 3 and 150
 * kept entries (so every padding length of the entry count), implicit rows with dropped r = 0
 * entries too. Each listed row is held to the float64 oracle's sweep from the same warm start
 * ({@link Oracle#subspace}: its heuristic bound 4(blocks + 1)·κ_∞(A)·γ_{2k+m}·(‖x‖_∞ + ‖x_0‖_∞),
 * the one the conformance suite holds every subspace solve to: each block's sums are inner
 * products of at most 2k + m terms, in any order, and a block's error carries into the later
 * blocks through the predictions and G x, at most amplified by A's conditioning).
 */
class VectorSubspaceColumnsTest {
    private static final int[] KS = {1, 2, 15, 16, 17, 33, 64};
    private static final int L = VectorDots.L;
    /** Kept entries of the first rows; the rows after them repeat the counts with r = 0 entries mixed in. */
    private static final int[] COUNTS = {0, 1, L - 1, L, L + 1, 2 * L + 3, 150};

    static Stream<Arguments> blocksAndKs() {
        return IntStream.rangeClosed(1, VectorSubspace.COLUMN_BLOCK_LIMIT).boxed()
                .flatMap(b -> IntStream.of(KS).mapToObj(k -> Arguments.of(b, k)));
    }

    private record Ratings(int rows, int items, int[] rowPtr, int[] cols, float[] vals) {
        static Ratings draw(SplittableRandom rnd, int items) {
            int rows = 2 * COUNTS.length;
            int[] rowPtr = new int[rows + 1];
            for (int r = 0; r < rows; r++) rowPtr[r + 1] = rowPtr[r] + COUNTS[r % COUNTS.length];
            int[] cols = new int[rowPtr[rows]];
            float[] vals = new float[cols.length];
            for (int r = 0; r < rows; r++) {
                for (int e = rowPtr[r]; e < rowPtr[r + 1]; e++) {
                    cols[e] = rnd.nextInt(items);
                    boolean zero = r >= COUNTS.length && rnd.nextInt(3) == 0;
                    vals[e] = zero ? 0f : 0.5f * (1 + rnd.nextInt(6));
                }
            }
            return new Ratings(rows, items, rowPtr, cols, vals);
        }
    }

    /** Every row but the fourth, in reverse order. */
    private static int[] listed(int rows) {
        return IntStream.range(0, rows).map(i -> rows - 1 - i).filter(r -> r != 3).toArray();
    }

    @ParameterizedTest(name = "b={0} k={1}")
    @MethodSource("blocksAndKs")
    void implicitRowsMatchTheOracleOnEveryThreadCount(int b, int k) {
        SplittableRandom rnd = new SplittableRandom(100 * b + k);
        int items = 60;
        Ratings r = Ratings.draw(rnd, items);
        float[] y = AlsTestData.random(rnd, items * k, 1 / Math.sqrt(k));
        float[] gram = AlsTestData.gram(y, items, k);
        float[] x0 = AlsTestData.random(rnd, r.rows * k, 1);
        int[] list = listed(r.rows);
        ImplicitAlsParams params = new ImplicitAlsParams(2f, 0.5f);
        float[] one = null;
        for (int threads : new int[] {1, 3}) {
            float[] after = x0.clone();
            try (Kernels kernels = new Kernels(new VectorBackend(threads))) {
                DenseMatrix x = kernels.matrix(r.rows, k, after);
                kernels.solveImplicit(x, kernels.indices("rows", list), csr(kernels, r), kernels.matrix(r.items, k, y),
                        kernels.matrix(k, k, gram), params, Solver.subspace(b));
                after = x.toArray();
            }
            check(after, x0, k, b, r, list,
                    row -> Oracle.implicit(row, r.rowPtr, r.cols, r.vals, y, k, gram, params.alpha(), params.lambda()),
                    "implicit b=" + b + " threads=" + threads);
            if (one == null) one = after;
            else assertArrayEquals(one, after, "the same bits on 1 and 3 threads");
        }
    }

    @ParameterizedTest(name = "b={0} k={1}")
    @MethodSource("blocksAndKs")
    void explicitRowsMatchTheOracle(int b, int k) {
        SplittableRandom rnd = new SplittableRandom(200 * b + k);
        int items = 60;
        Ratings r = Ratings.draw(rnd, items);
        for (int e = 0; e < r.vals.length; e++) r.vals[e] -= 1.5f;
        float[] y = AlsTestData.random(rnd, items * k, 1 / Math.sqrt(k));
        float[] x0 = AlsTestData.random(rnd, r.rows * k, 1);
        int[] list = listed(r.rows);
        for (boolean scaleByCount : new boolean[] {true, false}) {
            ExplicitAlsParams params = new ExplicitAlsParams(0.25f, scaleByCount);
            float[] after;
            try (Kernels kernels = new Kernels(new VectorBackend(2))) {
                DenseMatrix x = kernels.matrix(r.rows, k, x0.clone());
                kernels.solveExplicit(x, kernels.indices("rows", list), csr(kernels, r), kernels.matrix(r.items, k, y),
                        params, Solver.subspace(b));
                after = x.toArray();
            }
            check(after, x0, k, b, r, list, row -> Oracle.explicit(row, r.rowPtr, r.cols, r.vals, y, k, params.lambda(),
                    params.scaleByCount()), "explicit b=" + b + " scaleByCount=" + scaleByCount);
        }
    }

    /**
     * One row swept directly after every buffer it uses was filled with NaN (the dimension-major
     * panel, its padding, the predictions, weights, targets, G x and the gradient): a padding
     * lane or sum not rewritten would show.
     */
    @ParameterizedTest(name = "b={0} k={1}")
    @MethodSource("blocksAndKs")
    void poisonedBuffersDoNotReachTheResult(int b, int k) {
        SplittableRandom rnd = new SplittableRandom(300 * b + k);
        int items = 60;
        Ratings r = Ratings.draw(rnd, items);
        float[] y = AlsTestData.random(rnd, items * k, 1 / Math.sqrt(k));
        float[] gram = AlsTestData.gram(y, items, k);
        float[] x0 = AlsTestData.random(rnd, r.rows * k, 1);
        ImplicitAlsParams params = new ImplicitAlsParams(2f, 0.5f);
        VectorAlsRow row = new VectorAlsRow(k);
        float[] padded = new float[row.kp * row.kp + L];
        for (int t = 0; t < k; t++) System.arraycopy(gram, t * k, padded, t * row.kp, k);
        row.problem(r.cols, r.vals, y, padded, true, params.alpha(), params.lambda(), false);
        for (int at = 0; at < r.rows; at++) {
            if (r.rowPtr[at] == r.rowPtr[at + 1]) continue;
            VectorSubspace.Scratch s = row.subspace;
            s.columns = nan(k * 200 + 7);
            s.predictions = nan(300);
            s.weights = nan(300);
            s.targets = nan(300);
            s.index = new int[300];
            Arrays.fill(s.blockSums, Float.NaN);
            Arrays.fill(row.r, Float.NaN);
            Arrays.fill(row.ap, Float.NaN);
            row.begin(r.rowPtr[at], r.rowPtr[at + 1], x0, at * k);
            assertTrue(VectorSubspace.sweepColumns(row, b), "row " + at);
            Oracle.Approx expected = Oracle.subspace(
                    Oracle.implicit(at, r.rowPtr, r.cols, r.vals, y, k, gram, params.alpha(), params.lambda()), x0, at * k, b);
            for (int t = 0; t < k; t++) {
                if (!expected.accepts(t, row.x[t])) {
                    fail("b=" + b + " k=" + k + " row " + at + "[" + t + "] = " + row.x[t] + ", oracle "
                            + expected.value[t] + " ± " + Oracle.SAFETY * expected.bound[t]);
                }
            }
        }
    }

    private static float[] nan(int n) {
        float[] v = new float[n];
        Arrays.fill(v, Float.NaN);
        return v;
    }

    /**
     * A row longer than the panel takes the row-major sweep, segment by segment, while the
     * others go dimension-major: every row still matches the oracle.
     */
    @ParameterizedTest(name = "b={0}")
    @ValueSource(ints = {1, 2, 3, 4})
    void rowsLongerThanThePanelTakeTheRowMajorSweep(int b) {
        int k = 17;
        SplittableRandom rnd = new SplittableRandom(400 + b);
        int items = 60;
        Ratings r = Ratings.draw(rnd, items);
        float[] y = AlsTestData.random(rnd, items * k, 1 / Math.sqrt(k));
        float[] gram = AlsTestData.gram(y, items, k);
        float[] x0 = AlsTestData.random(rnd, r.rows * k, 1);
        int[] list = listed(r.rows);
        int panelLimit = (L + 1) * VectorGram.padded(k);
        assertTrue(!VectorSubspace.byColumns(b, 150, panelLimit / VectorGram.padded(k)), "150 entries exceed the panel");
        float[] after = x0.clone();
        try (VectorPool pool = new VectorPool(2)) {
            new VectorAls(pool, panelLimit).solve(after, k, list, r.rowPtr, r.cols, r.vals, y,
                    new VectorAls.Problem(true, 0.5f, false, 2f, gram), Solver.subspace(b));
        }
        check(after, x0, k, b, r, list,
                row -> Oracle.implicit(row, r.rowPtr, r.cols, r.vals, y, k, gram, 2f, 0.5f), "segmented b=" + b);
    }

    /**
     * Two rows with an item whose one nonzero coordinate is 1e20 (its block's diagonal
     * overflows): the failure names the first of them in list order, with that column and the
     * infinite pivot, and x keeps every old value.
     */
    @ParameterizedTest(name = "b={0}")
    @ValueSource(ints = {1, 2, 3, 4})
    void theFirstFailingRowInListOrderIsReportedAndNothingIsWritten(int b) {
        int k = 33;
        int column = 20;
        SplittableRandom rnd = new SplittableRandom(500 + b);
        int items = 60;
        Ratings r = Ratings.draw(rnd, items);
        float[] y = AlsTestData.random(rnd, items * k, 1 / Math.sqrt(k));
        int poison = items - 1;
        Arrays.fill(y, poison * k, (poison + 1) * k, 0f);
        y[poison * k + column] = 1e20f;
        for (int e = 0; e < r.cols.length; e++) if (r.cols[e] == poison) r.cols[e] = 0;
        int[] list = listed(r.rows);
        int first = list[4];
        int second = list[9];
        for (int bad : new int[] {first, second}) {
            assertTrue(r.rowPtr[bad + 1] > r.rowPtr[bad], "row " + bad + " has entries");
            r.cols[r.rowPtr[bad]] = poison;
        }
        float[] x0 = AlsTestData.random(rnd, r.rows * k, 1);
        for (int threads : new int[] {1, 3}) {
            try (Kernels kernels = new Kernels(new VectorBackend(threads))) {
                DenseMatrix x = kernels.matrix(r.rows, k, x0);
                NotPositiveDefiniteException e = assertThrows(NotPositiveDefiniteException.class,
                        () -> kernels.solveExplicit(x, kernels.indices("rows", list), csr(kernels, r),
                                kernels.matrix(items, k, y), new ExplicitAlsParams(0.5f, true), Solver.subspace(b)));
                assertEquals(first, e.system(), e.getMessage());
                assertEquals(column, e.column(), e.getMessage());
                assertEquals(Float.POSITIVE_INFINITY, e.pivot(), e.getMessage());
                assertTrue(e.getMessage().contains("ratings row " + first), e.getMessage());
                assertArrayEquals(x0, x.toArray(), "x must be unchanged");
            }
        }
    }

    private static org.mfkit.core.CsrMatrix csr(Kernels kernels, Ratings r) {
        return kernels.csr(r.rows, r.items, r.rowPtr, r.cols, r.vals);
    }

    private static void check(float[] after, float[] x0, int k, int b, Ratings r, int[] list,
                              java.util.function.IntFunction<Oracle.NormalSystem> system, String what) {
        boolean[] isListed = new boolean[r.rows];
        for (int row : list) isListed[row] = true;
        for (int row = 0; row < r.rows; row++) {
            float[] got = Arrays.copyOfRange(after, row * k, (row + 1) * k);
            if (!isListed[row]) {
                assertArrayEquals(Arrays.copyOfRange(x0, row * k, (row + 1) * k), got,
                        what + ": unlisted row " + row + " must be untouched");
            } else if (r.rowPtr[row] == r.rowPtr[row + 1]) {
                assertArrayEquals(new float[k], got, what + ": row " + row + " has no entries: zero");
            } else {
                Oracle.Approx expected = Oracle.subspace(system.apply(row), x0, row * k, b);
                for (int t = 0; t < k; t++) {
                    if (!expected.accepts(t, got[t])) {
                        fail(what + " k=" + k + " row " + row + "[" + t + "] = " + got[t] + ", oracle "
                                + expected.value[t] + " ± " + Oracle.SAFETY * expected.bound[t]);
                    }
                }
            }
        }
    }
}
