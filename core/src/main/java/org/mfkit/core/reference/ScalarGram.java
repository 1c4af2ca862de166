package org.mfkit.core.reference;

/** Reference Gram: out[a][b] = Σ_n y[n][a]·y[n][b], float32 accumulator over n in order, lower triangle mirrored. */
final class ScalarGram {
    private ScalarGram() {}

    static void gram(float[] y, int n, int k, float[] out) {
        for (int a = 0; a < k; a++) {
            for (int b = 0; b <= a; b++) {
                float sum = 0f;
                for (int row = 0; row < n; row++) sum += y[row * k + a] * y[row * k + b];
                out[a * k + b] = sum;
                out[b * k + a] = sum;
            }
        }
    }
}
