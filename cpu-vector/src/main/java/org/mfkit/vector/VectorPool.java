package org.mfkit.vector;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed set of worker threads. Worker 0 is the calling thread; workers 1..T-1 are daemon
 * threads owned by the pool. Work is split by bounds that depend only on the problem (sizes,
 * costs) and the thread count, never on timing: either one static range per worker, or
 * ({@link #runChunks}) more chunks than workers, claimed in turn by whichever worker is free.
 * Claimed chunks must not share results across chunks (each writes its own outputs), so the
 * outcome does not depend on which worker took which chunk; results are then bit-identical
 * run to run for the same thread count.
 */
final class VectorPool implements AutoCloseable {
    /** A slice of work: worker {@code worker} handles {@code [from, to)}. */
    interface Task {
        void run(int worker, int from, int to);
    }

    private static final AtomicInteger POOLS = new AtomicInteger();

    private final int threads;
    private final ExecutorService executor;

    VectorPool(int threads) {
        this.threads = threads;
        if (threads > 1) {
            int id = POOLS.incrementAndGet();
            AtomicInteger count = new AtomicInteger();
            this.executor = Executors.newFixedThreadPool(threads - 1, r -> {
                Thread t = new Thread(r, "mfkit-vector-" + id + "-" + count.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        } else {
            this.executor = null;
        }
    }

    int threads() {
        return threads;
    }

    /** Even static split of {@code [0, n)} into {@link #threads()} contiguous ranges. */
    int[] evenBounds(int n) {
        int[] bounds = new int[threads + 1];
        for (int t = 0; t <= threads; t++) bounds[t] = (int) ((long) n * t / threads);
        return bounds;
    }

    /**
     * Static split of {@code [0, n)} into contiguous ranges of about equal cost, where
     * {@code prefix[i]} is the cost of items {@code [0, i)} (length n + 1, non-decreasing).
     */
    int[] costBounds(long[] prefix) {
        int n = prefix.length - 1;
        int[] bounds = new int[threads + 1];
        bounds[threads] = n;
        long total = prefix[n];
        int at = 0;
        for (int t = 1; t < threads; t++) {
            long target = total * t / threads;
            while (at < n && prefix[at] < target) at++;
            bounds[t] = Math.max(at, bounds[t - 1]);
        }
        return bounds;
    }

    /**
     * Bounds of about {@code chunks} contiguous ranges of {@code [0, n)} of about equal cost
     * ({@code prefix[i]}, i &le; n, as in {@link #costBounds}; entries beyond n are ignored);
     * ranges are never empty, so there may be fewer.
     */
    static int[] chunkBounds(long[] prefix, int n, int chunks) {
        long total = prefix[n];
        int[] bounds = new int[Math.max(1, Math.min(chunks, n)) + 1];
        int count = 0;
        int at = 0;
        for (int c = 1; c < bounds.length - 1; c++) {
            long target = total * c / (bounds.length - 1);
            while (at < n && prefix[at] < target) at++;
            if (at > bounds[count] && at < n) bounds[++count] = at;
        }
        bounds[++count] = n;
        return count + 1 == bounds.length ? bounds : java.util.Arrays.copyOf(bounds, count + 1);
    }

    /**
     * Runs {@code task} over the ranges {@code [bounds[c], bounds[c+1])}: every worker claims
     * the next unclaimed range until none is left, so a worker slowed down (by a long range or
     * by another process) takes fewer. {@code task.run(worker, from, to)} gets the worker's
     * index for its scratch. The assignment of ranges to workers varies run to run: the task
     * must make each range's results independent of the worker.
     */
    void runChunks(int[] bounds, Task task) {
        int chunks = bounds.length - 1;
        if (threads == 1 || chunks <= 1) {
            for (int c = 0; c < chunks; c++) task.run(0, bounds[c], bounds[c + 1]);
            return;
        }
        AtomicInteger next = new AtomicInteger();
        int[] workers = new int[threads + 1];
        for (int t = 0; t <= threads; t++) workers[t] = t;
        run(workers, (w, unused, alsoUnused) -> {
            for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
                task.run(w, bounds[c], bounds[c + 1]);
            }
        });
    }

    /** Runs {@code task} on every worker over an even split of {@code [0, n)}. */
    void run(int n, Task task) {
        run(evenBounds(n), task);
    }

    /** Runs {@code task} on worker t over {@code [bounds[t], bounds[t+1])} and waits for all. */
    void run(int[] bounds, Task task) {
        if (threads == 1) {
            task.run(0, bounds[0], bounds[1]);
            return;
        }
        List<Future<?>> futures = new ArrayList<>(threads - 1);
        for (int t = 1; t < threads; t++) {
            int worker = t;
            futures.add(executor.submit(() -> task.run(worker, bounds[worker], bounds[worker + 1])));
        }
        Throwable failure = null;
        try {
            task.run(0, bounds[0], bounds[1]);
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        boolean interrupted = false;
        for (Future<?> future : futures) {
            while (true) {
                try {
                    future.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (failure == null) failure = e.getCause();
                    break;
                }
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        if (failure instanceof RuntimeException re) throw re;
        if (failure instanceof Error err) throw err;
        if (failure != null) throw new IllegalStateException("worker failed", failure);
    }

    @Override
    public void close() {
        if (executor != null) executor.shutdownNow();
    }
}
