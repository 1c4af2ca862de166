package org.mfkit.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.mfkit.core.ImplicitAlsParams;
import org.mfkit.core.Kernels;
import org.mfkit.core.Solver;
import org.mfkit.core.conformance.Oracle;

/**
 * cpu-vector's matrix-free CG ({@link VectorConjugateGradient}): its operator product
 * A v = G v + Σ_e w_e (q_e·v) q_e + λ v on one gathered row, for k around the vector widths
 * (1, 15, 16, 17, 33, 64, 65, 256: the kernels for kp of one, two and four vectors and the
 * generic four-entries-at-a-time path) and rows of 0, 1, L − 1, L, L + 1 and 150 kept entries
 * (every remainder of the groups of four and of L), against a float64 product of the same
 * float32 inputs. The bound: an output element is G's row times v (k products), plus each
 * entry's dot (k products), scaled by w_e, times q_e[i] and summed over the m entries, plus
 * λ v_i; no path through that computation has more than k + m + 3 roundings, so
 * |got − exact| ≤ γ_{k+m+3}·(Σ_j |G_ij v_j| + Σ_e |w_e q_e[i]| Σ_t |q_e[t] v_t| + |λ v_i|),
 * in any summation order, with the suite's safety factor 2. Whole CG solves are held to the
 * oracle's CG and must give the same bits on 1 and 3 threads.
 */
class VectorConjugateGradientTest {
    private static final int L = VectorDots.L;
    private static final int[] KS = {1, 15, 16, 17, 33, 64, 65, 256};
    private static final int[] COUNTS = {0, 1, L - 1, L, L + 1, 150};
    private static final float ALPHA = 2f;
    private static final float LAMBDA = 0.5f;

    static Stream<Arguments> ksAndCounts() {
        return IntStream.of(KS).boxed().flatMap(k -> IntStream.of(COUNTS).mapToObj(m -> Arguments.of(k, m)));
    }

    private static float[] padded(float[] gram, int k, int kp) {
        float[] out = new float[kp * kp + L];
        for (int t = 0; t < k; t++) System.arraycopy(gram, t * k, out, t * kp, k);
        return out;
    }

    /** One implicit row of {@code m} entries (strengths 0.5..3) over {@code items} random items. */
    private record Row(int[] cols, float[] vals) {
        static Row draw(SplittableRandom rnd, int m, int items) {
            int[] cols = new int[m];
            float[] vals = new float[m];
            for (int e = 0; e < m; e++) {
                cols[e] = rnd.nextInt(items);
                vals[e] = 0.5f * (1 + rnd.nextInt(6));
            }
            return new Row(cols, vals);
        }
    }

    /**
     * The product on a freshly loaded row, every output lane and the block scales poisoned
     * with NaN first: each of the k elements matches the float64 product within the bound,
     * the padding lanes come back exactly 0, and a second row object gives the same bits.
     */
    @ParameterizedTest(name = "k={0} m={1}")
    @MethodSource("ksAndCounts")
    void productMatchesTheFloat64Product(int k, int m) {
        SplittableRandom rnd = new SplittableRandom(1000L * k + m);
        int items = 200;
        Row row = Row.draw(rnd, m, items);
        float[] y = AlsTestData.random(rnd, items * k, 1 / Math.sqrt(k));
        float[] gram = AlsTestData.gram(y, items, k);
        float[] x0 = AlsTestData.random(rnd, k, 1);
        float[] direction = AlsTestData.random(rnd, k, 1);
        float[] first = null;
        for (int repeat = 0; repeat < 2; repeat++) {
            VectorAlsRow r = new VectorAlsRow(k);
            int kp = r.kp;
            r.problem(row.cols, row.vals, y, padded(gram, k, kp), true, ALPHA, LAMBDA, false);
            r.load(0, m, x0, 0);
            float[] v = new float[kp + L];
            System.arraycopy(direction, 0, v, 0, k);
            float[] out = new float[kp + L];
            Arrays.fill(out, Float.NaN);
            Arrays.fill(r.coefficients, Float.NaN);
            VectorConjugateGradient.apply(r, v, out);
            check(out, v, k, kp, row, m, y, gram, "k=" + k + " m=" + m);
            if (first == null) first = Arrays.copyOf(out, kp);
            else assertArrayEquals(first, Arrays.copyOf(out, kp), "the same bits from a second row object");
        }
    }

    /**
     * A row longer than the panel is applied segment by segment (each segment gathered again
     * and its sums added to the output): still within the bound, for the widths of every kernel.
     */
    @ParameterizedTest(name = "k={0}")
    @ValueSource(ints = {15, 17, 33, 64, 65})
    void segmentedProductMatchesTheFloat64Product(int k) {
        int m = 150;
        SplittableRandom rnd = new SplittableRandom(2000L + k);
        int items = 200;
        Row row = Row.draw(rnd, m, items);
        float[] y = AlsTestData.random(rnd, items * k, 1 / Math.sqrt(k));
        float[] gram = AlsTestData.gram(y, items, k);
        int kp = VectorGram.padded(k);
        VectorAlsRow r = new VectorAlsRow(k, (L + 5) * kp);
        r.problem(row.cols, row.vals, y, padded(gram, k, kp), true, ALPHA, LAMBDA, false);
        r.load(0, m, AlsTestData.random(rnd, k, 1), 0);
        assertTrue(!r.fits(), "150 entries exceed a panel of L + 5");
        float[] v = new float[kp + L];
        System.arraycopy(AlsTestData.random(rnd, k, 1), 0, v, 0, k);
        float[] out = new float[kp + L];
        Arrays.fill(out, Float.NaN);
        VectorConjugateGradient.apply(r, v, out);
        check(out, v, k, kp, row, m, y, gram, "segmented k=" + k);
    }

    private static void check(float[] out, float[] v, int k, int kp, Row row, int m, float[] y, float[] gram,
                              String what) {
        double g = Oracle.gamma(k + m + 3);
        for (int i = 0; i < k; i++) {
            double exact = LAMBDA * (double) v[i];
            double scale = Math.abs(LAMBDA * (double) v[i]);
            for (int j = 0; j < k; j++) {
                exact += (double) gram[i * k + j] * v[j];
                scale += Math.abs((double) gram[i * k + j] * v[j]);
            }
            for (int e = 0; e < m; e++) {
                int base = row.cols[e] * k;
                double dot = 0;
                double dotAbs = 0;
                for (int t = 0; t < k; t++) {
                    dot += (double) y[base + t] * v[t];
                    dotAbs += Math.abs((double) y[base + t] * v[t]);
                }
                float w = ALPHA * row.vals[e];
                exact += w * dot * y[base + i];
                scale += Math.abs(w * y[base + i]) * dotAbs;
            }
            double bound = Oracle.SAFETY * g * scale + Float.MIN_NORMAL;
            if (!(Math.abs(out[i] - exact) <= bound)) {
                fail(what + ": (A v)[" + i + "] = " + out[i] + ", float64 " + exact + " ± " + bound);
            }
        }
        for (int i = k; i < kp; i++) assertEquals(0f, out[i], what + ": padding lane " + i + " must be 0");
    }

    /**
     * Whole CG solves (3 steps, warm start) of rows of every count, listed in reverse order,
     * against the oracle's CG from the same start; the same bits on 1 and 3 threads (rows
     * are cut into different chunks), and on 3 threads with a panel too small for the long
     * rows that is the oracle's result too.
     */
    @ParameterizedTest(name = "k={0}")
    @ValueSource(ints = {1, 15, 16, 17, 33, 64, 65, 256})
    void solvesMatchTheOracleOnEveryThreadCount(int k) {
        SplittableRandom rnd = new SplittableRandom(3000L + k);
        int items = 200;
        int rows = COUNTS.length;
        int[] rowPtr = new int[rows + 1];
        for (int r = 0; r < rows; r++) rowPtr[r + 1] = rowPtr[r] + COUNTS[r];
        Row all = Row.draw(rnd, rowPtr[rows], items);
        float[] y = AlsTestData.random(rnd, items * k, 1 / Math.sqrt(k));
        float[] gram = AlsTestData.gram(y, items, k);
        float[] x0 = AlsTestData.random(rnd, rows * k, 1);
        int[] list = IntStream.range(0, rows).map(i -> rows - 1 - i).toArray();
        ImplicitAlsParams params = new ImplicitAlsParams(ALPHA, LAMBDA);
        float[] one = null;
        for (int threads : new int[] {1, 3}) {
            float[] after;
            try (Kernels kernels = new Kernels(new VectorBackend(threads))) {
                DenseMatrix x = kernels.matrix(rows, k, x0.clone());
                kernels.solveImplicit(x, kernels.indices("rows", list),
                        kernels.csr(rows, items, rowPtr, all.cols, all.vals), kernels.matrix(items, k, y),
                        kernels.matrix(k, k, gram), params, Solver.cg(3));
                after = x.toArray();
            }
            checkSolves(after, x0, k, rowPtr, all, y, gram, "threads=" + threads);
            if (one == null) one = after;
            else assertArrayEquals(one, after, "the same bits on 1 and 3 threads");
        }
        float[] segmented = x0.clone();
        try (VectorPool pool = new VectorPool(3)) {
            new VectorAls(pool, (L + 1) * VectorGram.padded(k)).solve(segmented, k, list, rowPtr, all.cols, all.vals,
                    y, new VectorAls.Problem(true, LAMBDA, false, ALPHA, gram), Solver.cg(3));
        }
        checkSolves(segmented, x0, k, rowPtr, all, y, gram, "segmented");
    }

    private static void checkSolves(float[] after, float[] x0, int k, int[] rowPtr, Row all, float[] y, float[] gram,
                                    String what) {
        for (int r = 0; r + 1 < rowPtr.length; r++) {
            if (rowPtr[r] == rowPtr[r + 1]) {
                assertArrayEquals(new float[k], Arrays.copyOfRange(after, r * k, (r + 1) * k), what + ": empty row");
                continue;
            }
            Oracle.Approx expected = Oracle.conjugateGradient(
                    Oracle.implicit(r, rowPtr, all.cols, all.vals, y, k, gram, ALPHA, LAMBDA), x0, r * k, 3);
            for (int t = 0; t < k; t++) {
                if (!expected.accepts(t, after[r * k + t])) {
                    fail(what + " k=" + k + " row " + r + "[" + t + "] = " + after[r * k + t] + ", oracle "
                            + expected.value[t] + " ± " + Oracle.SAFETY * expected.bound[t]);
                }
            }
        }
    }
}
