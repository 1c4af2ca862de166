package org.mfkit.spark.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.mfkit.data.Ratings;
import org.mfkit.spark.MfAls;
import org.mfkit.spark.MfAlsModel;
import org.mfkit.spark.RealisticRatings;

/**
 * The Spark bench family: {@link MfAls} against Spark MLlib's ALS on the same generated data
 * in one local[2] session — fit explicit, fit implicit (both: rank, iterations, λ, α, blocks
 * the same; timed until both factor tables are materialized), and recommendForAllUsers(10)
 * (MfAls with seen items excluded, which Spark cannot do; written to Spark's no-op sink so
 * every row is computed). One warm-up, then {@code --runs} timed runs per row, medians and
 * ratios from the same run, the load average next to each figure.
 *
 * <pre>
 * spark/run-bench.sh [--users 20000] [--items 5000] [--ratings 500000] [--rank 32] [--iterations 10]
 *                    [--blocks 10] [--runs 3] [--out spark-bench.md]
 * </pre>
 */
public final class SparkAlsBench {
    private SparkAlsBench() {}

    public static void main(String[] args) throws IOException {
        int users = 20_000;
        int items = 5_000;
        int ratings = 500_000;
        int rank = 32;
        int iterations = 10;
        int blocks = 10;
        int runs = 3;
        Path out = null;
        for (int a = 0; a < args.length; a += 2) {
            String value = a + 1 < args.length ? args[a + 1] : null;
            if (value == null) throw new IllegalArgumentException(args[a] + " needs a value");
            switch (args[a]) {
                case "--users" -> users = Integer.parseInt(value);
                case "--items" -> items = Integer.parseInt(value);
                case "--ratings" -> ratings = Integer.parseInt(value);
                case "--rank" -> rank = Integer.parseInt(value);
                case "--iterations" -> iterations = Integer.parseInt(value);
                case "--blocks" -> blocks = Integer.parseInt(value);
                case "--runs" -> runs = Integer.parseInt(value);
                case "--out" -> out = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + args[a]);
            }
        }
        SparkSession spark = SparkSession.builder().master("local[2]").appName("mfkit-spark-bench")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        Ratings data = RealisticRatings.generate(users, items, ratings, 5, 2026);
        Dataset<Row> explicit = frame(spark, data, false).cache();
        Dataset<Row> implicit = frame(spark, data, true).cache();
        explicit.count();
        implicit.count();
        StringBuilder report = new StringBuilder();
        report.append(String.format(Locale.ROOT, "Spark family: %d ratings, %d users × %d items, rank %d, %d iterations, "
                        + "%d user and item blocks, local[2], %d timed runs after 1 warm-up (median)%n",
                data.size(), users, items, rank, iterations, blocks, runs));
        report.append("machine: ").append(cpu()).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores; JVM: ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.runtime.version")).append("; Spark ").append(spark.version())
                .append(System.lineSeparator()).append(System.lineSeparator());
        report.append("| row | Spark ALS | MfAls | MfAls / Spark | load average (1 min) during the rows |\n");
        report.append("|---|---|---|---|---|\n");
        final int r = rank;
        final int it = iterations;
        final int b = blocks;
        ALSModel[] sparkModel = new ALSModel[1];
        MfAlsModel[] mfModel = new MfAlsModel[1];
        row(report, "fit, explicit", runs,
                () -> {
                    sparkModel[0] = new ALS().setRank(r).setMaxIter(it).setRegParam(0.05).setNumBlocks(b).fit(explicit);
                    sparkModel[0].userFactors().count();
                    sparkModel[0].itemFactors().count();
                    return null;
                },
                () -> {
                    mfModel[0] = new MfAls().setRank(r).setMaxIter(it).setRegParam(0.05).setNumBlocks(b).fit(explicit);
                    mfModel[0].userFactors().count();
                    mfModel[0].itemFactors().count();
                    return null;
                });
        row(report, "recommendForAllUsers(10) (MfAls: seen items excluded)", runs,
                () -> {
                    sparkModel[0].recommendForAllUsers(10).write().format("noop").mode("overwrite").save();
                    return null;
                },
                () -> {
                    mfModel[0].setExcludeSeen(true).recommendForAllUsers(10).write().format("noop").mode("overwrite").save();
                    return null;
                });
        row(report, "fit, implicit (α = 10; MfAls CG 3 steps, Spark Cholesky)", runs,
                () -> {
                    ALSModel m = new ALS().setRank(r).setMaxIter(it).setRegParam(0.01).setImplicitPrefs(true).setAlpha(10)
                            .setNumBlocks(b).fit(implicit);
                    m.userFactors().count();
                    m.itemFactors().count();
                    return null;
                },
                () -> {
                    MfAlsModel m = new MfAls().setRank(r).setMaxIter(it).setRegParam(0.1).setImplicitPrefs(true).setAlpha(10)
                            .setNumBlocks(b).fit(implicit);
                    m.userFactors().count();
                    m.itemFactors().count();
                    return null;
                });
        System.out.print(report);
        if (out != null) Files.writeString(out, report, StandardCharsets.UTF_8);
        spark.stop();
    }

    private static void row(StringBuilder report, String name, int runs, Supplier<Void> spark, Supplier<Void> mfkit) {
        List<String> loads = new ArrayList<>();
        loads.add(load());
        spark.get();
        mfkit.get();
        double[] s = new double[runs];
        double[] m = new double[runs];
        for (int j = 0; j < runs; j++) {
            s[j] = seconds(spark);
            m[j] = seconds(mfkit);
            loads.add(load());
        }
        double sm = median(s);
        double mm = median(m);
        String line = String.format(Locale.ROOT, "| %s | %.2f s (%s) | %.2f s (%s) | %.3f | %s |%n", name, sm, all(s), mm,
                all(m), mm / sm, String.join(", ", loads));
        System.out.print(line);
        report.append(line);
    }

    private static double seconds(Supplier<Void> work) {
        long start = System.nanoTime();
        work.get();
        return (System.nanoTime() - start) / 1e9;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String all(double[] values) {
        StringBuilder sb = new StringBuilder();
        for (double v : values) sb.append(sb.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", v));
        return sb.toString();
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    private static String cpu() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
            }
        } catch (IOException e) {
            return System.getProperty("os.arch");
        }
        return System.getProperty("os.arch");
    }

    private static Dataset<Row> frame(SparkSession spark, Ratings data, boolean implicit) {
        List<Row> rows = new ArrayList<>(data.size());
        for (int j = 0; j < data.size(); j++) {
            rows.add(RowFactory.create(data.user(j), data.item(j), implicit ? 1f : data.value(j)));
        }
        StructType schema = new StructType().add("user", DataTypes.IntegerType).add("item", DataTypes.IntegerType)
                .add("rating", DataTypes.FloatType);
        return spark.createDataFrame(rows, schema).repartition(4);
    }
}
