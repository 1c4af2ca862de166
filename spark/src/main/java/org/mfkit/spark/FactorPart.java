package org.mfkit.spark;

import java.io.Serializable;

/**
 * What one block of the fixed side sends to one block of the side being solved in shuffle
 * mode: the rows that block needs from it, in ascending dense order.
 */
final class FactorPart implements Serializable {
    private static final long serialVersionUID = 1L;

    final int sourceBlock;
    final float[] rows;

    FactorPart(int sourceBlock, float[] rows) {
        this.sourceBlock = sourceBlock;
        this.rows = rows;
    }
}
