package org.mfkit.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.mfkit.core.Backends;
import org.mfkit.core.CsrMatrix;
import org.mfkit.core.DenseMatrix;
import org.mfkit.core.ExplicitAlsParams;
import org.mfkit.core.IndexArray;
import org.mfkit.core.Kernels;
import org.mfkit.core.Solver;
import org.mfkit.data.HostCsr;
import org.mfkit.data.Ratings;
import org.mfkit.data.Split;
import org.mfkit.data.Splits;
import org.mfkit.eval.Evaluator;
import org.mfkit.model.AlsConfig;
import org.mfkit.model.ExplicitAls;
import org.mfkit.model.TrainOptions;
import org.mfkit.model.TrainingResult;

/**
 * The experiment behind docs/MODELS.md, "Explicit ALS and Spark's ALS": Spark's ALS and
 * copies of the explicit ALS loop on mfkit's kernels with one candidate cause switched at a
 * time (centring on μ or raw ratings, initial scale N(0, 0.1²), N(0, 0.01²) or unit-norm rows,
 * which side is solved first, clipping), and biased ALS, on MovieLens-100K-shaped data
 * ({@link RealisticRatings}), test RMSE averaged over seeds 1–3. Not a test: run by hand with
 * the spark module's test class path ({@code spark/run-bench.sh} shows how it is built):
 *
 * <pre>
 * java ... org.mfkit.spark.AlsVariantsReport 7          # Spark ALS, mfkit's als, every variant at 10 iterations
 * java ... org.mfkit.spark.AlsVariantsReport 7 40       # test RMSE after 1, 2, 3, 5, 10, 20, 40 iterations
 * java ... org.mfkit.spark.AlsVariantsReport 7 40 b     # the same for biased ALS
 * </pre>
 */
public final class AlsVariantsReport {
    private AlsVariantsReport() {}

    public static void main(String[] args) throws Exception {
        Ratings all = RealisticRatings.movieLens100kShape(Long.parseLong(args.length > 0 ? args[0] : "7"));
        Split split = Splits.random(all, 0.2, 1);
        int k = 10;
        float lambda = 0.1f;
        int iters = 10;
        if (args.length > 2) {
            biasedCurves(split, k, lambda);
            return;
        }
        if (args.length > 1) {
            curves(split, k, lambda, Integer.parseInt(args[1]));
            return;
        }
        SparkSession spark = SparkSession.builder().master("local[2]").config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4").getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        StructType schema = new StructType().add("user", DataTypes.IntegerType).add("item", DataTypes.IntegerType)
                .add("rating", DataTypes.FloatType);
        Dataset<Row> train = spark.createDataFrame(rows(split.train()), schema);
        Dataset<Row> test = spark.createDataFrame(rows(split.test()), schema);
        for (long seed : new long[] {1, 2, 3}) {
            ALSModel m = new ALS().setRank(k).setRegParam(lambda).setMaxIter(iters).setSeed(seed).setUserCol("user")
                    .setItemCol("item").setRatingCol("rating").setColdStartStrategy("drop").fit(train);
            Dataset<Row> pred = m.transform(test);
            double mse = pred.selectExpr("avg((prediction - rating) * (prediction - rating))").first().getDouble(0);
            System.out.printf("spark seed %d rmse %.4f%n", seed, Math.sqrt(mse));
        }
        try (Kernels kernels = Backends.open("scalar")) {
            TrainingResult r = new ExplicitAls(AlsConfig.defaults().withFactors(k).withLambda(lambda, true))
                    .fit(kernels, split.train(), TrainOptions.defaults().withEpochs(iters));
            System.out.printf("mfkit ExplicitAls rmse %.4f%n", Evaluator.ratings(kernels, r.model(), split.test()).rmse());
            for (boolean center : new boolean[] {true, false}) {
                for (String init : new String[] {"g0.1", "g0.01", "unit"}) {
                    for (boolean usersFirst : new boolean[] {true, false}) {
                        for (boolean clip : new boolean[] {true, false}) {
                            double rmse = 0;
                            for (long seed = 1; seed <= 3; seed++) {
                                rmse += mini(kernels, split, k, lambda, iters, center, init, usersFirst, clip, seed);
                            }
                            System.out.printf("center=%s init=%s usersFirst=%s clip=%s rmse %.4f%n", center, init,
                                    usersFirst, clip, rmse / 3);
                        }
                    }
                }
            }
        }
        spark.stop();
    }

    /** mfkit's explicit ALS as it now is (biases learned jointly), seeds 1–3, per iteration count. */
    static void biasedCurves(Split split, int k, float lambda) {
        try (Kernels kernels = Backends.open("scalar")) {
            StringBuilder sb = new StringBuilder();
            for (int it : new int[] {1, 2, 3, 5, 10, 20, 40}) {
                double rmse = 0;
                for (long seed = 1; seed <= 3; seed++) {
                    TrainingResult r = new ExplicitAls(AlsConfig.defaults().withFactors(k).withLambda(lambda, true))
                            .fit(kernels, split.train(), TrainOptions.defaults().withEpochs(it).withSeed(seed));
                    rmse += Evaluator.ratings(kernels, r.model(), split.test()).rmse();
                }
                sb.append(String.format(" it%d=%.4f", it, rmse / 3));
            }
            System.out.println("biased ALS (ExplicitAls)" + sb);
        }
    }

    static void curves(Split split, int k, float lambda, int iters) {
        try (Kernels kernels = Backends.open("scalar")) {
            String[][] configs = {{"true", "g0.1", "true"}, {"false", "unit", "false"}, {"true", "unit", "false"},
                    {"false", "g0.1", "true"}, {"true", "unit", "true"}, {"false", "unit", "true"}};
            for (String[] c : configs) {
                StringBuilder sb = new StringBuilder();
                for (int it : new int[] {1, 2, 3, 5, 10, 20, 40}) {
                    if (it > iters) break;
                    double rmse = 0;
                    for (long seed = 1; seed <= 3; seed++) {
                        rmse += mini(kernels, split, k, lambda, it, Boolean.parseBoolean(c[0]), c[1],
                                Boolean.parseBoolean(c[2]), true, seed);
                    }
                    sb.append(String.format(" it%d=%.4f", it, rmse / 3));
                }
                System.out.println("center=" + c[0] + " init=" + c[1] + " usersFirst=" + c[2] + sb);
            }
        }
    }

    static double mini(Kernels kernels, Split split, int k, float lambda, int iters, boolean center, String init,
                       boolean usersFirst, boolean clip, long seed) {
        Ratings tr = split.train();
        double mu = 0;
        for (int j = 0; j < tr.size(); j++) mu += tr.value(j);
        mu /= tr.size();
        float m = center ? (float) mu : 0f;
        float[] v = new float[tr.size()];
        int[] us = new int[tr.size()];
        int[] is = new int[tr.size()];
        for (int j = 0; j < tr.size(); j++) {
            us[j] = tr.user(j);
            is[j] = tr.item(j);
            v[j] = tr.value(j) - m;
        }
        Ratings c = new Ratings(tr.numUsers(), tr.numItems(), us, is, v);
        HostCsr byUser = c.byUser();
        HostCsr byItem = c.byItem();
        Random random = new Random(seed);
        float[] x0 = init(random, tr.numUsers(), k, init);
        float[] y0 = init(random, tr.numItems(), k, init);
        try (DenseMatrix x = kernels.matrix(tr.numUsers(), k, x0); DenseMatrix y = kernels.matrix(tr.numItems(), k, y0);
             CsrMatrix ur = byUser.upload(kernels); CsrMatrix ir = byItem.upload(kernels);
             IndexArray au = kernels.indices("u", range(tr.numUsers())); IndexArray ai = kernels.indices("i", range(tr.numItems()))) {
            ExplicitAlsParams p = new ExplicitAlsParams(lambda, true);
            for (int it = 0; it < iters; it++) {
                if (usersFirst) {
                    kernels.solveExplicit(x, au, ur, y, p, Solver.cholesky());
                    kernels.solveExplicit(y, ai, ir, x, p, Solver.cholesky());
                } else {
                    kernels.solveExplicit(y, ai, ir, x, p, Solver.cholesky());
                    kernels.solveExplicit(x, au, ur, y, p, Solver.cholesky());
                }
            }
            float[] xf = x.toArray();
            float[] yf = y.toArray();
            Ratings te = split.test();
            double se = 0;
            int n = 0;
            int[] uc = new int[tr.numUsers()];
            int[] ic = new int[tr.numItems()];
            for (int j = 0; j < tr.size(); j++) { uc[tr.user(j)]++; ic[tr.item(j)]++; }
            for (int j = 0; j < te.size(); j++) {
                int u = te.user(j), i = te.item(j);
                if (uc[u] == 0 || ic[i] == 0) continue; // Spark's "drop"
                double pr = m;
                for (int t = 0; t < k; t++) pr += xf[u * k + t] * yf[i * k + t];
                if (clip) pr = Math.max(1, Math.min(5, pr));
                se += (pr - te.value(j)) * (pr - te.value(j));
                n++;
            }
            return Math.sqrt(se / n);
        }
    }

    static float[] init(Random random, int n, int k, String kind) {
        float[] out = new float[n * k];
        for (int r = 0; r < n; r++) {
            double norm = 0;
            for (int t = 0; t < k; t++) {
                double g = random.nextGaussian();
                out[r * k + t] = (float) g;
                norm += g * g;
            }
            double scale = kind.equals("unit") ? 1 / Math.sqrt(norm) : kind.equals("g0.1") ? 0.1 : 0.01;
            for (int t = 0; t < k; t++) out[r * k + t] = (float) (out[r * k + t] * scale);
        }
        return out;
    }

    static int[] range(int n) {
        int[] a = new int[n];
        for (int j = 0; j < n; j++) a[j] = j;
        return a;
    }

    static List<Row> rows(Ratings r) {
        List<Row> out = new ArrayList<>();
        for (int j = 0; j < r.size(); j++) out.add(RowFactory.create(r.user(j), r.item(j), r.value(j)));
        return out;
    }
}
