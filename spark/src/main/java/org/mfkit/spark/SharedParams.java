package org.mfkit.spark;

import java.util.Arrays;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The params {@link MfAls} and {@link MfAlsModel} both have, defined once (Java classes cannot
 * share a Scala params trait): each class creates its own instances with its uid as parent.
 */
final class SharedParams {
    private SharedParams() {}

    static final String NAN = "nan";
    static final String DROP = "drop";
    static final long DEFAULT_BROADCAST_THRESHOLD = 128L << 20;

    static Param<String> userCol(String uid) {
        return new Param<>(uid, "userCol", "column of user ids (integers within the int range)");
    }

    static Param<String> itemCol(String uid) {
        return new Param<>(uid, "itemCol", "column of item ids (integers within the int range)");
    }

    static Param<String> predictionCol(String uid) {
        return new Param<>(uid, "predictionCol", "prediction column name");
    }

    static Param<String> coldStartStrategy(String uid) {
        return new Param<>(uid, "coldStartStrategy", "what transform does with ids unseen in training: 'nan' "
                + "(prediction NaN) or 'drop' (row removed)", ParamValidators.inArray(new String[] {NAN, DROP}));
    }

    static Param<String> backend(String uid) {
        return new Param<>(uid, "backend", "mfkit backend on each executor: 'best' (the best available there), "
                + "'cpu-vector', 'scalar' or 'gpu-cuda'");
    }

    static LongParam broadcastThreshold(String uid) {
        return new LongParam(uid, "broadcastThreshold", "a side whose factors take at most this many bytes is "
                + "broadcast to every task instead of shuffled to the blocks that need it (0: always shuffle)",
                ParamValidators.gtEq(0));
    }

    static BooleanParam excludeSeen(String uid) {
        return new BooleanParam(uid, "excludeSeen", "whether recommendations leave out the items (users) each "
                + "user (item) rated in the training data");
    }

    /** Checks that {@code column} exists and is numeric. */
    static void requireNumeric(StructType schema, String column) {
        if (!Arrays.asList(schema.fieldNames()).contains(column)) {
            throw new IllegalArgumentException("column '" + column + "' does not exist; columns: "
                    + String.join(", ", schema.fieldNames()));
        }
        DataType type = schema.apply(column).dataType();
        if (!(type instanceof NumericType)) {
            throw new IllegalArgumentException("column '" + column + "' must be numeric, but is " + type.simpleString());
        }
    }

    /** {@code schema} with a float prediction column appended. */
    static StructType withPrediction(StructType schema, String predictionCol) {
        if (Arrays.asList(schema.fieldNames()).contains(predictionCol)) {
            throw new IllegalArgumentException("prediction column '" + predictionCol + "' already exists");
        }
        return schema.add(new StructField(predictionCol, DataTypes.FloatType, false,
                org.apache.spark.sql.types.Metadata.empty()));
    }

    /** An id value as an int: integral and within the int range, else an exception naming the column. */
    static int checkedId(Object value, String column) {
        if (value == null) throw new IllegalArgumentException("column '" + column + "' has a null id");
        Number n = (Number) value;
        double d = n.doubleValue();
        if (d != Math.rint(d) || d < Integer.MIN_VALUE || d > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("column '" + column + "' has id " + value
                    + ", which is not an integer within the int range");
        }
        return (int) d;
    }
}
