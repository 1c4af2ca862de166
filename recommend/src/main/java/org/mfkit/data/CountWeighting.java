package org.mfkit.data;

import java.util.Locale;
import org.mfkit.core.Check;

/**
 * How raw interaction strengths (play counts, clicks, purchases) become the weights w that
 * implicit models learn from: implicit ALS's confidence is c = 1 + α·w, and BPR draws its
 * positives in proportion to w. Counts are heavy-tailed (one user plays a song 300,000 times,
 * most pairs once), and taken as they are a handful of pairs dominate the loss; the schemes
 * compress them:
 *
 * <ul>
 *   <li>{@link Scheme#NONE}: w = r (implicit ALS's c = 1 + α·r; BPR ignores the value).</li>
 *   <li>{@link Scheme#LOG}: w = ln(1 + r/ε) (Hu, Koren, Volinsky 2008, the "log" confidence).</li>
 *   <li>{@link Scheme#BM25}: the Okapi BM25 weighting of the {@code bm25_weight} function of the
 *       implicit library, with items as the documents and users as the terms:
 *       w = r·(K1 + 1) / (K1·L_i + r) · idf_u, where L_i = (1 − B) + B·S_i / mean(S) is item i's
 *       length normalization (S_i the sum of item i's values, the mean taken over all items)
 *       and idf_u = ln(N) − ln(1 + n_u) (N the number of items, n_u the number of entries of
 *       user u). K1 saturates a pair's count, B scales how much an item's total plays count
 *       against it, and idf lowers the weight of users who interact with everything. Where
 *       n_u + 1 &gt; N (a user holding every item) implicit's idf goes negative; here it is
 *       clamped to 0.</li>
 * </ul>
 *
 * <p>A value of 0 has weight 0 in every scheme. The transform is applied to interactions after
 * the duplicates policy (implicit trainers sum repeated pairs first); {@link #apply(int, int,
 * int[], int[], float[])} is a plain function on (user, item, value) arrays, so any caller
 * (the Spark module, a data pipeline) gets the same weights as the trainers. BM25 needs the
 * {@link Statistics} of the training interactions: a trained model records them, so that
 * fold-in weighs a new user's (or item's) interactions as training did.
 *
 * <p>This class is the reference implementation: plain loops, statistics summed in float64.
 *
 * @param scheme  the scheme
 * @param epsilon ε of {@link Scheme#LOG}, &gt; 0 (default {@value #DEFAULT_EPSILON}; ignored by the other schemes)
 * @param k1      K1 of {@link Scheme#BM25}, &ge; 0 (default {@value #DEFAULT_K1}, as implicit's {@code bm25_weight})
 * @param b       B of {@link Scheme#BM25}, in [0, 1] (default {@value #DEFAULT_B}, as implicit's {@code bm25_weight})
 */
public record CountWeighting(Scheme scheme, float epsilon, float k1, float b) {
    /** Default ε of the log scheme: w = ln(1 + r). */
    public static final float DEFAULT_EPSILON = 1f;
    /** Default K1 of BM25 (implicit's {@code bm25_weight} default). */
    public static final float DEFAULT_K1 = 100f;
    /** Default B of BM25 (implicit's {@code bm25_weight} default). */
    public static final float DEFAULT_B = 0.8f;

    /** The weighting schemes. */
    public enum Scheme {
        /** w = r. */
        NONE,
        /** w = ln(1 + r/ε). */
        LOG,
        /** BM25 with items as documents and users as terms (class comment). */
        BM25;

        /** The scheme named {@code text} (none, log or bm25, any case). */
        public static Scheme parse(String text) {
            Check.notNull("weighting", text);
            for (Scheme s : values()) if (s.name().equalsIgnoreCase(text.trim())) return s;
            throw new IllegalArgumentException("weighting = '" + text + "' is not a weighting; expected none, log or bm25");
        }

        /** The scheme's name as the command line spells it. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Validates every field. */
    public CountWeighting {
        Check.notNull("scheme", scheme);
        Check.finitePositive("epsilon", epsilon);
        Check.finiteNonNegative("k1", k1);
        if (!(b >= 0f && b <= 1f)) throw new IllegalArgumentException("b = " + b + " must be in [0, 1]");
    }

    /** No weighting: w = r. */
    public static CountWeighting none() {
        return new CountWeighting(Scheme.NONE, DEFAULT_EPSILON, DEFAULT_K1, DEFAULT_B);
    }

    /** w = ln(1 + r/ε). */
    public static CountWeighting log(float epsilon) {
        return new CountWeighting(Scheme.LOG, epsilon, DEFAULT_K1, DEFAULT_B);
    }

    /** BM25 with parameters K1 and B (class comment). */
    public static CountWeighting bm25(float k1, float b) {
        return new CountWeighting(Scheme.BM25, DEFAULT_EPSILON, k1, b);
    }

    /** The given scheme with the default parameters. */
    public static CountWeighting of(Scheme scheme) {
        return new CountWeighting(scheme, DEFAULT_EPSILON, DEFAULT_K1, DEFAULT_B);
    }

    /** Whether this is {@link Scheme#NONE}: weights equal values. */
    public boolean isNone() {
        return scheme == Scheme.NONE;
    }

    /** Whether the weights depend on statistics of all the training interactions (BM25), not on the entry alone. */
    public boolean needsStatistics() {
        return scheme == Scheme.BM25;
    }

    /**
     * What BM25 needs to know of the training interactions beyond one entry.
     *
     * @param userCounts entries per user (n_u), numUsers values &ge; 0
     * @param itemSums   sum of the values per item (S_i), numItems values &ge; 0; N = its length
     */
    public record Statistics(float[] userCounts, float[] itemSums) {
        /** Validates and copies the arrays. */
        public Statistics {
            Check.notNull("userCounts", userCounts);
            Check.notNull("itemSums", itemSums);
            userCounts = userCounts.clone();
            itemSums = itemSums.clone();
            for (int u = 0; u < userCounts.length; u++) {
                if (!(userCounts[u] >= 0f) || !Float.isFinite(userCounts[u])) {
                    throw new IllegalArgumentException("userCounts[" + u + "] = " + userCounts[u] + " must be finite and >= 0");
                }
            }
            for (int i = 0; i < itemSums.length; i++) {
                if (!(itemSums[i] >= 0f) || !Float.isFinite(itemSums[i])) {
                    throw new IllegalArgumentException("itemSums[" + i + "] = " + itemSums[i] + " must be finite and >= 0");
                }
            }
        }

        /** The statistics of interactions (users[j], items[j], values[j]) with ids below numUsers and numItems. */
        public static Statistics of(int numUsers, int numItems, int[] users, int[] items, float[] values) {
            checkEntries(numUsers, numItems, users, items, values);
            float[] counts = new float[numUsers];
            double[] sums = new double[numItems];
            for (int j = 0; j < users.length; j++) {
                counts[users[j]] += 1f;
                sums[items[j]] += values[j];
            }
            float[] itemSums = new float[numItems];
            for (int i = 0; i < numItems; i++) itemSums[i] = (float) sums[i];
            return new Statistics(counts, itemSums);
        }

        /** A copy of n_u per user. */
        @Override
        public float[] userCounts() {
            return userCounts.clone();
        }

        /** A copy of S_i per item. */
        @Override
        public float[] itemSums() {
            return itemSums.clone();
        }

        /** Number of users. */
        public int numUsers() {
            return userCounts.length;
        }

        /** Number of items (N of the idf). */
        public int numItems() {
            return itemSums.length;
        }

        /** The mean of S_i over all items, in float64. */
        double meanItemSum() {
            double total = 0;
            for (float s : itemSums) total += s;
            return itemSums.length == 0 ? 0 : total / itemSums.length;
        }

        float userCount(int u) {
            return userCounts[u];
        }

        float itemSum(int i) {
            return itemSums[i];
        }
    }

    /**
     * The weights of interactions (users[j], items[j], values[j]), the statistics taken from these
     * same interactions (the training transform). Values must be finite and &ge; 0.
     */
    public float[] apply(int numUsers, int numItems, int[] users, int[] items, float[] values) {
        checkEntries(numUsers, numItems, users, items, values);
        Statistics statistics = needsStatistics() ? Statistics.of(numUsers, numItems, users, items, values) : null;
        return weigh(statistics, users, items, values);
    }

    /** The same interactions with weighted values (ids, id maps and timestamps kept). */
    public Ratings apply(Ratings ratings) {
        Check.notNull("ratings", ratings);
        float[] weights = apply(ratings.numUsers(), ratings.numItems(), ratings.users(), ratings.items(), ratings.values());
        int n = ratings.size();
        long[] stamps = null;
        if (ratings.hasTimestamps()) {
            stamps = new long[n];
            for (int j = 0; j < n; j++) stamps[j] = ratings.timestamp(j);
        }
        return new Ratings(ratings.numUsers(), ratings.numItems(), ratings.users(), ratings.items(), weights, stamps,
                ratings.userIds(), ratings.itemIds());
    }

    /**
     * The weights of interactions in the id space of {@code statistics} (ids below its numbers of
     * users and items), weighed with those statistics, e.g. one partition of a distributed
     * data set weighed with global statistics. {@code statistics} may be null unless
     * {@link #needsStatistics()}.
     */
    public float[] apply(Statistics statistics, int[] users, int[] items, float[] values) {
        if (needsStatistics()) {
            Check.notNull("statistics", statistics);
            checkEntries(statistics.numUsers(), statistics.numItems(), users, items, values);
        } else {
            checkEntries(Integer.MAX_VALUE, Integer.MAX_VALUE, users, items, values);
        }
        return weigh(statistics, users, items, values);
    }

    /**
     * The weights of a new user's interactions with {@code items} (distinct) of a model whose
     * training interactions had {@code statistics}: the user's n_u is the number of items given.
     */
    public float[] foldInUser(Statistics statistics, int[] items, float[] values) {
        checkRow("items", items, values, needsStatistics() ? Check.notNull("statistics", statistics).numItems()
                : Integer.MAX_VALUE);
        if (!needsStatistics()) return weigh(null, null, items, values);
        float[] w = new float[items.length];
        double mean = statistics.meanItemSum();
        double idf = idf(statistics.numItems(), items.length);
        for (int j = 0; j < items.length; j++) w[j] = bm25(values[j], lengthNorm(statistics.itemSum(items[j]), mean), idf);
        return w;
    }

    /**
     * The weights of a new item's interactions with {@code users} (distinct) of a model whose
     * training interactions had {@code statistics}: the item's S_i is the sum of the values given.
     */
    public float[] foldInItem(Statistics statistics, int[] users, float[] values) {
        checkRow("users", users, values, needsStatistics() ? Check.notNull("statistics", statistics).numUsers()
                : Integer.MAX_VALUE);
        if (!needsStatistics()) return weigh(null, users, null, values);
        float[] w = new float[users.length];
        double sum = 0;
        for (float v : values) sum += v;
        double norm = lengthNorm(sum, statistics.meanItemSum());
        for (int j = 0; j < users.length; j++) {
            w[j] = bm25(values[j], norm, idf(statistics.numItems(), statistics.userCount(users[j])));
        }
        return w;
    }

    /** One row's partners {@code ids} (below {@code bound}) and their values (finite, &ge; 0). */
    private static void checkRow(String name, int[] ids, float[] values, int bound) {
        Check.notNull(name, ids);
        Check.notNull("values", values);
        Check.sameLength(name, ids.length, "values", values.length);
        for (int j = 0; j < ids.length; j++) {
            if (ids[j] < 0 || ids[j] >= bound) {
                throw new IllegalArgumentException(name + "[" + j + "] = " + ids[j] + " is out of range [0, " + bound + ")");
            }
            checkValue(j, values[j]);
        }
    }

    private float[] weigh(Statistics statistics, int[] users, int[] items, float[] values) {
        float[] w = new float[values.length];
        if (!needsStatistics()) {
            for (int j = 0; j < w.length; j++) w[j] = entryWeight(values[j]);
            return w;
        }
        double mean = statistics.meanItemSum();
        int n = statistics.numItems();
        for (int j = 0; j < w.length; j++) {
            w[j] = bm25(values[j], lengthNorm(statistics.itemSum(items[j]), mean), idf(n, statistics.userCount(users[j])));
        }
        return w;
    }

    /** The weight of one value under NONE or LOG. */
    private float entryWeight(float r) {
        if (scheme == Scheme.NONE) return r;
        return (float) Math.log1p(r / (double) epsilon);
    }

    /** r·(K1 + 1) / (K1·L + r) · idf, and 0 for r = 0. */
    private float bm25(float r, double lengthNorm, double idf) {
        if (r == 0f) return 0f;
        return (float) (r * (k1 + 1.0) / (k1 * lengthNorm + r) * idf);
    }

    /** L = (1 − B) + B·S / mean(S); an empty training set (mean 0) counts every item as average. */
    private double lengthNorm(double itemSum, double meanItemSum) {
        double ratio = meanItemSum > 0 ? itemSum / meanItemSum : 1.0;
        return (1.0 - b) + b * ratio;
    }

    /** ln(N) − ln(1 + n), clamped at 0. */
    private static double idf(int numItems, double count) {
        if (numItems == 0) return 0;
        return Math.max(0.0, Math.log(numItems) - Math.log1p(count));
    }

    private static float checkValue(int j, float value) {
        if (!(value >= 0f) || !Float.isFinite(value)) {
            throw new IllegalArgumentException("values[" + j + "] = " + value + " must be finite and >= 0");
        }
        return value;
    }

    private static void checkEntries(int numUsers, int numItems, int[] users, int[] items, float[] values) {
        // Ratings validates the shapes and the id ranges (it keeps the arrays, copying nothing).
        new Ratings(numUsers, numItems, users, items, values);
        for (int j = 0; j < values.length; j++) checkValue(j, values[j]);
    }

    @Override
    public String toString() {
        switch (scheme) {
            case LOG:
                return "log(epsilon=" + epsilon + ")";
            case BM25:
                return "bm25(k1=" + k1 + ", b=" + b + ")";
            default:
                return "none";
        }
    }
}
