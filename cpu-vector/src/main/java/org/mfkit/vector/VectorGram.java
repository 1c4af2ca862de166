package org.mfkit.vector;

import static org.mfkit.vector.VectorDots.L;
import static org.mfkit.vector.VectorDots.S;

import jdk.incubator.vector.FloatVector;

/**
 * Gram YᵀY, register-blocked and symmetric.
 *
 * <p>The output is tiled into blocks of 4 rows (a) × 2 vectors (2·L columns, b); a block
 * keeps its 8 partial sums in vector registers while it streams a panel of
 * {@link #PANEL} rows of Y: per row, 2 vector loads and 4 broadcasts feed 8 FMAs. (16 live
 * accumulators were spilled and boxed by C2 on this machine; 8 stay in registers.) Only
 * blocks that touch the lower triangle b &le; a are computed, ~40 of the 64 for k = 64,
 * and the upper triangle is mirrored. The panel (PANEL × k floats, 64 KiB for k = 64)
 * stays in L1/L2 while the ~20 blocks sweep it, so Y is read from memory once.
 *
 * <p>Threads take contiguous row ranges and sum into private k×k partials, added in thread
 * order at the end: bit-identical for a given thread count. Accumulation is float32: each
 * panel sums into fresh registers and is then added to the partial.
 */
final class VectorGram {
    /** Rows per panel. */
    static final int PANEL = 256;

    private VectorGram() {}

    /** Columns of the padded layout: k rounded up to whole vectors. */
    static int padded(int k) {
        return (k + L - 1) / L * L;
    }

    static void gram(VectorPool pool, float[] y, int n, int k, float[] out) {
        int kp = padded(k);
        int threads = pool.threads();
        float[][] partials = new float[threads][];
        pool.run(n, (w, from, to) -> {
            float[] acc = new float[kp * kp];
            float[] pad = k == kp ? null : new float[PANEL * kp];
            for (int start = from; start < to; start += PANEL) {
                int rows = Math.min(PANEL, to - start);
                if (pad == null) {
                    lowerBlocks(y, y, start * k, k, rows, k, acc, kp);
                } else {
                    for (int r = 0; r < rows; r++) System.arraycopy(y, (start + r) * k, pad, r * kp, k);
                    lowerBlocks(pad, pad, 0, kp, rows, k, acc, kp);
                }
            }
            partials[w] = acc;
        });
        float[] total = partials[0];
        for (int t = 1; t < threads; t++) {
            float[] part = partials[t];
            for (int e = 0; e < total.length; e++) total[e] += part[e];
        }
        for (int a = 0; a < k; a++) {
            for (int b = 0; b <= a; b++) {
                float v = total[a * kp + b];
                out[a * k + b] = v;
                out[b * k + a] = v;
            }
        }
    }

    /**
     * acc[a][b] += Σ_r x[r][a]·y[r][b] for every block touching b &le; a &lt; k, over
     * {@code rows} rows starting at {@code off} with row stride {@code stride} (&ge; padded(k);
     * x and y share the layout). acc is kp×kp; entries above the diagonal inside diagonal
     * blocks are written too and must be ignored.
     */
    static void lowerBlocks(float[] x, float[] y, int off, int stride, int rows, int k, float[] acc, int kp) {
        for (int a0 = 0; a0 < k; a0 += 4) {
            int lastVec = Math.min(a0 + 3, k - 1) / L;
            if (a0 + 4 <= k) {
                for (int v = 0; v <= lastVec; v += 2) {
                    if (v + 1 <= lastVec) block4x2(x, y, off, stride, rows, a0, v * L, acc, kp);
                    else block4x1(x, y, off, stride, rows, a0, v * L, acc, kp);
                }
            } else {
                // The last one to three rows of A one at a time: a block of four would spend
                // three quarters of its FMAs on padding rows when k = 4m + 1 (k = 33 for a
                // rank-32 model with its bias).
                for (int a = a0; a < k; a++) {
                    int v = 0;
                    for (int vectors = a / L + 1; vectors - v >= 3; v += 3) block1x3(x, y, off, stride, rows, a, v * L, acc, kp);
                    if (a / L + 1 - v == 2) block1x2(x, y, off, stride, rows, a, v * L, acc, kp);
                    else if (a / L + 1 - v == 1) block1x1(x, y, off, stride, rows, a, v * L, acc, kp);
                }
            }
        }
    }

    private static void block4x2(float[] x, float[] y, int off, int stride, int rows, int a0, int c0,
                                 float[] acc, int kp) {
        FloatVector s00 = FloatVector.zero(S);
        FloatVector s01 = FloatVector.zero(S);
        FloatVector s10 = FloatVector.zero(S);
        FloatVector s11 = FloatVector.zero(S);
        FloatVector s20 = FloatVector.zero(S);
        FloatVector s21 = FloatVector.zero(S);
        FloatVector s30 = FloatVector.zero(S);
        FloatVector s31 = FloatVector.zero(S);
        int end = off + rows * stride;
        for (int base = off; base < end; base += stride) {
            FloatVector y0 = FloatVector.fromArray(S, y, base + c0);
            FloatVector y1 = FloatVector.fromArray(S, y, base + c0 + L);
            FloatVector x0 = FloatVector.broadcast(S, x[base + a0]);
            FloatVector x1 = FloatVector.broadcast(S, x[base + a0 + 1]);
            FloatVector x2 = FloatVector.broadcast(S, x[base + a0 + 2]);
            FloatVector x3 = FloatVector.broadcast(S, x[base + a0 + 3]);
            s00 = x0.fma(y0, s00);
            s01 = x0.fma(y1, s01);
            s10 = x1.fma(y0, s10);
            s11 = x1.fma(y1, s11);
            s20 = x2.fma(y0, s20);
            s21 = x2.fma(y1, s21);
            s30 = x3.fma(y0, s30);
            s31 = x3.fma(y1, s31);
        }
        addInto(s00, acc, a0 * kp + c0);
        addInto(s01, acc, a0 * kp + c0 + L);
        addInto(s10, acc, (a0 + 1) * kp + c0);
        addInto(s11, acc, (a0 + 1) * kp + c0 + L);
        addInto(s20, acc, (a0 + 2) * kp + c0);
        addInto(s21, acc, (a0 + 2) * kp + c0 + L);
        addInto(s30, acc, (a0 + 3) * kp + c0);
        addInto(s31, acc, (a0 + 3) * kp + c0 + L);
    }

    private static void block4x1(float[] x, float[] y, int off, int stride, int rows, int a0, int c0,
                                 float[] acc, int kp) {
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = FloatVector.zero(S);
        FloatVector s2 = FloatVector.zero(S);
        FloatVector s3 = FloatVector.zero(S);
        int end = off + rows * stride;
        for (int base = off; base < end; base += stride) {
            FloatVector y0 = FloatVector.fromArray(S, y, base + c0);
            s0 = FloatVector.broadcast(S, x[base + a0]).fma(y0, s0);
            s1 = FloatVector.broadcast(S, x[base + a0 + 1]).fma(y0, s1);
            s2 = FloatVector.broadcast(S, x[base + a0 + 2]).fma(y0, s2);
            s3 = FloatVector.broadcast(S, x[base + a0 + 3]).fma(y0, s3);
        }
        addInto(s0, acc, a0 * kp + c0);
        addInto(s1, acc, (a0 + 1) * kp + c0);
        addInto(s2, acc, (a0 + 2) * kp + c0);
        addInto(s3, acc, (a0 + 3) * kp + c0);
    }

    private static void block1x1(float[] x, float[] y, int off, int stride, int rows, int a, int c0,
                                 float[] acc, int kp) {
        FloatVector s0 = FloatVector.zero(S);
        int end = off + rows * stride;
        for (int base = off; base < end; base += stride) {
            s0 = FloatVector.broadcast(S, x[base + a]).fma(FloatVector.fromArray(S, y, base + c0), s0);
        }
        addInto(s0, acc, a * kp + c0);
    }

    private static void block1x2(float[] x, float[] y, int off, int stride, int rows, int a, int c0,
                                 float[] acc, int kp) {
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = FloatVector.zero(S);
        int end = off + rows * stride;
        for (int base = off; base < end; base += stride) {
            FloatVector xa = FloatVector.broadcast(S, x[base + a]);
            s0 = xa.fma(FloatVector.fromArray(S, y, base + c0), s0);
            s1 = xa.fma(FloatVector.fromArray(S, y, base + c0 + L), s1);
        }
        addInto(s0, acc, a * kp + c0);
        addInto(s1, acc, a * kp + c0 + L);
    }

    private static void block1x3(float[] x, float[] y, int off, int stride, int rows, int a, int c0,
                                 float[] acc, int kp) {
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = FloatVector.zero(S);
        FloatVector s2 = FloatVector.zero(S);
        int end = off + rows * stride;
        for (int base = off; base < end; base += stride) {
            FloatVector xa = FloatVector.broadcast(S, x[base + a]);
            s0 = xa.fma(FloatVector.fromArray(S, y, base + c0), s0);
            s1 = xa.fma(FloatVector.fromArray(S, y, base + c0 + L), s1);
            s2 = xa.fma(FloatVector.fromArray(S, y, base + c0 + 2 * L), s2);
        }
        addInto(s0, acc, a * kp + c0);
        addInto(s1, acc, a * kp + c0 + L);
        addInto(s2, acc, a * kp + c0 + 2 * L);
    }

    private static void addInto(FloatVector v, float[] acc, int at) {
        v.add(FloatVector.fromArray(S, acc, at)).intoArray(acc, at);
    }
}
