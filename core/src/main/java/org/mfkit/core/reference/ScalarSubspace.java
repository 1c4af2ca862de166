package org.mfkit.core.reference;

/**
 * Reference subspace sweep (iALS++, Rendle et al. 2021) on an assembled k×k system A x = b:
 * block coordinate descent over the coordinate blocks [0, s), [s, 2s), … (the last one
 * shorter), once each in order, warm-started from x. For block B with the other coordinates
 * fixed, the minimizer of ½xᵀAx − bᵀx moves x_B by Δ = A_BB⁻¹ (b − A x)_B: the residual of
 * the block's rows with the current x (every earlier block already updated), then a
 * Cholesky solve of the block's principal submatrix. That is block Gauss–Seidel; with s ≥ k
 * the one block is the whole system and the sweep is an exact solve from x.
 */
final class ScalarSubspace {
    private ScalarSubspace() {}

    /**
     * Sweeps in place on {@code x[xOff..xOff+k)}. Returns -1 on success; otherwise the column
     * (in 0..k) whose block pivot was not positive and finite, with that pivot in
     * {@code pivot[0]}; x is then partly updated and must be discarded by the caller.
     * {@code block} (s×s), {@code factor} (s×s), {@code residual} and {@code delta} (s each) are scratch.
     */
    static int sweep(float[] a, int aOff, float[] b, int bOff, float[] x, int xOff, int k, int blockSize,
                     float[] block, float[] factor, float[] residual, float[] delta, float[] pivot) {
        for (int start = 0; start < k; start += blockSize) {
            int size = Math.min(blockSize, k - start);
            for (int i = 0; i < size; i++) {
                int row = aOff + (start + i) * k;
                residual[i] = b[bOff + start + i] - ScalarDots.dot(a, row, x, xOff, k);
                for (int j = 0; j <= i; j++) block[i * size + j] = a[row + start + j];
            }
            int bad = ScalarCholesky.factor(block, 0, size, factor);
            if (bad >= 0) {
                pivot[0] = factor[bad * size + bad];
                return start + bad;
            }
            ScalarCholesky.solve(factor, size, residual, 0, delta, 0);
            for (int i = 0; i < size; i++) x[xOff + start + i] += delta[i];
        }
        return -1;
    }
}
