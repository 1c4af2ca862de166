package org.mfkit.vector;

import static org.mfkit.vector.VectorDots.L;
import static org.mfkit.vector.VectorDots.S;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Cholesky factor and solve of L small systems at once, lanes across systems (Intel MKL's
 * "compact" layout): for small k a row of the factor is shorter than a vector, and this
 * fills every lane instead. Used by the batch ({@link VectorCholesky}) for k &le;
 * {@link #MAX_K}.
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
}
