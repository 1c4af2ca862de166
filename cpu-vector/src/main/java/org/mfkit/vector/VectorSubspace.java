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
 * calls updating the residuals per observed interaction), and G x likewise. A block costs
 * about b² + 4b flops per entry plus 2bk for G, against 4k per entry and 2k² per CG product,
 * and reads each entry's block of the panel three times from L1/L2.
 *
 * <p>A block vector read from a panel row may run past the block into the next coordinates
 * (or the next row, or the panel's slack); those lanes only ever reach outputs beyond the
 * block, which are ignored, and the prediction update uses exactly b products.
 */
final class VectorSubspace {
    private VectorSubspace() {}

    /**
     * One sweep in place on {@code row.x}. Returns true on success; false when a block's
     * pivot was not positive and finite, with the pivot in {@code row.breakdown} and its
     * column (0..k) in {@code row.badColumn}.
     */
    static boolean sweep(VectorAlsRow row, int blockSize) {
        int k = row.k;
        int kp = row.kp;
        float[] x = row.x;
        float[] g = row.r;
        float[] gradient = row.ap;
        float[] delta = row.p;
        int entries = row.end - row.start;
        if (row.predictions.length < entries) row.predictions = new float[Math.max(entries, 2 * row.predictions.length)];
        float[] s = row.predictions;
        int largest = Math.min(blockSize, k);
        if (row.hessian.length < largest * VectorGram.padded(largest)) {
            row.hessian = new float[largest * VectorGram.padded(largest)];
        }
        float[] h = row.hessian;

        int n = 0;
        for (int from = row.start; from < row.end; ) {
            if (!row.fits()) from = row.gatherSegment(from);
            else from = row.end;
            for (int e = 0; e < row.count; e++) s[n + e] = VectorConjugateGradient.dot(row.panel, e * kp, x, kp);
            n += row.count;
        }
        if (row.gram != null) {
            VectorConjugateGradient.gramTimes(row.gram, k, kp, x, g);
        } else {
            java.util.Arrays.fill(g, 0, kp, 0f);
        }
        for (int t0 = 0; t0 < k; t0 += blockSize) {
            int size = Math.min(blockSize, k - t0);
            int width = VectorGram.padded(size);
            java.util.Arrays.fill(h, 0, size * width, 0f);
            java.util.Arrays.fill(gradient, 0, width, 0f);
            int base = 0;
            for (int from = row.start; from < row.end; ) {
                if (!row.fits()) from = row.gatherSegment(from);
                else from = row.end;
                accumulate(row.panel, row.weights, row.targets, s, base, row.count, kp, t0, size, width, h, gradient);
                base += row.count;
            }
            float shift = row.shift;
            for (int i = 0; i < size; i++) {
                gradient[i] += g[t0 + i] + shift * x[t0 + i];
                for (int j = 0; j <= i; j++) {
                    float gij = row.gram == null ? 0f : row.gram[(t0 + i) * kp + t0 + j];
                    h[i * width + j] += gij + (i == j ? shift : 0f);
                }
            }
            int bad = factorSolve(h, width, size, gradient, delta);
            if (bad >= 0) {
                row.badColumn = t0 + bad;
                row.breakdown = h[bad * width + bad];
                return false;
            }
            for (int i = 0; i < size; i++) x[t0 + i] += delta[i];
            if (row.gram != null) {
                for (int i = 0; i < size; i++) {
                    FloatVector d = FloatVector.broadcast(S, delta[i]);
                    int rowAt = (t0 + i) * kp;
                    for (int t = 0; t < kp; t += L) {
                        d.fma(FloatVector.fromArray(S, row.gram, rowAt + t), FloatVector.fromArray(S, g, t)).intoArray(g, t);
                    }
                }
            }
            base = 0;
            for (int from = row.start; from < row.end; ) {
                if (!row.fits()) from = row.gatherSegment(from);
                else from = row.end;
                updatePredictions(row.panel, s, base, row.count, kp, t0, size, delta);
                base += row.count;
            }
        }
        return true;
    }

    /**
     * h[i][:] += w_e q_e[t0+i] q_e[t0..t0+width) (i &lt; size) and gradient += (w_e s_e − t_e)
     * q_e[t0..t0+width) over the panel's {@code count} entries, whose predictions start at
     * {@code s[base]}. Rows of h in groups of four, whole vectors, four accumulators.
     */
    private static void accumulate(float[] panel, float[] weights, float[] targets, float[] s, int base, int count,
                                   int kp, int t0, int size, int width, float[] h, float[] gradient) {
        for (int c = 0; c < width; c += L) {
            FloatVector acc = FloatVector.fromArray(S, gradient, c);
            for (int e = 0; e < count; e++) {
                float coefficient = weights[e] * s[base + e] - targets[e];
                acc = FloatVector.broadcast(S, coefficient).fma(FloatVector.fromArray(S, panel, e * kp + t0 + c), acc);
            }
            acc.intoArray(gradient, c);
        }
        int i = 0;
        for (; i + 4 <= size; i += 4) {
            // Only the vectors that reach the lower triangle of rows i..i+3.
            for (int c = 0; c <= i + 3; c += L) {
                int at = t0 + c;
                FloatVector s0 = FloatVector.fromArray(S, h, i * width + c);
                FloatVector s1 = FloatVector.fromArray(S, h, (i + 1) * width + c);
                FloatVector s2 = FloatVector.fromArray(S, h, (i + 2) * width + c);
                FloatVector s3 = FloatVector.fromArray(S, h, (i + 3) * width + c);
                for (int e = 0; e < count; e++) {
                    int q = e * kp + t0 + i;
                    float w = weights[e];
                    FloatVector v = FloatVector.fromArray(S, panel, e * kp + at);
                    s0 = FloatVector.broadcast(S, w * panel[q]).fma(v, s0);
                    s1 = FloatVector.broadcast(S, w * panel[q + 1]).fma(v, s1);
                    s2 = FloatVector.broadcast(S, w * panel[q + 2]).fma(v, s2);
                    s3 = FloatVector.broadcast(S, w * panel[q + 3]).fma(v, s3);
                }
                s0.intoArray(h, i * width + c);
                s1.intoArray(h, (i + 1) * width + c);
                s2.intoArray(h, (i + 2) * width + c);
                s3.intoArray(h, (i + 3) * width + c);
            }
        }
        for (; i < size; i++) {
            for (int c = 0; c <= i; c += L) {
                FloatVector s0 = FloatVector.fromArray(S, h, i * width + c);
                for (int e = 0; e < count; e++) {
                    FloatVector v = FloatVector.fromArray(S, panel, e * kp + t0 + c);
                    s0 = FloatVector.broadcast(S, weights[e] * panel[e * kp + t0 + i]).fma(v, s0);
                }
                s0.intoArray(h, i * width + c);
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

    /**
     * Cholesky–Crout on the lower triangle of the size×size matrix h (row stride {@code width}),
     * in place, then Δ = −H⁻¹ gradient into {@code delta} (zero beyond size). Returns -1, or
     * the column whose pivot was not positive and finite (left in h's diagonal).
     */
    static int factorSolve(float[] h, int width, int size, float[] gradient, float[] delta) {
        for (int j = 0; j < size; j++) {
            float d = h[j * width + j];
            for (int t = 0; t < j; t++) d -= h[j * width + t] * h[j * width + t];
            if (!(d > 0f) || !Float.isFinite(d)) {
                h[j * width + j] = d;
                return j;
            }
            float ljj = (float) Math.sqrt(d);
            h[j * width + j] = ljj;
            for (int i = j + 1; i < size; i++) {
                float v = h[i * width + j];
                for (int t = 0; t < j; t++) v -= h[i * width + t] * h[j * width + t];
                h[i * width + j] = v / ljj;
            }
        }
        for (int i = 0; i < size; i++) {
            float v = -gradient[i];
            for (int t = 0; t < i; t++) v -= h[i * width + t] * delta[t];
            delta[i] = v / h[i * width + i];
        }
        for (int i = size - 1; i >= 0; i--) {
            float v = delta[i];
            for (int t = i + 1; t < size; t++) v -= h[t * width + i] * delta[t];
            delta[i] = v / h[i * width + i];
        }
        java.util.Arrays.fill(delta, size, width, 0f);
        return -1;
    }
}
