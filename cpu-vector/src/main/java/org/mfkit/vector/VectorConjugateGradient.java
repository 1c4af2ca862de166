package org.mfkit.vector;

import static org.mfkit.vector.VectorDots.L;
import static org.mfkit.vector.VectorDots.S;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * Conjugate gradient on one row's normal equations without forming A: the operator is
 * A v = G v + Σ_e w_e (q_e·v) q_e + λ v (G = YᵀY for implicit ALS, absent for explicit),
 * applied to the row's entries gathered once into a {@link VectorAlsRow} (a contiguous,
 * zero-padded panel of the fixed side's rows, read 4 times from L1/L2 instead of gathered
 * from all of Y 4 times). A product costs 2k² + 4k·m flops for a row with m entries, against
 * k²·m/2 just to assemble A. Every vector is kp = k rounded up to whole vectors long, its
 * padding zero, so no loop has a scalar tail. Steps and the early stop ({@code rᵀr ≤ 1e-20})
 * follow the reference.
 */
final class VectorConjugateGradient {
    /** Squared residual norm below which CG stops (the reference's value). */
    static final float RESIDUAL_FLOOR = 1e-20f;
    /** Entries whose dots are taken before their updates, while their rows are in L1 (16 × kp floats). */
    static final int GROUP = 16;

    private VectorConjugateGradient() {}

    /**
     * Runs the steps in place on {@code row.x}. Returns true on success; false when a
     * direction had pᵀAp not positive and finite (NaN included: an overflowed operator), with
     * that pᵀAp in {@code row.breakdown}. The status is explicit because no float can serve as
     * a "no breakdown" sentinel when NaN is itself a breakdown.
     */
    static boolean solve(VectorAlsRow row, int steps) {
        int kp = row.kp;
        float[] x = row.x;
        float[] r = row.r;
        float[] p = row.p;
        float[] ap = row.ap;
        apply(row, x, ap);
        for (int t = 0; t < kp; t += L) {
            FloatVector rv = FloatVector.fromArray(S, row.b, t).sub(FloatVector.fromArray(S, ap, t));
            rv.intoArray(r, t);
            rv.intoArray(p, t);
        }
        float rsOld = dot(r, r, kp);
        for (int step = 0; step < steps; step++) {
            if (rsOld <= RESIDUAL_FLOOR) break;
            apply(row, p, ap);
            float pAp = dot(p, ap, kp);
            if (!(pAp > 0f) || !Float.isFinite(pAp)) {
                row.breakdown = pAp;
                return false;
            }
            float alpha = rsOld / pAp;
            FloatVector av = FloatVector.broadcast(S, alpha);
            FloatVector minus = FloatVector.broadcast(S, -alpha);
            for (int t = 0; t < kp; t += L) {
                av.fma(FloatVector.fromArray(S, p, t), FloatVector.fromArray(S, x, t)).intoArray(x, t);
                minus.fma(FloatVector.fromArray(S, ap, t), FloatVector.fromArray(S, r, t)).intoArray(r, t);
            }
            float rsNew = dot(r, r, kp);
            FloatVector beta = FloatVector.broadcast(S, rsNew / rsOld);
            for (int t = 0; t < kp; t += L) {
                beta.fma(FloatVector.fromArray(S, p, t), FloatVector.fromArray(S, r, t)).intoArray(p, t);
            }
            rsOld = rsNew;
        }
        return true;
    }

    /** out = A v for the row's operator (v and out kp long, padding zero). */
    static void apply(VectorAlsRow row, float[] v, float[] out) {
        int kp = row.kp;
        if (row.gram != null) {
            gramTimes(row.gram, row.k, kp, v, out);
        } else {
            java.util.Arrays.fill(out, 0, kp, 0f);
        }
        if (row.fits()) {
            rankOnes(row.panel, row.weights, row.count, kp, v, out, row.coefficients);
        } else {
            for (int from = row.start; from < row.end; ) {
                int to = row.gatherSegment(from);
                rankOnes(row.panel, row.weights, row.count, kp, v, out, row.coefficients);
                from = to;
            }
        }
        FloatVector shift = FloatVector.broadcast(S, row.shift);
        for (int t = 0; t < kp; t += L) {
            shift.fma(FloatVector.fromArray(S, v, t), FloatVector.fromArray(S, out, t)).intoArray(out, t);
        }
    }

    /**
     * out += Σ_e w_e (q_e·v) q_e over the first {@code count} panel rows. For kp of one, two
     * or four vectors, v and the output stay in registers and each q_e is loaded once for its
     * dot and its update; wider rows take the dots of {@link #GROUP} entries, then their
     * updates while the group is still in L1 ({@code coefficients} holds the group's scales).
     */
    static void rankOnes(float[] panel, float[] weights, int count, int kp, float[] v, float[] out,
                         float[] coefficients) {
        if (kp == 4 * L) {
            rankOnes4(panel, weights, count, v, out);
        } else if (kp == 2 * L) {
            rankOnes2(panel, weights, count, v, out);
        } else if (kp == L) {
            rankOnes1(panel, weights, count, v, out);
        } else {
            for (int g0 = 0; g0 < count; g0 += GROUP) {
                int g1 = Math.min(count, g0 + GROUP);
                int e = g0;
                for (; e + 4 <= g1; e += 4) dots4(panel, e, kp, v, weights, coefficients, e - g0);
                for (; e < g1; e++) coefficients[e - g0] = weights[e] * dot(panel, e * kp, v, kp);
                addRows(panel, coefficients, g0, g1, kp, out);
            }
        }
    }

    private static void rankOnes4(float[] q, float[] weights, int count, float[] v, float[] out) {
        FloatVector v0 = FloatVector.fromArray(S, v, 0);
        FloatVector v1 = FloatVector.fromArray(S, v, L);
        FloatVector v2 = FloatVector.fromArray(S, v, 2 * L);
        FloatVector v3 = FloatVector.fromArray(S, v, 3 * L);
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = FloatVector.zero(S);
        FloatVector a2 = FloatVector.zero(S);
        FloatVector a3 = FloatVector.zero(S);
        for (int e = 0; e < count; e++) {
            int off = e * 4 * L;
            FloatVector q0 = FloatVector.fromArray(S, q, off);
            FloatVector q1 = FloatVector.fromArray(S, q, off + L);
            FloatVector q2 = FloatVector.fromArray(S, q, off + 2 * L);
            FloatVector q3 = FloatVector.fromArray(S, q, off + 3 * L);
            FloatVector d = q1.fma(v1, q0.mul(v0)).add(q3.fma(v3, q2.mul(v2)));
            // VectorDots.sum's levels, kept in the vector: every lane ends with the sum.
            if (L >= 2) d = d.add(d.rearrange(VectorDots.SWAP_2));
            if (L >= 4) d = d.add(d.rearrange(VectorDots.SWAP_4));
            if (L >= 8) d = d.add(d.rearrange(VectorDots.SWAP_8));
            if (L >= 16) d = d.add(d.rearrange(VectorDots.SWAP_16));
            FloatVector s = d.mul(weights[e]);
            a0 = s.fma(q0, a0);
            a1 = s.fma(q1, a1);
            a2 = s.fma(q2, a2);
            a3 = s.fma(q3, a3);
        }
        a0.add(FloatVector.fromArray(S, out, 0)).intoArray(out, 0);
        a1.add(FloatVector.fromArray(S, out, L)).intoArray(out, L);
        a2.add(FloatVector.fromArray(S, out, 2 * L)).intoArray(out, 2 * L);
        a3.add(FloatVector.fromArray(S, out, 3 * L)).intoArray(out, 3 * L);
    }

    private static void rankOnes2(float[] q, float[] weights, int count, float[] v, float[] out) {
        FloatVector v0 = FloatVector.fromArray(S, v, 0);
        FloatVector v1 = FloatVector.fromArray(S, v, L);
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = FloatVector.zero(S);
        for (int e = 0; e < count; e++) {
            int off = e * 2 * L;
            FloatVector q0 = FloatVector.fromArray(S, q, off);
            FloatVector q1 = FloatVector.fromArray(S, q, off + L);
            FloatVector d = q1.fma(v1, q0.mul(v0));
            if (L >= 2) d = d.add(d.rearrange(VectorDots.SWAP_2));
            if (L >= 4) d = d.add(d.rearrange(VectorDots.SWAP_4));
            if (L >= 8) d = d.add(d.rearrange(VectorDots.SWAP_8));
            if (L >= 16) d = d.add(d.rearrange(VectorDots.SWAP_16));
            FloatVector s = d.mul(weights[e]);
            a0 = s.fma(q0, a0);
            a1 = s.fma(q1, a1);
        }
        a0.add(FloatVector.fromArray(S, out, 0)).intoArray(out, 0);
        a1.add(FloatVector.fromArray(S, out, L)).intoArray(out, L);
    }

    private static void rankOnes1(float[] q, float[] weights, int count, float[] v, float[] out) {
        FloatVector v0 = FloatVector.fromArray(S, v, 0);
        FloatVector a0 = FloatVector.zero(S);
        for (int e = 0; e < count; e++) {
            FloatVector q0 = FloatVector.fromArray(S, q, e * L);
            FloatVector d = q0.mul(v0);
            if (L >= 2) d = d.add(d.rearrange(VectorDots.SWAP_2));
            if (L >= 4) d = d.add(d.rearrange(VectorDots.SWAP_4));
            if (L >= 8) d = d.add(d.rearrange(VectorDots.SWAP_8));
            if (L >= 16) d = d.add(d.rearrange(VectorDots.SWAP_16));
            a0 = d.mul(weights[e]).fma(q0, a0);
        }
        a0.add(FloatVector.fromArray(S, out, 0)).intoArray(out, 0);
    }

    /**
     * s[at + j] = w_{e+j}·(q_{e+j}·v) for the four entries e..e+3: one pass over the
     * coordinates, each chunk of v loaded once for the four rows, then the four lane sums merged
     * in registers. Nothing here calls a method with a vector: C2 did not inline
     * {@link VectorDots#sum} into this method and boxed its argument (6,912 B a row at k = 256).
     */
    private static void dots4(float[] panel, int e, int kp, float[] v, float[] weights, float[] s, int at) {
        int a = e * kp;
        int b = a + kp;
        int c = b + kp;
        int d = c + kp;
        FloatVector sa = FloatVector.zero(S);
        FloatVector sb = FloatVector.zero(S);
        FloatVector sc = FloatVector.zero(S);
        FloatVector sd = FloatVector.zero(S);
        for (int t = 0; t < kp; t += L) {
            FloatVector vt = FloatVector.fromArray(S, v, t);
            sa = FloatVector.fromArray(S, panel, a + t).fma(vt, sa);
            sb = FloatVector.fromArray(S, panel, b + t).fma(vt, sb);
            sc = FloatVector.fromArray(S, panel, c + t).fma(vt, sc);
            sd = FloatVector.fromArray(S, panel, d + t).fma(vt, sd);
        }
        if (L < 4) {
            s[at] = weights[e] * VectorDots.sum(sa);
            s[at + 1] = weights[e + 1] * VectorDots.sum(sb);
            s[at + 2] = weights[e + 2] * VectorDots.sum(sc);
            s[at + 3] = weights[e + 3] * VectorDots.sum(sd);
            return;
        }
        // The four lane sums merged (VectorDots.fourPairs' scheme, with blends): level 1 for a
        // with b and c with d, where b and d take the lanes with bit L/2 set; level 2 for ab with
        // cd, cd taking the lanes with bit L/4 set; the other levels once for all four. Each sum
        // is the one VectorDots.sum gives, bit for bit, for a quarter of its shuffles.
        FloatVector ab = sa.blend(sb, HIGH_HALF).add(sb.blend(sa, HIGH_HALF).rearrange(VectorDots.SWAP_2));
        FloatVector cd = sc.blend(sd, HIGH_HALF).add(sd.blend(sc, HIGH_HALF).rearrange(VectorDots.SWAP_2));
        FloatVector r = ab.blend(cd, HIGH_QUARTER).add(cd.blend(ab, HIGH_QUARTER).rearrange(VectorDots.SWAP_4));
        if (L >= 8) r = r.add(r.rearrange(VectorDots.SWAP_8));
        if (L >= 16) r = r.add(r.rearrange(VectorDots.SWAP_16));
        s[at] = weights[e] * r.lane(0);
        s[at + 1] = weights[e + 1] * r.lane(L / 2);
        s[at + 2] = weights[e + 2] * r.lane(L / 4);
        s[at + 3] = weights[e + 3] * r.lane(L / 2 + L / 4);
    }

    // The lanes whose bit L/2 (L/4) is set: the side of a merged level that carries the second vector.
    private static final VectorMask<Float> HIGH_HALF = lanesWithBit(L / 2);
    private static final VectorMask<Float> HIGH_QUARTER = lanesWithBit(L / 4);

    private static VectorMask<Float> lanesWithBit(int bit) {
        boolean[] set = new boolean[L];
        for (int i = 0; i < L; i++) set[i] = bit > 0 && (i & bit) != 0;
        return VectorMask.fromArray(S, set, 0);
    }

    /**
     * out += Σ_{e ∈ [from, to)} s_{e−from} q_e: the output in chunks of up to four vectors held
     * in registers while the entries stream by.
     */
    static void addRows(float[] panel, float[] s, int from, int to, int kp, float[] out) {
        int c = 0;
        for (; c + 4 * L <= kp; c += 4 * L) {
            FloatVector a0 = FloatVector.fromArray(S, out, c);
            FloatVector a1 = FloatVector.fromArray(S, out, c + L);
            FloatVector a2 = FloatVector.fromArray(S, out, c + 2 * L);
            FloatVector a3 = FloatVector.fromArray(S, out, c + 3 * L);
            for (int e = from; e < to; e++) {
                FloatVector se = FloatVector.broadcast(S, s[e - from]);
                int base = e * kp + c;
                a0 = se.fma(FloatVector.fromArray(S, panel, base), a0);
                a1 = se.fma(FloatVector.fromArray(S, panel, base + L), a1);
                a2 = se.fma(FloatVector.fromArray(S, panel, base + 2 * L), a2);
                a3 = se.fma(FloatVector.fromArray(S, panel, base + 3 * L), a3);
            }
            a0.intoArray(out, c);
            a1.intoArray(out, c + L);
            a2.intoArray(out, c + 2 * L);
            a3.intoArray(out, c + 3 * L);
        }
        for (; c < kp; c += L) {
            FloatVector a0 = FloatVector.fromArray(S, out, c);
            for (int e = from; e < to; e++) {
                a0 = FloatVector.broadcast(S, s[e - from]).fma(FloatVector.fromArray(S, panel, e * kp + c), a0);
            }
            a0.intoArray(out, c);
        }
    }

    /** Σ_t a[aOff + t]·b[t] for t &lt; kp (a multiple of L): two accumulators, the fixed lane sum. */
    static float dot(float[] a, int aOff, float[] b, int kp) {
        FloatVector acc0 = FloatVector.zero(S);
        FloatVector acc1 = FloatVector.zero(S);
        int t = 0;
        for (; t + 2 * L <= kp; t += 2 * L) {
            acc0 = FloatVector.fromArray(S, a, aOff + t).fma(FloatVector.fromArray(S, b, t), acc0);
            acc1 = FloatVector.fromArray(S, a, aOff + t + L).fma(FloatVector.fromArray(S, b, t + L), acc1);
        }
        if (t < kp) acc0 = FloatVector.fromArray(S, a, aOff + t).fma(FloatVector.fromArray(S, b, t), acc0);
        return VectorDots.sum(acc0.add(acc1));
    }

    private static float dot(float[] a, float[] b, int kp) {
        return dot(a, 0, b, kp);
    }

    /**
     * out = G v for the zero-padded kp×kp Gram (rows t &lt; k of G carry the k×k matrix), as
     * Σ_{t&lt;k} v_t·G[t][:] with up to four register accumulators.
     */
    static void gramTimes(float[] g, int k, int kp, float[] v, float[] out) {
        int c = 0;
        int even = k - k % 2;
        for (; c + 4 * L <= kp; c += 4 * L) {
            // Two sets of four accumulators (even and odd t) halve the FMA dependency chains.
            FloatVector s0 = FloatVector.zero(S);
            FloatVector s1 = FloatVector.zero(S);
            FloatVector s2 = FloatVector.zero(S);
            FloatVector s3 = FloatVector.zero(S);
            FloatVector u0 = FloatVector.zero(S);
            FloatVector u1 = FloatVector.zero(S);
            FloatVector u2 = FloatVector.zero(S);
            FloatVector u3 = FloatVector.zero(S);
            for (int t = 0; t < even; t += 2) {
                FloatVector m = FloatVector.broadcast(S, v[t]);
                FloatVector n = FloatVector.broadcast(S, v[t + 1]);
                int row = t * kp + c;
                s0 = m.fma(FloatVector.fromArray(S, g, row), s0);
                s1 = m.fma(FloatVector.fromArray(S, g, row + L), s1);
                s2 = m.fma(FloatVector.fromArray(S, g, row + 2 * L), s2);
                s3 = m.fma(FloatVector.fromArray(S, g, row + 3 * L), s3);
                u0 = n.fma(FloatVector.fromArray(S, g, row + kp), u0);
                u1 = n.fma(FloatVector.fromArray(S, g, row + kp + L), u1);
                u2 = n.fma(FloatVector.fromArray(S, g, row + kp + 2 * L), u2);
                u3 = n.fma(FloatVector.fromArray(S, g, row + kp + 3 * L), u3);
            }
            if (even < k) {
                FloatVector m = FloatVector.broadcast(S, v[even]);
                int row = even * kp + c;
                s0 = m.fma(FloatVector.fromArray(S, g, row), s0);
                s1 = m.fma(FloatVector.fromArray(S, g, row + L), s1);
                s2 = m.fma(FloatVector.fromArray(S, g, row + 2 * L), s2);
                s3 = m.fma(FloatVector.fromArray(S, g, row + 3 * L), s3);
            }
            s0.add(u0).intoArray(out, c);
            s1.add(u1).intoArray(out, c + L);
            s2.add(u2).intoArray(out, c + 2 * L);
            s3.add(u3).intoArray(out, c + 3 * L);
        }
        for (; c < kp; c += L) {
            FloatVector s0 = FloatVector.zero(S);
            FloatVector u0 = FloatVector.zero(S);
            for (int t = 0; t < even; t += 2) {
                s0 = FloatVector.broadcast(S, v[t]).fma(FloatVector.fromArray(S, g, t * kp + c), s0);
                u0 = FloatVector.broadcast(S, v[t + 1]).fma(FloatVector.fromArray(S, g, (t + 1) * kp + c), u0);
            }
            if (even < k) s0 = FloatVector.broadcast(S, v[even]).fma(FloatVector.fromArray(S, g, even * kp + c), s0);
            s0.add(u0).intoArray(out, c);
        }
    }
}
