package org.mfkit.core.reference;

/**
 * Reference k-step conjugate gradient on Ax = b for a dense symmetric k×k A, warm-started
 * from x. Stops early when rᵀr &le; {@link #RESIDUAL_FLOOR}. Reports success or breakdown
 * explicitly: a breakdown value cannot double as a sentinel, because a NaN pᵀAp (an overflowed
 * A) is itself a breakdown.
 */
final class ScalarConjugateGradient {
    /** Squared residual norm below which CG stops (the value implicit's CG uses). */
    static final float RESIDUAL_FLOOR = 1e-20f;

    private ScalarConjugateGradient() {}

    /**
     * Runs the steps in place on x. Returns true on success; false when a direction had pᵀAp
     * not positive and finite (NaN included), with that pᵀAp in {@code breakdown[0]}.
     */
    static boolean solve(float[] a, int aOff, float[] b, int bOff, float[] x, int xOff, int k, int steps,
                         float[] r, float[] p, float[] ap, float[] breakdown) {
        for (int i = 0; i < k; i++) {
            r[i] = b[bOff + i] - ScalarDots.dot(a, aOff + i * k, x, xOff, k);
            p[i] = r[i];
        }
        float rsOld = ScalarDots.dot(r, 0, r, 0, k);
        for (int step = 0; step < steps; step++) {
            if (rsOld <= RESIDUAL_FLOOR) break;
            for (int i = 0; i < k; i++) ap[i] = ScalarDots.dot(a, aOff + i * k, p, 0, k);
            float pAp = ScalarDots.dot(p, 0, ap, 0, k);
            if (!(pAp > 0f) || !Float.isFinite(pAp)) {
                breakdown[0] = pAp;
                return false;
            }
            float alpha = rsOld / pAp;
            for (int i = 0; i < k; i++) {
                x[xOff + i] += alpha * p[i];
                r[i] -= alpha * ap[i];
            }
            float rsNew = ScalarDots.dot(r, 0, r, 0, k);
            float beta = rsNew / rsOld;
            for (int i = 0; i < k; i++) p[i] = r[i] + beta * p[i];
            rsOld = rsNew;
        }
        return true;
    }
}
