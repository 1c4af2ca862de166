package org.mfkit.spark;

import java.util.Collections;
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
import scala.Option;

/**
 * Saving and loading {@link MfAlsModel}: Spark ML's metadata (class, uid, params) under
 * {@code metadata/}, one row of model scalars under {@code data/} and the factor tables under
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
            .add("hyperParameters", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType), false);

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
            Row data = RowFactory.create(model.rank(), model.isImplicit(), model.globalMean(), model.clipMin(),
                    model.clipMax(), model.users().layout.numBlocks(), model.items().layout.numBlocks(),
                    scala.jdk.javaapi.CollectionConverters.asScala(model.hyperParameters()));
            spark.createDataFrame(Collections.singletonList(data), DATA).write().parquet(path + "/data");
            model.userFactors().write().parquet(path + "/userFactors");
            model.itemFactors().write().parquet(path + "/itemFactors");
        }
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
            MfAlsModel model = new MfAlsModel(metadata.uid(), rank, implicit, data.getFloat(2), data.getFloat(3),
                    data.getFloat(4), hp, users, items, spark);
            metadata.getAndSetParams(model, Option.empty());
            return model;
        }
    }
}
