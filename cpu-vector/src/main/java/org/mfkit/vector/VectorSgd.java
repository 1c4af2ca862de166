package org.mfkit.vector;

import static org.mfkit.vector.VectorDots.L;
import static org.mfkit.vector.VectorDots.S;

import jdk.incubator.vector.FloatVector;

/**
 * SGD over biased MF. The per-rating update is the reference's, with the dot vectorized and
 * the factor update written as separate rounded multiplies and subtracts (no fused
 * multiply-add), so only the dot's summation order differs from the scalar reference.
 *
 * <p>Schedules, all deterministic for a given input and thread count:
 * <ul>
 *   <li>one thread: list order (sequential semantics);</li>
 *   <li>{@code conflictFree()} lists: contiguous static ranges per thread; no two ratings
 *       share a row, so the result equals sequential order;</li>
 *   <li>otherwise a static T×T grid (FPSGD-like): user block {@code u mod T}, item block
 *       {@code i mod T}; round d (d = 0..T-1) runs block (t, (t+d) mod T) on worker t, so no
 *       two workers ever touch the same user or item row; within a block the ratings keep
 *       their list order; rounds are separated by a join. The blocking depends only on ids
 *       and T, never on timing.</li>
 * </ul>
 * Mini-batch: errors from the entry parameters (split by ratings), then gradient sums per row
 * accumulated in list order by the worker that owns the row ({@code row mod T}), then
 * applied — the reference's order for every row.
 */
final class VectorSgd {
    private VectorSgd() {}

    /** Cached grid schedule of the last list seen (lists are immutable, reused every epoch). */
    static final class Grid {
        final Object users;
        final Object items;
        final int blocks;
        final int[] order;
        final int[] cellStart;

        Grid(Object users, Object items, int blocks, int[] order, int[] cellStart) {
            this.users = users;
            this.items = items;
            this.blocks = blocks;
            this.order = order;
            this.cellStart = cellStart;
        }
    }

    static Grid grid(Object usersKey, Object itemsKey, int[] users, int[] items, int blocks) {
        int cells = blocks * blocks;
        int[] cellStart = new int[cells + 1];
        for (int j = 0; j < users.length; j++) cellStart[cell(users[j], items[j], blocks) + 1]++;
        for (int c = 0; c < cells; c++) cellStart[c + 1] += cellStart[c];
        int[] fill = cellStart.clone();
        int[] order = new int[users.length];
        for (int j = 0; j < users.length; j++) order[fill[cell(users[j], items[j], blocks)]++] = j;
        return new Grid(usersKey, itemsKey, blocks, order, cellStart);
    }

    private static int cell(int u, int i, int blocks) {
        return (u % blocks) * blocks + (i % blocks);
    }

    /** The schedule described in the class comment; {@code grid} is used only when it applies. */
    static double sgd(VectorPool pool, boolean conflictFree, java.util.function.Supplier<Grid> grid,
                      float[] p, float[] q, int k, float[] userBias, float[] itemBias,
                      int[] users, int[] items, float[] ratings, float mu, float lr, float regF, float regB) {
        int threads = pool.threads();
        if (threads == 1) {
            return range(p, q, k, userBias, itemBias, users, items, ratings, null, 0, users.length, mu, lr, regF, regB);
        }
        double[] partial = new double[threads];
        if (conflictFree) {
            pool.run(users.length, (w, from, to) ->
                    partial[w] = range(p, q, k, userBias, itemBias, users, items, ratings, null, from, to, mu, lr, regF, regB));
            return sum(partial);
        }
        Grid g = grid.get();
        int blocks = g.blocks;
        // Every update writes b_u and b_i. Rows u and u+1 belong to different workers, so in the
        // shared bias arrays both workers would write the same cache lines on nearly every
        // update (false sharing: two threads ran slower than one on cache-resident problems).
        // Each worker therefore updates private copies of the biases of the rows it owns in
        // the round and writes them back at the round's end: the same operations in the same
        // order, so the same bits, with cross-core traffic once per round instead of per update.
        float[][] userBiasOf = userBias == null ? null : new float[threads][userBias.length];
        float[][] itemBiasOf = itemBias == null ? null : new float[threads][itemBias.length];
        int[] ids = new int[threads + 1];
        for (int t = 0; t <= threads; t++) ids[t] = t;
        double total = 0;
        for (int round = 0; round < blocks; round++) {
            int d = round;
            boolean first = round == 0;
            boolean last = round == blocks - 1;
            pool.run(ids, (w, from, to) -> {
                int userBlock = w;
                int itemBlock = (w + d) % blocks;
                float[] ub = null;
                float[] ib = null;
                if (userBias != null) {
                    ub = userBiasOf[w];
                    ib = itemBiasOf[w];
                    // A worker keeps its user block for the whole call, its item block for one round.
                    if (first) copyBlock(userBias, ub, userBlock, blocks);
                    copyBlock(itemBias, ib, itemBlock, blocks);
                }
                int c = userBlock * blocks + itemBlock;
                partial[w] = range(p, q, k, ub, ib, users, items, ratings, g.order,
                        g.cellStart[c], g.cellStart[c + 1], mu, lr, regF, regB);
                if (userBias != null) {
                    copyBlock(ib, itemBias, itemBlock, blocks);
                    if (last) copyBlock(ub, userBias, userBlock, blocks);
                }
            });
            total += sum(partial);
        }
        return total;
    }

    /** Copies the entries of grid block {@code block} (ids ≡ block mod blocks) from src to dst. */
    private static void copyBlock(float[] src, float[] dst, int block, int blocks) {
        for (int id = block; id < src.length; id += blocks) dst[id] = src[id];
    }

    private static double sum(double[] partial) {
        double total = 0;
        for (double v : partial) total += v;
        return total;
    }

    /** Sequential updates for list positions {@code order[from..to)} (or {@code from..to} when order is null). */
    static double range(float[] p, float[] q, int k, float[] userBias, float[] itemBias,
                        int[] users, int[] items, float[] ratings, int[] order, int from, int to,
                        float mu, float lr, float regF, float regB) {
        double squaredErrors = 0;
        int bound = k - k % L;
        for (int x = from; x < to; x++) {
            int j = order == null ? x : order[x];
            int u = users[j];
            int i = items[j];
            int pOff = u * k;
            int qOff = i * k;
            if (k == 4 * L) {
                squaredErrors += update4(p, pOff, q, qOff, userBias, itemBias, u, i, ratings[j], mu, lr, regF, regB);
                continue;
            }
            float prediction = mu + VectorDots.dot(p, pOff, q, qOff, k);
            if (userBias != null) prediction += userBias[u] + itemBias[i];
            float e = ratings[j] - prediction;
            squaredErrors += (double) e * e;
            if (userBias != null) {
                userBias[u] += lr * (e - regB * userBias[u]);
                itemBias[i] += lr * (e - regB * itemBias[i]);
            }
            int t = 0;
            for (; t < bound; t += L) {
                FloatVector pv = FloatVector.fromArray(S, p, pOff + t);
                FloatVector qv = FloatVector.fromArray(S, q, qOff + t);
                pv.add(qv.mul(e).sub(pv.mul(regF)).mul(lr)).intoArray(p, pOff + t);
                qv.add(pv.mul(e).sub(qv.mul(regF)).mul(lr)).intoArray(q, qOff + t);
            }
            for (; t < k; t++) {
                float pu = p[pOff + t];
                float qi = q[qOff + t];
                p[pOff + t] = pu + lr * (e * qi - regF * pu);
                q[qOff + t] = qi + lr * (e * pu - regF * qi);
            }
        }
        return squaredErrors;
    }

    /** One update for k = 4L with p_u and q_i loaded once and kept in registers; returns e². */
    private static double update4(float[] p, int pOff, float[] q, int qOff, float[] userBias, float[] itemBias,
                                  int u, int i, float rating, float mu, float lr, float regF, float regB) {
        FloatVector p0 = FloatVector.fromArray(S, p, pOff);
        FloatVector p1 = FloatVector.fromArray(S, p, pOff + L);
        FloatVector p2 = FloatVector.fromArray(S, p, pOff + 2 * L);
        FloatVector p3 = FloatVector.fromArray(S, p, pOff + 3 * L);
        FloatVector q0 = FloatVector.fromArray(S, q, qOff);
        FloatVector q1 = FloatVector.fromArray(S, q, qOff + L);
        FloatVector q2 = FloatVector.fromArray(S, q, qOff + 2 * L);
        FloatVector q3 = FloatVector.fromArray(S, q, qOff + 3 * L);
        float dot = VectorDots.sum(p1.fma(q1, p0.mul(q0)).add(p3.fma(q3, p2.mul(q2))));
        float prediction = mu + dot;
        if (userBias != null) prediction += userBias[u] + itemBias[i];
        float e = rating - prediction;
        if (userBias != null) {
            userBias[u] += lr * (e - regB * userBias[u]);
            itemBias[i] += lr * (e - regB * itemBias[i]);
        }
        p0.add(q0.mul(e).sub(p0.mul(regF)).mul(lr)).intoArray(p, pOff);
        p1.add(q1.mul(e).sub(p1.mul(regF)).mul(lr)).intoArray(p, pOff + L);
        p2.add(q2.mul(e).sub(p2.mul(regF)).mul(lr)).intoArray(p, pOff + 2 * L);
        p3.add(q3.mul(e).sub(p3.mul(regF)).mul(lr)).intoArray(p, pOff + 3 * L);
        q0.add(p0.mul(e).sub(q0.mul(regF)).mul(lr)).intoArray(q, qOff);
        q1.add(p1.mul(e).sub(q1.mul(regF)).mul(lr)).intoArray(q, qOff + L);
        q2.add(p2.mul(e).sub(q2.mul(regF)).mul(lr)).intoArray(q, qOff + 2 * L);
        q3.add(p3.mul(e).sub(q3.mul(regF)).mul(lr)).intoArray(q, qOff + 3 * L);
        return (double) e * e;
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
