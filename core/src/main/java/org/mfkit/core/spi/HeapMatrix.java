package org.mfkit.core.spi;

import java.util.Arrays;
import org.mfkit.core.DenseMatrix;

/**
 * A {@link DenseMatrix} stored in one Java {@code float[]}, row-major. Shared by the CPU
 * backends, so a matrix made by one can be passed to another (cross-checks need no copies).
 */
public final class HeapMatrix extends DenseMatrix {
    /** Memory-space name of heap storage. */
    public static final String HEAP = "heap";

    /** The elements, row-major; kernels read and write it directly. */
    public final float[] data;

    /** A zero-filled matrix. */
    public HeapMatrix(int rows, int cols) {
        super(rows, cols);
        this.data = new float[rows * cols];
    }

    @Override
    public String memorySpace() {
        return HEAP;
    }

    @Override
    protected void copyIn(int firstRow, float[] src, int srcOffset, int rowCount) {
        System.arraycopy(src, srcOffset, data, firstRow * cols(), rowCount * cols());
    }

    @Override
    protected void copyOut(int firstRow, float[] dst, int dstOffset, int rowCount) {
        System.arraycopy(data, firstRow * cols(), dst, dstOffset, rowCount * cols());
    }

    @Override
    protected void release() {
        // Heap storage is collected; poison it so use-after-close bugs show up as NaN.
        Arrays.fill(data, Float.NaN);
    }

    /** The heap storage of {@code m}, which the caller has checked lives on the heap. */
    public static float[] of(DenseMatrix m) {
        return ((HeapMatrix) m).data;
    }
}
