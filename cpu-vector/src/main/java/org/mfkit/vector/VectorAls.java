package org.mfkit.vector;

import org.mfkit.core.spi.SolveFailure;

/**
 * ALS half-steps. Rows are split statically across workers into contiguous ranges of about
 * equal cost (entries + k per row), so skewed rows don't leave a worker idle and the split
 * depends only on the data. Each row is independent: Cholesky assembles A with the Gram
 * register blocks ({@link VectorNormalEquations}) and factors it ({@link VectorCholeskyRows});
 * CG never forms A ({@link VectorConjugateGradient}), warm-started from the row's current
 * value. Rows with no entries become zero. Solutions are staged and written to x only after
 * every row succeeded; on failure the first failing row in list order is reported.
 */
final class VectorAls {
    private VectorAls() {}

    /** Which normal equations a half-step solves. */
    record Problem(boolean implicit, float lambda, boolean scaleByCount, float alpha, float[] gram) {}

    static void solve(VectorPool pool, float[] x, int k, int[] rows, int[] rowPtr, int[] cols, float[] vals, float[] y,
                      Problem problem, boolean cholesky, int cgSteps) {
        int n = rows.length;
        long[] cost = new long[n + 1];
        for (int r = 0; r < n; r++) cost[r + 1] = cost[r] + (rowPtr[rows[r] + 1] - rowPtr[rows[r]]) + k;
        float[] staged = new float[n * k];
        SolveFailure[] failures = new SolveFailure[pool.threads()];
        pool.run(pool.costBounds(cost), (w, from, to) -> {
            if (from == to) return;
            float[] b = new float[k];
            VectorNormalEquations.Scratch assembly = cholesky ? new VectorNormalEquations.Scratch(k) : null;
            VectorCholeskyRows.Scratch factor = cholesky ? new VectorCholeskyRows.Scratch(k) : null;
            float[] a = cholesky ? new float[k * k] : null;
            VectorConjugateGradient.Operator op = cholesky ? null : new VectorConjugateGradient.Operator();
            float[] r = new float[k];
            float[] p = new float[k];
            float[] ap = new float[k];
            float[] xr = new float[k];
            float[] breakdown = new float[1];
            for (int at = from; at < to; at++) {
                int row = rows[at];
                int start = rowPtr[row];
                int end = rowPtr[row + 1];
                if (start == end) continue; // staged row stays zero
                int off = at * k;
                if (cholesky) {
                    if (problem.implicit()) {
                        VectorNormalEquations.implicit(row, rowPtr, cols, vals, y, k, problem.gram(), problem.alpha(),
                                problem.lambda(), a, 0, b, 0, assembly);
                    } else {
                        VectorNormalEquations.explicit(row, rowPtr, cols, vals, y, k, problem.lambda(),
                                problem.scaleByCount(), a, 0, b, 0, assembly);
                    }
                    int col = VectorCholeskyRows.factorSolve(a, 0, b, 0, staged, off, factor);
                    if (col >= 0) {
                        failures[w] = SolveFailure.cholesky(at, col, factor.badPivot);
                        return;
                    }
                } else {
                    rightHandSide(problem, start, end, cols, vals, y, k, b);
                    op.y = y;
                    op.k = k;
                    op.gram = problem.implicit() ? problem.gram() : null;
                    op.shift = problem.implicit() || !problem.scaleByCount()
                            ? problem.lambda() : problem.lambda() * (end - start);
                    op.prepare(cols, vals, start, end, problem.implicit(), problem.alpha());
                    System.arraycopy(x, row * k, xr, 0, k);
                    if (!VectorConjugateGradient.solve(op, b, xr, cgSteps, r, p, ap, breakdown)) {
                        failures[w] = SolveFailure.conjugateGradient(at, breakdown[0]);
                        return;
                    }
                    System.arraycopy(xr, 0, staged, off, k);
                }
            }
        });
        SolveFailure failure = SolveFailure.first(failures);
        if (failure != null) throw failure.toException("ratings row", rows[failure.system()]);
        for (int at = 0; at < n; at++) System.arraycopy(staged, at * k, x, rows[at] * k, k);
    }

    /** b = Σ r q (explicit) or Σ_{r&gt;0} (1 + α r) q (implicit). */
    private static void rightHandSide(Problem problem, int start, int end, int[] cols, float[] vals, float[] y, int k,
                                      float[] b) {
        java.util.Arrays.fill(b, 0f);
        for (int e = start; e < end; e++) {
            float value = vals[e];
            if (problem.implicit()) {
                if (value > 0f) VectorDots.axpy(1f + problem.alpha() * value, y, cols[e] * k, b, 0, k);
            } else {
                VectorDots.axpy(value, y, cols[e] * k, b, 0, k);
            }
        }
    }
}
