package org.mfkit.core;

/**
 * A dense, row-major float32 matrix owned by a backend: on the Java heap for the CPU
 * backends, in device memory for the GPU backend. Kernels take these handles so data can
 * stay where the backend computes; {@link #uploadRows} and {@link #downloadRows} are the
 * only explicit transfers. A vector is an {@code n × 1} matrix.
 *
 * <p>Row-major means element {@code (r, c)} is at offset {@code r * cols + c}; rows are
 * contiguous and unpadded. {@code rows * cols} must fit in an {@code int}.
 *
 * <p>Not thread-safe: one kernel call at a time may write a matrix.
 */
public abstract class DenseMatrix implements AutoCloseable {
    private final int rows;
    private final int cols;
    private boolean closed;

    protected DenseMatrix(int rows, int cols) {
        Check.nonNegative("rows", rows);
        Check.nonNegative("cols", cols);
        if ((long) rows * cols > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(
                    "rows × cols = " + rows + " × " + cols + " exceeds the largest matrix mfkit stores ("
                            + (Integer.MAX_VALUE - 8) + " elements)");
        }
        this.rows = rows;
        this.cols = cols;
    }

    /** Number of rows. */
    public final int rows() {
        return rows;
    }

    /** Number of columns (the factor dimension k for factor matrices). */
    public final int cols() {
        return cols;
    }

    /** {@code rows * cols}. */
    public final int size() {
        return rows * cols;
    }

    /** Where the elements live, e.g. {@code "heap"} or {@code "cuda:0"}. */
    public abstract String memorySpace();

    /** Replaces the whole matrix with {@code src} (row-major, exactly {@code rows*cols} long). */
    public final void upload(float[] src) {
        Check.notNull("src", src);
        Check.sameLength("src", src.length, "matrix (rows*cols)", size());
        uploadRows(0, src, 0, rows);
    }

    /** Copies {@code rowCount} rows from {@code src[srcOffset..]} into rows {@code firstRow..}. */
    public final void uploadRows(int firstRow, float[] src, int srcOffset, int rowCount) {
        checkOpen();
        Check.notNull("src", src);
        checkRowRange(firstRow, rowCount);
        checkArrayRange("src", src.length, srcOffset, (long) rowCount * cols);
        if (rowCount > 0 && cols > 0) copyIn(firstRow, src, srcOffset, rowCount);
    }

    /** Copies rows {@code firstRow..firstRow+rowCount-1} into {@code dst[dstOffset..]}. */
    public final void downloadRows(int firstRow, float[] dst, int dstOffset, int rowCount) {
        checkOpen();
        Check.notNull("dst", dst);
        checkRowRange(firstRow, rowCount);
        checkArrayRange("dst", dst.length, dstOffset, (long) rowCount * cols);
        if (rowCount > 0 && cols > 0) copyOut(firstRow, dst, dstOffset, rowCount);
    }

    /** A fresh host copy of the whole matrix, row-major. */
    public final float[] toArray() {
        float[] out = new float[size()];
        downloadRows(0, out, 0, rows);
        return out;
    }

    /** Element {@code (row, col)}; a transfer per call on device backends, so use sparingly. */
    public final float get(int row, int col) {
        if (col < 0 || col >= cols) throw new IllegalArgumentException("col = " + col + " is out of range [0, " + cols + ")");
        float[] one = new float[cols];
        downloadRows(row, one, 0, 1);
        return one[col];
    }

    /** Frees the storage; idempotent. Later use throws {@link IllegalStateException}. */
    @Override
    public final void close() {
        if (!closed) {
            closed = true;
            release();
        }
    }

    /** Whether {@link #close()} was called. */
    public final boolean isClosed() {
        return closed;
    }

    /** Throws if closed; {@code name} is used in the message. */
    final void checkOpen(String name) {
        if (closed) throw new IllegalStateException(name + " is closed");
    }

    private void checkOpen() {
        checkOpen("matrix");
    }

    private void checkRowRange(int firstRow, int rowCount) {
        if (firstRow < 0 || rowCount < 0 || (long) firstRow + rowCount > rows) {
            throw new IllegalArgumentException("rows [" + firstRow + ", " + ((long) firstRow + rowCount)
                    + ") are out of range [0, " + rows + ")");
        }
    }

    private static void checkArrayRange(String name, int length, int offset, long count) {
        if (offset < 0 || offset + count > length) {
            throw new IllegalArgumentException(name + " offset " + offset + " + " + count
                    + " elements exceeds its length " + length);
        }
    }

    /** Unchecked copy from the host; arguments already validated. */
    protected abstract void copyIn(int firstRow, float[] src, int srcOffset, int rowCount);

    /** Unchecked copy to the host; arguments already validated. */
    protected abstract void copyOut(int firstRow, float[] dst, int dstOffset, int rowCount);

    /** Releases backend storage; called once. */
    protected abstract void release();

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + rows + "×" + cols + ", " + memorySpace() + (closed ? ", closed" : "") + "]";
    }
}
