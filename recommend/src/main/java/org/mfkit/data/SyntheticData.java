package org.mfkit.data;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.mfkit.core.Check;

/**
 * Seeded synthetic interactions with known low-rank structure, for checking that models
 * recover a signal. Users and items get rank-r Gaussian factors; items get a power-law
 * popularity (the item at popularity rank t has weight (t + 1)^−exponent, ranks shuffled over
 * the ids); every user gets the same number of interactions ± 1.
 *
 * <p>Explicit ratings: r = clip(μ + b_u + b_i + u·v + ε, 1, 5) with ε ~ N(0, noise²), optionally
 * rounded to integers. The <em>noise floor</em> is the RMSE of the noiseless signal
 * clip(μ + b_u + b_i + u·v, 1, 5) against the observed ratings: what a model that knew the signal
 * exactly would score. Implicit data: each user draws distinct items with probability ∝
 * popularity × exp(2.5 · u·v) (value 1). Items are drawn per user without repetition; should a
 * steep power law make that slow (more than 50 draws per wanted item), the remaining items of
 * that user are drawn uniformly.
 */
public final class SyntheticData {
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
     */
    public record Spec(int numUsers, int numItems, int interactions, int rank, double noise,
                       double popularityExponent, boolean implicit, boolean roundRatings, long seed) {
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
        }

        /** MovieLens-100K-shaped explicit data: 943 users × 1,682 items, 100,000 integer ratings 1–5, rank 5, noise 0.5. */
        public static Spec movieLens100kShape(long seed) {
            return new Spec(943, 1682, 100_000, 5, 0.5, 0.8, false, true, seed);
        }

        /** This spec with implicit feedback. */
        public Spec asImplicit() {
            return new Spec(numUsers, numItems, interactions, rank, noise, popularityExponent, true, roundRatings, seed);
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
        // Factor scale chosen so u·v has standard deviation 0.8 around the mean rating.
        double scale = Math.pow(0.64 / r, 0.25);
        double[] u = gaussian(random, spec.numUsers() * r, scale);
        double[] v = gaussian(random, spec.numItems() * r, scale);
        double[] userBias = gaussian(random, spec.numUsers(), 0.3);
        double[] itemBias = gaussian(random, spec.numItems(), 0.3);
        double[] popularity = popularity(random, spec.numItems(), spec.popularityExponent());
        int n = spec.interactions();
        int[] users = new int[n];
        int[] items = new int[n];
        float[] values = new float[n];
        double floorSum = 0;
        int j = 0;
        double[] weights = new double[spec.numItems()];
        double[] cdf = new double[spec.numItems()];
        for (int user = 0; user < spec.numUsers(); user++) {
            int count = n / spec.numUsers() + (user < n % spec.numUsers() ? 1 : 0);
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
            Set<Integer> chosen = new HashSet<>();
            int draws = 0;
            while (chosen.size() < count) {
                // With a steep power law the last distinct items can take very many draws; after
                // 50 draws per wanted item the rest is filled uniformly from the unchosen items.
                int item = ++draws <= 50 * count ? Cumulative.firstAbove(cdf, random.nextDouble() * total)
                        : random.nextInt(spec.numItems());
                if (!chosen.add(item)) continue;
                users[j] = user;
                items[j] = item;
                if (spec.implicit()) {
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
        }
        double floor = spec.implicit() ? Double.NaN : Math.sqrt(floorSum / n);
        return new Dataset(new Ratings(spec.numUsers(), spec.numItems(), users, items, values), floor, spec);
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
