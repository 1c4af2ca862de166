package org.mfkit.vector;

import static org.mfkit.vector.VectorDots.L;
import static org.mfkit.vector.VectorDots.S;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Cholesky factor and solve of L small systems at once, lanes across systems (Intel MKL's
 * "compact" layout): for small k a row of the factor is shorter than a vector, and this
 * fills every lane instead. Used by the batch ({@link VectorCholesky}) for k &le;
 * {@link #MAX_K}, and for every k by the ALS half-steps ({@link VectorAls}) through
 * {@link Packed}: there a row's factor costs about k³/6 FMAs, which one system at a time runs
 * as short dependent chains with horizontal work per column (and 2.8 µs per row at k = 33),
 * and L systems side by side run as independent full-width FMAs.
 */
final class VectorCholeskyCompact {
    private VectorCholeskyCompact() {}

    /** Largest k solved lanes-across-systems. */
    static final int MAX_K = 16;

    /**
     * Per-worker scratch: L systems at once, lane n holding system s0+n, element (i, j) of the
     * factor at {@code (i*k + j)*L}.
     */
    static final class Scratch {
        final int k;
        final float[] l;
        final float[] x;
        final int[] systemOffsets = new int[L];
        final int[] vectorOffsets = new int[L];

        Scratch(int k) {
            this.k = k;
            this.l = new float[k * k * L];
            this.x = new float[k * L];
            for (int n = 0; n < L; n++) {
                systemOffsets[n] = n * k * k;
                vectorOffsets[n] = n * k;
            }
        }
    }

    /**
     * Factors and solves systems s0..s0+L−1 with one lane per system, in exactly the
     * reference's operation order (Cholesky–Crout, multiplies and subtracts rounded
     * separately), so each lane's result equals the scalar reference bit for bit.
     * Returns false, writing nothing, when any lane meets a bad pivot (the caller then
     * redoes the group system by system to report it).
     */
    static boolean solveGroup(float[] a, float[] b, int s0, float[] out, Scratch c) {
        int k = c.k;
        float[] l = c.l;
        float[] x = c.x;
        int aBase = s0 * k * k;
        for (int j = 0; j < k; j++) {
            FloatVector d = FloatVector.fromArray(S, a, aBase + j * k + j, c.systemOffsets, 0);
            for (int t = 0; t < j; t++) {
                FloatVector ljt = FloatVector.fromArray(S, l, (j * k + t) * L);
                d = d.sub(ljt.mul(ljt));
            }
            if (!d.compare(VectorOperators.GT, 0f).and(d.test(VectorOperators.IS_FINITE)).allTrue()) return false;
            FloatVector ljj = d.sqrt();
            ljj.intoArray(l, (j * k + j) * L);
            for (int i = j + 1; i < k; i++) {
                FloatVector sum = FloatVector.fromArray(S, a, aBase + i * k + j, c.systemOffsets, 0);
                for (int t = 0; t < j; t++) {
                    sum = sum.sub(FloatVector.fromArray(S, l, (i * k + t) * L).mul(FloatVector.fromArray(S, l, (j * k + t) * L)));
                }
                sum.div(ljj).intoArray(l, (i * k + j) * L);
            }
        }
        int bBase = s0 * k;
        for (int i = 0; i < k; i++) {
            FloatVector sum = FloatVector.fromArray(S, b, bBase + i, c.vectorOffsets, 0);
            for (int t = 0; t < i; t++) {
                sum = sum.sub(FloatVector.fromArray(S, l, (i * k + t) * L).mul(FloatVector.fromArray(S, x, t * L)));
            }
            sum.div(FloatVector.fromArray(S, l, (i * k + i) * L)).intoArray(x, i * L);
        }
        for (int i = k - 1; i >= 0; i--) {
            FloatVector sum = FloatVector.fromArray(S, x, i * L);
            for (int t = i + 1; t < k; t++) {
                sum = sum.sub(FloatVector.fromArray(S, l, (t * k + i) * L).mul(FloatVector.fromArray(S, x, t * L)));
            }
            sum = sum.div(FloatVector.fromArray(S, l, (i * k + i) * L));
            sum.intoArray(x, i * L);
            sum.intoArray(out, bBase + i, c.vectorOffsets, 0);
        }
        return true;
    }

    /**
     * L systems lanes across systems with A's lower triangle packed: element (i, j), j &le; i,
     * of lane n at {@code (i(i+1)/2 + j)·L + n}, so row i of the factor is contiguous. The
     * caller writes A into {@link #a} and b into {@link #b} (element i of lane n at i·L + n)
     * lane by lane, then calls {@link #factorSolve}. Lanes are independent: every operation is
     * lane-wise, so a system's solution does not depend on its lane or on the other systems in
     * the group.
     */
    static final class Packed {
        final int k;
        /** A on input, the factor L (A = L Lᵀ) after {@link #factorSolve}. */
        final float[] a;
        /** b on input, the solution after a successful {@link #factorSolve}. */
        final float[] b;
        /** Per lane: the first column whose pivot was not positive and finite, or -1. */
        final int[] badColumn = new int[L];
        /** Per lane: that pivot. */
        final float[] badPivot = new float[L];

        Packed(int k) {
            this.k = k;
            this.a = new float[k * (k + 1) / 2 * L];
            this.b = new float[k * L];
        }

        /** Offset of element (i, j), j &le; i, of lane 0. */
        static int at(int i, int j) {
            return (i * (i + 1) / 2 + j) * L;
        }

        /** Lane n becomes the system I x = 0 (a lane no row uses). */
        void identity(int n) {
            for (int i = 0; i < k; i++) {
                int row = at(i, 0);
                for (int j = 0; j < i; j++) a[row + j * L + n] = 0f;
                a[row + i * L + n] = 1f;
                b[i * L + n] = 0f;
            }
        }
    }

    /**
     * Factors (Cholesky–Crout, by columns, each element's sum one FMA chain in t order) and
     * solves the L systems in {@code c}. Returns the lowest lane whose factor met a pivot that
     * was not positive and finite (its column and pivot in {@code c.badColumn/badPivot}), or -1
     * when every lane's solution is in {@code c.b}. A failed lane keeps computing garbage that
     * nobody reads; the others are unaffected.
     */
    static int factorSolve(Packed c) {
        int k = c.k;
        float[] a = c.a;
        boolean anyBad = false;
        for (int j = 0; j < k; j++) {
            int rowJ = Packed.at(j, 0);
            FloatVector d = FloatVector.fromArray(S, a, rowJ + j * L);
            for (int t = 0; t < j; t++) {
                FloatVector ljt = FloatVector.fromArray(S, a, rowJ + t * L);
                d = ljt.neg().fma(ljt, d);
            }
            VectorMask<Float> good = d.compare(VectorOperators.GT, 0f)
                    .and(d.compare(VectorOperators.LT, Float.POSITIVE_INFINITY));
            if (!good.allTrue()) {
                if (!anyBad) {
                    java.util.Arrays.fill(c.badColumn, -1);
                    anyBad = true;
                }
                for (int n = 0; n < L; n++) {
                    if (!good.laneIsSet(n) && c.badColumn[n] < 0) {
                        c.badColumn[n] = j;
                        c.badPivot[n] = d.lane(n);
                    }
                }
            }
            FloatVector ljj = d.sqrt();
            ljj.intoArray(a, rowJ + j * L);
            // Rows below j, four at a time: l_ij = (a_ij − Σ_{t<j} l_it·l_jt) / l_jj.
            int i = j + 1;
            for (; i + 3 < k; i += 4) column4(a, rowJ, Packed.at(i, 0), Packed.at(i + 1, 0), Packed.at(i + 2, 0),
                    Packed.at(i + 3, 0), j, ljj);
            for (; i < k; i++) {
                int rowI = Packed.at(i, 0);
                FloatVector s = FloatVector.fromArray(S, a, rowI + j * L);
                for (int t = 0; t < j; t++) {
                    s = FloatVector.fromArray(S, a, rowI + t * L).neg().fma(FloatVector.fromArray(S, a, rowJ + t * L), s);
                }
                s.div(ljj).intoArray(a, rowI + j * L);
            }
        }
        if (anyBad) {
            for (int n = 0; n < L; n++) if (c.badColumn[n] >= 0) return n;
        }
        float[] b = c.b;
        // L z = b, in place: z_i = (b_i − Σ_{t<i} l_it z_t) / l_ii.
        for (int i = 0; i < k; i++) {
            int rowI = Packed.at(i, 0);
            FloatVector s = FloatVector.fromArray(S, b, i * L);
            for (int t = 0; t < i; t++) {
                s = FloatVector.fromArray(S, a, rowI + t * L).neg().fma(FloatVector.fromArray(S, b, t * L), s);
            }
            s.div(FloatVector.fromArray(S, a, rowI + i * L)).intoArray(b, i * L);
        }
        // Lᵀ x = z, in place: x_i = (z_i − Σ_{t>i} l_ti x_t) / l_ii.
        for (int i = k - 1; i >= 0; i--) {
            FloatVector s = FloatVector.fromArray(S, b, i * L);
            for (int t = i + 1; t < k; t++) {
                s = FloatVector.fromArray(S, a, Packed.at(t, i)).neg().fma(FloatVector.fromArray(S, b, t * L), s);
            }
            s.div(FloatVector.fromArray(S, a, Packed.at(i, i))).intoArray(b, i * L);
        }
        return -1;
    }

    /** Column j of the factor for rows at r0..r3 (four independent chains sharing l_jt). */
    private static void column4(float[] a, int rowJ, int r0, int r1, int r2, int r3, int j, FloatVector ljj) {
        FloatVector s0 = FloatVector.fromArray(S, a, r0 + j * L);
        FloatVector s1 = FloatVector.fromArray(S, a, r1 + j * L);
        FloatVector s2 = FloatVector.fromArray(S, a, r2 + j * L);
        FloatVector s3 = FloatVector.fromArray(S, a, r3 + j * L);
        for (int t = 0, o = 0; t < j; t++, o += L) {
            FloatVector m = FloatVector.fromArray(S, a, rowJ + o).neg();
            s0 = m.fma(FloatVector.fromArray(S, a, r0 + o), s0);
            s1 = m.fma(FloatVector.fromArray(S, a, r1 + o), s1);
            s2 = m.fma(FloatVector.fromArray(S, a, r2 + o), s2);
            s3 = m.fma(FloatVector.fromArray(S, a, r3 + o), s3);
        }
        s0.div(ljj).intoArray(a, r0 + j * L);
        s1.div(ljj).intoArray(a, r1 + j * L);
        s2.div(ljj).intoArray(a, r2 + j * L);
        s3.div(ljj).intoArray(a, r3 + j * L);
    }
}
