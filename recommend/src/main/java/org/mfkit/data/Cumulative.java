package org.mfkit.data;

/**
 * Sampling in proportion to non-negative weights through a table of running sums: draw
 * x uniformly in [0, total) and take the first index whose running sum exceeds x, so an index
 * of zero weight (running sum equal to its predecessor's) is never drawn. Used for
 * power-law item popularity in {@link SyntheticData} and popularity-weighted negatives in BPR.
 */
public final class Cumulative {
    private Cumulative() {}

    /**
     * The first index i with {@code sums[i] > x} (binary search), for non-decreasing
     * {@code sums}; the last index when none exceeds x.
     */
    public static int firstAbove(double[] sums, double x) {
        int lo = 0;
        int hi = sums.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sums[mid] > x) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }
}
