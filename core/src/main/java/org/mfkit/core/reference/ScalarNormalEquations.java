package org.mfkit.core.reference;

/**
 * Reference normal-equation assembly for one row of the ratings, into a k×k (full,
 * symmetric) {@code a} and a k-vector {@code b}, float32 accumulation in entry order.
 * Explicit: A = Σ q qᵀ + λ'I, b = Σ r q. Implicit: A = G + Σ α r q qᵀ + λI (the weight of
 * q qᵀ is c − 1 = α r, computed directly), b = Σ_{r&gt;0} (1 + α r) q.
 */
final class ScalarNormalEquations {
    private ScalarNormalEquations() {}

    static void explicit(int row, int[] rowPtr, int[] cols, float[] vals, float[] y, int k,
                         float lambda, boolean scaleByCount, float[] a, int aOff, float[] b, int bOff) {
        for (int t = 0; t < k * k; t++) a[aOff + t] = 0f;
        for (int t = 0; t < k; t++) b[bOff + t] = 0f;
        int start = rowPtr[row];
        int end = rowPtr[row + 1];
        for (int e = start; e < end; e++) {
            int qOff = cols[e] * k;
            float r = vals[e];
            for (int s = 0; s < k; s++) {
                float qs = y[qOff + s];
                for (int t = 0; t <= s; t++) a[aOff + s * k + t] += qs * y[qOff + t];
                b[bOff + s] += r * qs;
            }
        }
        float reg = scaleByCount ? lambda * (end - start) : lambda;
        for (int s = 0; s < k; s++) a[aOff + s * k + s] += reg;
        mirrorLower(a, aOff, k);
    }

    static void implicit(int row, int[] rowPtr, int[] cols, float[] vals, float[] y, int k, float[] gram,
                         float alpha, float lambda, float[] a, int aOff, float[] b, int bOff) {
        System.arraycopy(gram, 0, a, aOff, k * k);
        for (int t = 0; t < k; t++) b[bOff + t] = 0f;
        for (int e = rowPtr[row]; e < rowPtr[row + 1]; e++) {
            int qOff = cols[e] * k;
            float r = vals[e];
            float weight = alpha * r;
            float confidence = 1f + weight;
            for (int s = 0; s < k; s++) {
                float qs = y[qOff + s];
                float wqs = weight * qs;
                for (int t = 0; t <= s; t++) a[aOff + s * k + t] += wqs * y[qOff + t];
                if (r > 0f) b[bOff + s] += confidence * qs;
            }
        }
        for (int s = 0; s < k; s++) a[aOff + s * k + s] += lambda;
        mirrorLower(a, aOff, k);
    }

    private static void mirrorLower(float[] a, int aOff, int k) {
        for (int s = 0; s < k; s++) {
            for (int t = 0; t < s; t++) a[aOff + t * k + s] = a[aOff + s * k + t];
        }
    }
}
