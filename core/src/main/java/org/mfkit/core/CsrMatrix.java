package org.mfkit.core;

/**
 * A sparse matrix in compressed sparse row form, resident where the backend computes: row
 * {@code r} holds columns {@code colIdx[rowPtr[r] .. rowPtr[r+1]-1]} with the matching
 * {@code values}. Used for the ratings of each user (or item) in ALS and for the items to
 * exclude per query row in top-K. Created by {@link Kernels#csr}, which validates the
 * structure and values once. Duplicate columns within a row are allowed and each entry
 * counts separately (their contributions add up).
 */
public final class CsrMatrix implements AutoCloseable {
    private final int rows;
    private final int cols;
    private final IndexArray rowPtr;
    private final IndexArray colIdx;
    private final DenseMatrix values;
    private final float minValue;
    private final int maxRowLength;

    CsrMatrix(int rows, int cols, IndexArray rowPtr, IndexArray colIdx, DenseMatrix values,
              float minValue, int maxRowLength) {
        this.rows = rows;
        this.cols = cols;
        this.rowPtr = rowPtr;
        this.colIdx = colIdx;
        this.values = values;
        this.minValue = minValue;
        this.maxRowLength = maxRowLength;
    }

    /** Number of rows. */
    public int rows() {
        return rows;
    }

    /** Number of columns (ids in {@code colIdx} are below this). */
    public int cols() {
        return cols;
    }

    /** Number of stored entries. */
    public int nnz() {
        return colIdx.length();
    }

    /** Row pointers, {@code rows + 1} long, starting at 0 and non-decreasing. */
    public IndexArray rowPtr() {
        return rowPtr;
    }

    /** Column ids, {@code nnz} long. */
    public IndexArray colIdx() {
        return colIdx;
    }

    /** Values as an {@code nnz × 1} matrix. */
    public DenseMatrix values() {
        return values;
    }

    /** Smallest stored value ({@code +Inf} when empty). */
    public float minValue() {
        return minValue;
    }

    /** Length of the longest row. */
    public int maxRowLength() {
        return maxRowLength;
    }

    @Override
    public void close() {
        rowPtr.close();
        colIdx.close();
        values.close();
    }
}
