package org.mfkit.core.reference;

/**
 * Reference Cholesky: A = LLᵀ column by column (Cholesky–Crout), float32, then forward
 * substitution Lz = b and back substitution Lᵀx = z. Reads only the lower triangle of A.
 */
final class ScalarCholesky {
    private ScalarCholesky() {}

    /**
     * Factors the k×k matrix at {@code a[aOff..]} into {@code l} (k×k scratch, lower part
     * used). Returns -1 on success, else the column whose pivot was not positive and finite;
     * the bad pivot is left in {@code l[col*k+col]}.
     */
    static int factor(float[] a, int aOff, int k, float[] l) {
        for (int j = 0; j < k; j++) {
            float d = a[aOff + j * k + j];
            for (int t = 0; t < j; t++) d -= l[j * k + t] * l[j * k + t];
            if (!(d > 0f) || !Float.isFinite(d)) {
                l[j * k + j] = d;
                return j;
            }
            float ljj = (float) Math.sqrt(d);
            l[j * k + j] = ljj;
            for (int i = j + 1; i < k; i++) {
                float s = a[aOff + i * k + j];
                for (int t = 0; t < j; t++) s -= l[i * k + t] * l[j * k + t];
                l[i * k + j] = s / ljj;
            }
        }
        return -1;
    }

    /** Solves LLᵀx = b for the factor in {@code l}; {@code x} may alias {@code b}. */
    static void solve(float[] l, int k, float[] b, int bOff, float[] x, int xOff) {
        for (int i = 0; i < k; i++) {
            float s = b[bOff + i];
            for (int t = 0; t < i; t++) s -= l[i * k + t] * x[xOff + t];
            x[xOff + i] = s / l[i * k + i];
        }
        for (int i = k - 1; i >= 0; i--) {
            float s = x[xOff + i];
            for (int t = i + 1; t < k; t++) s -= l[t * k + i] * x[xOff + t];
            x[xOff + i] = s / l[i * k + i];
        }
    }
}
