package org.mfkit.spark;

import java.util.Arrays;
import java.util.Random;
import org.mfkit.data.Ratings;

/**
 * MovieLens-shaped explicit ratings for comparisons with Spark's ALS, after the idea of
 * {@code shared/data/gen_synth.py} at a smaller size: lognormal user activity (every user at
 * least {@code minPerUser} ratings, as in MovieLens), Zipf-like item popularity
 * w ∝ (rank + 20)⁻¹ over shuffled ids, a rank-10 signal 3.55 + b_u + b_i + x_u·y_i with
 * unpopular items rated a little lower, N(0, 0.8²) noise, rounded and clipped to 1–5. Distinct
 * (user, item) pairs; users and items as dense ids. Seeded: same arguments, same data.
 */
public final class RealisticRatings {
    private RealisticRatings() {}

    /** The MovieLens-100K shape: 943 users × 1,682 items, 100,000 ratings, at least 20 per user. */
    public static Ratings movieLens100kShape(long seed) {
        return generate(943, 1682, 100_000, 20, seed);
    }

    /** Ratings of {@code numUsers} × {@code numItems} with {@code total} entries, at least {@code minPerUser} per user. */
    public static Ratings generate(int numUsers, int numItems, int total, int minPerUser, long seed) {
        Random random = new Random(seed);
        int[] rankOf = shuffled(numItems, random);
        double[] popularity = new double[numItems];
        double sum = 0;
        for (int i = 0; i < numItems; i++) {
            popularity[i] = 1.0 / (rankOf[i] + 20.0);
            sum += popularity[i];
        }
        double[] cdf = new double[numItems];
        double acc = 0;
        for (int i = 0; i < numItems; i++) {
            acc += popularity[i] / sum;
            cdf[i] = acc;
        }
        // Lognormal activity, scaled so the counts add up to the total, each within [min, items/2].
        double[] activity = new double[numUsers];
        double activitySum = 0;
        for (int u = 0; u < numUsers; u++) {
            activity[u] = Math.exp(random.nextGaussian());
            activitySum += activity[u];
        }
        int[] counts = new int[numUsers];
        int assigned = 0;
        int spare = total - minPerUser * numUsers;
        if (spare < 0) throw new IllegalArgumentException("total = " + total + " is below numUsers × minPerUser");
        for (int u = 0; u < numUsers; u++) {
            counts[u] = Math.min(numItems / 2, minPerUser + (int) Math.floor(spare * activity[u] / activitySum));
            assigned += counts[u];
        }
        for (int u = 0; assigned < total; u = (u + 1) % numUsers) {
            if (counts[u] < numItems / 2) {
                counts[u]++;
                assigned++;
            }
        }
        int rank = 10;
        double[] x = gaussian(random, numUsers * rank, 0.45);
        double[] y = gaussian(random, numItems * rank, 0.45);
        double[] bu = gaussian(random, numUsers, 0.35);
        double[] bi = gaussian(random, numItems, 0.45);
        for (int i = 0; i < numItems; i++) if (rankOf[i] > numItems / 2) bi[i] -= 0.3;
        int[] users = new int[total];
        int[] items = new int[total];
        float[] values = new float[total];
        boolean[] taken = new boolean[numItems];
        int j = 0;
        for (int u = 0; u < numUsers; u++) {
            int start = j;
            while (j - start < counts[u]) {
                int i = Arrays.binarySearch(cdf, random.nextDouble());
                i = i >= 0 ? i : Math.min(numItems - 1, -i - 1);
                if (taken[i]) continue;
                taken[i] = true;
                double signal = 3.55 + bu[u] + bi[i];
                for (int c = 0; c < rank; c++) signal += x[u * rank + c] * y[i * rank + c];
                double r = Math.rint(signal + random.nextGaussian() * 0.8);
                users[j] = u;
                items[j] = i;
                values[j] = (float) Math.max(1, Math.min(5, r));
                j++;
            }
            for (int e = start; e < j; e++) taken[items[e]] = false;
        }
        return new Ratings(numUsers, numItems, users, items, values);
    }

    /** The entries of {@code r} at {@code positions}, in that order (same id space). */
    static Ratings select(Ratings r, java.util.List<Integer> positions, boolean ones) {
        int[] u = new int[positions.size()];
        int[] i = new int[positions.size()];
        float[] v = new float[positions.size()];
        for (int j = 0; j < positions.size(); j++) {
            u[j] = r.user(positions.get(j));
            i[j] = r.item(positions.get(j));
            v[j] = ones ? 1f : r.value(positions.get(j));
        }
        return new Ratings(r.numUsers(), r.numItems(), u, i, v);
    }

    private static int[] shuffled(int n, Random random) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int s = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[s];
            a[s] = t;
        }
        return a;
    }

    private static double[] gaussian(Random random, int n, double std) {
        double[] out = new double[n];
        for (int j = 0; j < n; j++) out[j] = random.nextGaussian() * std;
        return out;
    }
}
