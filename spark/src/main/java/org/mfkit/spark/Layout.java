package org.mfkit.spark;

import java.io.Serializable;
import java.util.Arrays;

/**
 * How one side (users or items) is laid out: its distinct external ids in ascending order
 * (position = the row's dense index), cut into {@code numBlocks} contiguous blocks of dense
 * indices. Block boundaries fall on multiples of a chunk size that depends on the row count
 * only, and the implicit Gram matrix is summed exactly from one part per chunk, so it does
 * not depend on the block count. Sent to executors as a broadcast.
 */
final class Layout implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int[] ids;
    private final int[] blockStart;
    private final int chunkRows;

    private Layout(int[] ids, int[] blockStart, int chunkRows) {
        this.ids = ids;
        this.blockStart = blockStart;
        this.chunkRows = chunkRows;
    }

    /** A layout of {@code sortedIds} (ascending, distinct) in {@code numBlocks} blocks. */
    static Layout of(int[] sortedIds, int numBlocks) {
        if (numBlocks < 1) throw new IllegalArgumentException("numBlocks = " + numBlocks + " must be >= 1");
        int n = sortedIds.length;
        int chunkRows = chunkRows(n);
        long chunks = ((long) n + chunkRows - 1) / chunkRows;
        int[] start = new int[numBlocks + 1];
        for (int b = 0; b <= numBlocks; b++) start[b] = (int) Math.min(n, chunkRows * (chunks * b / numBlocks));
        return new Layout(sortedIds, start, chunkRows);
    }

    /** Rows per Gram chunk: n/256 rounded up, within [16, 256]. */
    static int chunkRows(int n) {
        return Math.max(16, Math.min(256, (n + 255) / 256));
    }

    int size() {
        return ids.length;
    }

    int numBlocks() {
        return blockStart.length - 1;
    }

    int chunkRows() {
        return chunkRows;
    }

    /** The external id of dense row {@code dense}. */
    int id(int dense) {
        return ids[dense];
    }

    /** The sorted ids (shared, never written). */
    int[] ids() {
        return ids;
    }

    /** The dense index of {@code id}, or −1 if the side has no such id. */
    int dense(int id) {
        int at = Arrays.binarySearch(ids, id);
        return at >= 0 ? at : -1;
    }

    int blockStart(int block) {
        return blockStart[block];
    }

    int blockRows(int block) {
        return blockStart[block + 1] - blockStart[block];
    }

    /** The block holding dense row {@code dense}. */
    int blockOf(int dense) {
        int at = Arrays.binarySearch(blockStart, dense);
        if (at >= 0) {
            // Empty blocks share a start; the row belongs to the last block starting there.
            while (at + 1 < blockStart.length - 1 && blockStart[at + 1] == dense) at++;
            return at;
        }
        return -at - 2;
    }
}
