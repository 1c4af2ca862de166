package org.mfkit.eval;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.mfkit.core.Check;

/**
 * Accuracy and ranking metrics on plain arrays, with the definitions of docs/MODELS.md.
 * Ranked lists are item ids best first; entries &lt; 0 (empty slots) are ignored. Relevance
 * is binary: an item is relevant when it is in {@code relevant} (duplicates there count once).
 * Every ranking metric of a user with no relevant items is 0.
 */
public final class Metrics {
    private Metrics() {}

    /** √(mean (predicted − actual)²); NaN when empty. */
    public static double rmse(float[] predicted, float[] actual) {
        pair(predicted, actual);
        if (actual.length == 0) return Double.NaN;
        double sum = 0;
        for (int j = 0; j < actual.length; j++) {
            double e = (double) predicted[j] - actual[j];
            sum += e * e;
        }
        return Math.sqrt(sum / actual.length);
    }

    /** mean |predicted − actual|; NaN when empty. */
    public static double mae(float[] predicted, float[] actual) {
        pair(predicted, actual);
        if (actual.length == 0) return Double.NaN;
        double sum = 0;
        for (int j = 0; j < actual.length; j++) sum += Math.abs((double) predicted[j] - actual[j]);
        return sum / actual.length;
    }

    /** Hits among the first K ranked items divided by K (a short list still divides by K). */
    public static double precisionAtK(int[] ranked, int[] relevant, int k) {
        Set<Integer> rel = relevantSet(ranked, relevant, k);
        return rel.isEmpty() ? 0 : (double) hits(ranked, rel, k) / k;
    }

    /** Hits among the first K ranked items divided by the number of relevant items. */
    public static double recallAtK(int[] ranked, int[] relevant, int k) {
        Set<Integer> rel = relevantSet(ranked, relevant, k);
        return rel.isEmpty() ? 0 : (double) hits(ranked, rel, k) / rel.size();
    }

    /**
     * DCG@K / IDCG@K with DCG = Σ_{r=1..K} rel_r / log2(r + 1) and IDCG the DCG of min(K, |relevant|)
     * hits at the top.
     */
    public static double ndcgAtK(int[] ranked, int[] relevant, int k) {
        Set<Integer> rel = relevantSet(ranked, relevant, k);
        if (rel.isEmpty()) return 0;
        double dcg = 0;
        for (int r = 0; r < Math.min(k, ranked.length); r++) {
            if (ranked[r] >= 0 && rel.contains(ranked[r])) dcg += 1.0 / log2(r + 2);
        }
        double ideal = 0;
        for (int r = 0; r < Math.min(k, rel.size()); r++) ideal += 1.0 / log2(r + 2);
        return dcg / ideal;
    }

    /** AP@K = (1 / min(K, |relevant|)) Σ_{r ≤ K, item r relevant} Precision@r. */
    public static double averagePrecisionAtK(int[] ranked, int[] relevant, int k) {
        Set<Integer> rel = relevantSet(ranked, relevant, k);
        if (rel.isEmpty()) return 0;
        double sum = 0;
        int hits = 0;
        for (int r = 0; r < Math.min(k, ranked.length); r++) {
            if (ranked[r] >= 0 && rel.contains(ranked[r])) {
                hits++;
                sum += (double) hits / (r + 1);
            }
        }
        return sum / Math.min(k, rel.size());
    }

    /**
     * AUC of one user: the fraction of (relevant, non-relevant) candidate pairs the scores order
     * correctly, ties counting ½. {@code candidate[i]} says whether item i takes part (e.g. not
     * a training item); NaN when there is no relevant or no non-relevant candidate.
     */
    public static double auc(float[] scores, boolean[] relevant, boolean[] candidate) {
        Check.notNull("scores", scores);
        Check.notNull("relevant", relevant);
        Check.sameLength("scores", scores.length, "relevant", relevant.length);
        if (candidate != null) Check.sameLength("scores", scores.length, "candidate", candidate.length);
        int n = 0;
        for (int i = 0; i < scores.length; i++) if (candidate == null || candidate[i]) n++;
        float[] s = new float[n];
        boolean[] rel = new boolean[n];
        int m = 0;
        for (int i = 0; i < scores.length; i++) {
            if (candidate != null && !candidate[i]) continue;
            s[m] = scores[i];
            rel[m] = relevant[i];
            m++;
        }
        // Rank-sum (Mann-Whitney) form: sort by score, average ranks over ties.
        Integer[] order = new Integer[n];
        for (int j = 0; j < n; j++) order[j] = j;
        Arrays.sort(order, (a, b) -> Float.compare(s[a], s[b]));
        double rankSum = 0;
        long positives = 0;
        int j = 0;
        while (j < n) {
            int end = j;
            while (end + 1 < n && s[order[end + 1]] == s[order[j]]) end++;
            double averageRank = (j + end) / 2.0 + 1;
            for (int t = j; t <= end; t++) {
                if (rel[order[t]]) {
                    rankSum += averageRank;
                    positives++;
                }
            }
            j = end + 1;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) return Double.NaN;
        return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    /** Distinct items appearing in any list, divided by {@code numItems}. */
    public static double catalogCoverage(int[][] lists, int numItems) {
        Check.notNull("lists", lists);
        Check.positive("numItems", numItems);
        boolean[] seen = new boolean[numItems];
        int distinct = 0;
        for (int[] list : lists) {
            for (int item : list) {
                if (item < 0) continue;
                if (item >= numItems) {
                    throw new IllegalArgumentException("item " + item + " is out of range [0, " + numItems + ")");
                }
                if (!seen[item]) {
                    seen[item] = true;
                    distinct++;
                }
            }
        }
        return (double) distinct / numItems;
    }

    private static Set<Integer> relevantSet(int[] ranked, int[] relevant, int k) {
        Check.notNull("ranked", ranked);
        Check.notNull("relevant", relevant);
        Check.positive("k", k);
        Set<Integer> rel = new HashSet<>();
        for (int i : relevant) rel.add(i);
        return rel;
    }

    private static int hits(int[] ranked, Set<Integer> rel, int k) {
        int hits = 0;
        for (int r = 0; r < Math.min(k, ranked.length); r++) if (ranked[r] >= 0 && rel.contains(ranked[r])) hits++;
        return hits;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    private static void pair(float[] predicted, float[] actual) {
        Check.notNull("predicted", predicted);
        Check.notNull("actual", actual);
        Check.sameLength("predicted", predicted.length, "actual", actual.length);
    }
}
