package org.mfkit.vector;

import static org.mfkit.vector.VectorDots.L;
import static org.mfkit.vector.VectorDots.S;

import jdk.incubator.vector.FloatVector;

/**
 * Normal-equation assembly for one row of the ratings. The row's item vectors are gathered
 * into a zero-padded panel (and a weighted copy w·q), and A's lower triangle is accumulated
 * with the Gram register blocks: Σ w q qᵀ = (WQ)ᵀQ. Explicit: A = Σ q qᵀ + λ'I, b = Σ r q;
 * implicit: A = G + Σ α r q qᵀ + λI, b = Σ_{r&gt;0} (1 + α r) q. A is written in full
 * (lower triangle mirrored).
 */
final class VectorNormalEquations {
    private VectorNormalEquations() {}

    /** Per-worker buffers, sized for k. */
    static final class Scratch {
        final int k;
        final int kp;
        final float[] weighted;
        final float[] plain;
        final float[] acc;

        Scratch(int k) {
            this.k = k;
            this.kp = VectorGram.padded(k);
            this.weighted = new float[VectorGram.PANEL * kp];
            this.plain = new float[VectorGram.PANEL * kp];
            this.acc = new float[kp * kp];
        }
    }

    static void explicit(int row, int[] rowPtr, int[] cols, float[] vals, float[] y, int k, float lambda,
                         boolean scaleByCount, float[] a, int aOff, float[] b, int bOff, Scratch s) {
        int start = rowPtr[row];
        int end = rowPtr[row + 1];
        accumulate(start, end, cols, vals, y, k, 0f, false, b, bOff, s);
        float reg = scaleByCount ? lambda * (end - start) : lambda;
        finish(s, null, reg, a, aOff);
    }

    static void implicit(int row, int[] rowPtr, int[] cols, float[] vals, float[] y, int k, float[] gram,
                         float alpha, float lambda, float[] a, int aOff, float[] b, int bOff, Scratch s) {
        accumulate(rowPtr[row], rowPtr[row + 1], cols, vals, y, k, alpha, true, b, bOff, s);
        finish(s, gram, lambda, a, aOff);
    }

    /** Fills s.acc (lower blocks) with Σ w q qᵀ and b with the right-hand side. */
    private static void accumulate(int start, int end, int[] cols, float[] vals, float[] y, int k, float alpha,
                                   boolean implicit, float[] b, int bOff, Scratch s) {
        int kp = s.kp;
        java.util.Arrays.fill(s.acc, 0f);
        for (int t = 0; t < k; t++) b[bOff + t] = 0f;
        for (int e0 = start; e0 < end; e0 += VectorGram.PANEL) {
            int count = Math.min(VectorGram.PANEL, end - e0);
            for (int r = 0; r < count; r++) {
                int e = e0 + r;
                int qOff = cols[e] * k;
                float value = vals[e];
                float weight = implicit ? alpha * value : 1f;
                int at = r * kp;
                System.arraycopy(y, qOff, s.plain, at, k);
                for (int t = k; t < kp; t++) s.plain[at + t] = 0f;
                if (implicit) scaleRow(weight, s.plain, s.weighted, at, kp);
                if (implicit) {
                    if (value > 0f) VectorDots.axpy(1f + weight, y, qOff, b, bOff, k);
                } else {
                    VectorDots.axpy(value, y, qOff, b, bOff, k);
                }
            }
            VectorGram.lowerBlocks(implicit ? s.weighted : s.plain, s.plain, 0, kp, count, k, s.acc, kp);
        }
    }

    /** weighted[at..at+kp) = w · plain[at..at+kp), the zero padding included. */
    private static void scaleRow(float w, float[] plain, float[] weighted, int at, int kp) {
        FloatVector wv = FloatVector.broadcast(S, w);
        for (int t = 0; t < kp; t += L) {
            FloatVector.fromArray(S, plain, at + t).mul(wv).intoArray(weighted, at + t);
        }
    }

    /** a = (lower of acc, mirrored) + gram (when not null) + reg·I. */
    private static void finish(Scratch s, float[] gram, float reg, float[] a, int aOff) {
        int k = s.k;
        int kp = s.kp;
        float[] acc = s.acc;
        for (int i = 0; i < k; i++) {
            for (int j = 0; j <= i; j++) {
                float v = acc[i * kp + j];
                if (gram != null) v = gram[i * k + j] + v;
                if (i == j) v += reg;
                a[aOff + i * k + j] = v;
                a[aOff + j * k + i] = v;
            }
        }
    }
}
