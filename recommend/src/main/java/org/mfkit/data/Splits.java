package org.mfkit.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.mfkit.core.Check;

/**
 * Train/test splits; every random split takes a seed and is reproducible. Interactions keep
 * their order within train and test.
 */
public final class Splits {
    private Splits() {}

    /** Each interaction goes to test with probability {@code testFraction}, independently. */
    public static Split random(Ratings ratings, double testFraction, long seed) {
        Check.notNull("ratings", ratings);
        fraction(testFraction);
        Random random = new Random(seed);
        boolean[] test = new boolean[ratings.size()];
        for (int j = 0; j < test.length; j++) test[j] = random.nextDouble() < testFraction;
        return divide(ratings, test);
    }

    /**
     * Per user, round(testFraction · n_u) of their n_u interactions, chosen at random, go to
     * test, at least 1 and at most n_u − 1; users with a single interaction keep it in train.
     */
    public static Split perUser(Ratings ratings, double testFraction, long seed) {
        Check.notNull("ratings", ratings);
        fraction(testFraction);
        Random random = new Random(seed);
        HostCsr byUser = positions(ratings);
        boolean[] test = new boolean[ratings.size()];
        for (int u = 0; u < byUser.rows(); u++) {
            int n = byUser.rowLength(u);
            if (n < 2) continue;
            int take = (int) Math.max(1, Math.min(n - 1, Math.round(testFraction * n)));
            int[] pos = java.util.Arrays.copyOfRange(byUser.colIdx(), byUser.rowPtr()[u], byUser.rowPtr()[u + 1]);
            for (int t = 0; t < take; t++) {
                int s = t + random.nextInt(n - t);
                int tmp = pos[t];
                pos[t] = pos[s];
                pos[s] = tmp;
                test[pos[t]] = true;
            }
        }
        return divide(ratings, test);
    }

    /**
     * Per user with at least two interactions, the latest by timestamp (ties: the later
     * position) goes to test. Needs timestamps.
     */
    public static Split leaveLastOut(Ratings ratings) {
        Check.notNull("ratings", ratings);
        if (!ratings.hasTimestamps()) throw new IllegalArgumentException("ratings have no timestamps: leave-last-out needs them");
        HostCsr byUser = positions(ratings);
        boolean[] test = new boolean[ratings.size()];
        for (int u = 0; u < byUser.rows(); u++) {
            if (byUser.rowLength(u) < 2) continue;
            int last = -1;
            for (int j = byUser.rowPtr()[u]; j < byUser.rowPtr()[u + 1]; j++) {
                int pos = byUser.colIdx()[j];
                if (last < 0 || ratings.timestamp(pos) >= ratings.timestamp(last)) last = pos;
            }
            test[last] = true;
        }
        return divide(ratings, test);
    }

    /**
     * {@code folds} splits from one seeded shuffle: fold f tests the interactions at shuffled
     * positions ≡ f (mod folds), so every interaction is tested exactly once.
     */
    public static List<Split> kFold(Ratings ratings, int folds, long seed) {
        Check.notNull("ratings", ratings);
        if (folds < 2) throw new IllegalArgumentException("folds = " + folds + " must be >= 2");
        int n = ratings.size();
        int[] order = new int[n];
        for (int j = 0; j < n; j++) order[j] = j;
        Random random = new Random(seed);
        for (int j = n - 1; j > 0; j--) {
            int s = random.nextInt(j + 1);
            int t = order[j];
            order[j] = order[s];
            order[s] = t;
        }
        List<Split> out = new ArrayList<>(folds);
        for (int f = 0; f < folds; f++) {
            boolean[] test = new boolean[n];
            for (int j = f; j < n; j += folds) test[order[j]] = true;
            out.add(divide(ratings, test));
        }
        return out;
    }

    private static void fraction(double testFraction) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("testFraction = " + testFraction + " must be in (0, 1)");
        }
    }

    /** Users as rows with the interaction positions as columns. */
    private static HostCsr positions(Ratings ratings) {
        int n = ratings.size();
        int[] pos = new int[n];
        for (int j = 0; j < n; j++) pos[j] = j;
        Ratings indexed = new Ratings(ratings.numUsers(), n == 0 ? 1 : n, ratings.users(), pos, new float[n]);
        return indexed.byUser();
    }

    private static Split divide(Ratings ratings, boolean[] test) {
        int nTest = 0;
        for (boolean t : test) if (t) nTest++;
        int[] trainPos = new int[test.length - nTest];
        int[] testPos = new int[nTest];
        int a = 0;
        int b = 0;
        for (int j = 0; j < test.length; j++) {
            if (test[j]) testPos[b++] = j;
            else trainPos[a++] = j;
        }
        return new Split(ratings.subset(trainPos), ratings.subset(testPos));
    }
}
