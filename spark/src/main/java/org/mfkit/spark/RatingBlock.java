package org.mfkit.spark;

import java.io.Serializable;

/**
 * The ratings of one block of rows (users, or items), built once per fit: a CSR over the
 * block's rows (dense indices {@code firstRow ..}) whose columns are compact indices into
 * {@code needed}, the sorted dense indices of the other side's rows these ratings touch.
 * Entries within a row are in ascending column order, so a row's normal equations are
 * summed in the same order whatever the input order or block count.
 */
final class RatingBlock implements Serializable {
    private static final long serialVersionUID = 1L;

    final int block;
    final int firstRow;
    final int numRows;
    final int[] rowPtr;
    final int[] cols;
    final float[] values;
    final int[] needed;

    RatingBlock(int block, int firstRow, int numRows, int[] rowPtr, int[] cols, float[] values, int[] needed) {
        this.block = block;
        this.firstRow = firstRow;
        this.numRows = numRows;
        this.rowPtr = rowPtr;
        this.cols = cols;
        this.values = values;
        this.needed = needed;
    }

    int nnz() {
        return cols.length;
    }
}
