package org.mfkit.cuda;

import org.mfkit.core.CsrMatrix;
import org.mfkit.core.DenseMatrix;
import org.mfkit.core.ExplicitAlsParams;
import org.mfkit.core.ImplicitAlsParams;
import org.mfkit.core.IndexArray;
import org.mfkit.core.Solver;
import org.mfkit.core.spi.SolveFailure;

/**
 * ALS half-steps: for each chunk of requested rows, assemble the normal equations into
 * scratch ({@link CudaNormalEquations}), solve them ({@link CudaCholesky} in place, or
 * {@link CudaConjugateGradient} warm-started from the current rows) into a staging buffer,
 * and check every system's status. Only when all chunks succeeded are the staged rows
 * scattered into x, so a non-SPD row leaves x unchanged. Chunks are sized to free memory: a
 * row needs k² + 5k floats of scratch.
 */
final class CudaAls {
    private CudaAls() {}

    /** Assembles {@code count} systems for the row ids at {@code rows} into {@code a}, {@code b}. */
    interface Assembler {
        void assemble(jcuda.driver.CUdeviceptr rows, int count, jcuda.driver.CUdeviceptr a, jcuda.driver.CUdeviceptr b);
    }

    static void solveExplicit(CudaDevice device, DenseMatrix x, IndexArray rows, CsrMatrix ratings, DenseMatrix y,
                              ExplicitAlsParams params, Solver solver) {
        solve(device, x, rows, ratings, solver,
                (ids, count, a, b) -> CudaNormalEquations.explicit(device, ids, count, ratings, y, params, a, b));
    }

    static void solveImplicit(CudaDevice device, DenseMatrix x, IndexArray rows, CsrMatrix ratings, DenseMatrix y,
                              DenseMatrix gram, ImplicitAlsParams params, Solver solver) {
        solve(device, x, rows, ratings, solver,
                (ids, count, a, b) -> CudaNormalEquations.implicit(device, ids, count, ratings, y, gram, params, a, b));
    }

    /** Scratch bytes per row of a chunk: system, right-hand side, CG vectors, status and pivot. */
    static long bytesPerRow(int k) {
        return ((long) k * k + k + CudaConjugateGradient.scratchFloats(k)) * Float.BYTES + Integer.BYTES + Float.BYTES;
    }

    private static void solve(CudaDevice device, DenseMatrix x, IndexArray rows, CsrMatrix ratings, Solver solver,
                              Assembler assembler) {
        int n = rows.length();
        int k = x.cols();
        if (n == 0 || k == 0) return;
        long kk = (long) k * k;
        long stagedBytes = (long) n * k * Float.BYTES;
        int chunk = ChunkPlanner.itemsPerChunk(device.freeBytes(), stagedBytes, bytesPerRow(k), n,
                ChunkPlanner.maxRowsForIntIndexing(kk), "ALS normal equations (k = " + k + ")");
        boolean cg = solver.kind() == Solver.Kind.CG;
        CudaIndexArray ids = (CudaIndexArray) rows;
        try (CudaDevice.Buffer staged = device.buffer(stagedBytes, "staged ALS rows");
             CudaDevice.Buffer a = device.buffer(chunk * kk * Float.BYTES, "ALS systems");
             CudaDevice.Buffer b = device.buffer((long) chunk * k * Float.BYTES, "ALS right-hand sides");
             CudaDevice.Buffer scratch = device.buffer(cg ? chunk * CudaConjugateGradient.scratchFloats(k) * Float.BYTES : 0,
                     "CG vectors");
             CudaDevice.Buffer status = device.buffer((long) chunk * Integer.BYTES, "ALS status");
             CudaDevice.Buffer pivots = device.buffer((long) chunk * Float.BYTES, "ALS pivots")) {
            if (cg) CudaDots.gather(device, x, rows, 0, n, staged);
            for (int r0 = 0; r0 < n; r0 += chunk) {
                int c = Math.min(chunk, n - r0);
                assembler.assemble(ids.at(r0), c, a.ptr(), b.ptr());
                jcuda.driver.CUdeviceptr out = staged.at((long) r0 * k * Float.BYTES);
                if (cg) {
                    CudaConjugateGradient.solve(device, a.ptr(), b.ptr(), k, solver.cgSteps(), c, scratch.ptr(), out,
                            status.ptr(), pivots.ptr(), ids.at(r0), CudaIndexArray.of(ratings.rowPtr()));
                } else {
                    CudaCholesky.solveInPlace(device, a.ptr(), b.ptr(), k, c, out, status.ptr(), pivots.ptr(),
                            ids.at(r0), CudaIndexArray.of(ratings.rowPtr()));
                }
                SolveFailure failure = CudaCholesky.firstFailure(device, status, pivots, c, cg);
                if (failure != null) throw failure.toException("ratings row", ids.host()[r0 + failure.system()]);
            }
            device.launch("scatter_rows", LaunchConfig.blocks((long) n * k, LaunchConfig.BLOCK), LaunchConfig.BLOCK,
                    staged.ptr(), k, ids.at(0), n, CudaMatrix.of(x));
        }
    }
}
