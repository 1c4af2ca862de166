package org.mfkit.data;

import java.util.Random;
import org.mfkit.core.Check;

/**
 * Seeded synthetic interactions with known low-rank structure, for checking that models
 * recover a signal. Users and items get rank-r Gaussian factors; items get a power-law
 * popularity (the item at popularity rank t has weight (t + 1)^−exponent, ranks shuffled over
 * the ids). Users either all get the same number of interactions ± 1, or, with a user-activity
 * spread σ &gt; 0, a lognormal number: user u's count is proportional to exp(σ·z_u), z_u ~ N(0, 1),
 * at least {@value #MIN_ACTIVE} (or n / users when smaller) and at most half the items, scaled so the
 * counts add up to exactly {@code interactions} (MovieLens-like: a few users rate very much).
 *
 * <p>Explicit ratings: r = clip(μ + b_u + b_i + u·v + ε, 1, 5) with μ = 3.5, ε ~ N(0, noise²),
 * optionally rounded to integers; b_u, b_i and u·v have the standard deviations of the spec's
 * {@link Signal} (0.3, 0.3 and 0.8 unless set). The <em>noise floor</em> is the RMSE of the
 * noiseless signal clip(μ + b_u + b_i + u·v, 1, 5) against the observed ratings: what a model that
 * knew the signal exactly would score. Implicit data: each user draws distinct items with
 * probability ∝ popularity × exp(2.5 · u·v) (value 1). Items are drawn per user without
 * repetition; should a steep power law make that slow (more than 50 draws per wanted item), the
 * remaining items of that user are drawn uniformly.
 *
 * <p>Play counts (implicit data with {@code countSigma} &gt; 0): the value of a drawn pair is
 * r = 1 + ⌊exp(1 + z_ui + g_u + h_i + countSigma·η)⌋, η ~ N(0, 1), where z_ui = u·v / sd(u·v) is
 * the standardized affinity (a liked item is played more), g_u ~ N(0, 1) the user's intensity
 * (some users play everything a lot) and h_i ~ N(0, 1) the item's (some tracks are replayed
 * more, whoever listens): a heavy tail of counts that carry some preference and much that is not
 * preference, as listening data has.
 */
public final class SyntheticData {
    /** Fewest interactions a user gets under lognormal activity (unless n / users is smaller). */
    public static final int MIN_ACTIVE = 5;

    private SyntheticData() {}

    /**
     * What to generate.
     *
     * @param numUsers           users, &ge; 1
     * @param numItems           items, &ge; 1
     * @param interactions       total interactions, at most half of numUsers × numItems
     * @param rank               rank r of the signal, &ge; 1
     * @param noise              standard deviation of the rating noise, &ge; 0 (explicit only)
     * @param popularityExponent power-law exponent of item popularity, &ge; 0
     * @param implicit           implicit feedback (values 1) instead of ratings
     * @param roundRatings       round explicit ratings to integers
     * @param seed               seed of every random draw
     * @param userActivitySigma  σ of the lognormal user activity, &ge; 0; 0 gives every user the
     *                           same number of interactions ± 1
     * @param signal             standard deviations of the biases and of u·v
     * @param countSigma         implicit data: 0 for values 1, &gt; 0 for play counts with this σ of
     *                           the log-count noise (class comment)
     */
    public record Spec(int numUsers, int numItems, int interactions, int rank, double noise,
                       double popularityExponent, boolean implicit, boolean roundRatings, long seed,
                       double userActivitySigma, Signal signal, double countSigma) {
        /** Validates every field. */
        public Spec {
            Check.positive("numUsers", numUsers);
            Check.positive("numItems", numItems);
            Check.positive("interactions", interactions);
            Check.positive("rank", rank);
            if (!(noise >= 0) || !Double.isFinite(noise)) throw new IllegalArgumentException("noise = " + noise + " must be finite and >= 0");
            if (!(popularityExponent >= 0) || !Double.isFinite(popularityExponent)) {
                throw new IllegalArgumentException("popularityExponent = " + popularityExponent + " must be finite and >= 0");
            }
            if ((long) interactions * 2 > (long) numUsers * numItems) {
                throw new IllegalArgumentException("interactions = " + interactions + " exceeds half of numUsers × numItems = "
                        + ((long) numUsers * numItems / 2));
            }
            if (!(userActivitySigma >= 0) || !Double.isFinite(userActivitySigma)) {
                throw new IllegalArgumentException("userActivitySigma = " + userActivitySigma + " must be finite and >= 0");
            }
            Check.notNull("signal", signal);
            if (!(countSigma >= 0) || !Double.isFinite(countSigma)) {
                throw new IllegalArgumentException("countSigma = " + countSigma + " must be finite and >= 0");
            }
            if (countSigma > 0 && !implicit) {
                throw new IllegalArgumentException("countSigma = " + countSigma + " needs implicit data (play counts)");
            }
        }

        /** A spec with the default signal, implicit values 1. */
        public Spec(int numUsers, int numItems, int interactions, int rank, double noise,
                    double popularityExponent, boolean implicit, boolean roundRatings, long seed,
                    double userActivitySigma) {
            this(numUsers, numItems, interactions, rank, noise, popularityExponent, implicit, roundRatings, seed,
                    userActivitySigma, Signal.DEFAULT, 0);
        }

        /** A spec where every user gets the same number of interactions ± 1 (σ = 0). */
        public Spec(int numUsers, int numItems, int interactions, int rank, double noise,
                    double popularityExponent, boolean implicit, boolean roundRatings, long seed) {
            this(numUsers, numItems, interactions, rank, noise, popularityExponent, implicit, roundRatings, seed, 0);
        }

        /** MovieLens-100K-shaped explicit data: 943 users × 1,682 items, 100,000 integer ratings 1–5, rank 5, noise 0.5. */
        public static Spec movieLens100kShape(long seed) {
            return new Spec(943, 1682, 100_000, 5, 0.5, 0.8, false, true, seed);
        }

        /**
         * MovieLens-1M-shaped implicit data, the set implicit's BPR benchmark is quoted on:
         * 6,039 users × 3,628 items, 590,733 positives (value 1), rank-10 signal, item popularity
         * (rank + 1)^−0.7, lognormal user activity with σ = 1.
         */
        public static Spec movieLens1mImplicitShape(long seed) {
            return new Spec(6039, 3628, 590_733, 10, 0, 0.7, true, false, seed, 1.0);
        }

        /**
         * Explicit data shaped like MovieLens-100K in the ways that decide which hyper-parameters
         * work: 943 users × 1,682 items, 100,000 integer ratings 1–5, lognormal user activity
         * (σ = 1), power-law item popularity, and MovieLens's signal to noise — user and item bias
         * σ 0.45 and 0.50, a rank-5 interaction of σ 0.50, noise 0.85, so that predicting the mean
         * scores RMSE ≈ 1.11, biases alone ≈ 0.95, tuned biased MF ≈ 0.92 and the noise floor is
         * ≈ 0.83 (on the real set: the mean 1.13, biases 0.94, tuned biased MF 0.91).
         */
        public static Spec movieLens100kRealistic(long seed) {
            return new Spec(943, 1682, 100_000, 5, 0.85, 0.8, false, true, seed, 1.0, new Signal(0.45, 0.50, 0.50), 0);
        }

        /**
         * Implicit data shaped like MovieLens-100K's ratings of at least 4 (55,375 positives): 943
         * users × 1,682 items, 55,000 positives from a rank-10 signal, power-law item popularity
         * and lognormal user activity (σ = 1). Recommending the most popular items scores
         * Recall@10 ≈ 0.09 on a per-user 20 % holdout, tuned implicit ALS about twice that.
         */
        public static Spec movieLens100kImplicitRealistic(long seed) {
            return new Spec(943, 1682, 55_000, 10, 0, 0.8, true, false, seed, 1.0);
        }

        /**
         * Play counts with a heavy tail: 1,000 users × 1,500 items, 40,000 (user, item) pairs drawn
         * as implicit data (rank 5, power-law popularity, lognormal activity σ = 1), each with a
         * count whose log has noise σ = 1.5 beside the affinity and the user's and item's
         * intensities (class comment): median count ≈ 10, the largest ≈ 10⁵.
         */
        public static Spec playCounts(long seed) {
            return new Spec(1000, 1500, 40_000, 5, 0, 0.8, true, false, seed, 1.0, Signal.DEFAULT, 1.5);
        }

        /** This spec with implicit feedback. */
        public Spec asImplicit() {
            return new Spec(numUsers, numItems, interactions, rank, noise, popularityExponent, true, roundRatings, seed,
                    userActivitySigma, signal, countSigma);
        }

        /** This spec as implicit play counts with log-count noise σ = {@code countSigma} (class comment). */
        public Spec withPlayCounts(double countSigma) {
            return new Spec(numUsers, numItems, interactions, rank, noise, popularityExponent, true, roundRatings, seed,
                    userActivitySigma, signal, countSigma);
        }

        /** This spec with another seed. */
        public Spec withSeed(long seed) {
            return new Spec(numUsers, numItems, interactions, rank, noise, popularityExponent, implicit, roundRatings, seed,
                    userActivitySigma, signal, countSigma);
        }
    }

    /**
     * Standard deviations of the explicit signal's parts.
     *
     * @param userBiasStd    σ of b_u, &ge; 0
     * @param itemBiasStd    σ of b_i, &ge; 0
     * @param interactionStd σ of u·v, &gt; 0 (the factors are Gaussian with variance (σ²/rank)^½ each)
     */
    public record Signal(double userBiasStd, double itemBiasStd, double interactionStd) {
        /** What every spec had before the signal could be set: 0.3, 0.3, 0.8. */
        public static final Signal DEFAULT = new Signal(0.3, 0.3, 0.8);

        /** Validates the fields. */
        public Signal {
            if (!(userBiasStd >= 0) || !Double.isFinite(userBiasStd)) {
                throw new IllegalArgumentException("userBiasStd = " + userBiasStd + " must be finite and >= 0");
            }
            if (!(itemBiasStd >= 0) || !Double.isFinite(itemBiasStd)) {
                throw new IllegalArgumentException("itemBiasStd = " + itemBiasStd + " must be finite and >= 0");
            }
            if (!(interactionStd > 0) || !Double.isFinite(interactionStd)) {
                throw new IllegalArgumentException("interactionStd = " + interactionStd + " must be finite and > 0");
            }
        }
    }

    /**
     * A generated data set.
     *
     * @param ratings        the interactions (no duplicates)
     * @param noiseFloorRmse RMSE of the noiseless signal against the ratings (NaN for implicit data)
     * @param spec           what was generated
     */
    public record Dataset(Ratings ratings, double noiseFloorRmse, Spec spec) {
    }

    /** Generates the data set of {@code spec}. */
    public static Dataset generate(Spec spec) {
        Check.notNull("spec", spec);
        Random random = new Random(spec.seed());
        int r = spec.rank();
        // Factor scale chosen so u·v has the signal's standard deviation around the mean rating.
        Signal parts = spec.signal();
        double interaction = parts.interactionStd();
        double scale = Math.pow(interaction * interaction / r, 0.25);
        double[] u = gaussian(random, spec.numUsers() * r, scale);
        double[] v = gaussian(random, spec.numItems() * r, scale);
        double[] userBias = gaussian(random, spec.numUsers(), parts.userBiasStd());
        double[] itemBias = gaussian(random, spec.numItems(), parts.itemBiasStd());
        double[] popularity = popularity(random, spec.numItems(), spec.popularityExponent());
        int n = spec.interactions();
        int[] counts = userCounts(random, spec);
        int[] users = new int[n];
        int[] items = new int[n];
        float[] values = new float[n];
        double floorSum = 0;
        int j = 0;
        double[] weights = new double[spec.numItems()];
        double[] cdf = new double[spec.numItems()];
        boolean[] chosen = new boolean[spec.numItems()];
        // Play counts come from their own stream, so data without them is what it always was.
        Random plays = spec.countSigma() > 0 ? new Random(spec.seed() ^ 0x5DEECE66DL) : null;
        double[] replays = plays == null ? null : gaussian(plays, spec.numItems(), 1.0);
        double intensity = 0;
        for (int user = 0; user < spec.numUsers(); user++) {
            if (plays != null) intensity = plays.nextGaussian();
            int count = counts[user];
            for (int i = 0; i < spec.numItems(); i++) {
                double w = popularity[i];
                if (spec.implicit()) w *= Math.exp(2.5 * dot(u, user, v, i, r));
                weights[i] = w;
            }
            double total = 0;
            for (int i = 0; i < weights.length; i++) {
                total += weights[i];
                cdf[i] = total;
            }
            int first = j;
            int draws = 0;
            while (j - first < count) {
                // With a steep power law the last distinct items can take very many draws; after
                // 50 draws per wanted item the rest is filled uniformly from the unchosen items.
                int item = ++draws <= 50 * count ? Cumulative.firstAbove(cdf, random.nextDouble() * total)
                        : random.nextInt(spec.numItems());
                if (chosen[item]) continue;
                chosen[item] = true;
                users[j] = user;
                items[j] = item;
                if (plays != null) {
                    double affinity = dot(u, user, v, item, r) / interaction;
                    double logCount = 1 + affinity + intensity + replays[item] + spec.countSigma() * plays.nextGaussian();
                    values[j] = (float) (1 + Math.floor(Math.exp(logCount)));
                } else if (spec.implicit()) {
                    values[j] = 1f;
                } else {
                    double signal = 3.5 + userBias[user] + itemBias[item] + dot(u, user, v, item, r);
                    double observed = clip(signal + random.nextGaussian() * spec.noise());
                    if (spec.roundRatings()) observed = Math.rint(observed);
                    values[j] = (float) observed;
                    double e = clip(signal) - values[j];
                    floorSum += e * e;
                }
                j++;
            }
            for (int x = first; x < j; x++) chosen[items[x]] = false;
        }
        double floor = spec.implicit() ? Double.NaN : Math.sqrt(floorSum / n);
        return new Dataset(new Ratings(spec.numUsers(), spec.numItems(), users, items, values), floor, spec);
    }

    /** Interactions per user: equal shares, or lognormal activity scaled to add up to n (class comment). */
    private static int[] userCounts(Random random, Spec spec) {
        int users = spec.numUsers();
        int n = spec.interactions();
        int[] counts = new int[users];
        if (spec.userActivitySigma() == 0) {
            for (int u = 0; u < users; u++) counts[u] = n / users + (u < n % users ? 1 : 0);
            return counts;
        }
        double[] activity = new double[users];
        for (int u = 0; u < users; u++) activity[u] = Math.exp(spec.userActivitySigma() * random.nextGaussian());
        int min = Math.min(MIN_ACTIVE, n / users);
        int max = spec.numItems() / 2;
        // The largest scale s with Σ clamp(⌊s·a_u⌋, min, max) ≤ n, by bisection; then the rest is
        // handed out one each, by user order, to users still below the cap.
        double lo = 0;
        double hi = 1;
        while (scaledTotal(activity, hi, min, max) <= n && hi < 1e15) hi *= 2;
        for (int step = 0; step < 100; step++) {
            double mid = (lo + hi) / 2;
            if (scaledTotal(activity, mid, min, max) <= n) lo = mid;
            else hi = mid;
        }
        long total = 0;
        for (int u = 0; u < users; u++) {
            counts[u] = scaled(activity[u], lo, min, max);
            total += counts[u];
        }
        for (int u = 0; total < n; u = (u + 1) % users) {
            if (counts[u] < max) {
                counts[u]++;
                total++;
            }
        }
        return counts;
    }

    private static long scaledTotal(double[] activity, double scale, int min, int max) {
        long total = 0;
        for (double a : activity) total += scaled(a, scale, min, max);
        return total;
    }

    private static int scaled(double activity, double scale, int min, int max) {
        return (int) Math.max(min, Math.min(max, Math.floor(activity * scale)));
    }

    private static double clip(double x) {
        return Math.max(1.0, Math.min(5.0, x));
    }

    private static double dot(double[] u, int user, double[] v, int item, int r) {
        double s = 0;
        for (int c = 0; c < r; c++) s += u[user * r + c] * v[item * r + c];
        return s;
    }

    private static double[] gaussian(Random random, int n, double std) {
        double[] out = new double[n];
        for (int j = 0; j < n; j++) out[j] = random.nextGaussian() * std;
        return out;
    }

    private static double[] popularity(Random random, int numItems, double exponent) {
        int[] rankOf = new int[numItems];
        for (int i = 0; i < numItems; i++) rankOf[i] = i;
        for (int i = numItems - 1; i > 0; i--) {
            int s = random.nextInt(i + 1);
            int t = rankOf[i];
            rankOf[i] = rankOf[s];
            rankOf[s] = t;
        }
        double[] w = new double[numItems];
        for (int i = 0; i < numItems; i++) w[i] = Math.pow(rankOf[i] + 1, -exponent);
        return w;
    }
}
