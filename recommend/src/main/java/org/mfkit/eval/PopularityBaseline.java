package org.mfkit.eval;

import java.util.Arrays;
import org.mfkit.core.Check;
import org.mfkit.data.HostCsr;
import org.mfkit.data.Ratings;

/**
 * The non-personalized baseline: every user gets the items with the most training
 * interactions (distinct users per item; ties by lower id), their own training items excluded.
 */
public final class PopularityBaseline {
    private final int numItems;
    private final float[] counts;
    private final int[] order;
    private final HostCsr seen;

    private PopularityBaseline(int numItems, float[] counts, int[] order, HostCsr seen) {
        this.numItems = numItems;
        this.counts = counts;
        this.order = order;
        this.seen = seen;
    }

    /** Counts item popularity in {@code train}. */
    public static PopularityBaseline fit(Ratings train) {
        Check.notNull("train", train);
        HostCsr byItem = train.byItem();
        float[] counts = new float[train.numItems()];
        for (int i = 0; i < counts.length; i++) {
            int[] users = Arrays.copyOfRange(byItem.colIdx(), byItem.rowPtr()[i], byItem.rowPtr()[i + 1]);
            counts[i] = (float) Arrays.stream(users).distinct().count();
        }
        Integer[] boxed = new Integer[counts.length];
        for (int i = 0; i < boxed.length; i++) boxed[i] = i;
        Arrays.sort(boxed, (a, b) -> counts[a] != counts[b] ? Float.compare(counts[b], counts[a]) : Integer.compare(a, b));
        int[] order = new int[boxed.length];
        for (int i = 0; i < order.length; i++) order[i] = boxed[i];
        return new PopularityBaseline(train.numItems(), counts, order, train.byUser());
    }

    /** Number of items. */
    public int numItems() {
        return numItems;
    }

    /** The popularity score of every item (a copy). */
    public float[] scores() {
        return counts.clone();
    }

    /** The top-{@code k} most popular items {@code user} has not interacted with in training. */
    public int[] recommend(int user, int k) {
        Check.positive("k", k);
        if (user < 0 || user >= seen.rows()) {
            throw new IllegalArgumentException("user = " + user + " is out of range [0, " + seen.rows() + ")");
        }
        boolean[] own = new boolean[numItems];
        for (int j = seen.rowPtr()[user]; j < seen.rowPtr()[user + 1]; j++) own[seen.colIdx()[j]] = true;
        int[] out = new int[Math.min(k, numItems)];
        int n = 0;
        for (int t = 0; t < order.length && n < out.length; t++) {
            if (!own[order[t]]) out[n++] = order[t];
        }
        return Arrays.copyOf(out, n);
    }
}
