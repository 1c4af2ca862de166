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
