package org.mfkit.vector;

import static org.mfkit.vector.VectorDots.L;
import static org.mfkit.vector.VectorDots.S;

import jdk.incubator.vector.FloatVector;

/**
 * Conjugate gradient on one row's normal equations without forming A: the operator is
 * A v = G v + Σ_e w_e (q_e·v) q_e + λ v (G = YᵀY for implicit ALS, absent for explicit).
 * That costs k² + 4k·m flops per product for a row with m entries, against k²·m/2 just to
 * assemble A. Steps and the early stop ({@code rᵀr ≤ 1e-20}) follow the reference.
 */
final class VectorConjugateGradient {
    /** Squared residual norm below which CG stops (the reference's value). */
    static final float RESIDUAL_FLOOR = 1e-20f;

    private VectorConjugateGradient() {}

    /**
     * The row's operator. {@link #prepare} gathers the row's item vectors into a contiguous
     * panel (rows up to {@link #PANEL_LIMIT} floats) and their weights, so the CG products after
     * the first read L1/L2 instead of gathering from all of Y again.
     */
    static final class Operator {
        /** Largest panel copied, in floats (4 MiB); longer rows read Y in place. */
        static final int PANEL_LIMIT = 1 << 20;

        float[] y;
        float[] gram;
        int k;
        float shift;
        private float[] panel = new float[0];
        private float[] weights = new float[0];
        private int[] offsets = new int[0];
        private float[] source;
        private int count;

        /**
         * Sets the operator to entries [start, end) of a CSR row: weight α·r (implicit) or 1
         * (explicit); entries of weight 0 contribute nothing and are dropped.
         */
        void prepare(int[] cols, float[] vals, int start, int end, boolean implicit, float alpha) {
            int m = end - start;
            if (weights.length < m) {
                weights = new float[Math.max(m, 2 * weights.length)];
                offsets = new int[weights.length];
            }
            int n = 0;
            for (int e = start; e < end; e++) {
                float w = implicit ? alpha * vals[e] : 1f;
                if (w == 0f) continue;
                weights[n] = w;
                offsets[n] = cols[e] * k;
                n++;
            }
            count = n;
            if ((long) n * k <= PANEL_LIMIT) {
                if (panel.length < n * k) panel = new float[Math.max(n * k, 2 * panel.length)];
                for (int x = 0; x < n; x++) {
                    System.arraycopy(y, offsets[x], panel, x * k, k);
                    offsets[x] = x * k;
                }
                source = panel;
            } else {
                source = y;
            }
        }

        /** out = A v. */
        void apply(float[] v, float[] out) {
            if (gram != null) {
                gramTimes(gram, v, out, k);
            } else {
                java.util.Arrays.fill(out, 0, k, 0f);
            }
            if (k == 4 * L) {
                rankOnes4(source, offsets, weights, count, v, out);
            } else {
                for (int x = 0; x < count; x++) {
                    int qOff = offsets[x];
                    float d = VectorDots.dot(source, qOff, v, 0, k);
                    VectorDots.axpy(weights[x] * d, source, qOff, out, 0, k);
                }
            }
            VectorDots.axpy(shift, v, 0, out, 0, k);
        }
    }

    /**
     * out += Σ_x w_x (q_x·v) q_x for k = 4L: v and the four output accumulators stay in
     * registers, and each q_x is loaded once for both its dot and its update.
     */
    private static void rankOnes4(float[] q, int[] offsets, float[] weights, int count, float[] v, float[] out) {
        FloatVector v0 = FloatVector.fromArray(S, v, 0);
        FloatVector v1 = FloatVector.fromArray(S, v, L);
        FloatVector v2 = FloatVector.fromArray(S, v, 2 * L);
        FloatVector v3 = FloatVector.fromArray(S, v, 3 * L);
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = FloatVector.zero(S);
        FloatVector a2 = FloatVector.zero(S);
        FloatVector a3 = FloatVector.zero(S);
        for (int x = 0; x < count; x++) {
            int off = offsets[x];
            FloatVector q0 = FloatVector.fromArray(S, q, off);
            FloatVector q1 = FloatVector.fromArray(S, q, off + L);
            FloatVector q2 = FloatVector.fromArray(S, q, off + 2 * L);
            FloatVector q3 = FloatVector.fromArray(S, q, off + 3 * L);
            FloatVector d01 = q1.fma(v1, q0.mul(v0));
            FloatVector d23 = q3.fma(v3, q2.mul(v2));
            FloatVector s = FloatVector.broadcast(S, weights[x] * VectorDots.sum(d01.add(d23)));
            a0 = s.fma(q0, a0);
            a1 = s.fma(q1, a1);
            a2 = s.fma(q2, a2);
            a3 = s.fma(q3, a3);
        }
        a0.add(FloatVector.fromArray(S, out, 0)).intoArray(out, 0);
        a1.add(FloatVector.fromArray(S, out, L)).intoArray(out, L);
        a2.add(FloatVector.fromArray(S, out, 2 * L)).intoArray(out, 2 * L);
        a3.add(FloatVector.fromArray(S, out, 3 * L)).intoArray(out, 3 * L);
    }

    /** out = G v for symmetric G (k×k), as Σ_t v_t·G[t][:] with up to four register accumulators. */
    static void gramTimes(float[] g, float[] v, float[] out, int k) {
        int bound = k - k % L;
        int c = 0;
        for (; c + 4 * L <= bound; c += 4 * L) {
            FloatVector s0 = FloatVector.zero(S);
            FloatVector s1 = FloatVector.zero(S);
            FloatVector s2 = FloatVector.zero(S);
            FloatVector s3 = FloatVector.zero(S);
            for (int t = 0, row = c; t < k; t++, row += k) {
                FloatVector m = FloatVector.broadcast(S, v[t]);
                s0 = m.fma(FloatVector.fromArray(S, g, row), s0);
                s1 = m.fma(FloatVector.fromArray(S, g, row + L), s1);
                s2 = m.fma(FloatVector.fromArray(S, g, row + 2 * L), s2);
                s3 = m.fma(FloatVector.fromArray(S, g, row + 3 * L), s3);
            }
            s0.intoArray(out, c);
            s1.intoArray(out, c + L);
            s2.intoArray(out, c + 2 * L);
            s3.intoArray(out, c + 3 * L);
        }
        for (; c < bound; c += L) {
            FloatVector s0 = FloatVector.zero(S);
            for (int t = 0, row = c; t < k; t++, row += k) {
                s0 = FloatVector.broadcast(S, v[t]).fma(FloatVector.fromArray(S, g, row), s0);
            }
            s0.intoArray(out, c);
        }
        for (; c < k; c++) out[c] = VectorDots.dot(g, c * k, v, 0, k);
    }

    /**
     * {@code steps} CG steps on A x = b from x (in place). Returns NaN on success or the
     * non-positive (or non-finite) pᵀAp that shows A is not positive definite.
     */
    /**
     * Runs the steps in place on x. Returns true on success; false when a direction had pᵀAp
     * not positive and finite (NaN included: an overflowed operator), with that pᵀAp in
     * {@code breakdown[0]}. The status is explicit because no float can serve as a "no
     * breakdown" sentinel when NaN is itself a breakdown.
     */
    static boolean solve(Operator op, float[] b, float[] x, int steps, float[] r, float[] p, float[] ap,
                         float[] breakdown) {
        int k = op.k;
        op.apply(x, ap);
        for (int i = 0; i < k; i++) {
            r[i] = b[i] - ap[i];
            p[i] = r[i];
        }
        float rsOld = VectorDots.dot(r, 0, r, 0, k);
        for (int step = 0; step < steps; step++) {
            if (rsOld <= RESIDUAL_FLOOR) break;
            op.apply(p, ap);
            float pAp = VectorDots.dot(p, 0, ap, 0, k);
            if (!(pAp > 0f) || !Float.isFinite(pAp)) {
                breakdown[0] = pAp;
                return false;
            }
            float alpha = rsOld / pAp;
            VectorDots.axpy(alpha, p, 0, x, 0, k);
            VectorDots.axpy(-alpha, ap, 0, r, 0, k);
            float rsNew = VectorDots.dot(r, 0, r, 0, k);
            float beta = rsNew / rsOld;
            xpby(r, beta, p, k);
            rsOld = rsNew;
        }
        return true;
    }

    /** p = r + β p. */
    private static void xpby(float[] r, float beta, float[] p, int k) {
        int bound = k - k % L;
        int t = 0;
        FloatVector bv = FloatVector.broadcast(S, beta);
        for (; t < bound; t += L) {
            bv.fma(FloatVector.fromArray(S, p, t), FloatVector.fromArray(S, r, t)).intoArray(p, t);
        }
        for (; t < k; t++) p[t] = r[t] + beta * p[t];
    }
}
