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

    /**
     * One pass; returns Σ −ln σ(x) of the pre-update margins in list order, or NaN without
     * {@code loss}. Every triple's margin goes to {@code margins} (length &ge; the triples) with or
     * without the loss: the update loops have no branch on it, so an epoch that asks for the loss
     * after many that did not runs the same compiled loops (a never-taken branch in them would be
     * compiled as a trap, and taking it would send the rest of the pass to the interpreter).
     */
    static double bpr(VectorPool pool, BlockSchedule cells, boolean conflictFree,
                      java.util.function.Supplier<Waves> schedule,
                      float[] p, float[] q, int k, float[] itemBias, int[] users, int[] positives, int[] negatives,
                      float lr, float reg, float regB, boolean loss, float[] margins) {
        sweep(pool, cells, conflictFree, schedule, p, q, k, itemBias, users, positives, negatives, lr, reg, regB, margins);
        if (!loss) return Double.NaN;
        double total = 0;
        for (int n = 0; n < users.length; n++) total += negativeLogSigmoid(margins[n]);
        return total;
    }

    private static void sweep(VectorPool pool, BlockSchedule cells, boolean conflictFree,
                              java.util.function.Supplier<Waves> schedule,
                              float[] p, float[] q, int k, float[] itemBias, int[] users, int[] positives,
                              int[] negatives, float lr, float reg, float regB, float[] margins) {
        if (cells != null) {
            VectorBlocks.run(pool, cells, (from, to) -> {
                range(p, q, k, itemBias, users, positives, negatives, null, from, to, lr, reg, regB, margins);
                return 0;
            });
            return;
        }
        int threads = pool.threads();
        int n = users.length;
        if (threads == 1 || n < PARALLEL_MIN) {
            range(p, q, k, itemBias, users, positives, negatives, null, 0, n, lr, reg, regB, margins);
            return;
        }
        if (conflictFree) {
            pool.run(n, (w, from, to) ->
                    range(p, q, k, itemBias, users, positives, negatives, null, from, to, lr, reg, regB, margins));
            return;
        }
        Waves waves = schedule.get();
        int[] start = waves.waveStart;
        for (int w = 0; w + 1 < start.length; w++) {
            int from = start[w];
            int to = start[w + 1];
            if (to - from < PARALLEL_MIN) {
                range(p, q, k, itemBias, users, positives, negatives, waves.order, from, to, lr, reg, regB, margins);
                continue;
            }
            int[] bounds = pool.evenBounds(to - from);
            for (int t = 0; t < bounds.length; t++) bounds[t] += from;
            pool.run(bounds, (worker, a, b) ->
                    range(p, q, k, itemBias, users, positives, negatives, waves.order, a, b, lr, reg, regB, margins));
        }
    }

    /** Triples {@code [from, to)} of the list (through {@code order} when not null), in order; margins by triple. */
    static void range(float[] p, float[] q, int k, float[] itemBias, int[] users, int[] positives, int[] negatives,
                      int[] order, int from, int to, float lr, float reg, float regB, float[] margins) {
        int bound = k - k % L;
        float keep = 1f - lr * reg;
        for (int x = from; x < to; x++) {
            int n = order == null ? x : order[x];
            if (k == 4 * L && order == null) {
                // A run of one user's triples (grid cells are sorted by user): p_u stays in registers.
                int u = users[n];
                int end = x + 1;
                while (end < to && users[end] == u) end++;
                run4(p, q, k, itemBias, u, positives, negatives, x, end, lr, reg, regB, margins);
                x = end - 1;
                continue;
            }
            int pOff = users[n] * k;
            int iOff = positives[n] * k;
            int jOff = negatives[n] * k;
            float margin = marginDot(p, pOff, q, iOff, jOff, k, bound);
            if (itemBias != null) margin += itemBias[positives[n]] - itemBias[negatives[n]];
            margins[n] = margin;
            float g = sigmoidOfNegative(margin);
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
    }

    /**
     * Triples {@code [from, to)} of user u for k = 4L, in order, with p_u loaded once and kept in
     * registers: the same operations in the same order as {@link #range} one triple at a time
     * (the margin's products accumulated in one chain, lane sums by {@link VectorDots#sum}).
     */
    private static void run4(float[] p, float[] q, int k, float[] itemBias, int u, int[] positives,
                             int[] negatives, int from, int to, float lr, float reg, float regB, float[] margins) {
        int pOff = u * k;
        FloatVector p0 = FloatVector.fromArray(S, p, pOff);
        FloatVector p1 = FloatVector.fromArray(S, p, pOff + L);
        FloatVector p2 = FloatVector.fromArray(S, p, pOff + 2 * L);
        FloatVector p3 = FloatVector.fromArray(S, p, pOff + 3 * L);
        float keep = 1f - lr * reg;
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
            margins[x] = margin;
            float g = sigmoidOfNegative(margin);
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
     * −ln σ(x) = softplus(−x) = ln(1 + e^−x) in float64, for the epochs that report a loss: one
     * exp and one log (both intrinsics; {@code log1p} is not). For x &gt; 0 it is ln(1 + 1/e^x);
     * otherwise −x + ln(1 + e^x); no overflow either way. Where 1/e^x is below float64
     * precision, ln(1 + y) loses y's digits: an absolute error under 1e-16 per triple, far
     * inside the loss's float32 bound.
     */
    private static double negativeLogSigmoid(double x) {
        double expX = Math.exp(x);
        return x > 0 ? Math.log(1.0 + 1.0 / expX) : Math.log(1.0 + expX) - x;
    }

    // e^y in float32 for y in [−87, 88]: y = n·ln 2 + r with |r| ≤ ln 2 / 2 (n rounded to nearest
    // by the 1.5·2²³ trick, r by Cody–Waite with ln 2 split in two floats), e^r by a degree-6
    // polynomial fitted here to relative error 4.8e-9 on |r| ≤ 0.35, then scaled by 2ⁿ
    // (n in [−126, 127]: a normal float).
    private static final float ROUNDER = 12582912f;
    private static final int ROUNDER_BITS = Float.floatToRawIntBits(ROUNDER);
    private static final float LOG2E = 1.4426950216293335f;
    private static final float LN2_HI = 0.6931471824645996f;
    private static final float LN2_LO = -1.9046542121259336e-09f;
    private static final float C2 = 0.4999999403953552f;
    private static final float C3 = 0.16666515171527863f;
    private static final float C4 = 0.04166845604777336f;
    private static final float C5 = 0.008369410410523415f;
    private static final float C6 = 0.0013813161058351398f;
    /** Below it 1 + eˣ rounds to 1 in float32 long before; e^−87 is still a normal float. */
    private static final float EXP_MIN = -87f;
    /** Above it eˣ would overflow float32; σ(−88) is below 6.1e-39. */
    private static final float EXP_MAX = 88f;

    /**
     * g = σ(−x) = 1/(1 + eˣ) in float32 arithmetic, inline and without branches on x: no call,
     * so the vectors a caller keeps in registers stay there ({@link Math#exp} is a stub call;
     * with it the k = 64 epoch took 58 ms instead of 25), and no float64 division. eˣ comes
     * within 1.5 units of float32 rounding (u = 2⁻²⁴), the sum and the quotient add one rounding
     * each: a relative error within 4u of the exact σ (VectorBprSigmoidTest: measured 2.5u), inside
     * the 8u of the bound in docs/KERNELS.md. x is clamped to [−87, 88]: beyond, σ is within
     * 6.1e-39 of 0 or 1. NaN gives NaN, as in the reference.
     */
    static float sigmoidOfNegative(float x) {
        float y = x < EXP_MIN ? EXP_MIN : x > EXP_MAX ? EXP_MAX : x;
        float z = Math.fma(y, LOG2E, ROUNDER);
        int n = Float.floatToRawIntBits(z) - ROUNDER_BITS;
        float fn = z - ROUNDER;
        float r = Math.fma(fn, -LN2_HI, y);
        r = Math.fma(fn, -LN2_LO, r);
        float r2 = r * r;
        float low = Math.fma(C3, r, C2);
        float high = Math.fma(C6, r2, Math.fma(C5, r, C4));
        float t = (Math.fma(Math.fma(high, r2, low), r2, r) + 1f) * Float.intBitsToFloat((n + 127) << 23);
        return 1f / (1f + t);
    }
}
