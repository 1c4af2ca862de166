package org.mfkit.bench.peers;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.lapack.LAPACK;
import org.netlib.util.intW;

/**
 * How Spark MLlib's ALS builds and solves implicit normal equations (its
 * {@code NormalEquation} and {@code CholeskySolver}): the upper triangle packed in float64,
 * one rank-1 {@code dspr} per rating on top of a packed YᵀY, then {@code dppsv}. Spark scales λ
 * by the rating count; here λ is unscaled, as in mfkit's implicit kernel, so results can be
 * cross-checked. One thread, as in one Spark task.
 */
public final class SparkAls {
    private static final BLAS BLAS_INSTANCE = BLAS.getInstance();
    private static final LAPACK LAPACK_INSTANCE = LAPACK.getInstance();

    private final int k;
    private final double[] packedGram;
    private final double[] ata;
    private final double[] atb;
    private final double[] q;

    /** Scratch for rank-k problems. */
    public SparkAls(int k) {
        this.k = k;
        int triangle = k * (k + 1) / 2;
        this.packedGram = new double[triangle];
        this.ata = new double[triangle];
        this.atb = new double[k];
        this.q = new double[k];
    }

    /** Packs yᵀy (float64, column-major upper) the way Spark's computeYtY does, with dspr per row. */
    public void gram(float[] y, int n) {
        java.util.Arrays.fill(packedGram, 0.0);
        for (int r = 0; r < n; r++) {
            for (int t = 0; t < k; t++) q[t] = y[r * k + t];
            BLAS_INSTANCE.dspr("U", k, 1.0, q, 1, packedGram);
        }
    }

    /** Builds the normal equations of one row into the packed scratch (A) and atb (b). */
    public void build(int row, int[] rowPtr, int[] cols, float[] vals, float[] y, float alpha, float lambda) {
        System.arraycopy(packedGram, 0, ata, 0, ata.length);
        java.util.Arrays.fill(atb, 0.0);
        for (int e = rowPtr[row]; e < rowPtr[row + 1]; e++) {
            int off = cols[e] * k;
            for (int t = 0; t < k; t++) q[t] = y[off + t];
            double c1 = alpha * vals[e];
            BLAS_INSTANCE.dspr("U", k, c1, q, 1, ata);
            if (vals[e] > 0f) BLAS_INSTANCE.daxpy(k, 1.0 + c1, q, 1, atb, 1);
        }
        for (int i = 0, diag = 0; i < k; i++, diag += i + 1) ata[diag] += lambda;
    }

    /** Solves the built system with dppsv and writes the solution to {@code x[xOff..]}. */
    public void solve(float[] x, int xOff) {
        intW info = new intW(0);
        LAPACK_INSTANCE.dppsv("U", k, 1, ata, atb, k, info);
        if (info.val != 0) throw new ArithmeticException("dppsv info = " + info.val);
        for (int t = 0; t < k; t++) x[xOff + t] = (float) atb[t];
    }

    /** The built A as a full float k×k matrix (for cross-checks). */
    public void unpack(float[] a, int aOff) {
        for (int col = 0, p = 0; col < k; col++) {
            for (int row = 0; row <= col; row++, p++) {
                a[aOff + row * k + col] = (float) ata[p];
                a[aOff + col * k + row] = (float) ata[p];
            }
        }
    }

    /** The built b as floats (for cross-checks). */
    public void rhs(float[] b, int bOff) {
        for (int t = 0; t < k; t++) b[bOff + t] = (float) atb[t];
    }

    /**
     * One implicit half-step over all rows of {@code csr}: x_u = A_u⁻¹ b_u with y fixed; rows
     * without entries become zero (as in mfkit).
     */
    public void halfStep(float[] x, int[] rowPtr, int[] cols, float[] vals, int rows, float[] y, int nY,
                         float alpha, float lambda) {
        gram(y, nY);
        for (int r = 0; r < rows; r++) {
            if (rowPtr[r] == rowPtr[r + 1]) {
                java.util.Arrays.fill(x, r * k, r * k + k, 0f);
                continue;
            }
            build(r, rowPtr, cols, vals, y, alpha, lambda);
            solve(x, r * k);
        }
    }
}
