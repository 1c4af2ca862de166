package org.mfkit.cuda;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import org.mfkit.core.DenseMatrix;
import org.mfkit.core.spi.SolveFailure;

/**
 * Batched Cholesky factor-and-solve ({@code cholesky.cu}, one thread block per system). The
 * systems are processed in chunks sized to free memory (each needs a k×k factor); all
 * solutions are staged in a device buffer and copied to x only after every system succeeded,
 * so a failure leaves x unchanged (and x may be b).
 */
final class CudaCholesky {
    /** Status value of a system that succeeded. */
    static final int OK = -1;

    private CudaCholesky() {}

    static void solve(CudaDevice device, DenseMatrix a, DenseMatrix b, DenseMatrix x) {
        int count = b.rows();
        int k = b.cols();
        if (count == 0 || k == 0) return;
        long kk = (long) k * k;
        long stagedBytes = (long) count * k * Float.BYTES;
        int chunk = ChunkPlanner.itemsPerChunk(device.freeBytes(), stagedBytes, kk * Float.BYTES + 8, count,
                ChunkPlanner.maxRowsForIntIndexing(kk), "Cholesky factors (k = " + k + ")");
        try (CudaDevice.Buffer staged = device.buffer(stagedBytes, "staged Cholesky solutions");
             CudaDevice.Buffer factors = device.buffer(chunk * kk * Float.BYTES, "Cholesky factors");
             CudaDevice.Buffer status = device.buffer((long) chunk * Integer.BYTES, "Cholesky status");
             CudaDevice.Buffer pivots = device.buffer((long) chunk * Float.BYTES, "Cholesky pivots")) {
            CudaMatrix am = (CudaMatrix) a;
            CudaMatrix bm = (CudaMatrix) b;
            for (int s0 = 0; s0 < count; s0 += chunk) {
                int c = Math.min(chunk, count - s0);
                device.launch("cholesky_solve", c, LaunchConfig.SYSTEM_BLOCK, am.row(s0), bm.row(s0), k, factors.ptr(),
                        staged.at((long) s0 * k * Float.BYTES), status.ptr(), pivots.ptr(), CudaDevice.NULL,
                        CudaDevice.NULL);
                SolveFailure failure = firstFailure(device, status, pivots, c, false);
                if (failure != null) throw failure.toException("a", s0 + failure.system());
            }
            device.copy(CudaMatrix.of(x), staged.ptr(), stagedBytes);
        }
    }

    /**
     * Downloads {@code count} status words and, when a system failed, the first failure (its
     * index in the chunk, the column in its status word unless {@code conjugateGradient}, and
     * its pivot), else null.
     */
    static SolveFailure firstFailure(CudaDevice device, CudaDevice.Buffer status, CudaDevice.Buffer pivots, int count,
                                     boolean conjugateGradient) {
        int[] host = new int[count];
        device.download(Pointer.to(host), status.ptr(), (long) count * Integer.BYTES);
        int failed = firstFailure(host);
        if (failed < 0) return null;
        float[] pivot = new float[1];
        device.download(Pointer.to(pivot), pivots.at((long) failed * Float.BYTES), Float.BYTES);
        return conjugateGradient ? SolveFailure.conjugateGradient(failed, pivot[0])
                : SolveFailure.cholesky(failed, host[failed], pivot[0]);
    }

    /** Index of the first entry that is not {@link #OK}, or -1. */
    static int firstFailure(int[] status) {
        for (int s = 0; s < status.length; s++) if (status[s] != OK) return s;
        return -1;
    }

    /** Launches the kernel for ALS: factors in place in {@code a}, empty ratings rows give zero. */
    static void solveInPlace(CudaDevice device, CUdeviceptr a, CUdeviceptr b, int k, int count, CUdeviceptr x,
                             CUdeviceptr status, CUdeviceptr pivots, CUdeviceptr rows, CUdeviceptr rowPtr) {
        device.launch("cholesky_solve", count, LaunchConfig.SYSTEM_BLOCK, a, b, k, a, x, status, pivots, rows, rowPtr);
    }
}
