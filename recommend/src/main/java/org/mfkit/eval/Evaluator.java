package org.mfkit.eval;

import java.util.Arrays;
import java.util.List;
import org.mfkit.core.Check;
import org.mfkit.core.DenseMatrix;
import org.mfkit.core.IndexArray;
import org.mfkit.core.Kernels;
import org.mfkit.data.HostCsr;
import org.mfkit.data.Ratings;
import org.mfkit.model.FactorModel;
import org.mfkit.model.RecommendOptions;
import org.mfkit.model.Recommender;
import org.mfkit.model.ScoredItem;

/**
 * Evaluates a model (or the popularity baseline) on a test set: rating accuracy through the
 * predict kernel, top-K quality through the topK kernel with each user's training items
 * excluded, and AUC from the scores kernel. Users are evaluated when they have at least one
 * test interaction; every metric is the plain mean over those users.
 */
public final class Evaluator {
    /** Query rows per scores kernel call for AUC. */
    private static final int BATCH = 256;

    private Evaluator() {}

    /** RMSE and MAE of the model's (clipped) predictions on {@code test}. */
    public static RatingMetrics ratings(Kernels kernels, FactorModel model, Ratings test) {
        Check.notNull("test", test);
        try (Recommender recommender = new Recommender(kernels, model, null)) {
            float[] predicted = recommender.predict(test.users(), test.items());
            float[] actual = test.values();
            return new RatingMetrics(Metrics.rmse(predicted, actual), Metrics.mae(predicted, actual), test.size());
        }
    }

    /** Top-{@code k} metrics of the model for every user with test items, training items excluded. */
    public static RankingMetrics ranking(Kernels kernels, FactorModel model, Ratings train, Ratings test, int k) {
        Check.notNull("kernels", kernels);
        Check.notNull("model", model);
        Check.notNull("train", train);
        Check.notNull("test", test);
        Check.positive("k", k);
        int[] users = testUsers(test);
        int[][] lists = new int[users.length][];
        double[] aucs = new double[users.length];
        HostCsr seen = train.byUser();
        HostCsr relevant = test.byUser();
        try (Recommender recommender = new Recommender(kernels, model, train)) {
            List<List<ScoredItem>> recs = recommender.recommend(users, k, RecommendOptions.defaults());
            for (int r = 0; r < users.length; r++) {
                lists[r] = recs.get(r).stream().mapToInt(ScoredItem::index).toArray();
            }
        }
        int numItems = model.numItems();
        float[] itemBias = model.itemBias();
        try (DenseMatrix p = kernels.matrix(model.numUsers(), model.k(), model.userFactors());
             DenseMatrix q = kernels.matrix(numItems, model.k(), model.itemFactors())) {
            for (int from = 0; from < users.length; from += BATCH) {
                int count = Math.min(BATCH, users.length - from);
                float[] block = new float[count * numItems];
                try (IndexArray rows = kernels.indices("users", Arrays.copyOfRange(users, from, from + count));
                     DenseMatrix out = kernels.matrix(count, numItems)) {
                    kernels.scores(p, rows, q, out);
                    out.downloadRows(0, block, 0, count);
                }
                for (int r = 0; r < count; r++) {
                    int u = users[from + r];
                    float[] s = Arrays.copyOfRange(block, r * numItems, (r + 1) * numItems);
                    if (itemBias != null) for (int i = 0; i < numItems; i++) s[i] += itemBias[i];
                    aucs[from + r] = userAuc(s, u, seen, relevant);
                }
            }
        }
        return summarize(users, lists, relevant, aucs, k, numItems);
    }

    /** Top-{@code k} metrics of the popularity baseline, on the same users and definitions. */
    public static RankingMetrics ranking(PopularityBaseline baseline, Ratings train, Ratings test, int k) {
        Check.notNull("baseline", baseline);
        Check.notNull("train", train);
        Check.notNull("test", test);
        Check.positive("k", k);
        int[] users = testUsers(test);
        int[][] lists = new int[users.length][];
        double[] aucs = new double[users.length];
        HostCsr seen = train.byUser();
        HostCsr relevant = test.byUser();
        float[] scores = baseline.scores();
        for (int r = 0; r < users.length; r++) {
            lists[r] = baseline.recommend(users[r], k);
            aucs[r] = userAuc(scores, users[r], seen, relevant);
        }
        return summarize(users, lists, relevant, aucs, k, baseline.numItems());
    }

    private static int[] testUsers(Ratings test) {
        HostCsr byUser = test.byUser();
        int n = 0;
        for (int u = 0; u < byUser.rows(); u++) if (byUser.rowLength(u) > 0) n++;
        int[] users = new int[n];
        n = 0;
        for (int u = 0; u < byUser.rows(); u++) if (byUser.rowLength(u) > 0) users[n++] = u;
        return users;
    }

    private static double userAuc(float[] scores, int user, HostCsr seen, HostCsr relevant) {
        boolean[] candidate = new boolean[scores.length];
        Arrays.fill(candidate, true);
        for (int j = seen.rowPtr()[user]; j < seen.rowPtr()[user + 1]; j++) candidate[seen.colIdx()[j]] = false;
        boolean[] rel = new boolean[scores.length];
        for (int j = relevant.rowPtr()[user]; j < relevant.rowPtr()[user + 1]; j++) {
            int i = relevant.colIdx()[j];
            rel[i] = true;
            candidate[i] = true;
        }
        return Metrics.auc(scores, rel, candidate);
    }

    private static RankingMetrics summarize(int[] users, int[][] lists, HostCsr relevant, double[] aucs, int k,
                                            int numItems) {
        double precision = 0;
        double recall = 0;
        double ndcg = 0;
        double map = 0;
        double auc = 0;
        int aucUsers = 0;
        for (int r = 0; r < users.length; r++) {
            int u = users[r];
            int[] rel = Arrays.copyOfRange(relevant.colIdx(), relevant.rowPtr()[u], relevant.rowPtr()[u + 1]);
            precision += Metrics.precisionAtK(lists[r], rel, k);
            recall += Metrics.recallAtK(lists[r], rel, k);
            ndcg += Metrics.ndcgAtK(lists[r], rel, k);
            map += Metrics.averagePrecisionAtK(lists[r], rel, k);
            if (!Double.isNaN(aucs[r])) {
                auc += aucs[r];
                aucUsers++;
            }
        }
        int n = Math.max(1, users.length);
        return new RankingMetrics(k, precision / n, recall / n, ndcg / n, map / n,
                aucUsers == 0 ? Double.NaN : auc / aucUsers,
                numItems == 0 ? 0 : Metrics.catalogCoverage(lists, numItems), users.length);
    }
}
