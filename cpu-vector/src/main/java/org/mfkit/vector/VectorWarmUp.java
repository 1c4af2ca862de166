package org.mfkit.vector;

import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.mfkit.core.Solver;

/**
 * Compiles the ALS kernels before a trainer's first epoch. Vector API code runs orders of
 * magnitude slower until C2 has compiled it, so a first epoch used to take 2–3× the others.
 * {@link #start} runs the half-step of one solver and k, the Gram matrix and the gathered dot
 * (the ALS loss) on a small random problem of its own, on a daemon thread with a private
 * one-worker pool, while the trainer prepares its data on the caller's thread (merging
 * duplicates, building CSR rows, uploading), which leaves the other cores idle. It stops when
 * {@link #stop} is called (the backend's first real ALS, Gram or dot call) or after
 * {@link #MAX_NANOS}. JIT state is shared by the whole JVM, so each (kind, padded k) is warmed
 * once per JVM. Nothing it computes is used: results never depend on it.
 */
final class VectorWarmUp {
    /** Longest a warm-up runs, whatever happens. */
    static final long MAX_NANOS = 5_000_000_000L;
    /** Rows of the synthetic problem solved per call: a call is short, so a stop takes effect soon. */
    private static final int ROWS = 48;
    /** Items (fixed-side rows) of the synthetic problem. */
    private static final int ITEMS = 256;

    private static final Set<String> STARTED = ConcurrentHashMap.newKeySet();

    private volatile boolean stopped;

    private VectorWarmUp() {}

    /**
     * Starts a warm-up of {@code solver} at factor dimension {@code k} unless one already ran in
     * this JVM for the same solver kind and padded k; returns it, or null when none was started.
     */
    static VectorWarmUp start(int k, Solver solver) {
        if (!STARTED.add(solver.kind() + "/" + VectorGram.padded(k))) return null;
        VectorWarmUp warmUp = new VectorWarmUp();
        Thread thread = new Thread(() -> warmUp.run(k, solver), "mfkit-vector-warm-up");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
        return warmUp;
    }

    /** Ends the warm-up at its next call (it never blocks the caller). */
    void stop() {
        stopped = true;
    }

    private void run(int k, Solver solver) {
        long deadline = System.nanoTime() + MAX_NANOS;
        SplittableRandom random = new SplittableRandom(k * 31L + solver.kind().ordinal());
        float scale = (float) (1 / Math.sqrt(k));
        float[] y = values(random, ITEMS * k, scale);
        float[] gram = new float[k * k];
        // Rows of every length class the kernels distinguish (empty, a few entries, several
        // groups), values 0 (dropped entries) to 5, as real rows have.
        int[] rowPtr = new int[ROWS + 1];
        for (int r = 0; r < ROWS; r++) rowPtr[r + 1] = rowPtr[r] + (r % 12 == 5 ? 0 : 1 + random.nextInt(r % 3 == 0 ? 200 : 24));
        int nnz = rowPtr[ROWS];
        int[] cols = new int[nnz];
        float[] vals = new float[nnz];
        for (int e = 0; e < nnz; e++) {
            cols[e] = random.nextInt(ITEMS);
            vals[e] = random.nextInt(6);
        }
        int[] list = new int[ROWS];
        for (int r = 0; r < ROWS; r++) list[r] = r;
        float[] x = values(random, ROWS * k, scale);
        int[] users = new int[4096];
        int[] items = new int[users.length];
        for (int j = 0; j < users.length; j++) {
            users[j] = random.nextInt(ROWS);
            items[j] = random.nextInt(ITEMS);
        }
        float[] dots = new float[users.length];
        try (VectorPool pool = new VectorPool(1)) {
            VectorAls als = new VectorAls(pool);
            VectorAls.Problem implicit = new VectorAls.Problem(true, 0.1f, false, 1f, gram);
            VectorAls.Problem explicit = new VectorAls.Problem(false, 0.1f, true, 0f, null);
            for (int round = 0; !stopped && System.nanoTime() < deadline; round++) {
                VectorGram.gram(pool, y, ITEMS, k, gram);
                als.solve(x, k, list, rowPtr, cols, vals, y, round % 4 == 3 ? explicit : implicit, solver);
                if (round % 8 == 0) VectorDots.gathered(pool, x, y, k, users, items, dots);
            }
        } catch (RuntimeException e) {
            // Nothing depends on the warm-up: a failure only means the kernels compile later.
        }
    }

    private static float[] values(SplittableRandom random, int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (random.nextDouble(-1, 1) * scale);
        return v;
    }
}
