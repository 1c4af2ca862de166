package org.mfkit.core.reference;

/**
 * Reference SGD for biased MF. Per rating, in list order:
 * e = r − (μ + b_u + b_i + p_u·q_i); b_u += η(e − λ_b b_u); b_i += η(e − λ_b b_i);
 * then for each t, with the old p_ut and q_it: p_ut += η(e q_it − λ_f p_ut), q_it += η(e p_ut − λ_f q_it).
 */
final class ScalarSgd {
    private ScalarSgd() {}

    static double sequential(float[] p, float[] q, int k, float[] userBias, float[] itemBias,
                             int[] users, int[] items, float[] ratings,
                             float mu, float lr, float regF, float regB) {
        double squaredErrors = 0;
        for (int j = 0; j < users.length; j++) {
            int u = users[j];
            int i = items[j];
            int pOff = u * k;
            int qOff = i * k;
            float prediction = mu + ScalarDots.dot(p, pOff, q, qOff, k);
            if (userBias != null) prediction += userBias[u] + itemBias[i];
            float e = ratings[j] - prediction;
            squaredErrors += (double) e * e;
            if (userBias != null) {
                userBias[u] += lr * (e - regB * userBias[u]);
                itemBias[i] += lr * (e - regB * itemBias[i]);
            }
            for (int t = 0; t < k; t++) {
                float pu = p[pOff + t];
                float qi = q[qOff + t];
                p[pOff + t] = pu + lr * (e * qi - regF * pu);
                q[qOff + t] = qi + lr * (e * pu - regF * qi);
            }
        }
        return squaredErrors;
    }

    /**
     * Mini-batch: errors from the entry parameters; per-row sums G_u = Σ e_j q_{i_j},
     * G_i = Σ e_j p_{u_j} (entry values, list order); then p_u += η(G_u − c_u λ_f p_u) for
     * every user with c_u &gt; 0 ratings in the batch, and likewise items and biases.
     */
    static double miniBatch(float[] p, float[] q, int k, float[] userBias, float[] itemBias,
                            int[] users, int[] items, float[] ratings,
                            float mu, float lr, float regF, float regB) {
        int n = users.length;
        int nUsers = p.length / k;
        int nItems = q.length / k;
        float[] errors = new float[n];
        double squaredErrors = 0;
        for (int j = 0; j < n; j++) {
            int u = users[j];
            int i = items[j];
            float prediction = mu + ScalarDots.dot(p, u * k, q, i * k, k);
            if (userBias != null) prediction += userBias[u] + itemBias[i];
            errors[j] = ratings[j] - prediction;
            squaredErrors += (double) errors[j] * errors[j];
        }
        float[] gradP = new float[p.length];
        float[] gradQ = new float[q.length];
        float[] gradBu = new float[nUsers];
        float[] gradBi = new float[nItems];
        int[] countU = new int[nUsers];
        int[] countI = new int[nItems];
        for (int j = 0; j < n; j++) {
            int u = users[j];
            int i = items[j];
            float e = errors[j];
            countU[u]++;
            countI[i]++;
            gradBu[u] += e;
            gradBi[i] += e;
            for (int t = 0; t < k; t++) {
                gradP[u * k + t] += e * q[i * k + t];
                gradQ[i * k + t] += e * p[u * k + t];
            }
        }
        apply(p, gradP, countU, k, lr, regF);
        apply(q, gradQ, countI, k, lr, regF);
        if (userBias != null) {
            apply(userBias, gradBu, countU, 1, lr, regB);
            apply(itemBias, gradBi, countI, 1, lr, regB);
        }
        return squaredErrors;
    }

    private static void apply(float[] x, float[] grad, int[] count, int k, float lr, float reg) {
        for (int row = 0; row < count.length; row++) {
            if (count[row] == 0) continue;
            float rowReg = count[row] * reg;
            for (int t = 0; t < k; t++) {
                int at = row * k + t;
                x[at] += lr * (grad[at] - rowReg * x[at]);
            }
        }
    }
}
