package org.mfkit.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.mfkit.core.CsrMatrix;
import org.mfkit.core.DenseMatrix;
import org.mfkit.core.ImplicitAlsParams;
import org.mfkit.core.IndexArray;
import org.mfkit.core.Interactions;
import org.mfkit.core.Kernels;
import org.mfkit.core.SgdParams;
import org.mfkit.core.Solver;

/**
 * Runs a few kernels of one backend and of the scalar reference on the same small random
 * problem and compares the outputs. The problem is fixed by a seed; k is odd so that vector
 * backends run their tail code. Errors are measured where floating-point analysis says they
 * live, and the tolerances follow from it (u = 2⁻²⁴, the float32 unit roundoff):
 * <ul>
 *   <li>dot-product outputs (predict, Gram, top-K scores): |x − ref| divided by the sum of
 *       the absolute values of the terms, which the accumulation-order difference of two
 *       float32 sums of n terms bounds by 2·γ_n ≈ 2·n·u;</li>
 *   <li>outputs of several dependent steps (an SGD pass, an ALS solve): the normwise relative
 *       error max|x − ref| / max|ref|, with a fixed tolerance for the well-conditioned
 *       problems used here (λ keeps every system's condition number small).</li>
 * </ul>
 */
final class CrossCheck {
    static final int USERS = 300;
    static final int ITEMS = 400;
    static final int K = 37;
    static final int PER_USER = 12;
    static final int TOP = 10;
    private static final double U = Math.ulp(1.0f) / 2;

    /**
     * One comparison.
     *
     * @param kernel    what ran
     * @param error     the measured error
     * @param tolerance the bound it must stay within
     * @param note      extra facts (e.g. how many top-K items differ), or ""
     * @param pass      whether it is within tolerance (and the note reports no mismatch)
     */
    record Result(String kernel, double error, double tolerance, String note, boolean pass) {}

    private final Random random = new Random(20261122);
    private final float[] p = gaussian(USERS * K, 0.3f);
    private final float[] q = gaussian(ITEMS * K, 0.3f);
    private final float[] userBias = gaussian(USERS, 0.2f);
    private final float[] itemBias = gaussian(ITEMS, 0.2f);
    private final int[] pairUsers = ints(4096, USERS);
    private final int[] pairItems = ints(4096, ITEMS);
    private final int[] rowPtr = new int[USERS + 1];
    private final int[] cols = new int[USERS * PER_USER];
    private final float[] counts = new float[USERS * PER_USER];
    private final int[] sgdUsers;
    private final int[] sgdItems;
    private final float[] sgdValues;

    CrossCheck() {
        for (int u = 0; u < USERS; u++) {
            rowPtr[u + 1] = rowPtr[u] + PER_USER;
            int start = random.nextInt(ITEMS);
            int stride = 1 + random.nextInt(7);
            for (int j = 0; j < PER_USER; j++) {
                cols[u * PER_USER + j] = (start + j * stride) % ITEMS;
                counts[u * PER_USER + j] = 1 + random.nextInt(5);
            }
        }
        // One rating per user and per item: a conflict-free pass, whose result every
        // backend must reproduce in sequential order.
        int n = Math.min(USERS, ITEMS);
        sgdUsers = permutation(USERS, n);
        sgdItems = permutation(ITEMS, n);
        sgdValues = new float[n];
        for (int j = 0; j < n; j++) sgdValues[j] = 1 + 4 * random.nextFloat();
    }

    /** A one-line description of the problem. */
    static String describe() {
        return USERS + " users x " + ITEMS + " items, k = " + K + " (odd, to exercise vector tails), "
                + String.format(java.util.Locale.ROOT, "%,d", USERS * PER_USER) + " interactions";
    }

    /** Compares {@code candidate} against {@code reference} on every kernel. */
    List<Result> compare(Kernels reference, Kernels candidate) {
        List<Result> results = new ArrayList<>();
        results.add(predict(reference, candidate));
        results.add(gram(reference, candidate));
        results.add(topK(reference, candidate));
        results.add(sgd(reference, candidate));
        results.add(implicitAls(reference, candidate));
        return results;
    }

    private Result predict(Kernels ref, Kernels cand) {
        float[] a = predictOn(ref);
        float[] b = predictOn(cand);
        double worst = 0;
        for (int j = 0; j < a.length; j++) {
            int u = pairUsers[j];
            int i = pairItems[j];
            double scale = Math.abs(3.5) + Math.abs(userBias[u]) + Math.abs(itemBias[i]);
            for (int c = 0; c < K; c++) scale += Math.abs(p[u * K + c] * q[i * K + c]);
            worst = Math.max(worst, Math.abs(a[j] - b[j]) / scale);
        }
        double tol = 2 * (K + 3) * U;
        return new Result("predict mu + b_u + b_i + p.q", worst, tol, "", worst <= tol);
    }

    private float[] predictOn(Kernels k) {
        try (DenseMatrix pm = k.matrix(USERS, K, p); DenseMatrix qm = k.matrix(ITEMS, K, q);
             DenseMatrix bu = k.vector(userBias); DenseMatrix bi = k.vector(itemBias);
             DenseMatrix out = k.matrix(pairUsers.length, 1); Interactions pairs = k.pairs(pairUsers, pairItems)) {
            k.predict(3.5f, bu, bi, pm, qm, pairs, out);
            return out.toArray();
        }
    }

    private Result gram(Kernels ref, Kernels cand) {
        float[] a = gramOn(ref);
        float[] b = gramOn(cand);
        double worst = 0;
        for (int r = 0; r < K; r++) {
            for (int c = 0; c < K; c++) {
                double scale = 0;
                for (int i = 0; i < ITEMS; i++) scale += Math.abs(q[i * K + r] * q[i * K + c]);
                worst = Math.max(worst, Math.abs(a[r * K + c] - b[r * K + c]) / scale);
            }
        }
        double tol = 2 * ITEMS * U;
        return new Result("Gram Y'Y", worst, tol, "", worst <= tol);
    }

    private float[] gramOn(Kernels k) {
        try (DenseMatrix qm = k.matrix(ITEMS, K, q); DenseMatrix out = k.matrix(K, K)) {
            k.gram(qm, out);
            return out.toArray();
        }
    }

    private Result topK(Kernels ref, Kernels cand) {
        int[] itemsA = new int[USERS * TOP];
        float[] scoresA = new float[USERS * TOP];
        int[] itemsB = new int[USERS * TOP];
        float[] scoresB = new float[USERS * TOP];
        topKOn(ref, itemsA, scoresA);
        topKOn(cand, itemsB, scoresB);
        double worst = 0;
        int differ = 0;
        double tol = 2 * (K + 1) * U;
        for (int u = 0; u < USERS; u++) {
            for (int r = 0; r < TOP; r++) {
                int at = u * TOP + r;
                double scale = scale(u, itemsA[at]);
                worst = Math.max(worst, Math.abs(scoresA[at] - scoresB[at]) / scale);
                // A different item is only acceptable where two candidates tie within rounding.
                if (itemsA[at] != itemsB[at] && Math.abs(scoresA[at] - score(u, itemsB[at])) / scale > tol) differ++;
            }
        }
        return new Result("top-" + TOP + " with exclusions", worst, tol, differ == 0 ? "same items" : differ + " items differ",
                worst <= tol && differ == 0);
    }

    private double scale(int u, int item) {
        double s = Math.abs(itemBias[item]);
        for (int c = 0; c < K; c++) s += Math.abs(p[u * K + c] * q[item * K + c]);
        return Math.max(s, Float.MIN_NORMAL);
    }

    private double score(int u, int item) {
        double s = itemBias[item];
        for (int c = 0; c < K; c++) s += (double) p[u * K + c] * q[item * K + c];
        return s;
    }

    private static int[] allUsers() {
        int[] all = new int[USERS];
        for (int u = 0; u < USERS; u++) all[u] = u;
        return all;
    }

    private void topKOn(Kernels k, int[] items, float[] scores) {
        int[] all = allUsers();
        try (DenseMatrix pm = k.matrix(USERS, K, p); DenseMatrix qm = k.matrix(ITEMS, K, q);
             DenseMatrix bi = k.vector(itemBias); IndexArray rows = k.indices("rows", all);
             CsrMatrix seen = k.csr(USERS, ITEMS, rowPtr, cols, counts)) {
            k.topK(pm, rows, qm, bi, seen, TOP, items, scores);
        }
    }

    private Result sgd(Kernels ref, Kernels cand) {
        float[][] a = sgdOn(ref);
        float[][] b = sgdOn(cand);
        double worst = 0;
        for (int m = 0; m < a.length; m++) worst = Math.max(worst, normwise(a[m], b[m]));
        double tol = 1e-5;
        return new Result("SGD pass, biased (conflict-free)", worst, tol, "", worst <= tol);
    }

    private float[][] sgdOn(Kernels k) {
        try (DenseMatrix pm = k.matrix(USERS, K, p); DenseMatrix qm = k.matrix(ITEMS, K, q);
             DenseMatrix bu = k.vector(userBias); DenseMatrix bi = k.vector(itemBias);
             Interactions ratings = k.interactions(sgdUsers, sgdItems, sgdValues)) {
            k.sgd(pm, qm, bu, bi, ratings, new SgdParams(3.5f, 0.05f, 0.02f, 0.01f));
            return new float[][] {pm.toArray(), qm.toArray(), bu.toArray(), bi.toArray()};
        }
    }

    private Result implicitAls(Kernels ref, Kernels cand) {
        float[] a = alsOn(ref);
        float[] b = alsOn(cand);
        double worst = normwise(a, b);
        double tol = 1e-4;
        return new Result("implicit ALS half-step (Cholesky)", worst, tol, "", worst <= tol);
    }

    private float[] alsOn(Kernels k) {
        try (DenseMatrix x = k.matrix(USERS, K, p); DenseMatrix y = k.matrix(ITEMS, K, q);
             DenseMatrix gram = k.matrix(K, K); CsrMatrix ratings = k.csr(USERS, ITEMS, rowPtr, cols, counts);
             IndexArray rows = k.indices("rows", allUsers())) {
            k.gram(y, gram);
            k.solveImplicit(x, rows, ratings, y, gram, new ImplicitAlsParams(2f, 0.5f), Solver.cholesky());
            return x.toArray();
        }
    }

    private static double normwise(float[] ref, float[] x) {
        double diff = 0;
        double size = 0;
        for (int j = 0; j < ref.length; j++) {
            diff = Math.max(diff, Math.abs(ref[j] - x[j]));
            size = Math.max(size, Math.abs(ref[j]));
        }
        return size == 0 ? diff : diff / size;
    }

    private float[] gaussian(int n, float sigma) {
        float[] a = new float[n];
        for (int j = 0; j < n; j++) a[j] = (float) (sigma * random.nextGaussian());
        return a;
    }

    private int[] ints(int n, int bound) {
        int[] a = new int[n];
        for (int j = 0; j < n; j++) a[j] = random.nextInt(bound);
        return a;
    }

    private int[] permutation(int size, int take) {
        int[] all = new int[size];
        for (int j = 0; j < size; j++) all[j] = j;
        for (int j = size - 1; j > 0; j--) {
            int swap = random.nextInt(j + 1);
            int t = all[j];
            all[j] = all[swap];
            all[swap] = t;
        }
        return java.util.Arrays.copyOf(all, take);
    }
}
