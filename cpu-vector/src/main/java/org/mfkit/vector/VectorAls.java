package org.mfkit.vector;

import java.util.concurrent.atomic.AtomicInteger;
import org.mfkit.core.Solver;
import org.mfkit.core.spi.SolveFailure;

/**
 * ALS half-steps. The listed rows are cut into chunks of about equal cost (entries + k/2 per
 * row, so one popular item with tens of thousands of entries is one long row among short
 * ones) and the workers claim chunks until none is left ({@link VectorPool#runChunks}); each
 * row's solve depends only on the row, so the result does not depend on which worker took it,
 * nor on the thread count. Cholesky assembles each row's A with the Gram register blocks
 * ({@link VectorNormalEquations}) into one lane of a packed group of L systems and factors
 * and solves each group lanes across systems ({@link VectorCholeskyCompact#factorSolve}:
 * every operation is lane-wise, so a row's bits do not depend on its group either); CG
 * ({@link VectorConjugateGradient}) and the subspace sweep ({@link VectorSubspace}) never form
 * A and start from the row's current value, on the row's entries gathered once into the
 * worker's {@link VectorAlsRow} (row-major, or dimension-major for the sweep's small blocks,
 * {@link VectorSubspace#byColumns}). Rows with no entries become zero. Solutions are staged and
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

    /** Per-worker Cholesky scratch: one packed group of L rows being assembled. */
    private static final class Cholesky {
        final int k;
        final VectorNormalEquations.Scratch assembly;
        final VectorCholeskyCompact.Packed group;
        /** List positions of the rows in the group's lanes. */
        final int[] at = new int[VectorDots.L];

        Cholesky(int k) {
            this.k = k;
            assembly = new VectorNormalEquations.Scratch(k);
            group = new VectorCholeskyCompact.Packed(k);
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
        boolean exact = solver.kind() == Solver.Kind.CHOLESKY;
        int[] chunks = VectorPool.chunkBounds(cost, n, pool.threads() == 1 ? 1 : CHUNKS_PER_THREAD * pool.threads());
        // A Cholesky chunk ends with a partial group, which costs a whole group's factor: one
        // chunk on one thread, and chunk bounds on multiples of L (the cut within a group).
        if (exact) chunks = groupAligned(chunks);
        if (staged.length < (long) n * k) staged = new float[n * k];
        float[] out = staged;
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
            SolveFailure failure = exact
                    ? choleskyChunk(cholesky[w], problem, from, to, list, rowPtr, cols, vals, y, k, out)
                    : iterativeChunk(rows[w], solver, from, to, list, rowPtr, x, k, out);
            if (failure != null) {
                // A worker's chunks come in list order and a chunk stops at its first
                // failure, so a worker's first failure is its earliest.
                if (failures[w] == null) failures[w] = failure;
                firstBad.accumulateAndGet(failure.system(), Math::min);
            }
        });
        SolveFailure failure = SolveFailure.first(failures);
        if (failure != null) throw failure.toException("ratings row", list[failure.system()]);
        for (int at = 0; at < n; at++) System.arraycopy(out, at * k, x, list[at] * k, k);
    }

    /** The bounds with every inner one rounded up to a multiple of L, repeats dropped. */
    private static int[] groupAligned(int[] bounds) {
        int n = bounds[bounds.length - 1];
        int[] out = new int[bounds.length];
        int count = 0;
        for (int c = 1; c < bounds.length - 1; c++) {
            int b = Math.min(n, (bounds[c] + VectorDots.L - 1) / VectorDots.L * VectorDots.L);
            if (b > out[count] && b < n) out[++count] = b;
        }
        out[++count] = n;
        return java.util.Arrays.copyOf(out, count + 1);
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

    /**
     * The rows list[from..to) by CG or the subspace sweep, each from its current value; returns
     * the first failure (rows after it untouched) or null.
     */
    private static SolveFailure iterativeChunk(VectorAlsRow r, Solver solver, int from, int to, int[] list,
                                               int[] rowPtr, float[] x, int k, float[] out) {
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
            if (solver.kind() == Solver.Kind.CG) {
                r.load(start, end, x, row * k);
                failure = VectorConjugateGradient.solve(r, solver.cgSteps()) ? null
                        : SolveFailure.conjugateGradient(at, r.breakdown);
            } else {
                int blockSize = Math.min(solver.blockSize(), k);
                boolean swept;
                if (VectorSubspace.byColumns(blockSize, end - start, r.capacity)) {
                    r.begin(start, end, x, row * k);
                    swept = VectorSubspace.sweepColumns(r, blockSize);
                } else {
                    r.load(start, end, x, row * k);
                    swept = VectorSubspace.sweep(r, blockSize);
                }
                failure = swept ? null : SolveFailure.cholesky(at, r.badColumn, r.breakdown);
            }
            if (failure != null) return failure;
            System.arraycopy(r.x, 0, out, off, k);
        }
        return null;
    }

    /**
     * The rows list[from..to) by Cholesky: rows with entries are assembled in list order into
     * the lanes of a packed group, each full group (and the last, partial one, its free lanes
     * set to I x = 0) factored and solved lanes across systems. Every lane's arithmetic is its
     * own, so a row's solution does not depend on the chunking. Returns the failure of the
     * first failing row (a group's lanes are in list order) or null.
     */
    private static SolveFailure choleskyChunk(Cholesky c, Problem problem, int from, int to, int[] list,
                                              int[] rowPtr, int[] cols, float[] vals, float[] y, int k,
                                              float[] out) {
        VectorCholeskyCompact.Packed group = c.group;
        int filled = 0;
        for (int at = from; at < to; at++) {
            int row = list[at];
            if (rowPtr[row] == rowPtr[row + 1]) {
                java.util.Arrays.fill(out, at * k, at * k + k, 0f);
                continue;
            }
            if (problem.implicit()) {
                VectorNormalEquations.implicitLane(row, rowPtr, cols, vals, y, k, problem.gram(), problem.alpha(),
                        problem.lambda(), group, filled, c.assembly);
            } else {
                VectorNormalEquations.explicitLane(row, rowPtr, cols, vals, y, k, problem.lambda(),
                        problem.scaleByCount(), group, filled, c.assembly);
            }
            c.at[filled++] = at;
            if (filled == VectorDots.L) {
                SolveFailure failure = solveGroup(c, filled, k, out);
                if (failure != null) return failure;
                filled = 0;
            }
        }
        return filled == 0 ? null : solveGroup(c, filled, k, out);
    }

    /** Factors and solves the group's first {@code filled} lanes into their rows of out. */
    private static SolveFailure solveGroup(Cholesky c, int filled, int k, float[] out) {
        VectorCholeskyCompact.Packed group = c.group;
        for (int n = filled; n < VectorDots.L; n++) group.identity(n);
        int bad = VectorCholeskyCompact.factorSolve(group);
        if (bad >= 0) return SolveFailure.cholesky(c.at[bad], group.badColumn[bad], group.badPivot[bad]);
        float[] b = group.b;
        for (int n = 0; n < filled; n++) {
            int off = c.at[n] * k;
            for (int t = 0, src = n; t < k; t++, src += VectorDots.L) out[off + t] = b[src];
        }
        return null;
    }
}
