package org.mfkit.vector;

import java.util.concurrent.atomic.AtomicInteger;
import org.mfkit.core.BlockGrid;
import org.mfkit.core.BlockSchedule;

/**
 * Runs a list arranged on a {@link BlockGrid} ({@link BlockSchedule}): the rounds in order,
 * and inside a round the G cells, which share no row, on all workers. A worker claims the next
 * unclaimed cell of the round (largest cells first, so the round ends evenly); which worker
 * runs a cell cannot change its result, because no other cell of the round reads or writes its
 * rows. Each cell's loss is kept by cell and the losses are added in cell order, so the result
 * is the same bits on any thread count, and equals running the list in order.
 */
final class VectorBlocks {
    /** Rounds with fewer entries than this run on the caller: a hand-over to the workers costs more. */
    static final int PARALLEL_MIN = 512;

    /** The updates of list positions {@code [from, to)}; returns their loss. */
    interface Cell {
        double run(int from, int to);
    }

    private VectorBlocks() {}

    static double run(VectorPool pool, BlockSchedule schedule, Cell cell) {
        int side = schedule.side();
        double[] loss = new double[side * side];
        int[] bySize = new int[side];
        int threads = pool.threads();
        int[] workers = new int[threads + 1];
        for (int t = 0; t <= threads; t++) workers[t] = t;
        AtomicInteger next = new AtomicInteger();
        for (int round = 0; round < side; round++) {
            int base = round * side;
            int entries = schedule.start(base + side) - schedule.start(base);
            if (entries == 0) continue;
            if (threads == 1 || entries < PARALLEL_MIN) {
                for (int b = 0; b < side; b++) loss[base + b] = cell.run(schedule.start(base + b), schedule.end(base + b));
                continue;
            }
            largestFirst(schedule, base, bySize);
            next.set(0);
            pool.run(workers, (w, from, to) -> {
                for (int x = next.getAndIncrement(); x < side; x = next.getAndIncrement()) {
                    int c = base + bySize[x];
                    loss[c] = cell.run(schedule.start(c), schedule.end(c));
                }
            });
        }
        double total = 0;
        for (double l : loss) total += l;
        return total;
    }

    /** The round's cells (offsets from base) by decreasing size, ties by offset (insertion sort: G is small). */
    private static void largestFirst(BlockSchedule schedule, int base, int[] out) {
        for (int b = 0; b < out.length; b++) {
            int size = schedule.size(base + b);
            int at = b;
            while (at > 0 && schedule.size(base + out[at - 1]) < size) {
                out[at] = out[at - 1];
                at--;
            }
            out[at] = b;
        }
    }
}
