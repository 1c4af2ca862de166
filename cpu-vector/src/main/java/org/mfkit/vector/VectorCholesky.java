package org.mfkit.vector;

import static org.mfkit.vector.VectorDots.L;

import org.mfkit.core.spi.SolveFailure;

/**
 * The batched Cholesky kernel of cpu-vector ({@code choleskySolve}): splits the systems
 * across workers and picks the algorithm by k, lanes across systems for small k
 * ({@link VectorCholeskyCompact}), one system at a time along rows otherwise
 * ({@link VectorCholeskyRows}).
 */
final class VectorCholesky {
    private VectorCholesky() {}

    /**
     * Batched solve: systems split statically across workers, solutions staged and written
     * to x only when every system factored. For k &le; {@link VectorCholeskyCompact#MAX_K},
     * whole groups of L systems go lanes-across-systems; the rest one by one. Returns null, or
     * the failure of the lowest failing system (then x is unchanged).
     */
    static SolveFailure batch(VectorPool pool, float[] a, float[] b, int count, int k, float[] x) {
        float[] staged = new float[count * k];
        SolveFailure[] failures = new SolveFailure[pool.threads()];
        boolean compact = k <= VectorCholeskyCompact.MAX_K && L > 1;
        // Group-aligned bounds so the split never cuts a compact group (same bounds every run).
        int groups = (count + L - 1) / L;
        int[] bounds = pool.evenBounds(groups);
        for (int t = 0; t < bounds.length; t++) bounds[t] = Math.min(count, bounds[t] * L);
        pool.run(bounds, (w, from, to) -> {
            VectorCholeskyRows.Scratch s = new VectorCholeskyRows.Scratch(k);
            VectorCholeskyCompact.Scratch c = compact ? new VectorCholeskyCompact.Scratch(k) : null;
            int sys = from;
            while (sys < to) {
                if (compact && sys + L <= to && VectorCholeskyCompact.solveGroup(a, b, sys, staged, c)) {
                    sys += L;
                    continue;
                }
                int end = compact ? Math.min(to, sys + L) : to;
                for (; sys < end; sys++) {
                    int col = VectorCholeskyRows.factorSolve(a, sys * k * k, b, sys * k, staged, sys * k, s);
                    if (col >= 0) {
                        failures[w] = SolveFailure.cholesky(sys, col, s.badPivot);
                        return;
                    }
                }
            }
        });
        SolveFailure failure = SolveFailure.first(failures);
        if (failure == null) System.arraycopy(staged, 0, x, 0, staged.length);
        return failure;
    }
}
