package org.mfkit.model;

/**
 * Initial factor values that depend only on (seed, side, row id): row r of a side is the same
 * whatever the number of rows, the order the data came in or the machine that draws it. That
 * is what lets a distributed trainer (the Spark module) start each block from exactly the
 * values the single-machine trainers start from. Values are N(0, std²) by Box–Muller on a
 * SplitMix64 stream keyed by the three numbers, with {@link StrictMath}, so every JVM on every
 * platform draws the same bits.
 */
public final class FactorInit {
    /** Side number of user rows. */
    public static final int USERS = 0;
    /** Side number of item rows. */
    public static final int ITEMS = 1;

    private FactorInit() {}

    /** Writes the k values of row {@code rowId} of {@code side} to {@code out[off .. off + k)}. */
    public static void gaussianRow(long seed, int side, long rowId, float std, float[] out, int off, int k) {
        long state = mix(mix(seed ^ 0x9E3779B97F4A7C15L * (side + 1)) + rowId);
        for (int t = 0; t < k; t += 2) {
            state += 0x9E3779B97F4A7C15L;
            double u1 = uniform(mix(state));
            state += 0x9E3779B97F4A7C15L;
            double u2 = uniform(mix(state));
            double radius = StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * std;
            double angle = 2.0 * Math.PI * u2;
            out[off + t] = (float) (radius * StrictMath.cos(angle));
            if (t + 1 < k) out[off + t + 1] = (float) (radius * StrictMath.sin(angle));
        }
    }

    /** Rows 0..n−1 of {@code side}, row-major n × k. */
    public static float[] gaussianRows(long seed, int side, int n, int k, float std) {
        float[] out = new float[n * k];
        for (int r = 0; r < n; r++) gaussianRow(seed, side, r, std, out, r * k, k);
        return out;
    }

    /** A uniform double in (0, 1] from the top 53 bits (never 0, so the logarithm is finite). */
    private static double uniform(long bits) {
        return ((bits >>> 11) + 1) * 0x1.0p-53;
    }

    /** SplitMix64's finalizer (Steele, Lea, Flood 2014). */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
