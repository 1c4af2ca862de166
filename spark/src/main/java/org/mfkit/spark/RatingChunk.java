package org.mfkit.spark;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A batch of ratings as primitive arrays: what input partitions are packed into, and what
 * travels in the one-off shuffles that build the rating blocks (a few large arrays serialize
 * far faster than one object per rating). In the shuffles {@code rows}/{@code cols} hold
 * block-local row offsets and the other side's dense indices.
 */
final class RatingChunk implements Serializable {
    private static final long serialVersionUID = 1L;

    int size;
    int[] rows;
    int[] cols;
    float[] values;

    RatingChunk(int capacity) {
        rows = new int[capacity];
        cols = new int[capacity];
        values = new float[capacity];
    }

    void add(int row, int col, float value) {
        if (size == rows.length) {
            int grown = Math.max(16, size * 2);
            rows = Arrays.copyOf(rows, grown);
            cols = Arrays.copyOf(cols, grown);
            values = Arrays.copyOf(values, grown);
        }
        rows[size] = row;
        cols[size] = col;
        values[size] = value;
        size++;
    }

    /** The same ratings with arrays trimmed to the size (before serializing). */
    RatingChunk trimmed() {
        if (size == rows.length) return this;
        RatingChunk c = new RatingChunk(0);
        c.size = size;
        c.rows = Arrays.copyOf(rows, size);
        c.cols = Arrays.copyOf(cols, size);
        c.values = Arrays.copyOf(values, size);
        return c;
    }
}
