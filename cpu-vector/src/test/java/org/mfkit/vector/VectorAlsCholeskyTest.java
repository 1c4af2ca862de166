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
 * The Cholesky ALS half-step of cpu-vector, which assembles the listed rows into packed groups
 * of L systems and factors them lanes across systems ({@link VectorCholeskyCompact#factorSolve}).
 * The conformance suite solves a handful of rows (one partial group); here every case has whole
 * groups and a partial one (row counts not a multiple of L), rows with no entry and with one,
 * at k around the vector width and the register-block edges, held to the float64 oracle's
 * Cholesky bound (docs/KERNELS.md: |x̂ − x| ≤ |A⁻¹|·ρ with the assembly errors of the normal
 * equations and Higham's γ_{3k+1} backward error, which holds for any order of the inner sums
 * and for fused multiply-adds). Listed rows start as NaN, so an unwritten element fails.
 */
class VectorAlsCholeskyTest {
    private static final int[] KS = {1, 2, 3, 15, 16, 17, 31, 32, 33, 47, 48, 49, 65};

    static Stream<Arguments> ksAndThreads() {
        return IntStream.of(KS).boxed().flatMap(k -> Stream.of(Arguments.of(k, 1), Arguments.of(k, 3)));
    }

    /** A ratings matrix: row r has r % 9 == 4 ? 0 : r % 9 == 7 ? 1 : 2..40 entries. */
    private record Ratings(int rows, int items, int[] rowPtr, int[] cols, float[] vals) {
        static Ratings draw(SplittableRandom rnd, int rows, int items) {
            int[] rowPtr = new int[rows + 1];
            for (int r = 0; r < rows; r++) {
                int n = r % 9 == 4 ? 0 : r % 9 == 7 ? 1 : 2 + rnd.nextInt(39);
                rowPtr[r + 1] = rowPtr[r] + n;
            }
            int[] cols = new int[rowPtr[rows]];
            float[] vals = new float[cols.length];
            for (int e = 0; e < cols.length; e++) {
                cols[e] = rnd.nextInt(items);
                vals[e] = rnd.nextInt(6) - 2.5f;
            }
            return new Ratings(rows, items, rowPtr, cols, vals);
        }
    }

    /** A permutation of all rows (a multiplier prime to the count) without every eleventh. */
    private static int[] listed(int rows) {
        int step = 7;
        while (java.math.BigInteger.valueOf(step).gcd(java.math.BigInteger.valueOf(rows)).intValue() != 1) step++;
        int m = step;
        return IntStream.range(0, rows).map(i -> (i * m + 3) % rows).filter(r -> r % 11 != 10).toArray();
    }

    @ParameterizedTest(name = "k={0} threads={1}")
    @MethodSource("ksAndThreads")
    void explicitRowsMatchTheOracle(int k, int threads) {
        SplittableRandom rnd = new SplittableRandom(1000 + k);
        int rows = 2 * VectorDots.L + 5;
        int items = 50;
        Ratings r = Ratings.draw(rnd, rows, items);
        float[] y = AlsTestData.random(rnd, items * k, 1 / Math.sqrt(k));
        int[] list = listed(rows);
        for (boolean scaleByCount : new boolean[] {true, false}) {
            ExplicitAlsParams params = new ExplicitAlsParams(0.25f, scaleByCount);
            float[] after = solve(threads, r, y, k, list, x -> x.solveExplicit(params));
            check(after, k, r, list, row -> Oracle.explicit(row, r.rowPtr, r.cols, r.vals, y, k, params.lambda(),
                    params.scaleByCount()), "explicit scaleByCount=" + scaleByCount);
        }
    }

    @ParameterizedTest(name = "k={0} threads={1}")
    @MethodSource("ksAndThreads")
    void implicitRowsMatchTheOracle(int k, int threads) {
        SplittableRandom rnd = new SplittableRandom(2000 + k);
        int rows = 2 * VectorDots.L + 5;
        int items = 50;
        Ratings r = Ratings.draw(rnd, rows, items);
        for (int e = 0; e < r.vals.length; e++) r.vals[e] = Math.abs(r.vals[e]) - 0.5f; // r = 0 entries too
        float[] y = AlsTestData.random(rnd, items * k, 1 / Math.sqrt(k));
        float[] gram = new float[k * k];
        try (VectorPool one = new VectorPool(1)) {
            VectorGram.gram(one, y, items, k, gram);
        }
        int[] list = listed(rows);
        ImplicitAlsParams params = new ImplicitAlsParams(2f, 0.5f);
        float[] after = solve(threads, r, y, k, list, x -> x.solveImplicit(gram, params));
        check(after, k, r, list,
                row -> Oracle.implicit(row, r.rowPtr, r.cols, r.vals, y, k, gram, params.alpha(), params.lambda()),
                "implicit");
    }

    /** One half-step through {@link Kernels}; listed rows start as NaN, the others as 7. */
    private float[] solve(int threads, Ratings r, float[] y, int k, int[] list, HalfStep step) {
        float[] x0 = new float[r.rows * k];
        Arrays.fill(x0, 7f);
        for (int row : list) Arrays.fill(x0, row * k, (row + 1) * k, Float.NaN);
        try (Kernels kernels = new Kernels(new VectorBackend(threads))) {
            DenseMatrix x = kernels.matrix(r.rows, k, x0);
            step.run(new Call(kernels, x, r, y, k, list));
            return x.toArray();
        }
    }

    private record Call(Kernels kernels, DenseMatrix x, Ratings r, float[] y, int k, int[] list) {
        void solveExplicit(ExplicitAlsParams params) {
            kernels.solveExplicit(x, kernels.indices("rows", list), csr(), kernels.matrix(r.items, k, y), params,
                    Solver.cholesky());
        }

        void solveImplicit(float[] gram, ImplicitAlsParams params) {
            kernels.solveImplicit(x, kernels.indices("rows", list), csr(), kernels.matrix(r.items, k, y),
                    kernels.matrix(k, k, gram), params, Solver.cholesky());
        }

        private org.mfkit.core.CsrMatrix csr() {
            return kernels.csr(r.rows, r.items, r.rowPtr, r.cols, r.vals);
        }
    }

    private interface HalfStep {
        void run(Call call);
    }

    private static void check(float[] after, int k, Ratings r, int[] list,
                              java.util.function.IntFunction<Oracle.NormalSystem> system, String what) {
        boolean[] isListed = new boolean[r.rows];
        for (int row : list) isListed[row] = true;
        for (int row = 0; row < r.rows; row++) {
            float[] got = Arrays.copyOfRange(after, row * k, (row + 1) * k);
            if (!isListed[row]) {
                float[] seven = new float[k];
                Arrays.fill(seven, 7f);
                assertArrayEquals(seven, got, what + ": unlisted row " + row + " must be untouched");
            } else if (r.rowPtr[row] == r.rowPtr[row + 1]) {
                assertArrayEquals(new float[k], got, what + ": row " + row + " has no entries: zero");
            } else {
                Oracle.Approx expected = Oracle.choleskySolution(system.apply(row), after, row * k);
                for (int t = 0; t < k; t++) {
                    if (!expected.accepts(t, got[t])) {
                        fail(what + " k=" + k + " row " + row + "[" + t + "] = " + got[t] + ", oracle "
                                + expected.value[t] + " ± " + Oracle.SAFETY * expected.bound[t]);
                    }
                }
            }
        }
    }

    /**
     * Two rows whose A overflows (an item with a huge value in one column) sit in the second
     * group, lanes 3 and 7, behind good rows: the failure names the first of them in list order,
     * with the overflowing column and its infinite pivot, and x keeps every old value.
     */
    @ParameterizedTest(name = "threads={0}")
    @ValueSource(ints = {1, 2, 3})
    void theFirstFailingRowInListOrderIsReportedAndNothingIsWritten(int threads) {
        int k = 33;
        int column = 20;
        int rows = 3 * VectorDots.L + 2;
        int items = 40;
        SplittableRandom rnd = new SplittableRandom(77);
        Ratings r = Ratings.draw(rnd, rows, items);
        float[] y = AlsTestData.random(rnd, items * k, 1 / Math.sqrt(k));
        int poison = items - 1;
        Arrays.fill(y, poison * k, (poison + 1) * k, 0f);
        y[poison * k + column] = 1e20f;
        for (int e = 0; e < r.cols.length; e++) if (r.cols[e] == poison) r.cols[e] = 0;
        int[] list = IntStream.range(0, rows).map(i -> rows - 1 - i).toArray();
        // Positions of the bad rows: lanes 3 and 7 of the second group if no row before is empty.
        int first = -1;
        int second = -1;
        int withEntries = 0;
        for (int at = 0; at < rows && second < 0; at++) {
            int row = list[at];
            if (r.rowPtr[row] == r.rowPtr[row + 1]) continue;
            if (withEntries == VectorDots.L + 3) first = row;
            if (withEntries == VectorDots.L + 7) second = row;
            withEntries++;
        }
        for (int bad : new int[] {second, first}) r.cols[r.rowPtr[bad] + (r.rowPtr[bad + 1] - r.rowPtr[bad]) / 2] = poison;
        float[] x0 = AlsTestData.random(rnd, rows * k, 1);
        try (Kernels kernels = new Kernels(new VectorBackend(threads))) {
            DenseMatrix x = kernels.matrix(rows, k, x0);
            NotPositiveDefiniteException e = assertThrows(NotPositiveDefiniteException.class,
                    () -> kernels.solveExplicit(x, kernels.indices("rows", list),
                            kernels.csr(rows, items, r.rowPtr, r.cols, r.vals), kernels.matrix(items, k, y),
                            new ExplicitAlsParams(0.5f, true), Solver.cholesky()));
            assertEquals(first, e.system(), e.getMessage());
            assertEquals(column, e.column(), e.getMessage());
            assertEquals(Float.POSITIVE_INFINITY, e.pivot(), e.getMessage());
            assertTrue(e.getMessage().contains("ratings row " + first), e.getMessage());
            assertArrayEquals(x0, x.toArray(), "x must be unchanged");
        }
    }

    /**
     * A negative pivot: G's first diagonal element is far below zero, so every row fails at
     * column 0; the first listed row with entries (list[0] has none) is reported, with the value.
     */
    @ParameterizedTest(name = "k={0}")
    @ValueSource(ints = {1, 16, 33})
    void aNegativePivotIsReportedWithItsValue(int k) {
        int rows = VectorDots.L + 3;
        int items = 10;
        SplittableRandom rnd = new SplittableRandom(5);
        Ratings r = Ratings.draw(rnd, rows, items);
        for (int e = 0; e < r.vals.length; e++) r.vals[e] = Math.abs(r.vals[e]);
        float[] y = AlsTestData.random(rnd, items * k, 1 / Math.sqrt(k));
        float[] gram = new float[k * k];
        for (int t = 0; t < k; t++) gram[t * k + t] = 1f;
        gram[0] = -1000f;
        int[] list = IntStream.range(0, rows).map(i -> (i + 4) % rows).toArray(); // list[0] = 4: no entries
        int expectedRow = list[1];
        float[] x0 = AlsTestData.random(rnd, rows * k, 1);
        try (Kernels kernels = new Kernels(new VectorBackend(2))) {
            DenseMatrix x = kernels.matrix(rows, k, x0);
            NotPositiveDefiniteException e = assertThrows(NotPositiveDefiniteException.class,
                    () -> kernels.solveImplicit(x, kernels.indices("rows", list),
                            kernels.csr(rows, items, r.rowPtr, r.cols, r.vals), kernels.matrix(items, k, y),
                            kernels.matrix(k, k, gram), new ImplicitAlsParams(0.01f, 0.5f), Solver.cholesky()));
            assertEquals(expectedRow, e.system(), e.getMessage());
            assertEquals(0, e.column(), e.getMessage());
            assertTrue(e.pivot() < -900f, e.getMessage());
            assertArrayEquals(x0, x.toArray(), "x must be unchanged");
        }
    }
}
