package org.mfkit.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Dot-product kernels (gathered dot, biased predict) and the small vector
 * primitives the other families share. Sums run in float32 over {@link #L}-lane vectors with
 * two interleaved accumulators, reduced once per dot by the fixed tree of {@link #sum}, then a
 * scalar tail for {@code k % L} (a masked tail is ~15× slower than scalar code on JDK 17).
 */
final class VectorDots {
    /** The preferred species: 512-bit (16 floats) on AVX-512 machines. Must stay static final. */
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Lanes per vector. */
    static final int L = S.length();

    // Lane swaps at distance L/2, L/4, L/8, L/16 for the fixed reduction tree of sum() (kernels
    // that keep the tree's result in a vector repeat its levels with these, see sum()).
    static final VectorShuffle<Float> SWAP_2 = VectorShuffle.fromOp(S, i -> i ^ Math.max(1, L / 2));
    static final VectorShuffle<Float> SWAP_4 = VectorShuffle.fromOp(S, i -> i ^ Math.max(1, L / 4));
    static final VectorShuffle<Float> SWAP_8 = VectorShuffle.fromOp(S, i -> i ^ Math.max(1, L / 8));
    static final VectorShuffle<Float> SWAP_16 = VectorShuffle.fromOp(S, i -> i ^ Math.max(1, L / 16));

    private VectorDots() {}

    /**
     * Sum of the lanes in one fixed order on every JDK and in interpreted and compiled code
     * alike: a pairwise tree of exact lane-wise adds, level n adding lane i ^ (L >> n) to lane
     * i (for 16 lanes: ((v0+v8)+(v4+v12)) + ((v2+v10)+(v6+v14)) + ... in that nesting).
     * {@code reduceLanes(ADD)} is not used: from JDK 23 (JDK-8320725) C2 may reassociate it, so
     * compiled and interpreted results could differ; and the tree lets {@link #gathered} reduce
     * four dots at once with the same result bit for bit. Every level adds two lanes that then
     * hold the same value (float addition is commutative), so after the last level every lane
     * holds the sum: a kernel that needs it in all lanes (CG's product) runs the same levels and
     * skips the extraction and broadcast, with the same bits. Before this tree, JDK 17 used
     * {@code reduceLanes}, which it compiles as a strictly ordered chain of L scalar adds: slower,
     * and JDK 17 and 25 results now agree.
     */
    static float sum(FloatVector v) {
        if (L >= 2) v = v.add(v.rearrange(SWAP_2));
        if (L >= 4) v = v.add(v.rearrange(SWAP_4));
        if (L >= 8) v = v.add(v.rearrange(SWAP_8));
        if (L >= 16) v = v.add(v.rearrange(SWAP_16));
        return v.lane(0);
    }

    /** Σ_t a[aOff+t]·b[bOff+t] for t &lt; k: sum(accumulator(..)) plus a scalar tail in index order. */
    static float dot(float[] a, int aOff, float[] b, int bOff, int k) {
        int bound = k - k % L;
        float sum = bound > 0 ? sum(accumulator(a, aOff, b, bOff, bound)) : 0f;
        for (int t = bound; t < k; t++) sum += a[aOff + t] * b[bOff + t];
        return sum;
    }

    /**
     * The lane-wise partial sums of a dot over the first {@code bound} (a multiple of L)
     * elements: two interleaved accumulators (even and odd vectors), added at the end.
     */
    private static FloatVector accumulator(float[] a, int aOff, float[] b, int bOff, int bound) {
        FloatVector acc0 = FloatVector.zero(S);
        FloatVector acc1 = FloatVector.zero(S);
        int t = 0;
        for (; t + 2 * L <= bound; t += 2 * L) {
            acc0 = FloatVector.fromArray(S, a, aOff + t).fma(FloatVector.fromArray(S, b, bOff + t), acc0);
            acc1 = FloatVector.fromArray(S, a, aOff + t + L).fma(FloatVector.fromArray(S, b, bOff + t + L), acc1);
        }
        if (t < bound) acc0 = FloatVector.fromArray(S, a, aOff + t).fma(FloatVector.fromArray(S, b, bOff + t), acc0);
        return acc0.add(acc1);
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

    /**
     * out[j] = p[users[j]]·q[items[j]]. Pairs go in groups of four with their loads and FMAs
     * interleaved (eight independent accumulators in flight), each pair's accumulator built
     * exactly as {@link #dot} builds it; the four are then reduced together by the tree of
     * {@link #sum} (see {@link #fourPairs}), so results are bit-identical to {@code dot} while
     * the reduction costs about a quarter of four separate ones.
     */
    static void gathered(VectorPool pool, float[] p, float[] q, int k, int[] users, int[] items, float[] out) {
        pool.run(users.length, (w, from, to) -> gatheredRange(p, q, k, users, items, out, from, to));
    }

    /** The pairs [from, to) of {@link #gathered}, on the calling thread. */
    static void gatheredRange(float[] p, float[] q, int k, int[] users, int[] items, float[] out, int from, int to) {
        int bound = k - k % L;
        int j = from;
        if (bound > 0 && L >= 4) {
            for (; j + 4 <= to; j += 4) {
                fourPairs(p, q, k, bound, users[j] * k, items[j] * k, users[j + 1] * k, items[j + 1] * k,
                        users[j + 2] * k, items[j + 2] * k, users[j + 3] * k, items[j + 3] * k, out, j);
            }
        }
        for (; j < to; j++) out[j] = dot(p, users[j] * k, q, items[j] * k, k);
    }

    // Lanes whose bit L/2 (resp. L/4) is set, as all-ones int lanes: the side of a merged tree
    // level that carries the second vector (see fourPairs).
    private static final VectorSpecies<Integer> INTS = S.withLanes(int.class);
    private static final IntVector HIGH_HALF = bitMask(Math.max(1, L / 2));
    private static final IntVector HIGH_QUARTER = bitMask(Math.max(1, L / 4));

    private static IntVector bitMask(int bit) {
        int[] set = new int[L];
        for (int i = 0; i < L; i++) set[i] = (i & bit) != 0 ? -1 : 0;
        return IntVector.fromArray(INTS, set, 0);
    }

    /**
     * Four dots, out[at..at+4) = sum(acc_a) .. sum(acc_d) + scalar tails, bit-identical to
     * {@link #dot}. Level n of sum()'s tree computes v[i] + v[i ^ (L >> n)]; that value is the
     * same in lanes i and i ^ (L >> n), so half the lanes carry all of it and the other half can
     * carry another pair's level: lanes with bit L/2 clear take a[i] + a[i ^ L/2], lanes with it
     * set take b[i] + b[i ^ L/2] (float addition is commutative, so b[i ^ L/2] + b[i] is the same
     * number). Levels 1 and 2 are merged this way (pairs a, b, c, d end in the lanes whose bits
     * (L/2, L/4) are (0,0), (1,0), (0,1), (1,1)); the remaining levels run once for all four.
     * Written as one method on purpose: a helper returning a vector that C2 does not inline
     * (it declines callees whose compiled code is already large) boxes it on every call.
     */
    private static void fourPairs(float[] p, float[] q, int k, int bound, int pa, int qa, int pb, int qb,
                                  int pc, int qc, int pd, int qd, float[] out, int at) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = FloatVector.zero(S);
        FloatVector b0 = FloatVector.zero(S);
        FloatVector b1 = FloatVector.zero(S);
        FloatVector c0 = FloatVector.zero(S);
        FloatVector c1 = FloatVector.zero(S);
        FloatVector d0 = FloatVector.zero(S);
        FloatVector d1 = FloatVector.zero(S);
        int t = 0;
        for (; t + 2 * L <= bound; t += 2 * L) {
            a0 = FloatVector.fromArray(S, p, pa + t).fma(FloatVector.fromArray(S, q, qa + t), a0);
            b0 = FloatVector.fromArray(S, p, pb + t).fma(FloatVector.fromArray(S, q, qb + t), b0);
            c0 = FloatVector.fromArray(S, p, pc + t).fma(FloatVector.fromArray(S, q, qc + t), c0);
            d0 = FloatVector.fromArray(S, p, pd + t).fma(FloatVector.fromArray(S, q, qd + t), d0);
            a1 = FloatVector.fromArray(S, p, pa + t + L).fma(FloatVector.fromArray(S, q, qa + t + L), a1);
            b1 = FloatVector.fromArray(S, p, pb + t + L).fma(FloatVector.fromArray(S, q, qb + t + L), b1);
            c1 = FloatVector.fromArray(S, p, pc + t + L).fma(FloatVector.fromArray(S, q, qc + t + L), c1);
            d1 = FloatVector.fromArray(S, p, pd + t + L).fma(FloatVector.fromArray(S, q, qd + t + L), d1);
        }
        if (t < bound) {
            a0 = FloatVector.fromArray(S, p, pa + t).fma(FloatVector.fromArray(S, q, qa + t), a0);
            b0 = FloatVector.fromArray(S, p, pb + t).fma(FloatVector.fromArray(S, q, qb + t), b0);
            c0 = FloatVector.fromArray(S, p, pc + t).fma(FloatVector.fromArray(S, q, qc + t), c0);
            d0 = FloatVector.fromArray(S, p, pd + t).fma(FloatVector.fromArray(S, q, qd + t), d0);
        }
        IntVector a = a0.add(a1).reinterpretAsInts();
        IntVector b = b0.add(b1).reinterpretAsInts();
        IntVector c = c0.add(c1).reinterpretAsInts();
        IntVector d = d0.add(d1).reinterpretAsInts();
        // Level 1 for a with b and for c with d; selection by bit masks is exact for every value.
        IntVector lowHalf = HIGH_HALF.not();
        FloatVector ab = a.and(lowHalf).or(b.and(HIGH_HALF)).reinterpretAsFloats()
                .add(b.and(lowHalf).or(a.and(HIGH_HALF)).reinterpretAsFloats().rearrange(SWAP_2));
        FloatVector cd = c.and(lowHalf).or(d.and(HIGH_HALF)).reinterpretAsFloats()
                .add(d.and(lowHalf).or(c.and(HIGH_HALF)).reinterpretAsFloats().rearrange(SWAP_2));
        // Level 2 for ab with cd.
        IntVector abi = ab.reinterpretAsInts();
        IntVector cdi = cd.reinterpretAsInts();
        IntVector lowQuarter = HIGH_QUARTER.not();
        FloatVector r = abi.and(lowQuarter).or(cdi.and(HIGH_QUARTER)).reinterpretAsFloats()
                .add(cdi.and(lowQuarter).or(abi.and(HIGH_QUARTER)).reinterpretAsFloats().rearrange(SWAP_4));
        if (L >= 8) r = r.add(r.rearrange(SWAP_8));
        if (L >= 16) r = r.add(r.rearrange(SWAP_16));
        float sa = r.lane(0);
        float sb = r.lane(L / 2);
        float sc = r.lane(L / 4);
        float sd = r.lane(L / 2 + L / 4);
        for (t = bound; t < k; t++) {
            sa += p[pa + t] * q[qa + t];
            sb += p[pb + t] * q[qb + t];
            sc += p[pc + t] * q[qc + t];
            sd += p[pd + t] * q[qd + t];
        }
        out[at] = sa;
        out[at + 1] = sb;
        out[at + 2] = sc;
        out[at + 3] = sd;
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
}
