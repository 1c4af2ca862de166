package org.mfkit.cuda;

/**
 * Pure launch-configuration arithmetic (grid sizes for one-thread-per-element kernels and for
 * the deterministic reductions), unit-tested without a GPU.
 */
final class LaunchConfig {
    /** Threads per block for element-wise kernels. */
    static final int BLOCK = 256;
    /** Threads per block of the reduction kernels; must equal REDUCE_THREADS in the .cu files. */
    static final int REDUCE_THREADS = 256;
    /** Upper bound on reduction blocks: enough to fill any current GPU, few partials to add. */
    static final int MAX_REDUCE_BLOCKS = 1024;
    /** Threads per block of the one-block-per-system kernels (normal equations, Cholesky, CG). */
    static final int SYSTEM_BLOCK = 128;
    /** CUDA's limit on gridDim.x. */
    static final long MAX_GRID_X = Integer.MAX_VALUE;

    private LaunchConfig() {}

    /** Blocks of {@code blockSize} threads covering {@code threads} threads (0 for none). */
    static int blocks(long threads, int blockSize) {
        if (threads < 0) throw new IllegalArgumentException("threads = " + threads + " must be >= 0");
        if (blockSize <= 0) throw new IllegalArgumentException("blockSize = " + blockSize + " must be > 0");
        long blocks = (threads + blockSize - 1) / blockSize;
        if (blocks > MAX_GRID_X) {
            throw new IllegalArgumentException(threads + " threads need " + blocks + " blocks, above CUDA's grid limit "
                    + MAX_GRID_X);
        }
        return (int) blocks;
    }

    /**
     * Blocks of a grid-stride reduction over {@code n} elements; depends on n only, so the
     * partial sums (and their order) are the same on every run.
     */
    static int reductionBlocks(long n) {
        if (n < 0) throw new IllegalArgumentException("n = " + n + " must be >= 0");
        long blocks = (n + REDUCE_THREADS - 1) / REDUCE_THREADS;
        return (int) Math.max(1, Math.min(MAX_REDUCE_BLOCKS, blocks));
    }
}
