package org.mfkit.vector;

import static org.mfkit.vector.VectorDots.L;
import static org.mfkit.vector.VectorDots.S;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;

/**
 * Score blocks out[r][i] = p[rows[r]]·q[i], vectorized along items instead of along k, so no
 * output needs a horizontal sum. Items go in tiles of {@link #TILE} (two vectors); a tile of Q
 * is first packed transposed (k × TILE, item j of the tile in lane j), then every query row
 * streams it: each step t broadcasts p[r][t] and adds it times the packed row t into the
 * tile's two accumulators. Query rows go four at a time (eight accumulators, 2 loads and 4
 * broadcasts per 8 FMAs, the {@code VectorGram} register block); more accumulators get boxed
 * by C2. Packing costs k·TILE scalar copies per tile, shared by all query rows of the block.
 *
 * <p>Every output is one FMA chain over t = 0, 1, …, k−1 whatever path computes it (four-row
 * block, single row, full or partial tile), so the result does not depend on blocking, on how
 * items are split across workers, or on the thread count; the order is sequential, well
 * inside the γ_k bound. No tail in k exists (k is the scalar loop index); a partial item tile
 * is zero-padded when packed and stored through a small spill buffer.
 */
final class VectorScoreBlock {
    /** Items per packed tile: two vectors. */
    static final int TILE = 2 * L;

    private VectorScoreBlock() {}

    /** Score block out[r·nItems + i] = p[rows[r]]·q[i]; items are split across workers. */
    static void scores(VectorPool pool, float[] p, int[] rows, float[] q, int nItems, int k, float[] out) {
        int[] pOff = rowOffsets(rows, k);
        pool.run(nItems, (w, from, to) -> {
            if (from == to || rows.length == 0) return;
            Scratch scratch = new Scratch(k);
            for (int i0 = from; i0 < to; i0 += TILE) {
                int n = Math.min(TILE, to - i0);
                pack(q, k, i0, n, scratch.packed);
                block(p, pOff, 0, rows.length, k, scratch, n, out, i0, nItems);
            }
        });
    }

    /** Offsets of the query rows in p: rows[r]·k. */
    static int[] rowOffsets(int[] rows, int k) {
        int[] off = new int[rows.length];
        for (int r = 0; r < rows.length; r++) off[r] = rows[r] * k;
        return off;
    }

    /** Per-worker buffers: the packed tile and the spill rows of a partial tile. */
    static final class Scratch {
        final float[] packed;
        final float[] spill = new float[4 * TILE];

        Scratch(int k) {
            packed = new float[k * TILE];
        }
    }

    /**
     * Packs items [i0, i0 + n) of q (n ≤ TILE) transposed: packed[t·TILE + j] = q[(i0 + j)·k + t];
     * lanes j ≥ n are zero, so a partial tile computes finite padding that is never stored.
     */
    static void pack(float[] q, int k, int i0, int n, float[] packed) {
        for (int j = 0; j < n; j++) {
            int src = (i0 + j) * k;
            for (int t = 0, dst = j; t < k; t++, dst += TILE) packed[dst] = q[src + t];
        }
        if (n < TILE) {
            for (int t = 0; t < k; t++) Arrays.fill(packed, t * TILE + n, (t + 1) * TILE, 0f);
        }
    }

    /**
     * Scores query rows [rFrom, rTo) (offsets pOff[r] into p) against the packed tile of n
     * items: out[(r − rFrom)·stride + col + j] for j &lt; n.
     */
    static void block(float[] p, int[] pOff, int rFrom, int rTo, int k, Scratch scratch, int n,
                      float[] out, int col, int stride) {
        int r = rFrom;
        for (; r + 4 <= rTo; r += 4) {
            rows4(p, pOff[r], pOff[r + 1], pOff[r + 2], pOff[r + 3], k, scratch, n, out,
                    (r - rFrom) * stride + col, stride);
        }
        for (; r < rTo; r++) row1(p, pOff[r], k, scratch, n, out, (r - rFrom) * stride + col);
    }

    /** Four query rows against the packed tile, into out[at + m·stride + j], m &lt; 4, j &lt; n. */
    private static void rows4(float[] p, int p0, int p1, int p2, int p3, int k, Scratch scratch, int n,
                              float[] out, int at, int stride) {
        float[] packed = scratch.packed;
        FloatVector a0 = FloatVector.zero(S);
        FloatVector b0 = FloatVector.zero(S);
        FloatVector a1 = FloatVector.zero(S);
        FloatVector b1 = FloatVector.zero(S);
        FloatVector a2 = FloatVector.zero(S);
        FloatVector b2 = FloatVector.zero(S);
        FloatVector a3 = FloatVector.zero(S);
        FloatVector b3 = FloatVector.zero(S);
        for (int t = 0, row = 0; t < k; t++, row += TILE) {
            FloatVector lo = FloatVector.fromArray(S, packed, row);
            FloatVector hi = FloatVector.fromArray(S, packed, row + L);
            FloatVector x0 = FloatVector.broadcast(S, p[p0 + t]);
            FloatVector x1 = FloatVector.broadcast(S, p[p1 + t]);
            FloatVector x2 = FloatVector.broadcast(S, p[p2 + t]);
            FloatVector x3 = FloatVector.broadcast(S, p[p3 + t]);
            a0 = x0.fma(lo, a0);
            b0 = x0.fma(hi, b0);
            a1 = x1.fma(lo, a1);
            b1 = x1.fma(hi, b1);
            a2 = x2.fma(lo, a2);
            b2 = x2.fma(hi, b2);
            a3 = x3.fma(lo, a3);
            b3 = x3.fma(hi, b3);
        }
        // Stores written out here rather than in a helper: a vector argument to a call C2 does
        // not inline is boxed.
        if (n == TILE) {
            a0.intoArray(out, at);
            b0.intoArray(out, at + L);
            a1.intoArray(out, at + stride);
            b1.intoArray(out, at + stride + L);
            a2.intoArray(out, at + 2 * stride);
            b2.intoArray(out, at + 2 * stride + L);
            a3.intoArray(out, at + 3 * stride);
            b3.intoArray(out, at + 3 * stride + L);
        } else {
            float[] spill = scratch.spill;
            a0.intoArray(spill, 0);
            b0.intoArray(spill, L);
            a1.intoArray(spill, TILE);
            b1.intoArray(spill, TILE + L);
            a2.intoArray(spill, 2 * TILE);
            b2.intoArray(spill, 2 * TILE + L);
            a3.intoArray(spill, 3 * TILE);
            b3.intoArray(spill, 3 * TILE + L);
            for (int m = 0; m < 4; m++) System.arraycopy(spill, m * TILE, out, at + m * stride, n);
        }
    }

    /** One query row against the packed tile, into out[at + j], j &lt; n: the same FMA chain. */
    private static void row1(float[] p, int p0, int k, Scratch scratch, int n, float[] out, int at) {
        float[] packed = scratch.packed;
        FloatVector a = FloatVector.zero(S);
        FloatVector b = FloatVector.zero(S);
        for (int t = 0, row = 0; t < k; t++, row += TILE) {
            FloatVector x = FloatVector.broadcast(S, p[p0 + t]);
            a = x.fma(FloatVector.fromArray(S, packed, row), a);
            b = x.fma(FloatVector.fromArray(S, packed, row + L), b);
        }
        if (n == TILE) {
            a.intoArray(out, at);
            b.intoArray(out, at + L);
        } else {
            float[] spill = scratch.spill;
            a.intoArray(spill, 0);
            b.intoArray(spill, L);
            System.arraycopy(spill, 0, out, at, n);
        }
    }
}
