package org.mfkit.model;

import org.mfkit.data.Ratings;

/**
 * Training interactions after the duplicates policy: explicit models keep the last entry of
 * each (user, item) pair (latest timestamp when present, ties and untimed data by position),
 * implicit models add the values of repeated pairs. Kept in first-occurrence order.
 */
final class TrainingData {
    final int numUsers;
    final int numItems;
    final int[] users;
    final int[] items;
    final float[] values;

    private TrainingData(int numUsers, int numItems, int[] users, int[] items, float[] values) {
        this.numUsers = numUsers;
        this.numItems = numItems;
        this.users = users;
        this.items = items;
        this.values = values;
    }

    int size() {
        return users.length;
    }

    Ratings asRatings() {
        return new Ratings(numUsers, numItems, users, items, values);
    }

    /** Explicit ratings, last entry wins; values checked against the declared range. */
    static TrainingData explicit(Ratings ratings, TrainOptions options) {
        checkNotEmpty(ratings);
        if (options.hasRatingRange()) {
            for (int j = 0; j < ratings.size(); j++) {
                float v = ratings.value(j);
                if (v < options.minRating() || v > options.maxRating()) {
                    throw new IllegalArgumentException("train rating at position " + j + " = " + v
                            + " is outside the declared range [" + options.minRating() + ", " + options.maxRating() + "]");
                }
            }
        }
        return merge(ratings, false);
    }

    /** Implicit strengths, repeated pairs summed; every value must be &ge; 0. */
    static TrainingData implicit(Ratings ratings) {
        checkNotEmpty(ratings);
        for (int j = 0; j < ratings.size(); j++) {
            if (ratings.value(j) < 0f) {
                throw new IllegalArgumentException("train value at position " + j + " = " + ratings.value(j)
                        + " is negative: implicit models need interaction strengths >= 0");
            }
        }
        return merge(ratings, true);
    }

    private static void checkNotEmpty(Ratings ratings) {
        if (ratings == null) throw new IllegalArgumentException("train must not be null");
        if (ratings.size() == 0) throw new IllegalArgumentException("train has no interactions");
    }

    private static TrainingData merge(Ratings r, boolean sum) {
        Ratings m = sum ? r.summedPerPair() : r.lastPerPair();
        return new TrainingData(m.numUsers(), m.numItems(), m.users(), m.items(), m.values());
    }

    /** The same interactions with other values (e.g. weighted counts). */
    TrainingData withValues(float[] newValues) {
        if (newValues.length != values.length) throw new IllegalArgumentException("newValues has " + newValues.length
                + " values for " + values.length + " interactions");
        return new TrainingData(numUsers, numItems, users, items, newValues);
    }

    /** Entry counts per user. */
    int[] userCounts() {
        int[] c = new int[numUsers];
        for (int u : users) c[u]++;
        return c;
    }

    /** Entry counts per item. */
    int[] itemCounts() {
        int[] c = new int[numItems];
        for (int i : items) c[i]++;
        return c;
    }

    double mean() {
        double s = 0;
        for (float v : values) s += v;
        return s / values.length;
    }

    float min() {
        float m = Float.POSITIVE_INFINITY;
        for (float v : values) m = Math.min(m, v);
        return m;
    }

    float max() {
        float m = Float.NEGATIVE_INFINITY;
        for (float v : values) m = Math.max(m, v);
        return m;
    }

    /**
     * The range predictions are clipped to, as {min, max}: the declared rating range when the
     * options give one, else the training data's own; both NaN when clipping is off or the
     * range is empty (all ratings equal).
     */
    float[] clipRange(boolean clipPredictions, TrainOptions options) {
        if (!clipPredictions) return new float[] {Float.NaN, Float.NaN};
        float lo = options.hasRatingRange() ? options.minRating() : min();
        float hi = options.hasRatingRange() ? options.maxRating() : max();
        return lo < hi ? new float[] {lo, hi} : new float[] {Float.NaN, Float.NaN};
    }

    static void checkSameSpace(String name, Ratings other, int numUsers, int numItems) {
        if (other == null) return;
        if (other.numUsers() != numUsers || other.numItems() != numItems) {
            throw new IllegalArgumentException(name + " has " + other.numUsers() + " users × " + other.numItems()
                    + " items, but train has " + numUsers + " × " + numItems + ": they must share one id space");
        }
    }
}
