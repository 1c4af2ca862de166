package org.mfkit.bench.jmh;

import java.util.SplittableRandom;

/**
 * Seeded benchmark inputs. Every generator takes its seed from the caller, so the same
 * parameters give the same inputs in every fork, on every JVM and for every implementation:
 * the cross-check and the timing see exactly the same data. No generator can return all
 * zeros (a kernel fed zeros can skip work or hit denormal-free fast paths and flatter itself).
 */
public final class Inputs {
    private Inputs() {}

    /** A {@code rows × k} factor matrix, entries uniform in ±1/√k so dot products stay O(1). */
    public static float[] factors(int rows, int k, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float scale = (float) (2.0 / Math.sqrt(k));
        float[] out = new float[Math.multiplyExact(rows, k)];
        for (int j = 0; j < out.length; j++) out[j] = (random.nextFloat() - 0.5f) * scale;
        return out;
    }

    /** {@code n} ids uniform in {@code [0, bound)}. */
    public static int[] uniformIds(int n, int bound, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] out = new int[n];
        for (int j = 0; j < n; j++) out[j] = random.nextInt(bound);
        return out;
    }

    /**
     * {@code n} ids in {@code [0, bound)} skewed towards low ids (popular items first, the
     * shape of real rating data): id = ⌊bound·u²⌋ for u uniform.
     */
    public static int[] skewedIds(int n, int bound, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] out = new int[n];
        for (int j = 0; j < n; j++) {
            double u = random.nextDouble();
            out[j] = Math.min(bound - 1, (int) (bound * u * u));
        }
        return out;
    }

    /** {@code n} ratings in 1..5 (half steps), mean about 3. */
    public static float[] ratings(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] out = new float[n];
        for (int j = 0; j < n; j++) out[j] = 1f + 0.5f * random.nextInt(9);
        return out;
    }

    /**
     * A sparse interaction matrix of {@code rows × cols} with {@code nnz} entries: the row of
     * each entry is uniform, its column skewed to popular ids, its value an interaction count
     * in 1..8. Rows are sorted; duplicates are allowed (the kernels count each entry).
     */
    public static Csr interactions(int rows, int cols, int nnz, long seed) {
        int[] r = uniformIds(nnz, rows, seed);
        int[] c = skewedIds(nnz, cols, seed ^ 0x9E3779B97F4A7C15L);
        SplittableRandom random = new SplittableRandom(seed + 17);
        float[] v = new float[nnz];
        for (int j = 0; j < nnz; j++) v[j] = 1 + random.nextInt(8);
        return Csr.fromTriples(rows, cols, r, c, v);
    }

    /**
     * {@code count} symmetric positive-definite k×k systems, one per row of a
     * {@code count × k·k} row-major array: off-diagonal entries uniform in ±½, the diagonal
     * k/2 + 1 + u, so every matrix is strictly diagonally dominant (condition number below
     * about 10) and every backend's Cholesky must succeed.
     */
    public static float[] spdSystems(int count, int k, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] out = new float[Math.multiplyExact(count, k * k)];
        for (int s = 0; s < count; s++) {
            int off = s * k * k;
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < i; j++) {
                    float v = random.nextFloat() - 0.5f;
                    out[off + i * k + j] = v;
                    out[off + j * k + i] = v;
                }
                out[off + i * k + i] = k / 2f + 1f + random.nextFloat();
            }
        }
        return out;
    }

    /** Host CSR arrays, the input the benchmarks upload to each backend. */
    public record Csr(int rows, int cols, int[] rowPtr, int[] colIdx, float[] values) {
        /** Number of stored entries. */
        public int nnz() {
            return colIdx.length;
        }

        /** Builds rows by a stable counting sort of (row, col, value) triples. */
        public static Csr fromTriples(int rows, int cols, int[] r, int[] c, float[] v) {
            int[] rowPtr = new int[rows + 1];
            for (int row : r) rowPtr[row + 1]++;
            for (int j = 0; j < rows; j++) rowPtr[j + 1] += rowPtr[j];
            int[] next = rowPtr.clone();
            int[] colIdx = new int[c.length];
            float[] values = new float[c.length];
            for (int j = 0; j < c.length; j++) {
                int at = next[r[j]]++;
                colIdx[at] = c[j];
                values[at] = v[j];
            }
            return new Csr(rows, cols, rowPtr, colIdx, values);
        }

        /** The same entries indexed by column (items × users when this is users × items). */
        public Csr transpose() {
            int[] r = new int[nnz()];
            for (int row = 0; row < rows; row++) {
                for (int e = rowPtr[row]; e < rowPtr[row + 1]; e++) r[e] = row;
            }
            return fromTriples(cols, rows, colIdx, r, values);
        }
    }
}
