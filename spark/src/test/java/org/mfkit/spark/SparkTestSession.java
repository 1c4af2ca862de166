package org.mfkit.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.mfkit.data.Ratings;

/**
 * The one local[2] SparkSession every test class of this module shares (starting one takes
 * 5–12 s here): no UI, two shuffle partitions (one per core: more only add tasks), bound to
 * the loopback address. Surefire runs all classes in one JVM; the session ends with it.
 */
final class SparkTestSession {
    private static SparkSession session;

    private SparkTestSession() {}

    static synchronized SparkSession get() {
        if (session == null) {
            session = SparkSession.builder().master("local[2]").appName("mfkit-spark-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.default.parallelism", "2")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.sql.adaptive.enabled", "false")
                    .getOrCreate();
        }
        return session;
    }

    static final StructType RATINGS = new StructType().add("user", DataTypes.IntegerType, false)
            .add("item", DataTypes.IntegerType, false).add("rating", DataTypes.FloatType, false);

    /** {@code ratings} as a (user, item, rating) data frame, ids as they are, in {@code partitions} partitions. */
    static Dataset<Row> frame(Ratings ratings, int partitions) {
        List<Row> rows = new ArrayList<>(ratings.size());
        for (int j = 0; j < ratings.size(); j++) {
            rows.add(RowFactory.create(ratings.user(j), ratings.item(j), ratings.value(j)));
        }
        return get().createDataFrame(rows, RATINGS).repartition(partitions);
    }
}
