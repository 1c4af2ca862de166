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

    /** The row's operator: entries [start, end) of the CSR row, their weights and the shift λ. */
    static final class Operator {
        int[] cols;
        float[] vals;
        float[] y;
        float[] gram;
        int k;
        int start;
        int end;
        /** Weight of q qᵀ is {@code alpha·r} (implicit) or 1 (explicit, when {@code implicit} is false). */
        float alpha;
        boolean implicit;
        float shift;

        /** out = A v. */
        void apply(float[] v, float[] out) {
            if (gram != null) {
                gramTimes(gram, v, out, k);
            } else {
                java.util.Arrays.fill(out, 0, k, 0f);
            }
            for (int e = start; e < end; e++) {
                float w = implicit ? alpha * vals[e] : 1f;
                if (w == 0f) continue;
                int qOff = cols[e] * k;
                float d = VectorDots.dot(y, qOff, v, 0, k);
                VectorDots.axpy(w * d, y, qOff, out, 0, k);
            }
            VectorDots.axpy(shift, v, 0, out, 0, k);
        }
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
    static float solve(Operator op, float[] b, float[] x, int steps, float[] r, float[] p, float[] ap) {
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
            if (!(pAp > 0f) || !Float.isFinite(pAp)) return pAp;
            float alpha = rsOld / pAp;
            VectorDots.axpy(alpha, p, 0, x, 0, k);
            VectorDots.axpy(-alpha, ap, 0, r, 0, k);
            float rsNew = VectorDots.dot(r, 0, r, 0, k);
            float beta = rsNew / rsOld;
            xpby(r, beta, p, k);
            rsOld = rsNew;
        }
        return Float.NaN;
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
