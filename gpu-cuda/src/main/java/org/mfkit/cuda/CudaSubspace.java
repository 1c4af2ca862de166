package org.mfkit.cuda;

import jcuda.driver.CUdeviceptr;

/**
 * The subspace sweep (iALS++ block coordinate descent) on assembled systems
 * ({@code subspace.cu}, one thread block per system): the same sweep as the scalar reference,
 * block by block, each block's principal submatrix factored in place. This backend assembles
 * the full normal equations first ({@link CudaNormalEquations}), so a subspace half-step costs
 * about what a Cholesky one does; it gives the solver's semantics on the GPU, not the
 * matrix-free speed of cpu-vector's {@code VectorSubspace}. Used by {@link CudaAls}, which
 * stages x and checks the status.
 */
final class CudaSubspace {
    private CudaSubspace() {}

    /** Scratch floats per system (the block residual). */
    static long scratchFloats(int blockSize) {
        return blockSize;
    }

    static void sweep(CudaDevice device, CUdeviceptr a, CUdeviceptr b, int k, int blockSize, int count,
                      CUdeviceptr scratch, CUdeviceptr x, CUdeviceptr status, CUdeviceptr pivots, CUdeviceptr rows,
                      CUdeviceptr rowPtr) {
        device.launch("subspace_sweep", count, LaunchConfig.SYSTEM_BLOCK, a, b, k, blockSize, scratch, x, status, pivots,
                rows, rowPtr);
    }
}
