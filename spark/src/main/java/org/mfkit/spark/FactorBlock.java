package org.mfkit.spark;

import java.io.Serializable;

/**
 * The factor rows of one block: {@code numRows × width} floats, row r being dense row
 * {@code firstRow + r}. Explicit models carry width k + 1 (factors, then bias), implicit ones
 * k. {@code gram} is the exact sum of this block's per-chunk Gram parts when the next
 * half-step needs YᵀY (implicit), else null.
 */
final class FactorBlock implements Serializable {
    private static final long serialVersionUID = 1L;

    final int block;
    final int firstRow;
    final int numRows;
    final int width;
    final float[] values;
    final ExactSums gram;

    FactorBlock(int block, int firstRow, int numRows, int width, float[] values, ExactSums gram) {
        this.block = block;
        this.firstRow = firstRow;
        this.numRows = numRows;
        this.width = width;
        this.values = values;
        this.gram = gram;
    }
}
