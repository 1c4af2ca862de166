package org.mfkit.vector;

import static org.mfkit.vector.VectorDots.L;
import static org.mfkit.vector.VectorDots.S;

import jdk.incubator.vector.FloatVector;
import org.mfkit.core.BlockSchedule;

/**
 * BPR updates. Each factor update x ← x + η(g·y − λx) is computed as x·(1 − ηλ) + (ηg)·y (one
 * multiply and one fused multiply-add per vector, as in {@link VectorSgd}); it rounds
 * differently from the reference's form, within the bound of docs/KERNELS.md.
 *
 * <p>Schedules: triples arranged on a grid ({@code triples.schedule() != null}) run the cells
 * of each round on all workers ({@link VectorBlocks}): list order, the same bits on any thread
 * count. Plain triples use waves: each triple n gets a wave number, one more than the latest
 * wave of any earlier triple sharing its user, positive or negative row. Triples of one wave
 * share no row, and every row sees its updates in list order, so running waves in order —
 * each wave split statically across the workers, list order within a worker — gives the same
 * rows as running the whole list in order. Waves smaller than {@link #PARALLEL_MIN} run on the
 * calling thread (a join costs more than they do). Hogwild would be faster on skewed data but
 * is not deterministic.
 */
final class VectorBpr {
    /** Smallest wave worth splitting across workers. */
    static final int PARALLEL_MIN = 512;

    private VectorBpr() {}

    /** Cached wave schedule of the last triple list seen. */
    static final class Waves {
        final Object key;
        final int[] order;
        final int[] waveStart;

        Waves(Object key, int[] order, int[] waveStart) {
            this.key = key;
            this.order = order;
            this.waveStart = waveStart;
        }
    }

    static Waves waves(Object key, int[] users, int[] positives, int[] negatives, int nUsers, int nItems) {
        int n = users.length;
        int[] lastUser = new int[nUsers];
        int[] lastItem = new int[nItems];
        int[] wave = new int[n];
        int waves = 0;
        for (int x = 0; x < n; x++) {
            int w = 1 + Math.max(lastUser[users[x]], Math.max(lastItem[positives[x]], lastItem[negatives[x]]));
            wave[x] = w;
            lastUser[users[x]] = w;
            lastItem[positives[x]] = w;
            lastItem[negatives[x]] = w;
            waves = Math.max(waves, w);
        }
        int[] waveStart = new int[waves + 1];
        for (int x = 0; x < n; x++) waveStart[wave[x]]++;
        for (int w = 0; w < waves; w++) waveStart[w + 1] += waveStart[w];
        int[] fill = waveStart.clone();
        int[] order = new int[n];
        for (int x = 0; x < n; x++) order[fill[wave[x] - 1]++] = x;
        return new Waves(key, order, waveStart);
    }

    static double bpr(VectorPool pool, BlockSchedule cells, boolean conflictFree,
                      java.util.function.Supplier<Waves> schedule,
                      float[] p, float[] q, int k, float[] itemBias, int[] users, int[] positives, int[] negatives,
                      float lr, float reg, float regB) {
        if (cells != null) {
            return VectorBlocks.run(pool, cells, (from, to) ->
                    range(p, q, k, itemBias, users, positives, negatives, null, from, to, lr, reg, regB));
        }
        int threads = pool.threads();
        int n = users.length;
        if (threads == 1 || n < PARALLEL_MIN) {
            return range(p, q, k, itemBias, users, positives, negatives, null, 0, n, lr, reg, regB);
        }
        double[] partial = new double[threads];
        if (conflictFree) {
            pool.run(n, (w, from, to) ->
                    partial[w] = range(p, q, k, itemBias, users, positives, negatives, null, from, to, lr, reg, regB));
            return sum(partial);
        }
        Waves waves = schedule.get();
        int[] start = waves.waveStart;
        double total = 0;
        for (int w = 0; w + 1 < start.length; w++) {
            int from = start[w];
            int to = start[w + 1];
            if (to - from < PARALLEL_MIN) {
                total += range(p, q, k, itemBias, users, positives, negatives, waves.order, from, to, lr, reg, regB);
                continue;
            }
            int[] bounds = pool.evenBounds(to - from);
            for (int t = 0; t < bounds.length; t++) bounds[t] += from;
            pool.run(bounds, (worker, a, b) ->
                    partial[worker] = range(p, q, k, itemBias, users, positives, negatives, waves.order, a, b, lr, reg, regB));
            total += sum(partial);
        }
        return total;
    }

    private static double sum(double[] partial) {
        double total = 0;
        for (double v : partial) total += v;
        return total;
    }

    static double range(float[] p, float[] q, int k, float[] itemBias, int[] users, int[] positives, int[] negatives,
                        int[] order, int from, int to, float lr, float reg, float regB) {
        double loss = 0;
        int bound = k - k % L;
        float keep = 1f - lr * reg;
        for (int x = from; x < to; x++) {
            int n = order == null ? x : order[x];
            if (k == 4 * L && order == null) {
                // A run of one user's triples (grid cells are sorted by user): p_u stays in registers.
                int u = users[n];
                int end = x + 1;
                while (end < to && users[end] == u) end++;
                loss += run4(p, q, k, itemBias, u, positives, negatives, x, end, lr, reg, regB);
                x = end - 1;
                continue;
            }
            int pOff = users[n] * k;
            int iOff = positives[n] * k;
            int jOff = negatives[n] * k;
            float margin = marginDot(p, pOff, q, iOff, jOff, k, bound);
            if (itemBias != null) margin += itemBias[positives[n]] - itemBias[negatives[n]];
            double expMargin = Math.exp(margin);
            loss += negativeLogSigmoid(margin, expMargin);
            float g = (float) (1.0 / (1.0 + expMargin));
            if (itemBias != null) {
                int i = positives[n];
                int j = negatives[n];
                itemBias[i] += lr * (g - regB * itemBias[i]);
                itemBias[j] += lr * (-g - regB * itemBias[j]);
            }
            float lrG = lr * g;
            FloatVector step = FloatVector.broadcast(S, lrG);
            FloatVector minusStep = FloatVector.broadcast(S, -lrG);
            int t = 0;
            for (; t < bound; t += L) {
                FloatVector pu = FloatVector.fromArray(S, p, pOff + t);
                FloatVector qi = FloatVector.fromArray(S, q, iOff + t);
                FloatVector qj = FloatVector.fromArray(S, q, jOff + t);
                qi.sub(qj).fma(step, pu.mul(keep)).intoArray(p, pOff + t);
                pu.fma(step, qi.mul(keep)).intoArray(q, iOff + t);
                pu.fma(minusStep, qj.mul(keep)).intoArray(q, jOff + t);
            }
            for (; t < k; t++) {
                float pu = p[pOff + t];
                float qi = q[iOff + t];
                float qj = q[jOff + t];
                p[pOff + t] = Math.fma(qi - qj, lrG, pu * keep);
                q[iOff + t] = Math.fma(pu, lrG, qi * keep);
                q[jOff + t] = Math.fma(pu, -lrG, qj * keep);
            }
        }
        return loss;
    }

    /**
     * Triples {@code [from, to)} of user u for k = 4L, in order, with p_u loaded once and kept in
     * registers: the same operations in the same order as {@link #range} one triple at a time
     * (the margin's products accumulated in one chain, lane sums by {@link VectorDots#sum}).
     */
    private static double run4(float[] p, float[] q, int k, float[] itemBias, int u, int[] positives,
                               int[] negatives, int from, int to, float lr, float reg, float regB) {
        int pOff = u * k;
        FloatVector p0 = FloatVector.fromArray(S, p, pOff);
        FloatVector p1 = FloatVector.fromArray(S, p, pOff + L);
        FloatVector p2 = FloatVector.fromArray(S, p, pOff + 2 * L);
        FloatVector p3 = FloatVector.fromArray(S, p, pOff + 3 * L);
        float keep = 1f - lr * reg;
        double loss = 0;
        for (int x = from; x < to; x++) {
            int i = positives[x];
            int j = negatives[x];
            int iOff = i * k;
            int jOff = j * k;
            FloatVector qi0 = FloatVector.fromArray(S, q, iOff);
            FloatVector qi1 = FloatVector.fromArray(S, q, iOff + L);
            FloatVector qi2 = FloatVector.fromArray(S, q, iOff + 2 * L);
            FloatVector qi3 = FloatVector.fromArray(S, q, iOff + 3 * L);
            FloatVector qj0 = FloatVector.fromArray(S, q, jOff);
            FloatVector qj1 = FloatVector.fromArray(S, q, jOff + L);
            FloatVector qj2 = FloatVector.fromArray(S, q, jOff + 2 * L);
            FloatVector qj3 = FloatVector.fromArray(S, q, jOff + 3 * L);
            FloatVector d0 = qi0.sub(qj0);
            FloatVector d1 = qi1.sub(qj1);
            FloatVector d2 = qi2.sub(qj2);
            FloatVector d3 = qi3.sub(qj3);
            FloatVector acc = p0.fma(d0, FloatVector.zero(S));
            acc = p1.fma(d1, acc);
            acc = p2.fma(d2, acc);
            acc = p3.fma(d3, acc);
            float margin = VectorDots.sum(acc);
            if (itemBias != null) margin += itemBias[i] - itemBias[j];
            double expMargin = Math.exp(margin);
            loss += negativeLogSigmoid(margin, expMargin);
            float g = (float) (1.0 / (1.0 + expMargin));
            if (itemBias != null) {
                itemBias[i] += lr * (g - regB * itemBias[i]);
                itemBias[j] += lr * (-g - regB * itemBias[j]);
            }
            float lrG = lr * g;
            FloatVector step = FloatVector.broadcast(S, lrG);
            FloatVector minusStep = FloatVector.broadcast(S, -lrG);
            p0.fma(step, qi0.mul(keep)).intoArray(q, iOff);
            p1.fma(step, qi1.mul(keep)).intoArray(q, iOff + L);
            p2.fma(step, qi2.mul(keep)).intoArray(q, iOff + 2 * L);
            p3.fma(step, qi3.mul(keep)).intoArray(q, iOff + 3 * L);
            p0.fma(minusStep, qj0.mul(keep)).intoArray(q, jOff);
            p1.fma(minusStep, qj1.mul(keep)).intoArray(q, jOff + L);
            p2.fma(minusStep, qj2.mul(keep)).intoArray(q, jOff + 2 * L);
            p3.fma(minusStep, qj3.mul(keep)).intoArray(q, jOff + 3 * L);
            p0 = d0.fma(step, p0.mul(keep));
            p1 = d1.fma(step, p1.mul(keep));
            p2 = d2.fma(step, p2.mul(keep));
            p3 = d3.fma(step, p3.mul(keep));
        }
        p0.intoArray(p, pOff);
        p1.intoArray(p, pOff + L);
        p2.intoArray(p, pOff + 2 * L);
        p3.intoArray(p, pOff + 3 * L);
        return loss;
    }

    /** p_u·(q_i − q_j), the reference's form (one difference per lane, then the products). */
    private static float marginDot(float[] p, int pOff, float[] q, int iOff, int jOff, int k, int bound) {
        int t = 0;
        float sum = 0f;
        if (bound > 0) {
            FloatVector acc = FloatVector.zero(S);
            for (; t < bound; t += L) {
                FloatVector diff = FloatVector.fromArray(S, q, iOff + t).sub(FloatVector.fromArray(S, q, jOff + t));
                acc = FloatVector.fromArray(S, p, pOff + t).fma(diff, acc);
            }
            sum = VectorDots.sum(acc);
        }
        for (; t < k; t++) sum += p[pOff + t] * (q[iOff + t] - q[jOff + t]);
        return sum;
    }

    /**
     * −ln σ(x) = softplus(−x) = ln(1 + e^−x) from e^x, which the gradient needs anyway: one
     * exp and one log per triple (both intrinsics; {@code log1p} is not, and cost as much as the
     * rest of a k = 64 update). For x &gt; 0 it is ln(1 + 1/e^x); otherwise −x + ln(1 + e^x); no
     * overflow either way. Where 1/e^x is below float64 precision, ln(1 + y) loses y's digits:
     * an absolute error under 1e-16 per triple, far inside the loss's float32 bound.
     */
    private static double negativeLogSigmoid(double x, double expX) {
        return x > 0 ? Math.log(1.0 + 1.0 / expX) : Math.log(1.0 + expX) - x;
    }
}
