package org.mfkit.cuda;

import jcuda.driver.CUdeviceptr;

/**
 * Batched conjugate gradient ({@code cg.cu}, one thread block per system): a fixed number of
 * steps warm-started from x, early stop at rᵀr &le; 1e-20, breakdown (pᵀAp not positive and
 * finite) reported per system. Used by {@link CudaAls}, which stages x and checks the status.
 */
final class CudaConjugateGradient {
    /** Status value of a system whose CG broke down (its pᵀAp is in the pivots buffer). */
    static final int BREAKDOWN = -2;

    private CudaConjugateGradient() {}

    /** Scratch floats per system (r, p and Ap). */
    static long scratchFloats(int k) {
        return 3L * k;
    }

    static void solve(CudaDevice device, CUdeviceptr a, CUdeviceptr b, int k, int steps, int count, CUdeviceptr scratch,
                      CUdeviceptr x, CUdeviceptr status, CUdeviceptr pivots, CUdeviceptr rows, CUdeviceptr rowPtr) {
        device.launch("cg_solve", count, LaunchConfig.SYSTEM_BLOCK, a, b, k, steps, scratch, x, status, pivots, rows,
                rowPtr);
    }
}
