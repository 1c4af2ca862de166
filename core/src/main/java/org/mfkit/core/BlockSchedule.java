package org.mfkit.core;

/**
 * Where the cells of a {@link BlockGrid} lie in a list arranged in schedule order (see
 * {@link BlockGrid}): cell c (c = round·G + b, user block b, item block (b + round) mod G)
 * holds positions {@code [start(c), end(c))}. Carried by {@link Interactions} and
 * {@link Triples} created with a grid; a parallel backend runs the cells of one round
 * concurrently and the rounds in order, which equals list order.
 */
public final class BlockSchedule {
    private final BlockGrid grid;
    private final int[] cellStart;

    BlockSchedule(BlockGrid grid, int[] cellStart) {
        this.grid = grid;
        this.cellStart = cellStart;
    }

    /** The grid. */
    public BlockGrid grid() {
        return grid;
    }

    /** G, the number of rounds and of cells per round. */
    public int side() {
        return grid.side();
    }

    /** First list position of cell c (schedule order). */
    public int start(int cell) {
        return cellStart[cell];
    }

    /** End (exclusive) of cell c's positions. */
    public int end(int cell) {
        return cellStart[cell + 1];
    }

    /** Entries of cell c. */
    public int size(int cell) {
        return cellStart[cell + 1] - cellStart[cell];
    }
}
