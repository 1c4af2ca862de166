package org.mfkit.core.reference;

/** Reference dot-product kernels: one float32 accumulator, summed in index order. */
final class ScalarDots {
    private ScalarDots() {}

    /** Σ_t a[aOff+t]·b[bOff+t] for t &lt; k, accumulated in float32 in order. */
    static float dot(float[] a, int aOff, float[] b, int bOff, int k) {
        float sum = 0f;
        for (int t = 0; t < k; t++) sum += a[aOff + t] * b[bOff + t];
        return sum;
    }

    static void gathered(float[] p, float[] q, int k, int[] users, int[] items, float[] out) {
        for (int j = 0; j < users.length; j++) {
            out[j] = dot(p, users[j] * k, q, items[j] * k, k);
        }
    }

    static void predict(float mu, float[] userBias, float[] itemBias, float[] p, float[] q, int k,
                        int[] users, int[] items, float[] out) {
        for (int j = 0; j < users.length; j++) {
            int u = users[j];
            int i = items[j];
            out[j] = mu + userBias[u] + itemBias[i] + dot(p, u * k, q, i * k, k);
        }
    }

    static void scores(float[] p, int[] rows, float[] q, int nItems, int k, float[] out) {
        for (int r = 0; r < rows.length; r++) {
            for (int i = 0; i < nItems; i++) {
                out[r * nItems + i] = dot(p, rows[r] * k, q, i * k, k);
            }
        }
    }
}
