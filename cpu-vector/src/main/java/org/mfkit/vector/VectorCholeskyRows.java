package org.mfkit.vector;

import static org.mfkit.vector.VectorDots.L;
import static org.mfkit.vector.VectorDots.S;

import jdk.incubator.vector.FloatVector;

/**
 * Cholesky factor and solve of one k×k SPD system, vectorized along rows of the upper factor
 * U = Lᵀ kept row-major in scratch, so every inner loop is unit-stride. Used for large k by
 * the batch ({@link VectorCholesky}) and the subspace sweep ({@link VectorSubspace}); the ALS
 * Cholesky half-steps ({@link VectorAls}) factor their rows
 * lanes across systems instead ({@link VectorCholeskyCompact.Packed}).
 *
 * <p>Factor (left-looking): row j of U is A's column j (read from the lower triangle) minus
 * Σ_{t&lt;j} U[t][j]·U[t][j..k), a broadcast-FMA over up to four vector accumulators that stay
 * in registers across t, then scaled by 1/U[j][j] (a division, as in the reference). Scratch
 * rows have stride k rounded up to whole vectors plus one vector, zero-padded, so a vector
 * starting at any column j stays inside its row and never needs a (slow on JDK 17) masked
 * tail: the padding lanes compute 0. Solve: Uᵀz = b by row axpys, then Ux = z by row dots.
 */
final class VectorCholeskyRows {
    private VectorCholeskyRows() {}

    /** Per-worker buffers for systems of size k. */
    static final class Scratch {
        final int k;
        final int stride;
        final float[] u;
        final float[] z;
        final float[] x;
        /** The failing pivot after {@link #factorSolve} returned a column. */
        float badPivot;

        Scratch(int k) {
            this.k = k;
            this.stride = VectorGram.padded(k) + L;
            this.u = new float[k * stride + L];
            this.z = new float[stride];
            this.x = new float[stride];
        }
    }

    /**
     * Solves A x = b for the A at a[aOff..] (lower triangle read), b at b[bOff..], into
     * out[outOff..]. Returns -1, or the column whose pivot was not positive and finite
     * (then {@code s.badPivot} holds it and out is untouched).
     */
    static int factorSolve(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, Scratch s) {
        int bad = factor(a, aOff, s);
        if (bad >= 0) return bad;
        solve(s, b, bOff, out, outOff);
        return -1;
    }

    static int factor(float[] a, int aOff, Scratch s) {
        int k = s.k;
        int st = s.stride;
        float[] u = s.u;
        // Row j of the scratch gets A's column j from the diagonal down (A[c][j], c >= j).
        for (int j = 0; j < k; j++) {
            int row = j * st;
            for (int c = j; c < k; c++) u[row + c] = a[aOff + c * k + j];
            for (int c = k; c < st; c++) u[row + c] = 0f;
        }
        for (int j = 0; j < k; j++) {
            int row = j * st;
            int width = k - j;
            for (int c = 0; c < width; c += 4 * L) {
                int vectors = Math.min(4, (width - c + L - 1) / L);
                update(u, st, j, j + c, vectors);
            }
            float d = u[row + j];
            if (!(d > 0f) || !Float.isFinite(d)) {
                s.badPivot = d;
                return j;
            }
            float ljj = (float) Math.sqrt(d);
            FloatVector div = FloatVector.broadcast(S, ljj);
            for (int c = j; c < k; c += L) {
                FloatVector.fromArray(S, u, row + c).div(div).intoArray(u, row + c);
            }
            u[row + j] = ljj;
        }
        return -1;
    }

    /** u[j][c0 .. c0+vectors·L) -= Σ_{t&lt;j} u[t][j] · u[t][c0 ..), accumulators in registers. */
    private static void update(float[] u, int st, int j, int c0, int vectors) {
        int at = j * st + c0;
        switch (vectors) {
            case 4 -> {
                FloatVector s0 = FloatVector.fromArray(S, u, at);
                FloatVector s1 = FloatVector.fromArray(S, u, at + L);
                FloatVector s2 = FloatVector.fromArray(S, u, at + 2 * L);
                FloatVector s3 = FloatVector.fromArray(S, u, at + 3 * L);
                for (int t = 0, row = 0; t < j; t++, row += st) {
                    FloatVector m = FloatVector.broadcast(S, -u[row + j]);
                    s0 = m.fma(FloatVector.fromArray(S, u, row + c0), s0);
                    s1 = m.fma(FloatVector.fromArray(S, u, row + c0 + L), s1);
                    s2 = m.fma(FloatVector.fromArray(S, u, row + c0 + 2 * L), s2);
                    s3 = m.fma(FloatVector.fromArray(S, u, row + c0 + 3 * L), s3);
                }
                s0.intoArray(u, at);
                s1.intoArray(u, at + L);
                s2.intoArray(u, at + 2 * L);
                s3.intoArray(u, at + 3 * L);
            }
            case 3 -> {
                FloatVector s0 = FloatVector.fromArray(S, u, at);
                FloatVector s1 = FloatVector.fromArray(S, u, at + L);
                FloatVector s2 = FloatVector.fromArray(S, u, at + 2 * L);
                for (int t = 0, row = 0; t < j; t++, row += st) {
                    FloatVector m = FloatVector.broadcast(S, -u[row + j]);
                    s0 = m.fma(FloatVector.fromArray(S, u, row + c0), s0);
                    s1 = m.fma(FloatVector.fromArray(S, u, row + c0 + L), s1);
                    s2 = m.fma(FloatVector.fromArray(S, u, row + c0 + 2 * L), s2);
                }
                s0.intoArray(u, at);
                s1.intoArray(u, at + L);
                s2.intoArray(u, at + 2 * L);
            }
            case 2 -> {
                // Two chains per vector (even and odd t) so the FMA latency is hidden.
                FloatVector s0 = FloatVector.fromArray(S, u, at);
                FloatVector s1 = FloatVector.fromArray(S, u, at + L);
                FloatVector e0 = FloatVector.zero(S);
                FloatVector e1 = FloatVector.zero(S);
                int t = 0;
                int row = 0;
                for (; t + 1 < j; t += 2, row += 2 * st) {
                    FloatVector m = FloatVector.broadcast(S, -u[row + j]);
                    FloatVector n = FloatVector.broadcast(S, -u[row + st + j]);
                    s0 = m.fma(FloatVector.fromArray(S, u, row + c0), s0);
                    s1 = m.fma(FloatVector.fromArray(S, u, row + c0 + L), s1);
                    e0 = n.fma(FloatVector.fromArray(S, u, row + st + c0), e0);
                    e1 = n.fma(FloatVector.fromArray(S, u, row + st + c0 + L), e1);
                }
                if (t < j) {
                    FloatVector m = FloatVector.broadcast(S, -u[row + j]);
                    s0 = m.fma(FloatVector.fromArray(S, u, row + c0), s0);
                    s1 = m.fma(FloatVector.fromArray(S, u, row + c0 + L), s1);
                }
                s0.add(e0).intoArray(u, at);
                s1.add(e1).intoArray(u, at + L);
            }
            default -> {
                FloatVector s0 = FloatVector.fromArray(S, u, at);
                FloatVector e0 = FloatVector.zero(S);
                int t = 0;
                int row = 0;
                for (; t + 1 < j; t += 2, row += 2 * st) {
                    s0 = FloatVector.broadcast(S, -u[row + j]).fma(FloatVector.fromArray(S, u, row + c0), s0);
                    e0 = FloatVector.broadcast(S, -u[row + st + j]).fma(FloatVector.fromArray(S, u, row + st + c0), e0);
                }
                if (t < j) s0 = FloatVector.broadcast(S, -u[row + j]).fma(FloatVector.fromArray(S, u, row + c0), s0);
                s0.add(e0).intoArray(u, at);
            }
        }
    }

    /** Solves UᵀU x = b with the factor in s; out may alias b. */
    static void solve(Scratch s, float[] b, int bOff, float[] out, int outOff) {
        int k = s.k;
        int st = s.stride;
        float[] u = s.u;
        float[] z = s.z;
        float[] x = s.x;
        System.arraycopy(b, bOff, z, 0, k);
        for (int c = k; c < st; c++) {
            z[c] = 0f;
            x[c] = 0f;
        }
        // Uᵀz = b: z_j = r_j / U[j][j], then r[j+1..) -= z_j · U[j][j+1..).
        for (int j = 0; j < k; j++) {
            int row = j * st;
            float zj = z[j] / u[row + j];
            z[j] = zj;
            FloatVector m = FloatVector.broadcast(S, -zj);
            for (int c = j + 1; c < k; c += L) {
                m.fma(FloatVector.fromArray(S, u, row + c), FloatVector.fromArray(S, z, c)).intoArray(z, c);
            }
        }
        // Ux = z: x_j = (z_j − U[j][j+1..)·x[j+1..)) / U[j][j].
        for (int j = k - 1; j >= 0; j--) {
            int row = j * st;
            float sum = 0f;
            int c = j + 1;
            if (c < k) {
                FloatVector acc = FloatVector.zero(S);
                for (; c < k; c += L) acc = FloatVector.fromArray(S, u, row + c).fma(FloatVector.fromArray(S, x, c), acc);
                sum = VectorDots.sum(acc);
            }
            x[j] = (z[j] - sum) / u[row + j];
        }
        System.arraycopy(x, 0, out, outOff, k);
    }
}
