package org.mfkit.spark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/** Factor blocks to and from the table form Spark users see (id, features[, bias]), and to the driver. */
final class FactorTables {
    private FactorTables() {}

    static StructType schema(boolean implicit) {
        StructType s = new StructType().add("id", DataTypes.IntegerType, false)
                .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false);
        return implicit ? s : s.add("bias", DataTypes.FloatType, false);
    }

    static Dataset<Row> toDataFrame(SparkSession spark, BlockedAls.Side side, int width, boolean implicit) {
        Broadcast<Layout> layout = side.shared;
        int rank = implicit ? width : width - 1;
        JavaRDD<Row> rows = side.factors.flatMap(b -> {
            List<Row> out = new ArrayList<>(b.numRows);
            Layout l = layout.value();
            for (int r = 0; r < b.numRows; r++) {
                Float[] features = new Float[rank];
                for (int t = 0; t < rank; t++) features[t] = b.values[r * width + t];
                int id = l.id(b.firstRow + r);
                out.add(implicit ? RowFactory.create(id, features)
                        : RowFactory.create(id, features, b.values[r * width + rank]));
            }
            return out.iterator();
        });
        return spark.createDataFrame(rows, schema(implicit));
    }

    /** All rows of a side in dense order, on the driver. */
    static float[] collectDense(BlockedAls.Side side, int width) {
        float[] dense = new float[side.layout.size() * width];
        for (FactorBlock b : side.factors.collect()) {
            System.arraycopy(b.values, 0, dense, b.firstRow * width, b.numRows * width);
        }
        return dense;
    }

    /**
     * Rebuilds one side from its table: ids collected and sorted into a layout of
     * {@code numBlocks} blocks, rows shuffled to their blocks (a loaded model has no ratings).
     */
    static BlockedAls.Side fromDataFrame(JavaSparkContext sc, Dataset<Row> table, int numBlocks, int rank,
                                         boolean implicit) {
        int width = implicit ? rank : rank + 1;
        JavaRDD<Row> rows = table.select("id", "features", implicit ? "features" : "bias").toJavaRDD();
        List<Integer> idList = rows.map(r -> r.getInt(0)).collect();
        int[] ids = new int[idList.size()];
        for (int j = 0; j < ids.length; j++) ids[j] = idList.get(j);
        int[] sorted = BlockedAls.sortedDistinct(ids, ids.length);
        if (sorted.length != ids.length) throw new IllegalArgumentException("the factor table has duplicated ids");
        Layout layout = Layout.of(sorted, numBlocks);
        Broadcast<Layout> shared = sc.broadcast(layout);
        JavaPairRDD<Integer, Tuple2<Integer, float[]>> keyed = rows.mapToPair(r -> {
            Layout l = shared.value();
            int dense = l.dense(r.getInt(0));
            List<Object> features = r.getList(1);
            if (features.size() != rank) {
                throw new IllegalArgumentException("id " + r.getInt(0) + " has " + features.size() + " features, expected " + rank);
            }
            float[] row = new float[width];
            for (int t = 0; t < rank; t++) row[t] = ((Number) features.get(t)).floatValue();
            if (!implicit) row[rank] = r.getFloat(2);
            return new Tuple2<>(l.blockOf(dense), new Tuple2<>(dense, row));
        });
        JavaRDD<FactorBlock> factors = keyed.partitionBy(new BlockPartitioner(numBlocks)).mapPartitionsWithIndex((b, it) -> {
            Layout l = shared.value();
            float[] values = new float[l.blockRows(b) * width];
            while (it.hasNext()) {
                Tuple2<Integer, float[]> row = it.next()._2();
                System.arraycopy(row._2(), 0, values, (row._1() - l.blockStart(b)) * width, width);
            }
            return Collections.singletonList(new FactorBlock(b, l.blockStart(b), l.blockRows(b), width, values, null))
                    .iterator();
        }, true);
        factors.persist(StorageLevel.MEMORY_AND_DISK());
        BlockedAls.Side side = new BlockedAls.Side(layout, shared, null, false);
        side.factors = factors;
        return side;
    }
}
