package org.mfkit.model;

import org.mfkit.core.Check;
import org.mfkit.core.CsrMatrix;
import org.mfkit.core.DenseMatrix;
import org.mfkit.core.ExplicitAlsParams;
import org.mfkit.core.IndexArray;
import org.mfkit.core.Kernels;
import org.mfkit.core.Solver;
import org.mfkit.data.HostCsr;

/**
 * One half-step of biased explicit ALS, r̂ = μ + b_u + b_i + p_u·q_i: every row's factors and
 * bias [x, b] (k + 1 values) solved jointly against the fixed side's rows [y, c] by
 * minimizing Σ (r − μ − c − x·y − b)² + λ'(‖x‖² + b²) over the row's entries (λ' = λ·n with
 * {@code scaleByCount}). That is the explicit normal equations of the {@code solveExplicit}
 * kernel with the fixed rows augmented to [y, 1] and the targets r − μ − c, so the solve runs
 * on any backend unchanged. Shared by {@link ExplicitAls} and the Spark module's executors.
 */
public final class BiasedAlsSolve {
    private BiasedAlsSolve() {}

    /**
     * Solves the rows of {@code ratings} in place.
     *
     * @param ratings raw ratings; its rows are the rows to solve, its columns index {@code fixed}
     * @param mu      the global mean μ
     * @param fixed   the fixed side, {@code ratings.cols() × (k + 1)} row-major: factors, then bias
     * @param target  the rows to solve, {@code ratings.rows() × (k + 1)}: read as the start of a
     *                CG solve, overwritten with the solution; rows without entries become zero
     */
    public static void solve(Kernels kernels, HostCsr ratings, float mu, float[] fixed, float[] target, int k,
                             ExplicitAlsParams params, Solver solver) {
        Check.notNull("kernels", kernels);
        Check.notNull("ratings", ratings);
        Check.notNull("fixed", fixed);
        Check.notNull("target", target);
        Check.positive("k", k);
        int width = k + 1;
        Check.sameLength("fixed", fixed.length, "ratings.cols × (k + 1)", ratings.cols() * width);
        Check.sameLength("target", target.length, "ratings.rows × (k + 1)", ratings.rows() * width);
        float[] augmented = fixed.clone();
        for (int r = 0; r < ratings.cols(); r++) augmented[r * width + k] = 1f;
        int[] cols = ratings.colIdx();
        float[] values = ratings.values();
        float[] residual = new float[values.length];
        for (int e = 0; e < values.length; e++) residual[e] = values[e] - mu - fixed[cols[e] * width + k];
        try (DenseMatrix y = kernels.matrix(ratings.cols(), width, augmented);
             DenseMatrix x = kernels.matrix(ratings.rows(), width, target);
             CsrMatrix csr = kernels.csr(ratings.rows(), ratings.cols(), ratings.rowPtr(), cols, residual);
             IndexArray rows = kernels.indices("rows", Indices.range(ratings.rows()))) {
            kernels.solveExplicit(x, rows, csr, y, params, solver);
            x.downloadRows(0, target, 0, ratings.rows());
        }
    }

    /** Packs factors (n × k) and biases (n) into rows [factors, bias] (n × (k + 1)). */
    public static float[] pack(float[] factors, float[] bias, int n, int k) {
        float[] out = new float[n * (k + 1)];
        for (int r = 0; r < n; r++) {
            System.arraycopy(factors, r * k, out, r * (k + 1), k);
            out[r * (k + 1) + k] = bias[r];
        }
        return out;
    }

    /** Splits rows [factors, bias] into {@code factors} (n × k) and {@code bias} (n). */
    public static void unpack(float[] packed, int n, int k, float[] factors, float[] bias) {
        for (int r = 0; r < n; r++) {
            System.arraycopy(packed, r * (k + 1), factors, r * k, k);
            bias[r] = packed[r * (k + 1) + k];
        }
    }
}
