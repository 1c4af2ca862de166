package org.mfkit.vector;

import static org.mfkit.vector.VectorDots.L;
import static org.mfkit.vector.VectorDots.S;

import java.util.function.Supplier;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import org.mfkit.core.BlockGrid;
import org.mfkit.core.BlockSchedule;

/**
 * SGD over biased MF. The per-rating update is the reference's, with the dot vectorized and
 * the factor update x ← x + η(e·y − λx) computed as x·(1 − ηλ) + (ηe)·y: one multiply and one
 * fused multiply-add per vector instead of five rounded operations (measured ~25 % more updates
 * per CPU-second on the 10M set). It rounds differently from the reference's form, within the
 * bound docs/KERNELS.md gives every backend (a few units of roundoff of |x| + η|e y|).
 *
 * <p>Schedules, all deterministic:
 * <ul>
 *   <li>lists arranged on a {@link BlockGrid} ({@code ratings.schedule() != null}): the cells of
 *       each round on all workers ({@link VectorBlocks}); equals list order, the same bits on
 *       any thread count;</li>
 *   <li>one thread: list order;</li>
 *   <li>{@code conflictFree()} lists: contiguous static ranges per thread; no two ratings
 *       share a row, so the result equals list order;</li>
 *   <li>other lists on several threads: the list arranged on the default grid
 *       ({@link BlockGrid#defaultSide}, {@link BlockGrid#balanced}) and run as above; the
 *       order differs from the list's, and the result is the one the arranged list gives on
 *       every backend. The arrangement is cached for the last list seen.</li>
 * </ul>
 * Mini-batch: errors from the entry parameters (split by ratings), then gradient sums per row
 * accumulated in list order by the worker that owns the row ({@code row mod T}), then
 * applied — the reference's order for every row.
 */
final class VectorSgd {
    private VectorSgd() {}

    /** A plain list arranged on the default grid, cached by the backend (lists are immutable). */
    record Arranged(Object usersKey, Object itemsKey, int k, int[] users, int[] items, float[] ratings, BlockSchedule schedule) {}

    static Arranged arrange(Object usersKey, Object itemsKey, int[] users, int[] items, float[] ratings,
                            int numUsers, int numItems, int k, int threads) {
        int side = BlockGrid.defaultSide(numUsers, numItems, k, users.length, threads);
        BlockGrid grid = BlockGrid.balanced(side, numUsers, numItems, users, items);
        BlockGrid.Arrangement a = grid.arrange(users, items);
        int[] order = a.order();
        int n = order.length;
        int[] u = new int[n];
        int[] i = new int[n];
        float[] r = new float[n];
        for (int x = 0; x < n; x++) {
            u[x] = users[order[x]];
            i[x] = items[order[x]];
            r[x] = ratings[order[x]];
        }
        return new Arranged(usersKey, itemsKey, k, u, i, r, a.schedule());
    }

    /** The schedule described in the class comment; {@code arranged} is used only when it applies. */
    static double sgd(VectorPool pool, BlockSchedule schedule, boolean conflictFree, Supplier<Arranged> arranged,
                      float[] p, float[] q, int k, float[] userBias, float[] itemBias,
                      int[] users, int[] items, float[] ratings, float mu, float lr, float regF, float regB) {
        if (schedule != null) {
            return VectorBlocks.run(pool, schedule, (from, to) ->
                    range(p, q, k, userBias, itemBias, users, items, ratings, from, to, mu, lr, regF, regB));
        }
        int threads = pool.threads();
        if (threads == 1) {
            return range(p, q, k, userBias, itemBias, users, items, ratings, 0, users.length, mu, lr, regF, regB);
        }
        if (conflictFree) {
            double[] partial = new double[threads];
            pool.run(users.length, (w, from, to) ->
                    partial[w] = range(p, q, k, userBias, itemBias, users, items, ratings, from, to, mu, lr, regF, regB));
            return sum(partial);
        }
        Arranged a = arranged.get();
        return VectorBlocks.run(pool, a.schedule(), (from, to) ->
                range(p, q, k, userBias, itemBias, a.users(), a.items(), a.ratings(), from, to, mu, lr, regF, regB));
    }

    private static double sum(double[] partial) {
        double total = 0;
        for (double v : partial) total += v;
        return total;
    }

    /** Sequential updates for list positions {@code [from, to)}. */
    static double range(float[] p, float[] q, int k, float[] userBias, float[] itemBias,
                        int[] users, int[] items, float[] ratings, int from, int to,
                        float mu, float lr, float regF, float regB) {
        double squaredErrors = 0;
        int bound = k - k % L;
        float keep = 1f - lr * regF;
        int runEnd = from;
        for (int j = from; j < to; j++) {
            int u = users[j];
            if (k == 4 * L && j >= runEnd) {
                // A run of ratings of one user (grid cells are sorted by user): p_u and b_u stay
                // in registers across the run; loaded once, stored once. A run that repeats an
                // item back to back goes one update at a time (runEnd marks it done).
                int end = j + 1;
                boolean repeatsAdjacent = false;
                while (end < to && users[end] == u) {
                    repeatsAdjacent |= items[end] == items[end - 1];
                    end++;
                }
                runEnd = end;
                if (!repeatsAdjacent) {
                    squaredErrors += run4(p, q, k, userBias, itemBias, u, items, ratings, j, end, mu, lr, regF, regB);
                    j = end - 1;
                    continue;
                }
            }
            int i = items[j];
            int pOff = u * k;
            int qOff = i * k;
            float prediction = mu + VectorDots.dot(p, pOff, q, qOff, k);
            if (userBias != null) prediction += userBias[u] + itemBias[i];
            float e = ratings[j] - prediction;
            squaredErrors += (double) e * e;
            if (userBias != null) {
                userBias[u] += lr * (e - regB * userBias[u]);
                itemBias[i] += lr * (e - regB * itemBias[i]);
            }
            float step = lr * e;
            FloatVector stepV = FloatVector.broadcast(S, step);
            int t = 0;
            for (; t < bound; t += L) {
                FloatVector pv = FloatVector.fromArray(S, p, pOff + t);
                FloatVector qv = FloatVector.fromArray(S, q, qOff + t);
                qv.fma(stepV, pv.mul(keep)).intoArray(p, pOff + t);
                pv.fma(stepV, qv.mul(keep)).intoArray(q, qOff + t);
            }
            for (; t < k; t++) {
                float pu = p[pOff + t];
                float qi = q[qOff + t];
                p[pOff + t] = Math.fma(qi, step, pu * keep);
                q[qOff + t] = Math.fma(pu, step, qi * keep);
            }
        }
        return squaredErrors;
    }

    /**
     * The ratings {@code [from, to)} of user u for k = 4L, in order; p_u and b_u are loaded once
     * and kept in registers, each q_i loaded once. Returns Σ e².
     *
     * <p>The dot that decides update j + 1 is not computed from p_{j+1}. With s_j = η e_j,
     * p_{j+1} = keep·p_j + s_j·q_j, so p_{j+1}·q_{j+1} = keep·(p_j·q_{j+1}) + s_j·(q_j·q_{j+1}):
     * the two dots need only p_j, q_j and q_{j+1}, and they are reduced together by one lane-sum
     * tree ({@link #twoSums}); e_j then reaches the next dot through one fused multiply-add.
     * Before, every update waited for the products and the whole tree of a dot of the p the
     * previous update had just written; now that wait overlaps the next update. Measured on
     * the 10M set, one thread: 29.9 → 24.8 ns of CPU per update (docs/benchmarks.md, "SGD: the
     * dot off the update chain"). The factor updates are unchanged; the dot is rounded
     * differently (the allowance is in docs/KERNELS.md, "sgd"). q_{j+1} is loaded before q_j is
     * stored, so the run must not hold one item twice in a row; the caller takes such runs one
     * update at a time.
     */
    private static double run4(float[] p, float[] q, int k, float[] userBias, float[] itemBias, int u, int[] items,
                               float[] ratings, int from, int to, float mu, float lr, float regF, float regB) {
        int pOff = u * k;
        FloatVector p0 = FloatVector.fromArray(S, p, pOff);
        FloatVector p1 = FloatVector.fromArray(S, p, pOff + L);
        FloatVector p2 = FloatVector.fromArray(S, p, pOff + 2 * L);
        FloatVector p3 = FloatVector.fromArray(S, p, pOff + 3 * L);
        boolean biased = userBias != null;
        float bu = biased ? userBias[u] : 0f;
        float keep = 1f - lr * regF;
        double squaredErrors = 0;
        int i = items[from];
        int qOff = i * k;
        FloatVector q0 = FloatVector.fromArray(S, q, qOff);
        FloatVector q1 = FloatVector.fromArray(S, q, qOff + L);
        FloatVector q2 = FloatVector.fromArray(S, q, qOff + 2 * L);
        FloatVector q3 = FloatVector.fromArray(S, q, qOff + 3 * L);
        float dot = VectorDots.sum(p1.fma(q1, p0.mul(q0)).add(p3.fma(q3, p2.mul(q2))));
        int last = to - 1;
        // The last update has no successor and is written out after the loop: a successor
        // chosen by a branch inside the loop made its vectors conditional, ~15 % slower.
        for (int j = from; j < last; j++) {
            int next = items[j + 1];
            int nOff = next * k;
            FloatVector n0 = FloatVector.fromArray(S, q, nOff);
            FloatVector n1 = FloatVector.fromArray(S, q, nOff + L);
            FloatVector n2 = FloatVector.fromArray(S, q, nOff + 2 * L);
            FloatVector n3 = FloatVector.fromArray(S, q, nOff + 3 * L);
            FloatVector both = twoSums(p1.fma(n1, p0.mul(n0)).add(p3.fma(n3, p2.mul(n2))),
                    q1.fma(n1, q0.mul(n0)).add(q3.fma(n3, q2.mul(n2))));
            float prediction = mu + dot;
            if (biased) prediction += bu + itemBias[i];
            float e = ratings[j] - prediction;
            squaredErrors += (double) e * e;
            if (biased) {
                bu += lr * (e - regB * bu);
                itemBias[i] += lr * (e - regB * itemBias[i]);
            }
            float s = lr * e;
            dot = Math.fma(s, both.lane(L / 2), keep * both.lane(0));
            FloatVector step = FloatVector.broadcast(S, s);
            p0.fma(step, q0.mul(keep)).intoArray(q, qOff);
            p1.fma(step, q1.mul(keep)).intoArray(q, qOff + L);
            p2.fma(step, q2.mul(keep)).intoArray(q, qOff + 2 * L);
            p3.fma(step, q3.mul(keep)).intoArray(q, qOff + 3 * L);
            p0 = q0.fma(step, p0.mul(keep));
            p1 = q1.fma(step, p1.mul(keep));
            p2 = q2.fma(step, p2.mul(keep));
            p3 = q3.fma(step, p3.mul(keep));
            q0 = n0;
            q1 = n1;
            q2 = n2;
            q3 = n3;
            i = next;
            qOff = nOff;
        }
        float prediction = mu + dot;
        if (biased) prediction += bu + itemBias[i];
        float e = ratings[last] - prediction;
        squaredErrors += (double) e * e;
        if (biased) {
            bu += lr * (e - regB * bu);
            itemBias[i] += lr * (e - regB * itemBias[i]);
        }
        FloatVector step = FloatVector.broadcast(S, lr * e);
        p0.fma(step, q0.mul(keep)).intoArray(q, qOff);
        p1.fma(step, q1.mul(keep)).intoArray(q, qOff + L);
        p2.fma(step, q2.mul(keep)).intoArray(q, qOff + 2 * L);
        p3.fma(step, q3.mul(keep)).intoArray(q, qOff + 3 * L);
        q0.fma(step, p0.mul(keep)).intoArray(p, pOff);
        q1.fma(step, p1.mul(keep)).intoArray(p, pOff + L);
        q2.fma(step, p2.mul(keep)).intoArray(p, pOff + 2 * L);
        q3.fma(step, p3.mul(keep)).intoArray(p, pOff + 3 * L);
        if (biased) userBias[u] = bu;
        return squaredErrors;
    }

    // Lanes whose bit L/2 is set: after the first level of twoSums they carry b's partial sums.
    private static final VectorMask<Float> HIGH_HALF = VectorMask.fromValues(S, highHalf());
    private static final VectorShuffle<Float> SWAP_2 = VectorShuffle.fromOp(S, i -> i ^ Math.max(1, L / 2));
    private static final VectorShuffle<Float> SWAP_4 = VectorShuffle.fromOp(S, i -> i ^ Math.max(1, L / 4));
    private static final VectorShuffle<Float> SWAP_8 = VectorShuffle.fromOp(S, i -> i ^ Math.max(1, L / 8));
    private static final VectorShuffle<Float> SWAP_16 = VectorShuffle.fromOp(S, i -> i ^ Math.max(1, L / 16));

    private static boolean[] highHalf() {
        boolean[] set = new boolean[L];
        for (int i = 0; i < L; i++) set[i] = (i & Math.max(1, L / 2)) != 0;
        return set;
    }

    /**
     * The lane sums of a and b by {@link VectorDots#sum}'s tree, bit for bit: sum(a) in lane 0,
     * sum(b) in lane L/2. The tree's first level computes x[i] + x[i ^ L/2], equal in both
     * lanes of a pair, so lanes with bit L/2 clear take a's and the others b's; the later
     * levels stay inside each half and run once for both.
     */
    private static FloatVector twoSums(FloatVector a, FloatVector b) {
        FloatVector v = a.blend(b, HIGH_HALF).add(b.blend(a, HIGH_HALF).rearrange(SWAP_2));
        if (L >= 4) v = v.add(v.rearrange(SWAP_4));
        if (L >= 8) v = v.add(v.rearrange(SWAP_8));
        if (L >= 16) v = v.add(v.rearrange(SWAP_16));
        return v;
    }

    static double miniBatch(VectorPool pool, float[] p, float[] q, int k, float[] userBias, float[] itemBias,
                            int[] users, int[] items, float[] ratings, float mu, float lr, float regF, float regB) {
        int n = users.length;
        int nUsers = p.length / k;
        int nItems = q.length / k;
        int threads = pool.threads();
        float[] errors = new float[n];
        double[] partial = new double[threads];
        pool.run(n, (w, from, to) -> {
            double sq = 0;
            for (int j = from; j < to; j++) {
                int u = users[j];
                int i = items[j];
                float prediction = mu + VectorDots.dot(p, u * k, q, i * k, k);
                if (userBias != null) prediction += userBias[u] + itemBias[i];
                float e = ratings[j] - prediction;
                errors[j] = e;
                sq += (double) e * e;
            }
            partial[w] = sq;
        });
        double squaredErrors = sum(partial);
        float[] gradP = new float[p.length];
        float[] gradQ = new float[q.length];
        float[] gradBu = new float[nUsers];
        float[] gradBi = new float[nItems];
        int[] countU = new int[nUsers];
        int[] countI = new int[nItems];
        int[] workers = new int[threads + 1];
        for (int t = 0; t <= threads; t++) workers[t] = t;
        // Each worker owns the rows r with r mod T == worker and scans the whole list, so every
        // row's gradient is summed in list order no matter the thread count.
        pool.run(workers, (w, from, to) -> {
            for (int j = 0; j < n; j++) {
                int u = users[j];
                if (u % threads != w) continue;
                float e = errors[j];
                countU[u]++;
                gradBu[u] += e;
                VectorDots.axpy(e, q, items[j] * k, gradP, u * k, k);
            }
            for (int j = 0; j < n; j++) {
                int i = items[j];
                if (i % threads != w) continue;
                float e = errors[j];
                countI[i]++;
                gradBi[i] += e;
                VectorDots.axpy(e, p, users[j] * k, gradQ, i * k, k);
            }
        });
        pool.run(nUsers, (w, from, to) -> apply(p, gradP, countU, k, lr, regF, from, to));
        pool.run(nItems, (w, from, to) -> apply(q, gradQ, countI, k, lr, regF, from, to));
        if (userBias != null) {
            apply(userBias, gradBu, countU, 1, lr, regB, 0, nUsers);
            apply(itemBias, gradBi, countI, 1, lr, regB, 0, nItems);
        }
        return squaredErrors;
    }

    private static void apply(float[] x, float[] grad, int[] count, int k, float lr, float reg, int from, int to) {
        int bound = k - k % L;
        for (int row = from; row < to; row++) {
            if (count[row] == 0) continue;
            float rowReg = count[row] * reg;
            int off = row * k;
            int t = 0;
            for (; t < bound; t += L) {
                FloatVector xv = FloatVector.fromArray(S, x, off + t);
                FloatVector gv = FloatVector.fromArray(S, grad, off + t);
                xv.add(gv.sub(xv.mul(rowReg)).mul(lr)).intoArray(x, off + t);
            }
            for (; t < k; t++) x[off + t] += lr * (grad[off + t] - rowReg * x[off + t]);
        }
    }
}
