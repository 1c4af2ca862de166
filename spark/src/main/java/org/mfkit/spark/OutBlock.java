package org.mfkit.spark;

import java.io.Serializable;

/**
 * For one block of a side: which of its rows (offsets from the block's first row) each block
 * of the other side needs, in ascending order. Built once per fit, only for a side that is
 * shuffled rather than broadcast.
 */
final class OutBlock implements Serializable {
    private static final long serialVersionUID = 1L;

    final int block;
    final int[][] rowsFor;

    OutBlock(int block, int[][] rowsFor) {
        this.block = block;
        this.rowsFor = rowsFor;
    }
}
