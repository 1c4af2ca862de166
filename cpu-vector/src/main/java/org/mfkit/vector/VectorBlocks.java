package org.mfkit.vector;

import org.mfkit.core.BlockGrid;
import org.mfkit.core.BlockSchedule;

/**
 * Runs a list arranged on a {@link BlockGrid} ({@link BlockSchedule}) on all workers, with the
 * result of running it in list order (round after round, cell after cell).
 *
 * <p>Cell (r, b) of round r — user block b, item block (b + r) mod G — shares rows only with
 * cells of user block b and cells of item block (b + r) mod G. Among the cells before it in
 * list order, the last of each kind is (r − 1, b) and (r − 1, (b + 1) mod G), and each of those
 * waits for its own predecessors, so running every cell once both of those are done keeps
 * every pair of cells that share a row in list order. Cells that share no row commute, so any
 * such execution gives exactly the list-order result: which worker runs a cell, and when,
 * cannot change a bit. There are no barriers between rounds: a worker that the operating system
 * holds back delays only the cells that wait for its cell, while the others take any cell whose
 * predecessors are done (with G = 8, up to 8 at a time). Each cell's loss is kept by cell and the
 * losses are added in cell order, so the loss too is the same on any thread count.
 */
final class VectorBlocks {
    /** Lists shorter than this run on the caller: handing cells to workers costs more. */
    static final int PARALLEL_MIN = 4096;

    /** The updates of list positions {@code [from, to)}; returns their loss. */
    interface Cell {
        double run(int from, int to);
    }

    private VectorBlocks() {}

    static double run(VectorPool pool, BlockSchedule schedule, Cell cell) {
        int side = schedule.side();
        int cells = side * side;
        double[] loss = new double[cells];
        int threads = pool.threads();
        if (threads == 1 || side == 1 || schedule.start(cells) < PARALLEL_MIN) {
            for (int c = 0; c < cells; c++) loss[c] = cell.run(schedule.start(c), schedule.end(c));
        } else {
            Ready ready = new Ready(side);
            int[] workers = new int[threads + 1];
            for (int t = 0; t <= threads; t++) workers[t] = t;
            pool.run(workers, (w, from, to) -> {
                for (int c = ready.take(); c >= 0; c = ready.take()) {
                    boolean ok = false;
                    try {
                        loss[c] = cell.run(schedule.start(c), schedule.end(c));
                        ok = true;
                    } finally {
                        ready.done(c, ok);
                    }
                }
            });
        }
        double total = 0;
        for (double l : loss) total += l;
        return total;
    }

    /**
     * Which cells may run: a cell (cell index r·G + b) is ready once (r − 1, b) and
     * (r − 1, (b + 1) mod G) are done. A monitor: cells take milliseconds, so its cost is noise.
     */
    private static final class Ready {
        private final int side;
        private final int[] waitingFor;
        private final int[] queue;
        private int head;
        private int tail;
        private int done;
        private boolean failed;

        Ready(int side) {
            this.side = side;
            int cells = side * side;
            waitingFor = new int[cells];
            queue = new int[cells];
            for (int c = 0; c < cells; c++) {
                if (c < side) queue[tail++] = c;
                else waitingFor[c] = 2;
            }
        }

        /** The next ready cell, waiting for one if needed; -1 once every cell has run (or one failed). */
        synchronized int take() {
            while (head == tail && done < queue.length && !failed) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    failed = true;
                    Thread.currentThread().interrupt();
                }
            }
            return head < tail && !failed ? queue[head++] : -1;
        }

        /** Cell c has run (or failed: then every worker stops taking cells). */
        synchronized void done(int c, boolean ok) {
            done++;
            if (!ok) failed = true;
            int round = c / side;
            int b = c % side;
            if (round + 1 < side) {
                // (r + 1, b) waits for (r, b) and (r, b + 1); (r + 1, b − 1) for (r, b − 1) and (r, b).
                release((round + 1) * side + b);
                release((round + 1) * side + (b + side - 1) % side);
            }
            notifyAll();
        }

        private void release(int c) {
            if (--waitingFor[c] == 0) queue[tail++] = c;
        }
    }
}
