package org.mfkit.vector;

import static org.mfkit.vector.VectorDots.L;
import static org.mfkit.vector.VectorDots.S;

import jdk.incubator.vector.FloatVector;

/**
 * Normal-equation assembly for one row of the ratings. The row's item vectors are gathered
 * into a zero-padded panel (and a weighted copy w·q), and A's lower triangle is accumulated
 * with the Gram register blocks: Σ w q qᵀ = (WQ)ᵀQ. Explicit: A = Σ q qᵀ + λ'I, b = Σ r q;
 * implicit: A = G + Σ α r q qᵀ + λI, b = Σ_{r&gt;0} (1 + α r) q. A is written in full
 * (lower triangle mirrored), or, for the ALS half-steps, as one lane of a packed
 * lanes-across-systems group ({@link VectorCholeskyCompact.Packed}).
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
        final float[] rhs;

        Scratch(int k) {
            this.k = k;
            this.kp = VectorGram.padded(k);
            this.weighted = new float[VectorGram.PANEL * kp];
            this.plain = new float[VectorGram.PANEL * kp];
            this.acc = new float[kp * kp];
            this.rhs = new float[k];
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

    /** {@link #explicit} into lane n of the packed group c. */
    static void explicitLane(int row, int[] rowPtr, int[] cols, float[] vals, float[] y, int k, float lambda,
                             boolean scaleByCount, VectorCholeskyCompact.Packed c, int n, Scratch s) {
        int start = rowPtr[row];
        int end = rowPtr[row + 1];
        accumulate(start, end, cols, vals, y, k, 0f, false, s.rhs, 0, s);
        float reg = scaleByCount ? lambda * (end - start) : lambda;
        finishLane(s, null, reg, c, n);
    }

    /** {@link #implicit} into lane n of the packed group c. */
    static void implicitLane(int row, int[] rowPtr, int[] cols, float[] vals, float[] y, int k, float[] gram,
                             float alpha, float lambda, VectorCholeskyCompact.Packed c, int n, Scratch s) {
        accumulate(rowPtr[row], rowPtr[row + 1], cols, vals, y, k, alpha, true, s.rhs, 0, s);
        finishLane(s, gram, lambda, c, n);
    }

    /** Lane n of c = (lower of acc) + gram (when not null) + reg·I, and s.rhs. */
    private static void finishLane(Scratch s, float[] gram, float reg, VectorCholeskyCompact.Packed c, int n) {
        int k = s.k;
        int kp = s.kp;
        float[] acc = s.acc;
        float[] packed = c.a;
        for (int i = 0, at = n; i < k; i++) {
            int accRow = i * kp;
            if (gram == null) {
                for (int j = 0; j < i; j++, at += L) packed[at] = acc[accRow + j];
            } else {
                for (int j = 0; j < i; j++, at += L) packed[at] = gram[i * k + j] + acc[accRow + j];
            }
            float diagonal = acc[accRow + i];
            if (gram != null) diagonal = gram[i * k + i] + diagonal;
            packed[at] = diagonal + reg;
            at += L;
            c.b[i * L + n] = s.rhs[i];
        }
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
                gatherRow(y, qOff, k, s.plain, at, kp);
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

    /**
     * panel[at..at+kp) = y[qOff..qOff+k) then zeros: whole vectors, the partial last one
     * zeroed and filled lane by lane (a copy stub call and a scalar zeroing loop per rating
     * cost more than the Gram blocks' FMAs for k ~ 32).
     */
    private static void gatherRow(float[] y, int qOff, int k, float[] panel, int at, int kp) {
        int t = 0;
        for (; t + L <= k; t += L) FloatVector.fromArray(S, y, qOff + t).intoArray(panel, at + t);
        if (t < kp) {
            FloatVector.zero(S).intoArray(panel, at + t);
            for (; t < k; t++) panel[at + t] = y[qOff + t];
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
