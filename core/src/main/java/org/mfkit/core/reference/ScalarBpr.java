package org.mfkit.core.reference;

/**
 * Reference BPR (Rendle et al. 2009). Per triple (u, i, j), in list order:
 * x = p_u·(q_i − q_j) + b_i − b_j; g = σ(−x) = 1/(1+eˣ); with the old values,
 * p_u += η(g(q_i − q_j) − λ p_u), q_i += η(g p_u − λ q_i), q_j += η(−g p_u − λ q_j),
 * b_i += η(g − λ_b b_i), b_j += η(−g − λ_b b_j). Loss term −ln σ(x) in float64, summed
 * only when asked for (otherwise the result is NaN).
 */
final class ScalarBpr {
    private ScalarBpr() {}

    static double sequential(float[] p, float[] q, int k, float[] itemBias,
                             int[] users, int[] positives, int[] negatives,
                             float lr, float reg, float regB, boolean computeLoss) {
        double loss = 0;
        for (int n = 0; n < users.length; n++) {
            int pOff = users[n] * k;
            int iOff = positives[n] * k;
            int jOff = negatives[n] * k;
            float x = 0f;
            for (int t = 0; t < k; t++) x += p[pOff + t] * (q[iOff + t] - q[jOff + t]);
            if (itemBias != null) x += itemBias[positives[n]] - itemBias[negatives[n]];
            if (computeLoss) loss += softplus(-x);
            float g = (float) (1.0 / (1.0 + Math.exp(x)));
            if (itemBias != null) {
                int i = positives[n];
                int j = negatives[n];
                itemBias[i] += lr * (g - regB * itemBias[i]);
                itemBias[j] += lr * (-g - regB * itemBias[j]);
            }
            for (int t = 0; t < k; t++) {
                float pu = p[pOff + t];
                float qi = q[iOff + t];
                float qj = q[jOff + t];
                p[pOff + t] = pu + lr * (g * (qi - qj) - reg * pu);
                q[iOff + t] = qi + lr * (g * pu - reg * qi);
                q[jOff + t] = qj + lr * (-g * pu - reg * qj);
            }
        }
        return computeLoss ? loss : Double.NaN;
    }

    /** ln(1 + eᶻ) without overflow: −ln σ(x) = softplus(−x). */
    static double softplus(double z) {
        return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
    }
}
