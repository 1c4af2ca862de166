package org.mfkit.vector;

import static org.mfkit.vector.VectorDots.L;
import static org.mfkit.vector.VectorDots.S;

import jdk.incubator.vector.FloatVector;

/**
 * BPR updates. The parallel schedule reproduces sequential semantics exactly (up to the dot's
 * summation order): each triple n gets a wave number, one more than the latest wave of any
 * earlier triple sharing its user, positive or negative row. Triples of one wave share no
 * row, and every row sees its updates in list order, so running waves in order — each wave
 * split statically across the workers, list order within a worker — gives the same rows as
 * running the whole list in order. Waves smaller than {@link #PARALLEL_MIN} run on the
 * calling thread (a join costs more than they do). Hogwild would be faster on skewed data
 * but is not deterministic.
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

    static double bpr(VectorPool pool, boolean conflictFree, java.util.function.Supplier<Waves> schedule,
                      float[] p, float[] q, int k, float[] itemBias, int[] users, int[] positives, int[] negatives,
                      float lr, float reg, float regB) {
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
        for (int x = from; x < to; x++) {
            int n = order == null ? x : order[x];
            int pOff = users[n] * k;
            int iOff = positives[n] * k;
            int jOff = negatives[n] * k;
            float margin = marginDot(p, pOff, q, iOff, jOff, k, bound);
            if (itemBias != null) margin += itemBias[positives[n]] - itemBias[negatives[n]];
            loss += softplus(-margin);
            float g = (float) (1.0 / (1.0 + Math.exp(margin)));
            if (itemBias != null) {
                int i = positives[n];
                int j = negatives[n];
                itemBias[i] += lr * (g - regB * itemBias[i]);
                itemBias[j] += lr * (-g - regB * itemBias[j]);
            }
            int t = 0;
            for (; t < bound; t += L) {
                FloatVector pu = FloatVector.fromArray(S, p, pOff + t);
                FloatVector qi = FloatVector.fromArray(S, q, iOff + t);
                FloatVector qj = FloatVector.fromArray(S, q, jOff + t);
                pu.add(qi.sub(qj).mul(g).sub(pu.mul(reg)).mul(lr)).intoArray(p, pOff + t);
                qi.add(pu.mul(g).sub(qi.mul(reg)).mul(lr)).intoArray(q, iOff + t);
                qj.add(pu.mul(-g).sub(qj.mul(reg)).mul(lr)).intoArray(q, jOff + t);
            }
            for (; t < k; t++) {
                float pu = p[pOff + t];
                float qi = q[iOff + t];
                float qj = q[jOff + t];
                p[pOff + t] = pu + lr * (g * (qi - qj) - reg * pu);
                q[iOff + t] = qi + lr * (g * pu - reg * qi);
                q[jOff + t] = qj + lr * (-g * pu - reg * qj);
            }
        }
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

    /** ln(1 + eᶻ) without overflow: −ln σ(x) = softplus(−x). */
    private static double softplus(double z) {
        return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
    }
}
