package org.mfkit.vector;

import java.util.concurrent.atomic.AtomicInteger;
import org.mfkit.core.Solver;
import org.mfkit.core.spi.SolveFailure;

/**
 * ALS half-steps. The listed rows are cut into chunks of about equal cost (entries + k/2 per
 * row, so one popular item with tens of thousands of entries is one long row among short
 * ones) and the workers claim chunks until none is left ({@link VectorPool#runChunks}); each
 * row's solve depends only on the row, so the result does not depend on which worker took it,
 * nor on the thread count. Per row: Cholesky assembles A with the Gram register blocks
 * ({@link VectorNormalEquations}) and factors it ({@link VectorCholeskyRows}); CG
 * ({@link VectorConjugateGradient}) and the subspace sweep ({@link VectorSubspace}) never form
 * A and start from the row's current value, on the row's entries gathered once into the
 * worker's {@link VectorAlsRow}. Rows with no entries become zero. Solutions are staged and
 * written to x only after every row succeeded; on failure the first failing row in list order
 * is reported.
 *
 * <p>One instance per backend keeps the staging buffer and the workers' rows between calls:
 * a training epoch allocates nothing large.
 */
final class VectorAls {
    /** Chunks per worker: enough that a slow or long chunk is absorbed by the others. */
    private static final int CHUNKS_PER_THREAD = 32;

    /** Which normal equations a half-step solves. */
    record Problem(boolean implicit, float lambda, boolean scaleByCount, float alpha, float[] gram) {}

    private final VectorPool pool;
    private final int panelLimit;
    private float[] staged = new float[0];
    private float[] paddedGram = new float[0];
    private int paddedK;
    private long[] cost = new long[0];
    private final VectorAlsRow[] rows;
    private final Cholesky[] cholesky;

    /** Per-worker Cholesky scratch. */
    private static final class Cholesky {
        final int k;
        final VectorNormalEquations.Scratch assembly;
        final VectorCholeskyRows.Scratch factor;
        final float[] a;
        final float[] b;

        Cholesky(int k) {
            this.k = k;
            assembly = new VectorNormalEquations.Scratch(k);
            factor = new VectorCholeskyRows.Scratch(k);
            a = new float[k * k];
            b = new float[k];
        }
    }

    VectorAls(VectorPool pool) {
        this(pool, VectorAlsRow.PANEL_LIMIT);
    }

    /** Half-steps whose gathered rows hold at most {@code panelLimit} floats (see {@link VectorAlsRow}). */
    VectorAls(VectorPool pool, int panelLimit) {
        this.pool = pool;
        this.panelLimit = panelLimit;
        this.rows = new VectorAlsRow[pool.threads()];
        this.cholesky = new Cholesky[pool.threads()];
    }

    /** Solves the listed rows of x (n × k) against y; see {@code KernelBackend.solveImplicit/solveExplicit}. */
    void solve(float[] x, int k, int[] list, int[] rowPtr, int[] cols, float[] vals, float[] y, Problem problem,
               Solver solver) {
        int n = list.length;
        if (cost.length < n + 1) cost = new long[n + 1];
        long perRow = k / 2 + 1;
        for (int at = 0; at < n; at++) cost[at + 1] = cost[at] + (rowPtr[list[at] + 1] - rowPtr[list[at]]) + perRow;
        int[] chunks = VectorPool.chunkBounds(cost, n, CHUNKS_PER_THREAD * pool.threads());
        if (staged.length < (long) n * k) staged = new float[n * k];
        float[] out = staged;
        boolean exact = solver.kind() == Solver.Kind.CHOLESKY;
        float[] paddedGram = exact || !problem.implicit() ? null : padGram(problem.gram(), k);
        AtomicInteger firstBad = new AtomicInteger(Integer.MAX_VALUE);
        int threads = pool.threads();
        SolveFailure[] failures = new SolveFailure[threads];
        for (int w = 0; w < threads; w++) {
            if (exact) {
                if (cholesky[w] == null || cholesky[w].k != k) cholesky[w] = new Cholesky(k);
            } else {
                if (rows[w] == null || rows[w].k != k) rows[w] = new VectorAlsRow(k, panelLimit);
                rows[w].problem(cols, vals, y, paddedGram, problem.implicit(), problem.alpha(), problem.lambda(),
                        problem.scaleByCount());
            }
        }
        pool.runChunks(chunks, (w, from, to) -> {
            // A chunk after a failure already found cannot hold the first failure: skip it.
            if (from > firstBad.get()) return;
            for (int at = from; at < to; at++) {
                int row = list[at];
                int start = rowPtr[row];
                int end = rowPtr[row + 1];
                int off = at * k;
                if (start == end) {
                    java.util.Arrays.fill(out, off, off + k, 0f);
                    continue;
                }
                SolveFailure failure;
                if (exact) {
                    Cholesky c = cholesky[w];
                    int column = choleskyRow(c, problem, row, rowPtr, cols, vals, y, k, out, off);
                    failure = column < 0 ? null : SolveFailure.cholesky(at, column, c.factor.badPivot);
                } else {
                    VectorAlsRow r = rows[w];
                    r.load(start, end, x, row * k);
                    if (solver.kind() == Solver.Kind.CG) {
                        failure = VectorConjugateGradient.solve(r, solver.cgSteps()) ? null
                                : SolveFailure.conjugateGradient(at, r.breakdown);
                    } else {
                        failure = VectorSubspace.sweep(r, Math.min(solver.blockSize(), k)) ? null
                                : SolveFailure.cholesky(at, r.badColumn, r.breakdown);
                    }
                    if (failure == null) System.arraycopy(r.x, 0, out, off, k);
                }
                if (failure != null) {
                    // A worker's chunks come in list order and a chunk stops at its first
                    // failure, so a worker's first failure is its earliest.
                    if (failures[w] == null) failures[w] = failure;
                    firstBad.accumulateAndGet(at, Math::min);
                    return;
                }
            }
        });
        SolveFailure failure = SolveFailure.first(failures);
        if (failure != null) throw failure.toException("ratings row", list[failure.system()]);
        for (int at = 0; at < n; at++) System.arraycopy(out, at * k, x, list[at] * k, k);
    }

    /**
     * G (k×k) copied into a zero-padded kp×kp matrix with a vector of slack, reused while k stays
     * the same (a new k gets a fresh, all-zero one: the padding must stay zero).
     */
    private float[] padGram(float[] gram, int k) {
        int kp = VectorGram.padded(k);
        if (paddedK != k) {
            paddedGram = new float[kp * kp + VectorDots.L];
            paddedK = k;
        }
        for (int t = 0; t < k; t++) System.arraycopy(gram, t * k, paddedGram, t * kp, k);
        return paddedGram;
    }

    /** Assembles and solves one row into out[off..]; returns -1, or the failing pivot column. */
    private static int choleskyRow(Cholesky s, Problem problem, int row, int[] rowPtr, int[] cols, float[] vals,
                                   float[] y, int k, float[] out, int off) {
        if (problem.implicit()) {
            VectorNormalEquations.implicit(row, rowPtr, cols, vals, y, k, problem.gram(), problem.alpha(),
                    problem.lambda(), s.a, 0, s.b, 0, s.assembly);
        } else {
            VectorNormalEquations.explicit(row, rowPtr, cols, vals, y, k, problem.lambda(), problem.scaleByCount(),
                    s.a, 0, s.b, 0, s.assembly);
        }
        return VectorCholeskyRows.factorSolve(s.a, 0, s.b, 0, out, off, s.factor);
    }
}
