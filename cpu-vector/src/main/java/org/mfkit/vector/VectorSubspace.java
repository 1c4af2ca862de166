package org.mfkit.vector;

import static org.mfkit.vector.VectorDots.L;
import static org.mfkit.vector.VectorDots.S;

import jdk.incubator.vector.FloatVector;

/**
 * The subspace sweep (iALS++, Rendle et al. 2021) on one gathered row ({@link VectorAlsRow}),
 * without forming A: one pass of block coordinate descent over the coordinate blocks
 * [0, s), [s, 2s), … Each block B solves its b×b system exactly with the rest of x fixed:
 * <pre>
 *   H = G_BB + λI + Σ_e w_e q_e[B] q_e[B]ᵀ,   ∇_B = (G x)_B + λ x_B + Σ_e (w_e s_e − t_e) q_e[B],
 *   x_B −= H⁻¹ ∇_B,   then (G x) += G[:, B] Δ and s_e += q_e[B]·Δ for every entry,
 * </pre>
 * where s_e = q_e·x is each entry's prediction, kept up to date block by block (what the paper
 * calls updating the residuals per observed interaction), and G x likewise. Per block one pass
 * over the entries updates the predictions with the previous block's step, forms the gradient
 * and a weighted copy w_e q_e[B]; a second pass over the block accumulates H from that copy
 * (broadcasts straight from memory) in groups of eight rows; {@link VectorCholeskyRows} solves
 * it. A block costs about b² + 4b flops per entry and 2bk for G, against 4k per entry and 2k²
 * per CG product: cheaper than CG's products only in the per-row part (docs/KERNELS.md).
 *
 * <p>That is {@link #sweep}, for blocks larger than {@value #COLUMN_BLOCK_LIMIT} and rows longer
 * than the panel. Smaller blocks on rows that fit go to {@link #sweepColumns}, on the row
 * gathered dimension-major, where a block of b coordinates is b vectors across entries
 * instead of b lanes of one vector.
 *
 * <p>A block vector read from a panel row may run past the block into the next coordinates
 * (or the next row, or the panel's slack); those lanes only ever reach outputs beyond the
 * block, which are ignored, and the prediction update uses exactly b products.
 */
final class VectorSubspace {
    private VectorSubspace() {}

    /** Per-worker buffers of the sweep, grown on demand. */
    static final class Scratch {
        /** Per entry of the row (all segments): the predictions q_e·x. */
        float[] predictions = new float[0];
        /** The block's weighted copy w_e q_e[B] of the current segment (entries × block width). */
        float[] weighted = new float[0];
        /** H's partial sums, rows padded to whole vectors (b × width). */
        float[] sums = new float[0];
        /** H itself, b × b (lower triangle). */
        float[] h = new float[0];
        /** The block step, zero beyond the block. */
        float[] delta = new float[0];
        /** The previous block's step and size, applied to the predictions in the next pass. */
        float[] previous = new float[0];
        VectorCholeskyRows.Scratch factor;
        VectorCholeskyRows.Scratch lastFactor;
        // The dimension-major sweep's row ({@link VectorAlsRow#gatherColumns}).
        /** k × stride: coordinate c of entry e at c · stride + e. */
        float[] columns = new float[0];
        /** Entries rounded up to whole vectors. */
        int stride;
        /** Per kept entry: the offset of its row in y, its weight and target (zero in the padding). */
        int[] index = new int[0];
        float[] weights = new float[0];
        float[] targets = new float[0];
        /** Per coordinate, the step the sweep gave it so far (x − x₀; zero for the blocks not yet reached). */
        float[] moved = new float[0];
        /**
         * The block sums' vectors, stored for {@link #laneSum}: blocks of b ≥ 2 are too large
         * for C2 to inline {@link VectorDots#sum} into, which then boxed every accumulator it
         * was passed (37–80 KB a row at k = 256).
         */
        final float[] lanes = new float[(4 + 4 * COLUMN_BLOCK_LIMIT) * L];
        /** The previous block's step (zero beyond it). */
        final float[] step = new float[COLUMN_BLOCK_LIMIT];
        /** A block's gradient sums (0..3) and Hessian sums (4 + 4i + j). */
        final float[] blockSums = new float[4 + 4 * COLUMN_BLOCK_LIMIT];
    }

    /**
     * One sweep in place on {@code row.x}. Returns true on success; false when a block's
     * pivot was not positive and finite, with the pivot in {@code row.breakdown} and its
     * column (0..k) in {@code row.badColumn}.
     */
    static boolean sweep(VectorAlsRow row, int blockSize) {
        Scratch s = row.subspace;
        int k = row.k;
        int kp = row.kp;
        float[] x = row.x;
        float[] g = row.r;
        float[] gradient = row.ap;
        int entries = row.end - row.start;
        int widest = VectorGram.padded(blockSize);
        if (s.predictions.length < entries) s.predictions = new float[Math.max(entries, 2 * s.predictions.length)];
        int segment = Math.min(entries, row.capacity);
        if (s.weighted.length < segment * widest) s.weighted = new float[Math.max(segment * widest, 2 * s.weighted.length)];
        if (s.sums.length < blockSize * widest) {
            s.sums = new float[blockSize * widest];
            s.h = new float[blockSize * blockSize];
            s.delta = new float[widest + L];
            s.previous = new float[widest + L];
        }
        if (s.factor == null || s.factor.k != blockSize) s.factor = new VectorCholeskyRows.Scratch(blockSize);
        int last = k % blockSize == 0 ? blockSize : k % blockSize;
        if (s.lastFactor == null || s.lastFactor.k != last) s.lastFactor = new VectorCholeskyRows.Scratch(last);
        float[] predictions = s.predictions;

        int n = 0;
        for (int from = row.start; from < row.end; ) {
            from = row.fits() ? row.end : row.gatherSegment(from);
            for (int e = 0; e < row.count; e++) predictions[n + e] = VectorConjugateGradient.dot(row.panel, e * kp, x, kp);
            n += row.count;
        }
        if (row.gram != null) {
            VectorConjugateGradient.gramTimes(row.gram, k, kp, x, g);
        } else {
            java.util.Arrays.fill(g, 0, kp, 0f);
        }
        int previousStart = -1;
        int previousSize = 0;
        for (int t0 = 0; t0 < k; t0 += blockSize) {
            int size = Math.min(blockSize, k - t0);
            int width = VectorGram.padded(size);
            java.util.Arrays.fill(s.sums, 0, size * width, 0f);
            java.util.Arrays.fill(gradient, 0, width, 0f);
            int base = 0;
            for (int from = row.start; from < row.end; ) {
                from = row.fits() ? row.end : row.gatherSegment(from);
                int count = row.count;
                if (previousStart >= 0) {
                    updatePredictions(row.panel, predictions, base, count, kp, previousStart, previousSize, s.previous);
                }
                gradientAndWeights(row.panel, row.weights, row.targets, predictions, base, count, kp, t0, width, gradient,
                        s.weighted);
                hessian(row.panel, s.weighted, count, kp, t0, size, width, s.sums);
                base += count;
            }
            float shift = row.shift;
            float[] h = s.h;
            for (int i = 0; i < size; i++) {
                gradient[i] += g[t0 + i] + shift * x[t0 + i];
                for (int j = 0; j <= i; j++) {
                    float gij = row.gram == null ? 0f : row.gram[(t0 + i) * kp + t0 + j];
                    h[i * size + j] = s.sums[i * width + j] + gij + (i == j ? shift : 0f);
                }
            }
            VectorCholeskyRows.Scratch factor = size == blockSize ? s.factor : s.lastFactor;
            float[] delta = s.delta;
            int bad = VectorCholeskyRows.factorSolve(h, 0, gradient, 0, delta, 0, factor);
            if (bad >= 0) {
                row.badColumn = t0 + bad;
                row.breakdown = factor.badPivot;
                return false;
            }
            // factorSolve gave H⁻¹∇; the step is its negative.
            for (int i = 0; i < size; i++) {
                delta[i] = -delta[i];
                x[t0 + i] += delta[i];
            }
            java.util.Arrays.fill(delta, size, width, 0f);
            if (row.gram != null) {
                for (int i = 0; i < size; i++) {
                    FloatVector d = FloatVector.broadcast(S, delta[i]);
                    int rowAt = (t0 + i) * kp;
                    for (int t = 0; t < kp; t += L) {
                        d.fma(FloatVector.fromArray(S, row.gram, rowAt + t), FloatVector.fromArray(S, g, t)).intoArray(g, t);
                    }
                }
            }
            System.arraycopy(delta, 0, s.previous, 0, width);
            previousStart = t0;
            previousSize = size;
        }
        return true;
    }

    /** Largest block swept dimension-major ({@link #sweepColumns}); larger blocks go row-major. */
    static final int COLUMN_BLOCK_LIMIT = 4;

    /** Whether a row of {@code entries} CSR entries is swept dimension-major at this block size. */
    static boolean byColumns(int blockSize, int entries, int capacity) {
        return blockSize <= COLUMN_BLOCK_LIMIT && entries <= capacity;
    }

    /**
     * The sweep for small blocks (b ≤ {@value #COLUMN_BLOCK_LIMIT}) on a row gathered
     * dimension-major ({@link VectorAlsRow#gatherColumns}, after {@link VectorAlsRow#begin}):
     * the same mathematics as {@link #sweep}, but every sum over entries is a vector operation
     * across L entries at once, with one lane reduction per sum per block. A row-major block
     * of b ≤ 4 coordinates would fill at most 4 of a vector's L lanes. Per block one pass over
     * the entries applies the previous block's step to the predictions and accumulates the
     * block's b gradient and b(b+1)/2 Hessian sums in registers. G x is formed once for the
     * warm start x₀; at b = 1 each block then reads (G x)_B as (G x₀)_B + G[B, :]·(x − x₀), a
     * dot product over the coordinates already moved (k²/2 multiply-adds per row, loads only,
     * and all but the last step's term independent of the previous block), at larger b G x is
     * updated by each block's columns (k² multiply-adds with a store per vector). Same return
     * and failure report as {@link #sweep}.
     */
    static boolean sweepColumns(VectorAlsRow row, int blockSize) {
        Scratch s = row.subspace;
        int k = row.k;
        int kp = row.kp;
        float[] x = row.x;
        float[] g = row.r;
        float[] gradient = row.ap;
        row.gatherColumns(s);
        int stride = s.stride;
        float[] q = s.columns;
        float[] p = s.predictions;
        predict(q, stride, x, k, p);
        if (row.gram != null) {
            VectorConjugateGradient.gramTimes(row.gram, k, kp, x, g);
        } else {
            java.util.Arrays.fill(g, 0, kp, 0f);
        }
        if (s.h.length < blockSize * blockSize) s.h = new float[blockSize * blockSize];
        if (s.delta.length < VectorGram.padded(blockSize) + L) s.delta = new float[VectorGram.padded(blockSize) + L];
        // Measured at k = 256 (72 entries a row, one thread): the dots won at b = 1 (37–45 µs
        // a row against 48–54), the column updates at b = 2 (48 against 59) and 4 (59 against 78).
        boolean gramByDots = blockSize == 1;
        if (s.moved.length < kp + L) s.moved = new float[kp + L];
        java.util.Arrays.fill(s.moved, 0f);
        float[] step = s.step;
        float[] sums = s.blockSums;
        java.util.Arrays.fill(step, 0f);
        int previousStart = 0;
        int previousSize = 0;
        for (int t0 = 0; t0 < k; t0 += blockSize) {
            int size = Math.min(blockSize, k - t0);
            if (previousSize != size) {
                // The first block, or a short last one: apply the previous step on its own.
                for (int i = 0; i < previousSize; i++) {
                    axpy(step[i], q, (previousStart + i) * stride, p, stride);
                    s.moved[previousStart + i] = step[i];
                }
                java.util.Arrays.fill(step, 0f);
                previousStart = t0;
                previousSize = 0;
            }
            float[] w = s.weights;
            float[] t = s.targets;
            switch (size) {
                case 1 -> block1(q, stride, w, t, p, previousStart, step, t0, sums);
                case 2 -> block2(q, stride, w, t, p, previousStart, step, t0, sums, s.lanes);
                case 3 -> block3(q, stride, w, t, p, previousStart, step, t0, sums, s.lanes);
                default -> block4(q, stride, w, t, p, previousStart, step, t0, sums, s.lanes);
            }
            float shift = row.shift;
            float[] h = s.h;
            // (G x)_B = (G x₀)_B + G[B, :]·(x − x₀): a vector dot over the steps already in
            // s.moved (zero from previousStart on), which does not wait for the previous
            // block's step, plus that step's few terms.
            int moved = VectorGram.padded(previousSize == 0 ? t0 : previousStart);
            for (int i = 0; i < size; i++) {
                float gx = 0f;
                if (row.gram != null) {
                    int at = (t0 + i) * kp;
                    gx = g[t0 + i];
                    if (gramByDots) {
                        gx += VectorConjugateGradient.dot(row.gram, at, s.moved, moved);
                        for (int j = 0; j < previousSize; j++) gx += row.gram[at + previousStart + j] * step[j];
                    }
                }
                gradient[i] = sums[i] + gx + shift * x[t0 + i];
                for (int j = 0; j <= i; j++) {
                    float gij = row.gram == null ? 0f : row.gram[(t0 + i) * kp + t0 + j];
                    h[i * size + j] = sums[4 + 4 * i + j] + gij + (i == j ? shift : 0f);
                }
            }
            float[] delta = s.delta;
            int bad = smallFactorSolve(h, size, gradient, delta);
            if (bad >= 0) {
                row.badColumn = t0 + bad;
                row.breakdown = h[bad * size + bad];
                return false;
            }
            // smallFactorSolve gave H⁻¹∇; the step is its negative.
            for (int j = 0; j < previousSize; j++) s.moved[previousStart + j] = step[j];
            for (int i = 0; i < size; i++) {
                float d = -delta[i];
                step[i] = d;
                x[t0 + i] += d;
                if (row.gram != null && !gramByDots) axpy(d, row.gram, (t0 + i) * kp, g, kp);
            }
            previousStart = t0;
            previousSize = size;
        }
        return true;
    }

    /**
     * Solves the n×n system (n ≤ 4) whose lower triangle is h[i·n + j] into out by Cholesky,
     * scalar: at this size a vector factor ({@link VectorCholeskyRows}) costs more in setup than
     * the arithmetic. The factor overwrites h's lower triangle, the solve works in out. Returns
     * -1, or the column whose pivot (left on h's diagonal) was not positive and finite.
     */
    static int smallFactorSolve(float[] h, int n, float[] rhs, float[] out) {
        if (n == 1) {
            // One division instead of √ and two: the same exact solve, one rounding fewer.
            float d = h[0];
            if (!(d > 0f) || !Float.isFinite(d)) return 0;
            out[0] = rhs[0] / d;
            return -1;
        }
        for (int j = 0; j < n; j++) {
            float d = h[j * n + j];
            for (int t = 0; t < j; t++) d -= h[j * n + t] * h[j * n + t];
            if (!(d > 0f) || !Float.isFinite(d)) {
                h[j * n + j] = d;
                return j;
            }
            float ljj = (float) Math.sqrt(d);
            h[j * n + j] = ljj;
            for (int i = j + 1; i < n; i++) {
                float v = h[i * n + j];
                for (int t = 0; t < j; t++) v -= h[i * n + t] * h[j * n + t];
                h[i * n + j] = v / ljj;
            }
        }
        for (int i = 0; i < n; i++) {
            float v = rhs[i];
            for (int t = 0; t < i; t++) v -= h[i * n + t] * out[t];
            out[i] = v / h[i * n + i];
        }
        for (int i = n - 1; i >= 0; i--) {
            float v = out[i];
            for (int t = i + 1; t < n; t++) v -= h[t * n + i] * out[t];
            out[i] = v / h[i * n + i];
        }
        return -1;
    }

    /** The sum of a[from..from+L) in lane order: one fixed order on every JDK, like {@link VectorDots#sum}'s tree. */
    private static float laneSum(float[] a, int from) {
        float sum = a[from];
        for (int i = 1; i < L; i++) sum += a[from + i];
        return sum;
    }

    /** y[0..n) += a·v[from..from+n) (n a multiple of L). */
    private static void axpy(float a, float[] v, int from, float[] y, int n) {
        FloatVector d = FloatVector.broadcast(S, a);
        for (int e = 0; e < n; e += L) {
            d.fma(FloatVector.fromArray(S, v, from + e), FloatVector.fromArray(S, y, e)).intoArray(y, e);
        }
    }

    /**
     * p_e = Σ_c x_c q_e[c] for every entry (L at a time), in four chains over c mod 4 added
     * as (0 + 1) + (2 + 3): one chain would wait on the FMA latency at every coordinate.
     */
    private static void predict(float[] q, int stride, float[] x, int k, float[] p) {
        int bound = k - k % 4;
        for (int e = 0; e < stride; e += L) {
            FloatVector s0 = FloatVector.zero(S);
            FloatVector s1 = FloatVector.zero(S);
            FloatVector s2 = FloatVector.zero(S);
            FloatVector s3 = FloatVector.zero(S);
            int c = 0;
            for (; c < bound; c += 4) {
                s0 = FloatVector.broadcast(S, x[c]).fma(FloatVector.fromArray(S, q, c * stride + e), s0);
                s1 = FloatVector.broadcast(S, x[c + 1]).fma(FloatVector.fromArray(S, q, (c + 1) * stride + e), s1);
                s2 = FloatVector.broadcast(S, x[c + 2]).fma(FloatVector.fromArray(S, q, (c + 2) * stride + e), s2);
                s3 = FloatVector.broadcast(S, x[c + 3]).fma(FloatVector.fromArray(S, q, (c + 3) * stride + e), s3);
            }
            for (; c < k; c++) s0 = FloatVector.broadcast(S, x[c]).fma(FloatVector.fromArray(S, q, c * stride + e), s0);
            s0.add(s1).add(s2.add(s3)).intoArray(p, e);
        }
    }

    /**
     * The fused pass of a block of 1: predictions += Δ_prev·q[prev..prev+1) (Δ_prev zero for
     * the first block), then the gradient and Hessian sums of block [t0, t0+1) across entries
     * into {@code sums} (gradient at i, Hessian at 4 + 4i + j).
     */
    private static void block1(float[] q, int stride, float[] w, float[] t, float[] p, int prev, float[] d, int t0,
                                float[] sums) {
        FloatVector d0 = FloatVector.broadcast(S, d[0]);
        int a0 = (prev + 0) * stride;
        int c0 = (t0 + 0) * stride;
        FloatVector g0 = FloatVector.zero(S);
        FloatVector h00 = FloatVector.zero(S);
        for (int e = 0; e < stride; e += L) {
            FloatVector pe = FloatVector.fromArray(S, p, e);
            pe = d0.fma(FloatVector.fromArray(S, q, a0 + e), pe);
            pe.intoArray(p, e);
            FloatVector we = FloatVector.fromArray(S, w, e);
            FloatVector r = pe.fma(we, FloatVector.fromArray(S, t, e).neg());
            FloatVector v0 = FloatVector.fromArray(S, q, c0 + e);
            g0 = r.fma(v0, g0);
            FloatVector u0 = we.mul(v0);
            h00 = u0.fma(v0, h00);
        }
        sums[0] = VectorDots.sum(g0);
        sums[4] = VectorDots.sum(h00);
    }

    /**
     * The fused pass of a block of 2: predictions += Δ_prev·q[prev..prev+2) (Δ_prev zero for
     * the first block), then the gradient and Hessian sums of block [t0, t0+2) across entries
     * into {@code sums} (gradient at i, Hessian at 4 + 4i + j).
     */
    private static void block2(float[] q, int stride, float[] w, float[] t, float[] p, int prev, float[] d, int t0,
                                float[] sums, float[] lanes) {
        FloatVector d0 = FloatVector.broadcast(S, d[0]);
        int a0 = (prev + 0) * stride;
        int c0 = (t0 + 0) * stride;
        FloatVector g0 = FloatVector.zero(S);
        FloatVector h00 = FloatVector.zero(S);
        FloatVector d1 = FloatVector.broadcast(S, d[1]);
        int a1 = (prev + 1) * stride;
        int c1 = (t0 + 1) * stride;
        FloatVector g1 = FloatVector.zero(S);
        FloatVector h10 = FloatVector.zero(S);
        FloatVector h11 = FloatVector.zero(S);
        for (int e = 0; e < stride; e += L) {
            FloatVector pe = FloatVector.fromArray(S, p, e);
            pe = d0.fma(FloatVector.fromArray(S, q, a0 + e), pe);
            pe = d1.fma(FloatVector.fromArray(S, q, a1 + e), pe);
            pe.intoArray(p, e);
            FloatVector we = FloatVector.fromArray(S, w, e);
            FloatVector r = pe.fma(we, FloatVector.fromArray(S, t, e).neg());
            FloatVector v0 = FloatVector.fromArray(S, q, c0 + e);
            g0 = r.fma(v0, g0);
            FloatVector u0 = we.mul(v0);
            h00 = u0.fma(v0, h00);
            FloatVector v1 = FloatVector.fromArray(S, q, c1 + e);
            g1 = r.fma(v1, g1);
            FloatVector u1 = we.mul(v1);
            h10 = u1.fma(v0, h10);
            h11 = u1.fma(v1, h11);
        }
        g0.intoArray(lanes, 0 * L);
        h00.intoArray(lanes, 4 * L);
        g1.intoArray(lanes, 1 * L);
        h10.intoArray(lanes, 8 * L);
        h11.intoArray(lanes, 9 * L);
        sums[0] = laneSum(lanes, 0 * L);
        sums[4] = laneSum(lanes, 4 * L);
        sums[1] = laneSum(lanes, 1 * L);
        sums[8] = laneSum(lanes, 8 * L);
        sums[9] = laneSum(lanes, 9 * L);
    }

    /**
     * The fused pass of a block of 3: predictions += Δ_prev·q[prev..prev+3) (Δ_prev zero for
     * the first block), then the gradient and Hessian sums of block [t0, t0+3) across entries
     * into {@code sums} (gradient at i, Hessian at 4 + 4i + j).
     */
    private static void block3(float[] q, int stride, float[] w, float[] t, float[] p, int prev, float[] d, int t0,
                                float[] sums, float[] lanes) {
        FloatVector d0 = FloatVector.broadcast(S, d[0]);
        int a0 = (prev + 0) * stride;
        int c0 = (t0 + 0) * stride;
        FloatVector g0 = FloatVector.zero(S);
        FloatVector h00 = FloatVector.zero(S);
        FloatVector d1 = FloatVector.broadcast(S, d[1]);
        int a1 = (prev + 1) * stride;
        int c1 = (t0 + 1) * stride;
        FloatVector g1 = FloatVector.zero(S);
        FloatVector h10 = FloatVector.zero(S);
        FloatVector h11 = FloatVector.zero(S);
        FloatVector d2 = FloatVector.broadcast(S, d[2]);
        int a2 = (prev + 2) * stride;
        int c2 = (t0 + 2) * stride;
        FloatVector g2 = FloatVector.zero(S);
        FloatVector h20 = FloatVector.zero(S);
        FloatVector h21 = FloatVector.zero(S);
        FloatVector h22 = FloatVector.zero(S);
        for (int e = 0; e < stride; e += L) {
            FloatVector pe = FloatVector.fromArray(S, p, e);
            pe = d0.fma(FloatVector.fromArray(S, q, a0 + e), pe);
            pe = d1.fma(FloatVector.fromArray(S, q, a1 + e), pe);
            pe = d2.fma(FloatVector.fromArray(S, q, a2 + e), pe);
            pe.intoArray(p, e);
            FloatVector we = FloatVector.fromArray(S, w, e);
            FloatVector r = pe.fma(we, FloatVector.fromArray(S, t, e).neg());
            FloatVector v0 = FloatVector.fromArray(S, q, c0 + e);
            g0 = r.fma(v0, g0);
            FloatVector u0 = we.mul(v0);
            h00 = u0.fma(v0, h00);
            FloatVector v1 = FloatVector.fromArray(S, q, c1 + e);
            g1 = r.fma(v1, g1);
            FloatVector u1 = we.mul(v1);
            h10 = u1.fma(v0, h10);
            h11 = u1.fma(v1, h11);
            FloatVector v2 = FloatVector.fromArray(S, q, c2 + e);
            g2 = r.fma(v2, g2);
            FloatVector u2 = we.mul(v2);
            h20 = u2.fma(v0, h20);
            h21 = u2.fma(v1, h21);
            h22 = u2.fma(v2, h22);
        }
        g0.intoArray(lanes, 0 * L);
        h00.intoArray(lanes, 4 * L);
        g1.intoArray(lanes, 1 * L);
        h10.intoArray(lanes, 8 * L);
        h11.intoArray(lanes, 9 * L);
        g2.intoArray(lanes, 2 * L);
        h20.intoArray(lanes, 12 * L);
        h21.intoArray(lanes, 13 * L);
        h22.intoArray(lanes, 14 * L);
        sums[0] = laneSum(lanes, 0 * L);
        sums[4] = laneSum(lanes, 4 * L);
        sums[1] = laneSum(lanes, 1 * L);
        sums[8] = laneSum(lanes, 8 * L);
        sums[9] = laneSum(lanes, 9 * L);
        sums[2] = laneSum(lanes, 2 * L);
        sums[12] = laneSum(lanes, 12 * L);
        sums[13] = laneSum(lanes, 13 * L);
        sums[14] = laneSum(lanes, 14 * L);
    }

    /**
     * The fused pass of a block of 4: predictions += Δ_prev·q[prev..prev+4) (Δ_prev zero for
     * the first block), then the gradient and Hessian sums of block [t0, t0+4) across entries
     * into {@code sums} (gradient at i, Hessian at 4 + 4i + j).
     */
    private static void block4(float[] q, int stride, float[] w, float[] t, float[] p, int prev, float[] d, int t0,
                                float[] sums, float[] lanes) {
        FloatVector d0 = FloatVector.broadcast(S, d[0]);
        int a0 = (prev + 0) * stride;
        int c0 = (t0 + 0) * stride;
        FloatVector g0 = FloatVector.zero(S);
        FloatVector h00 = FloatVector.zero(S);
        FloatVector d1 = FloatVector.broadcast(S, d[1]);
        int a1 = (prev + 1) * stride;
        int c1 = (t0 + 1) * stride;
        FloatVector g1 = FloatVector.zero(S);
        FloatVector h10 = FloatVector.zero(S);
        FloatVector h11 = FloatVector.zero(S);
        FloatVector d2 = FloatVector.broadcast(S, d[2]);
        int a2 = (prev + 2) * stride;
        int c2 = (t0 + 2) * stride;
        FloatVector g2 = FloatVector.zero(S);
        FloatVector h20 = FloatVector.zero(S);
        FloatVector h21 = FloatVector.zero(S);
        FloatVector h22 = FloatVector.zero(S);
        FloatVector d3 = FloatVector.broadcast(S, d[3]);
        int a3 = (prev + 3) * stride;
        int c3 = (t0 + 3) * stride;
        FloatVector g3 = FloatVector.zero(S);
        FloatVector h30 = FloatVector.zero(S);
        FloatVector h31 = FloatVector.zero(S);
        FloatVector h32 = FloatVector.zero(S);
        FloatVector h33 = FloatVector.zero(S);
        for (int e = 0; e < stride; e += L) {
            FloatVector pe = FloatVector.fromArray(S, p, e);
            pe = d0.fma(FloatVector.fromArray(S, q, a0 + e), pe);
            pe = d1.fma(FloatVector.fromArray(S, q, a1 + e), pe);
            pe = d2.fma(FloatVector.fromArray(S, q, a2 + e), pe);
            pe = d3.fma(FloatVector.fromArray(S, q, a3 + e), pe);
            pe.intoArray(p, e);
            FloatVector we = FloatVector.fromArray(S, w, e);
            FloatVector r = pe.fma(we, FloatVector.fromArray(S, t, e).neg());
            FloatVector v0 = FloatVector.fromArray(S, q, c0 + e);
            g0 = r.fma(v0, g0);
            FloatVector u0 = we.mul(v0);
            h00 = u0.fma(v0, h00);
            FloatVector v1 = FloatVector.fromArray(S, q, c1 + e);
            g1 = r.fma(v1, g1);
            FloatVector u1 = we.mul(v1);
            h10 = u1.fma(v0, h10);
            h11 = u1.fma(v1, h11);
            FloatVector v2 = FloatVector.fromArray(S, q, c2 + e);
            g2 = r.fma(v2, g2);
            FloatVector u2 = we.mul(v2);
            h20 = u2.fma(v0, h20);
            h21 = u2.fma(v1, h21);
            h22 = u2.fma(v2, h22);
            FloatVector v3 = FloatVector.fromArray(S, q, c3 + e);
            g3 = r.fma(v3, g3);
            FloatVector u3 = we.mul(v3);
            h30 = u3.fma(v0, h30);
            h31 = u3.fma(v1, h31);
            h32 = u3.fma(v2, h32);
            h33 = u3.fma(v3, h33);
        }
        g0.intoArray(lanes, 0 * L);
        h00.intoArray(lanes, 4 * L);
        g1.intoArray(lanes, 1 * L);
        h10.intoArray(lanes, 8 * L);
        h11.intoArray(lanes, 9 * L);
        g2.intoArray(lanes, 2 * L);
        h20.intoArray(lanes, 12 * L);
        h21.intoArray(lanes, 13 * L);
        h22.intoArray(lanes, 14 * L);
        g3.intoArray(lanes, 3 * L);
        h30.intoArray(lanes, 16 * L);
        h31.intoArray(lanes, 17 * L);
        h32.intoArray(lanes, 18 * L);
        h33.intoArray(lanes, 19 * L);
        sums[0] = laneSum(lanes, 0 * L);
        sums[4] = laneSum(lanes, 4 * L);
        sums[1] = laneSum(lanes, 1 * L);
        sums[8] = laneSum(lanes, 8 * L);
        sums[9] = laneSum(lanes, 9 * L);
        sums[2] = laneSum(lanes, 2 * L);
        sums[12] = laneSum(lanes, 12 * L);
        sums[13] = laneSum(lanes, 13 * L);
        sums[14] = laneSum(lanes, 14 * L);
        sums[3] = laneSum(lanes, 3 * L);
        sums[16] = laneSum(lanes, 16 * L);
        sums[17] = laneSum(lanes, 17 * L);
        sums[18] = laneSum(lanes, 18 * L);
        sums[19] = laneSum(lanes, 19 * L);
    }

    /**
     * gradient += (w_e s_e − t_e) q_e[t0..t0+width) and weighted[e] = w_e q_e[t0..t0+width)
     * for the panel's {@code count} entries, whose predictions start at {@code s[base]}.
     */
    private static void gradientAndWeights(float[] panel, float[] weights, float[] targets, float[] s, int base,
                                           int count, int kp, int t0, int width, float[] gradient, float[] weighted) {
        for (int c = 0; c < width; c += L) {
            FloatVector acc = FloatVector.fromArray(S, gradient, c);
            for (int e = 0; e < count; e++) {
                float w = weights[e];
                FloatVector q = FloatVector.fromArray(S, panel, e * kp + t0 + c);
                acc = FloatVector.broadcast(S, w * s[base + e] - targets[e]).fma(q, acc);
                q.mul(w).intoArray(weighted, e * width + c);
            }
            acc.intoArray(gradient, c);
        }
    }

    /**
     * sums[i][:] += Σ_e weighted[e][i] q_e[t0..t0+width) for i &lt; size, only the vectors that
     * reach the lower triangle: rows in groups of eight (eight accumulators, one vector each),
     * each broadcast read straight from the weighted copy.
     */
    private static void hessian(float[] panel, float[] weighted, int count, int kp, int t0, int size, int width,
                                float[] sums) {
        int i = 0;
        for (; i + 8 <= size; i += 8) {
            for (int c = 0; c <= i + 7; c += L) {
                FloatVector s0 = FloatVector.fromArray(S, sums, i * width + c);
                FloatVector s1 = FloatVector.fromArray(S, sums, (i + 1) * width + c);
                FloatVector s2 = FloatVector.fromArray(S, sums, (i + 2) * width + c);
                FloatVector s3 = FloatVector.fromArray(S, sums, (i + 3) * width + c);
                FloatVector s4 = FloatVector.fromArray(S, sums, (i + 4) * width + c);
                FloatVector s5 = FloatVector.fromArray(S, sums, (i + 5) * width + c);
                FloatVector s6 = FloatVector.fromArray(S, sums, (i + 6) * width + c);
                FloatVector s7 = FloatVector.fromArray(S, sums, (i + 7) * width + c);
                for (int e = 0; e < count; e++) {
                    FloatVector v = FloatVector.fromArray(S, panel, e * kp + t0 + c);
                    int w = e * width + i;
                    s0 = FloatVector.broadcast(S, weighted[w]).fma(v, s0);
                    s1 = FloatVector.broadcast(S, weighted[w + 1]).fma(v, s1);
                    s2 = FloatVector.broadcast(S, weighted[w + 2]).fma(v, s2);
                    s3 = FloatVector.broadcast(S, weighted[w + 3]).fma(v, s3);
                    s4 = FloatVector.broadcast(S, weighted[w + 4]).fma(v, s4);
                    s5 = FloatVector.broadcast(S, weighted[w + 5]).fma(v, s5);
                    s6 = FloatVector.broadcast(S, weighted[w + 6]).fma(v, s6);
                    s7 = FloatVector.broadcast(S, weighted[w + 7]).fma(v, s7);
                }
                s0.intoArray(sums, i * width + c);
                s1.intoArray(sums, (i + 1) * width + c);
                s2.intoArray(sums, (i + 2) * width + c);
                s3.intoArray(sums, (i + 3) * width + c);
                s4.intoArray(sums, (i + 4) * width + c);
                s5.intoArray(sums, (i + 5) * width + c);
                s6.intoArray(sums, (i + 6) * width + c);
                s7.intoArray(sums, (i + 7) * width + c);
            }
        }
        for (; i < size; i++) {
            for (int c = 0; c <= i; c += L) {
                FloatVector s0 = FloatVector.fromArray(S, sums, i * width + c);
                for (int e = 0; e < count; e++) {
                    s0 = FloatVector.broadcast(S, weighted[e * width + i]).fma(FloatVector.fromArray(S, panel, e * kp + t0 + c), s0);
                }
                s0.intoArray(sums, i * width + c);
            }
        }
    }

    /** s_e += q_e[t0..t0+size)·Δ for the panel's entries: whole vectors, then a scalar tail of size % L. */
    private static void updatePredictions(float[] panel, float[] s, int base, int count, int kp, int t0, int size,
                                          float[] delta) {
        int bound = size - size % L;
        for (int e = 0; e < count; e++) {
            int at = e * kp + t0;
            float sum = 0f;
            if (bound > 0) {
                FloatVector acc = FloatVector.fromArray(S, panel, at).mul(FloatVector.fromArray(S, delta, 0));
                for (int c = L; c < bound; c += L) {
                    acc = FloatVector.fromArray(S, panel, at + c).fma(FloatVector.fromArray(S, delta, c), acc);
                }
                sum = VectorDots.sum(acc);
            }
            for (int c = bound; c < size; c++) sum += panel[at + c] * delta[c];
            s[base + e] += sum;
        }
    }
}
