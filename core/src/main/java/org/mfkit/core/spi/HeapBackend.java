package org.mfkit.core.spi;

import org.mfkit.core.DenseMatrix;
import org.mfkit.core.IndexArray;

/**
 * The base of every backend that keeps its data in Java arrays ({@link HeapMatrix},
 * {@link HeapIndexArray}): allocation, index arrays, copies, the finiteness check and the
 * squared norm, and the unwrapping of handles to their arrays. The scalar reference extends it
 * and so does cpu-vector, which overrides the kernels it vectorizes, the way netlib's
 * {@code VectorBLAS} extends {@code Java11BLAS}. Matrices of one heap backend are valid in
 * every other, so cross-checks need no copies.
 */
public abstract class HeapBackend implements KernelBackend {
    /** For subclasses. */
    protected HeapBackend() {}

    @Override
    public final String memorySpace() {
        return HeapMatrix.HEAP;
    }

    @Override
    public DenseMatrix allocate(int rows, int cols) {
        return new HeapMatrix(rows, cols);
    }

    @Override
    public IndexArray indices(int[] ids, int max, int maxPosition, boolean distinct) {
        return new HeapIndexArray(ids, max, maxPosition, distinct);
    }

    @Override
    public void copy(DenseMatrix src, DenseMatrix dst) {
        System.arraycopy(h(src), 0, h(dst), 0, src.size());
    }

    @Override
    public boolean allFinite(DenseMatrix m) {
        for (float v : h(m)) if (!Float.isFinite(v)) return false;
        return true;
    }

    @Override
    public double squaredNorm(DenseMatrix m) {
        double sum = 0;
        for (float v : h(m)) sum += (double) v * v;
        return sum;
    }

    /** The array behind {@code m} (a heap matrix: {@code Kernels} checked the memory space). */
    protected static float[] h(DenseMatrix m) {
        return HeapMatrix.of(m);
    }

    /** The array behind {@code m}, or null for an absent optional matrix (a missing bias). */
    protected static float[] hOrNull(DenseMatrix m) {
        return m == null ? null : HeapMatrix.of(m);
    }

    /** The array behind {@code ids}. */
    protected static int[] ids(IndexArray ids) {
        return HeapIndexArray.of(ids);
    }
}
