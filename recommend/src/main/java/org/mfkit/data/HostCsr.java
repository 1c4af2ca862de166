package org.mfkit.data;

import org.mfkit.core.CsrMatrix;
import org.mfkit.core.Kernels;

/**
 * A CSR matrix on the host (plain arrays), the form data is prepared in before it is moved
 * to a backend with {@link #upload}.
 *
 * @param rows   number of rows
 * @param cols   number of columns
 * @param rowPtr row pointers, {@code rows + 1} long
 * @param colIdx column ids
 * @param values values, as long as {@code colIdx}
 */
public record HostCsr(int rows, int cols, int[] rowPtr, int[] colIdx, float[] values) {
    /** Number of entries in row {@code r}. */
    public int rowLength(int r) {
        return rowPtr[r + 1] - rowPtr[r];
    }

    /** Number of stored entries. */
    public int nnz() {
        return colIdx.length;
    }

    /** The same matrix in the backend's memory (validated there). */
    public CsrMatrix upload(Kernels kernels) {
        return kernels.csr(rows, cols, rowPtr, colIdx, values);
    }
}
