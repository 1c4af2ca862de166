package org.mfkit.spark;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.mfkit.data.CountWeighting;
import scala.Option;

/**
 * Saving and loading {@link MfAlsModel}: Spark ML's metadata (class, uid, params) under
 * {@code metadata/}, one row of model scalars (and BM25's per-user and per-item statistics, when
 * the model was trained with that weighting) under {@code data/} and the factor tables under
 * {@code userFactors/} and {@code itemFactors/}, all Parquet, on any file system Spark writes.
 */
final class MfAlsModelIO {
    private MfAlsModelIO() {}

    private static final StructType DATA = new StructType()
            .add("rank", DataTypes.IntegerType, false)
            .add("implicit", DataTypes.BooleanType, false)
            .add("mean", DataTypes.FloatType, false)
            .add("clipMin", DataTypes.FloatType, false)
            .add("clipMax", DataTypes.FloatType, false)
            .add("numUserBlocks", DataTypes.IntegerType, false)
            .add("numItemBlocks", DataTypes.IntegerType, false)
            .add("hyperParameters", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType), false)
            .add("userCounts", DataTypes.createArrayType(DataTypes.FloatType, false), true)
            .add("itemSums", DataTypes.createArrayType(DataTypes.FloatType, false), true);

    /** Writes a model. */
    static final class Writer extends MLWriter {
        private final MfAlsModel model;

        Writer(MfAlsModel model) {
            this.model = model;
        }

        @Override
        public void saveImpl(String path) {
            SparkSession spark = sparkSession();
            DefaultParamsWriter.saveMetadata(model, path, spark);
            CountWeighting.Statistics stats = model.countStatistics();
            Row data = RowFactory.create(model.rank(), model.isImplicit(), model.globalMean(), model.clipMin(),
                    model.clipMax(), model.users().layout.numBlocks(), model.items().layout.numBlocks(),
                    scala.jdk.javaapi.CollectionConverters.asScala(model.hyperParameters()),
                    stats == null ? null : floats(stats.userCounts()), stats == null ? null : floats(stats.itemSums()));
            spark.createDataFrame(Collections.singletonList(data), DATA).write().parquet(path + "/data");
            model.userFactors().write().parquet(path + "/userFactors");
            model.itemFactors().write().parquet(path + "/itemFactors");
        }
    }

    private static Float[] floats(float[] values) {
        Float[] out = new Float[values.length];
        for (int j = 0; j < values.length; j++) out[j] = values[j];
        return out;
    }

    private static float[] floats(List<Float> values) {
        float[] out = new float[values.size()];
        for (int j = 0; j < out.length; j++) out[j] = values.get(j);
        return out;
    }

    /** Reads a model. */
    static final class Reader extends MLReader<MfAlsModel> {
        @Override
        public MfAlsModel load(String path) {
            SparkSession spark = sparkSession();
            DefaultParamsReader.Metadata metadata = DefaultParamsReader.loadMetadata(path, spark,
                    MfAlsModel.class.getName());
            Row data = spark.read().parquet(path + "/data").first();
            int rank = data.getInt(0);
            boolean implicit = data.getBoolean(1);
            Map<String, String> hp = new HashMap<>(data.getJavaMap(7));
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            BlockedAls.Side users = FactorTables.fromDataFrame(sc, spark.read().parquet(path + "/userFactors"),
                    data.getInt(5), rank, implicit);
            BlockedAls.Side items = FactorTables.fromDataFrame(sc, spark.read().parquet(path + "/itemFactors"),
                    data.getInt(6), rank, implicit);
            // Models saved before count weighting existed have neither column.
            boolean hasStats = Arrays.asList(data.schema().fieldNames()).contains("userCounts") && !data.isNullAt(8);
            CountWeighting.Statistics stats = hasStats
                    ? new CountWeighting.Statistics(floats(data.getList(8)), floats(data.getList(9))) : null;
            MfAlsModel model = new MfAlsModel(metadata.uid(), rank, implicit, data.getFloat(2), data.getFloat(3),
                    data.getFloat(4), hp, users, items, stats, spark);
            metadata.getAndSetParams(model, Option.empty());
            return model;
        }
    }
}
