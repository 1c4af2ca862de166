package org.mfkit.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Dot-product kernels (gathered dot, biased predict, score block) and the small vector
 * primitives the other families share. Sums run in float32 over {@link #L}-lane vectors with
 * two interleaved accumulators, reduced once per dot, then a scalar tail for {@code k % L}
 * (a masked tail is ~15× slower than scalar code on JDK 17).
 */
final class VectorDots {
    /** The preferred species: 512-bit (16 floats) on AVX-512 machines. Must stay static final. */
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Lanes per vector. */
    static final int L = S.length();

    // Lane swaps at distance L/2, L/4, L/8, L/16 for the fixed reduction tree of sum().
    private static final VectorShuffle<Float> SWAP_2 = VectorShuffle.fromOp(S, i -> i ^ Math.max(1, L / 2));
    private static final VectorShuffle<Float> SWAP_4 = VectorShuffle.fromOp(S, i -> i ^ Math.max(1, L / 4));
    private static final VectorShuffle<Float> SWAP_8 = VectorShuffle.fromOp(S, i -> i ^ Math.max(1, L / 8));
    private static final VectorShuffle<Float> SWAP_16 = VectorShuffle.fromOp(S, i -> i ^ Math.max(1, L / 16));

    private VectorDots() {}

    /**
     * Sum of the lanes by a fixed pairwise tree. {@code reduceLanes(ADD)} leaves the order
     * unspecified, and its interpreted and compiled forms do round differently (seen on
     * JDK 25), which would make results depend on JIT timing; lane-wise adds and shuffles
     * are exact in every form.
     */
    static float sum(FloatVector v) {
        if (L >= 2) v = v.add(v.rearrange(SWAP_2));
        if (L >= 4) v = v.add(v.rearrange(SWAP_4));
        if (L >= 8) v = v.add(v.rearrange(SWAP_8));
        if (L >= 16) v = v.add(v.rearrange(SWAP_16));
        return v.lane(0);
    }

    /** Σ_t a[aOff+t]·b[bOff+t] for t &lt; k. */
    static float dot(float[] a, int aOff, float[] b, int bOff, int k) {
        int bound = k - k % L;
        int t = 0;
        float sum = 0f;
        if (bound > 0) {
            FloatVector acc0 = FloatVector.zero(S);
            FloatVector acc1 = FloatVector.zero(S);
            for (; t + 2 * L <= bound; t += 2 * L) {
                acc0 = FloatVector.fromArray(S, a, aOff + t).fma(FloatVector.fromArray(S, b, bOff + t), acc0);
                acc1 = FloatVector.fromArray(S, a, aOff + t + L).fma(FloatVector.fromArray(S, b, bOff + t + L), acc1);
            }
            if (t < bound) {
                acc0 = FloatVector.fromArray(S, a, aOff + t).fma(FloatVector.fromArray(S, b, bOff + t), acc0);
                t += L;
            }
            sum = sum(acc0.add(acc1));
        }
        for (; t < k; t++) sum += a[aOff + t] * b[bOff + t];
        return sum;
    }

    /** y[yOff..+k) += s · x[xOff..+k). */
    static void axpy(float s, float[] x, int xOff, float[] y, int yOff, int k) {
        int bound = k - k % L;
        int t = 0;
        FloatVector sv = FloatVector.broadcast(S, s);
        for (; t < bound; t += L) {
            sv.fma(FloatVector.fromArray(S, x, xOff + t), FloatVector.fromArray(S, y, yOff + t)).intoArray(y, yOff + t);
        }
        for (; t < k; t++) y[yOff + t] += s * x[xOff + t];
    }

    static void gathered(VectorPool pool, float[] p, float[] q, int k, int[] users, int[] items, float[] out) {
        pool.run(users.length, (w, from, to) -> {
            for (int j = from; j < to; j++) out[j] = dot(p, users[j] * k, q, items[j] * k, k);
        });
    }

    static void predict(VectorPool pool, float mu, float[] userBias, float[] itemBias, float[] p, float[] q, int k,
                        int[] users, int[] items, float[] out) {
        pool.run(users.length, (w, from, to) -> {
            for (int j = from; j < to; j++) {
                int u = users[j];
                int i = items[j];
                out[j] = mu + userBias[u] + itemBias[i] + dot(p, u * k, q, i * k, k);
            }
        });
    }

    /**
     * Score block out[r][i] = p[rows[r]]·q[i]. Items are split across workers; each item row
     * of q is loaded once per group of four query rows (four dots share its loads).
     */
    static void scores(VectorPool pool, float[] p, int[] rows, float[] q, int nItems, int k, float[] out) {
        pool.run(nItems, (w, from, to) -> {
            int r = 0;
            for (; r + 4 <= rows.length; r += 4) {
                int p0 = rows[r] * k;
                int p1 = rows[r + 1] * k;
                int p2 = rows[r + 2] * k;
                int p3 = rows[r + 3] * k;
                for (int i = from; i < to; i++) dot4(p, p0, p1, p2, p3, q, i * k, k, out, r * nItems + i, nItems);
            }
            for (; r < rows.length; r++) {
                int pOff = rows[r] * k;
                for (int i = from; i < to; i++) out[r * nItems + i] = dot(p, pOff, q, i * k, k);
            }
        });
    }

    /** Four dots of q[qOff..] with four rows of p, into out[at], out[at+stride], ... */
    private static void dot4(float[] p, int p0, int p1, int p2, int p3, float[] q, int qOff, int k,
                             float[] out, int at, int stride) {
        int bound = k - k % L;
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = FloatVector.zero(S);
        FloatVector a2 = FloatVector.zero(S);
        FloatVector a3 = FloatVector.zero(S);
        int t = 0;
        for (; t < bound; t += L) {
            FloatVector qv = FloatVector.fromArray(S, q, qOff + t);
            a0 = FloatVector.fromArray(S, p, p0 + t).fma(qv, a0);
            a1 = FloatVector.fromArray(S, p, p1 + t).fma(qv, a1);
            a2 = FloatVector.fromArray(S, p, p2 + t).fma(qv, a2);
            a3 = FloatVector.fromArray(S, p, p3 + t).fma(qv, a3);
        }
        float s0 = sum(a0);
        float s1 = sum(a1);
        float s2 = sum(a2);
        float s3 = sum(a3);
        for (; t < k; t++) {
            float qt = q[qOff + t];
            s0 += p[p0 + t] * qt;
            s1 += p[p1 + t] * qt;
            s2 += p[p2 + t] * qt;
            s3 += p[p3 + t] * qt;
        }
        out[at] = s0;
        out[at + stride] = s1;
        out[at + 2 * stride] = s2;
        out[at + 3 * stride] = s3;
    }
}
