package org.mfkit.spark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.mfkit.core.Backends;
import org.mfkit.core.Kernels;
import org.mfkit.data.IdMap;
import org.mfkit.data.Ratings;
import org.mfkit.data.Split;
import org.mfkit.data.Splits;
import org.mfkit.eval.Evaluator;
import org.mfkit.model.AlsConfig;
import org.mfkit.model.ExplicitAls;
import org.mfkit.model.FactorModel;
import org.mfkit.model.ImplicitAls;
import org.mfkit.model.TrainOptions;

/**
 * Quality against Spark MLlib's own ALS on the same MovieLens-100K-shaped data, split and
 * hyper-parameters (issue 13: mfkit's explicit ALS was ~0.02 RMSE worse; the cause and the
 * fix, learned biases, are in docs/MODELS.md). Explicit: rank 10, λ = 0.1 scaled by each
 * row's count in both, 10 iterations; test RMSE of mfkit (library and MfAls) ≤ Spark's +
 * 0.002. Implicit: rank 10, α = 10, 10 iterations, each library's λ convention; Recall@10
 * with the training items excluded, computed the same way from both models' factors, MfAls ≥
 * Spark's − 0.005.
 */
class SparkAlsComparisonTest {
    private static final int RANK = 10;
    private static final int ITERATIONS = 10;

    @Test
    void explicitRmseOnParWithSparkAls() {
        Split split = Splits.random(RealisticRatings.movieLens100kShape(7), 0.2, 1);
        Dataset<Row> train = SparkTestSession.frame(split.train(), 2).cache();
        Dataset<Row> test = SparkTestSession.frame(split.test(), 2).cache();
        // Two blocks (one per core) for both: Spark's default ten only add task overhead here.
        ALSModel spark = new ALS().setRank(RANK).setRegParam(0.1).setMaxIter(ITERATIONS).setSeed(1).setNumBlocks(2)
                .setColdStartStrategy("drop").fit(train);
        double sparkRmse = rmse(spark.transform(test));
        MfAlsModel distributed = new MfAls().setRank(RANK).setRegParam(0.1).setMaxIter(ITERATIONS).setSeed(1)
                .setNumBlocks(2).setScaleRegByCount(true).setColdStartStrategy("drop").fit(train);
        double mfAlsRmse = rmse(distributed.transform(test));
        double libraryRmse;
        try (Kernels kernels = Backends.open("best")) {
            FactorModel m = new ExplicitAls(AlsConfig.defaults().withFactors(RANK).withLambda(0.1f, true))
                    .fit(kernels, split.train(), TrainOptions.defaults().withEpochs(ITERATIONS).withSeed(1)).model();
            libraryRmse = Evaluator.ratings(kernels, m, seenOnly(split)).rmse();
        }
        String report = String.format("test RMSE: Spark ALS %.4f, MfAls %.4f, mfkit ExplicitAls %.4f", sparkRmse,
                mfAlsRmse, libraryRmse);
        System.out.println("[spark-comparison] " + report);
        assertTrue(mfAlsRmse <= sparkRmse + 0.002, report);
        assertTrue(libraryRmse <= sparkRmse + 0.002, report);
    }

    private static double rmse(Dataset<Row> predictions) {
        return Math.sqrt(predictions.selectExpr("avg((prediction - rating) * (prediction - rating))").first().getDouble(0));
    }

    /** The test ratings whose user and item both appear in training (Spark's "drop"). */
    private static Ratings seenOnly(Split split) {
        Ratings train = split.train();
        boolean[] users = new boolean[train.numUsers()];
        boolean[] items = new boolean[train.numItems()];
        for (int j = 0; j < train.size(); j++) {
            users[train.user(j)] = true;
            items[train.item(j)] = true;
        }
        Ratings test = split.test();
        List<Integer> keep = new ArrayList<>();
        for (int j = 0; j < test.size(); j++) if (users[test.user(j)] && items[test.item(j)]) keep.add(j);
        return RealisticRatings.select(test, keep, false);
    }

    @Test
    void implicitRecallOnParWithSparkAls() {
        Ratings ratings = RealisticRatings.movieLens100kShape(8);
        // Positives: ratings of 4 and 5.
        List<Integer> keep = new ArrayList<>();
        for (int j = 0; j < ratings.size(); j++) if (ratings.value(j) >= 4f) keep.add(j);
        Split split = Splits.perUser(RealisticRatings.select(ratings, keep, true), 0.2, 3);
        Dataset<Row> train = SparkTestSession.frame(split.train(), 2).cache();
        // Two blocks for Spark too: its default ten only add task overhead on two cores. Its
        // random start depends on the block count; across block counts and seeds its Recall@10
        // here ranges 0.091–0.093 (0.0932 with two blocks, 0.0908 with ten), MfAls's 0.090–0.093.
        ALSModel spark = new ALS().setRank(RANK).setImplicitPrefs(true).setAlpha(10).setRegParam(0.01)
                .setMaxIter(ITERATIONS).setSeed(1).setNumBlocks(2).fit(train);
        MfAlsModel distributed = new MfAls().setRank(RANK).setImplicitPrefs(true).setAlpha(10).setRegParam(0.1)
                .setMaxIter(ITERATIONS).setSeed(1).setNumBlocks(2).fit(train);
        double sparkRecall;
        double mfAlsRecall;
        try (Kernels kernels = Backends.open("best")) {
            sparkRecall = recall(kernels, asFactorModel(spark.userFactors(), spark.itemFactors(), split), split);
            mfAlsRecall = recall(kernels, inTrainingSpace(distributed.toFactorModel(), split), split);
        }
        String report = String.format("Recall@10: Spark ALS %.4f, MfAls %.4f", sparkRecall, mfAlsRecall);
        System.out.println("[spark-comparison] " + report);
        assertTrue(mfAlsRecall >= sparkRecall - 0.005, report);
    }

    private static double recall(Kernels kernels, FactorModel model, Split split) {
        return Evaluator.ranking(kernels, model, split.train(), split.test(), 10).recall();
    }

    /** Spark's factor tables as a model over the split's dense id space (missing rows zero). */
    private static FactorModel asFactorModel(Dataset<Row> users, Dataset<Row> items, Split split) {
        int nu = split.train().numUsers();
        int ni = split.train().numItems();
        return new FactorModel(ImplicitAls.TYPE, RANK, nu, ni, 0f, dense(users, nu), dense(items, ni), null, null,
                null, null, new LinkedHashMap<>(), Float.NaN, Float.NaN);
    }

    private static float[] dense(Dataset<Row> table, int n) {
        float[] out = new float[n * RANK];
        for (Row r : table.collectAsList()) {
            List<Object> f = r.getList(1);
            for (int t = 0; t < RANK; t++) out[r.getInt(0) * RANK + t] = ((Number) f.get(t)).floatValue();
        }
        return out;
    }

    /** An MfAls model (ids as strings, only ids seen in training) re-indexed to the split's dense ids. */
    private static FactorModel inTrainingSpace(FactorModel m, Split split) {
        int nu = split.train().numUsers();
        int ni = split.train().numItems();
        float[] p = new float[nu * RANK];
        float[] q = new float[ni * RANK];
        copyRows(m.userFactors(), m.userIds(), p);
        copyRows(m.itemFactors(), m.itemIds(), q);
        return new FactorModel(ImplicitAls.TYPE, RANK, nu, ni, 0f, p, q, null, null, null, null,
                new LinkedHashMap<>(), Float.NaN, Float.NaN);
    }

    private static void copyRows(float[] from, IdMap ids, float[] to) {
        for (int d = 0; d < ids.size(); d++) {
            int id = Integer.parseInt(ids.externalId(d));
            System.arraycopy(from, d * RANK, to, id * RANK, RANK);
        }
    }
}
