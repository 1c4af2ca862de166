package org.mfkit.spark;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF4;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.mfkit.data.CountWeighting;
import org.mfkit.data.IdMap;
import org.mfkit.model.ExplicitAls;
import org.mfkit.model.FactorModel;
import org.mfkit.model.ImplicitAls;

/**
 * A model trained by {@link MfAls}: user and item factors (plus biases and μ for explicit
 * feedback) in blocks on the cluster. Predicts ratings ({@link #transform}), recommends with
 * the {@code topK} kernel ({@link #recommendForAllUsers} and friends; seen items excluded on
 * request), saves and loads itself (also inside a Pipeline), and converts to mfkit's
 * {@link FactorModel}, so a model trained on a cluster is served by the CLI and the library.
 */
public final class MfAlsModel extends Model<MfAlsModel> implements MLWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final int rank;
    private final boolean implicit;
    private final float mean;
    private final float clipMin;
    private final float clipMax;
    private final Map<String, String> hyperParameters;
    private final transient BlockedAls.Side users;
    private final transient BlockedAls.Side items;
    private final transient CountWeighting.Statistics countStatistics;
    private final transient SparkSession spark;
    private transient Dataset<Row> userTable;
    private transient Dataset<Row> itemTable;

    private final Param<String> userCol;
    private final Param<String> itemCol;
    private final Param<String> predictionCol;
    private final Param<String> coldStartStrategy;
    private final Param<String> backend;
    private final LongParam broadcastThreshold;
    private final BooleanParam excludeSeen;

    MfAlsModel(String uid, int rank, boolean implicit, float mean, float clipMin, float clipMax,
               Map<String, String> hyperParameters, BlockedAls.Side users, BlockedAls.Side items,
               CountWeighting.Statistics countStatistics, SparkSession spark) {
        this.uid = uid;
        this.rank = rank;
        this.implicit = implicit;
        this.mean = mean;
        this.clipMin = clipMin;
        this.clipMax = clipMax;
        this.hyperParameters = new LinkedHashMap<>(hyperParameters);
        this.users = users;
        this.items = items;
        this.countStatistics = countStatistics;
        this.spark = spark;
        userCol = SharedParams.userCol(uid);
        itemCol = SharedParams.itemCol(uid);
        predictionCol = SharedParams.predictionCol(uid);
        coldStartStrategy = SharedParams.coldStartStrategy(uid);
        backend = SharedParams.backend(uid);
        broadcastThreshold = SharedParams.broadcastThreshold(uid);
        excludeSeen = SharedParams.excludeSeen(uid);
        setDefault(userCol, "user");
        setDefault(itemCol, "item");
        setDefault(predictionCol, "prediction");
        setDefault(coldStartStrategy, SharedParams.NAN);
        setDefault(backend, "best");
        setDefault(broadcastThreshold, SharedParams.DEFAULT_BROADCAST_THRESHOLD);
        setDefault(excludeSeen, false);
    }

    @Override
    public String uid() {
        return uid;
    }

    /** @return the userCol param */
    public Param<String> userCol() { return userCol; }
    /** @return the itemCol param */
    public Param<String> itemCol() { return itemCol; }
    /** @return the predictionCol param */
    public Param<String> predictionCol() { return predictionCol; }
    /** @return the coldStartStrategy param */
    public Param<String> coldStartStrategy() { return coldStartStrategy; }
    /** @return the backend param */
    public Param<String> backend() { return backend; }
    /** @return the broadcastThreshold param */
    public LongParam broadcastThreshold() { return broadcastThreshold; }
    /** @return the excludeSeen param */
    public BooleanParam excludeSeen() { return excludeSeen; }

    /** @return the user column */
    public String getUserCol() { return getOrDefault(userCol); }
    /** @return the item column */
    public String getItemCol() { return getOrDefault(itemCol); }
    /** @return the prediction column */
    public String getPredictionCol() { return getOrDefault(predictionCol); }
    /** @return the cold-start strategy */
    public String getColdStartStrategy() { return getOrDefault(coldStartStrategy); }
    /** @return the backend name */
    public String getBackend() { return getOrDefault(backend); }
    /** @return the broadcast threshold in bytes */
    public long getBroadcastThreshold() { return (Long) getOrDefault(broadcastThreshold); }
    /** @return whether recommendations exclude seen items */
    public boolean getExcludeSeen() { return (Boolean) getOrDefault(excludeSeen); }

    /** @return this */
    public MfAlsModel setUserCol(String value) { set(userCol, value); return this; }
    /** @return this */
    public MfAlsModel setItemCol(String value) { set(itemCol, value); return this; }
    /** @return this */
    public MfAlsModel setPredictionCol(String value) { set(predictionCol, value); return this; }
    /** @return this */
    public MfAlsModel setColdStartStrategy(String value) {
        set(coldStartStrategy, value.toLowerCase(Locale.ROOT));
        return this;
    }
    /** @return this */
    public MfAlsModel setBackend(String value) { set(backend, value); return this; }
    /** @return this */
    public MfAlsModel setBroadcastThreshold(long value) { set(broadcastThreshold, value); return this; }
    /**
     * Whether recommendations leave out what each user (item) rated in training. A fitted
     * model knows its training ratings; a loaded one needs them passed to the overloads
     * taking a {@code seen} data set.
     *
     * @return this
     */
    public MfAlsModel setExcludeSeen(boolean value) { set(excludeSeen, value); return this; }

    /** The factor dimension k. */
    public int rank() { return rank; }

    /** Whether the model was trained on implicit feedback. */
    public boolean isImplicit() { return implicit; }

    /** μ, the training mean (explicit models; 0 for implicit ones). */
    public float globalMean() { return mean; }

    /** The settings the model was trained with. */
    public Map<String, String> hyperParameters() { return java.util.Collections.unmodifiableMap(hyperParameters); }

    BlockedAls.Side users() { return users; }

    BlockedAls.Side items() { return items; }

    float clipMin() { return clipMin; }

    float clipMax() { return clipMax; }

    /** BM25's statistics of the training interactions (dense order), or null for other weightings. */
    CountWeighting.Statistics countStatistics() { return countStatistics; }

    private int width() {
        return implicit ? rank : rank + 1;
    }

    /** User factors: columns {@code id} (int), {@code features} (array of k floats) and, for explicit models, {@code bias}. */
    public Dataset<Row> userFactors() {
        if (userTable == null) userTable = FactorTables.toDataFrame(spark, users, width(), implicit);
        return userTable;
    }

    /** Item factors, as {@link #userFactors}. */
    public Dataset<Row> itemFactors() {
        if (itemTable == null) itemTable = FactorTables.toDataFrame(spark, items, width(), implicit);
        return itemTable;
    }

    // ---------------------------------------------------------------- predictions

    @Override
    public StructType transformSchema(StructType schema) {
        SharedParams.requireNumeric(schema, getUserCol());
        SharedParams.requireNumeric(schema, getItemCol());
        return SharedParams.withPrediction(schema, getPredictionCol());
    }

    /**
     * Appends the prediction μ + b_u + b_i + p_u·q_i (explicit, clipped to the training range)
     * or p_u·q_i (implicit). Ids unseen in training get NaN, or their rows are dropped with
     * {@code coldStartStrategy = "drop"}. A factor table whose factors fit under
     * {@code broadcastThreshold} is broadcast to the join, so the data set is not shuffled.
     */
    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        String p = getPredictionCol();
        Dataset<Row> uf = implicit ? userFactors().toDF("__mfkit_uid", "__mfkit_uf")
                : userFactors().toDF("__mfkit_uid", "__mfkit_uf", "__mfkit_ub");
        Dataset<Row> itf = implicit ? itemFactors().toDF("__mfkit_iid", "__mfkit_if")
                : itemFactors().toDF("__mfkit_iid", "__mfkit_if", "__mfkit_ib");
        // Factor tables under the threshold are broadcast to the join (Spark cannot size a table
        // built from an RDD, so it would otherwise shuffle the whole data set to sort-merge it).
        long bytesPerRow = (long) width() * Float.BYTES;
        if ((long) users.layout.size() * bytesPerRow <= getBroadcastThreshold()) uf = functions.broadcast(uf);
        if ((long) items.layout.size() * bytesPerRow <= getBroadcastThreshold()) itf = functions.broadcast(itf);
        Column userId = dataset.col(getUserCol()).cast(DataTypes.IntegerType);
        Column itemId = dataset.col(getItemCol()).cast(DataTypes.IntegerType);
        Dataset<Row> joined = dataset.toDF().join(uf, userId.equalTo(uf.col("__mfkit_uid")), "left")
                .join(itf, itemId.equalTo(itf.col("__mfkit_iid")), "left");
        float mu = mean;
        float lo = clipMin;
        float hi = clipMax;
        boolean explicit = !implicit;
        UDF4<scala.collection.Seq<Object>, scala.collection.Seq<Object>, Float, Float, Float> predict =
                (pu, qi, bu, bi) -> {
                    if (pu == null || qi == null) return Float.NaN;
                    double dot = 0;
                    for (int t = 0; t < pu.length(); t++) dot += (Float) pu.apply(t) * (double) (Float) qi.apply(t);
                    if (!explicit) return (float) dot;
                    float value = (float) (mu + bu + bi + dot);
                    return Float.isNaN(lo) ? value : Math.max(lo, Math.min(hi, value));
                };
        Column ub = implicit ? functions.lit(0f) : functions.col("__mfkit_ub");
        Column ib = implicit ? functions.lit(0f) : functions.col("__mfkit_ib");
        Dataset<Row> out = joined.withColumn(p, functions.udf(predict, DataTypes.FloatType)
                .apply(functions.col("__mfkit_uf"), functions.col("__mfkit_if"), ub, ib));
        String[] internal = Arrays.stream(out.columns()).filter(c -> c.startsWith("__mfkit_")).toArray(String[]::new);
        out = out.drop(internal);
        return SharedParams.DROP.equals(getColdStartStrategy()) ? out.na().drop(new String[] {p}) : out;
    }

    // ---------------------------------------------------------------- recommendations

    /**
     * The top {@code numItems} items for every user: rows ({@code userCol}, recommendations =
     * array of ({@code itemCol}, rating)), best first, ties to the lower item id. With
     * {@code excludeSeen}, a fitted model leaves out each user's training items.
     */
    public Dataset<Row> recommendForAllUsers(int numItems) {
        return recommend(users, items, null, numItems, seenBlocks(users), getUserCol(), getItemCol());
    }

    /** As {@link #recommendForAllUsers(int)}, leaving out the (user, item) pairs of {@code seen}. */
    public Dataset<Row> recommendForAllUsers(int numItems, Dataset<?> seen) {
        return recommend(users, items, null, numItems, seenFrom(seen, users, items, getUserCol(), getItemCol()),
                getUserCol(), getItemCol());
    }

    /** Recommendations for the distinct users in {@code dataset}'s {@code userCol} (unknown ids are skipped). */
    public Dataset<Row> recommendForUserSubset(Dataset<?> dataset, int numItems) {
        return recommend(users, items, subset(dataset, getUserCol(), users.layout), numItems, seenBlocks(users),
                getUserCol(), getItemCol());
    }

    /** The top {@code numUsers} users for every item (rows {@code itemCol}, recommendations of ({@code userCol}, rating)). */
    public Dataset<Row> recommendForAllItems(int numUsers) {
        return recommend(items, users, null, numUsers, seenBlocks(items), getItemCol(), getUserCol());
    }

    /** Recommendations of users for the distinct items in {@code dataset}'s {@code itemCol}. */
    public Dataset<Row> recommendForItemSubset(Dataset<?> dataset, int numUsers) {
        return recommend(items, users, subset(dataset, getItemCol(), items.layout), numUsers, seenBlocks(items),
                getItemCol(), getUserCol());
    }

    private JavaRDD<RatingBlock> seenBlocks(BlockedAls.Side query) {
        if (!getExcludeSeen()) return null;
        if (query.ratings == null) {
            throw new IllegalStateException("excludeSeen needs the training ratings, which a loaded model does not "
                    + "have: pass them to recommendForAllUsers(numItems, seen)");
        }
        return query.ratings;
    }

    private JavaRDD<RatingBlock> seenFrom(Dataset<?> seen, BlockedAls.Side rowSide, BlockedAls.Side colSide,
                                          String rowCol, String colCol) {
        SharedParams.requireNumeric(seen.schema(), rowCol);
        SharedParams.requireNumeric(seen.schema(), colCol);
        JavaRDD<RatingChunk> chunks = seen.select(functions.col(rowCol), functions.col(colCol)).toJavaRDD()
                .mapPartitions(it -> {
                    RatingChunk c = new RatingChunk(1024);
                    while (it.hasNext()) {
                        Row r = it.next();
                        c.add(SharedParams.checkedId(r.get(0), rowCol), SharedParams.checkedId(r.get(1), colCol), 1f);
                    }
                    return java.util.Collections.singletonList(c.trimmed()).iterator();
                });
        return BlockedAls.ratingBlocks(chunks, rowSide.shared, colSide.shared, true, true);
    }

    private int[] subset(Dataset<?> dataset, String column, Layout layout) {
        SharedParams.requireNumeric(dataset.schema(), column);
        List<Row> ids = dataset.select(functions.col(column)).distinct().collectAsList();
        int[] dense = new int[ids.size()];
        int n = 0;
        for (Row r : ids) {
            int d = layout.dense(SharedParams.checkedId(r.get(0), column));
            if (d >= 0) dense[n++] = d;
        }
        return BlockedAls.sortedDistinct(dense, n);
    }

    private Dataset<Row> recommend(BlockedAls.Side query, BlockedAls.Side candidates, int[] subset, int k,
                                   JavaRDD<RatingBlock> seen, String queryCol, String candidateCol) {
        if (k < 1) throw new IllegalArgumentException("the number of recommendations = " + k + " must be >= 1");
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<Row> rows = BlockedTopK.recommend(sc, query, candidates, seen, subset, k, width(), !implicit, mean,
                getBackend(), getBroadcastThreshold());
        StructType entry = new StructType().add(candidateCol, DataTypes.IntegerType, false)
                .add("rating", DataTypes.FloatType, false);
        StructType schema = new StructType().add(queryCol, DataTypes.IntegerType, false)
                .add("recommendations", DataTypes.createArrayType(entry, false), false);
        return spark.createDataFrame(rows, schema);
    }

    // ---------------------------------------------------------------- conversion, copy, persistence

    /**
     * The model as mfkit's {@link FactorModel} (type {@code als} with biases, or
     * {@code implicit-als}), ids as their decimal strings: save it with {@code ModelFile} and
     * serve it with {@code mfkit recommend} or a {@code Recommender}. Collects both sides to
     * the driver.
     */
    public FactorModel toFactorModel() {
        int width = width();
        float[] p = FactorTables.collectDense(users, width);
        float[] q = FactorTables.collectDense(items, width);
        int nu = users.layout.size();
        int ni = items.layout.size();
        float[] pf = new float[nu * rank];
        float[] qf = new float[ni * rank];
        float[] ub = implicit ? null : new float[nu];
        float[] ib = implicit ? null : new float[ni];
        split(p, nu, width, pf, ub);
        split(q, ni, width, qf, ib);
        FactorModel model = new FactorModel(implicit ? ImplicitAls.TYPE : ExplicitAls.TYPE, rank, nu, ni, mean, pf, qf,
                ub, ib, idMap(users.layout), idMap(items.layout), hyperParameters, clipMin, clipMax);
        // BM25 fold-in weighs a new user's (item's) counts with the training statistics.
        return countStatistics == null ? model : model.withCountStatistics(countStatistics);
    }

    private void split(float[] packed, int n, int width, float[] factors, float[] bias) {
        for (int r = 0; r < n; r++) {
            System.arraycopy(packed, r * width, factors, r * rank, rank);
            if (bias != null) bias[r] = packed[r * width + rank];
        }
    }

    private static IdMap idMap(Layout layout) {
        String[] ids = new String[layout.size()];
        for (int d = 0; d < ids.length; d++) ids[d] = Integer.toString(layout.id(d));
        return IdMap.of(Arrays.asList(ids));
    }

    @Override
    public MfAlsModel copy(ParamMap extra) {
        MfAlsModel copied = new MfAlsModel(uid, rank, implicit, mean, clipMin, clipMax, hyperParameters, users, items,
                countStatistics, spark);
        return copyValues(copied, extra).setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new MfAlsModelIO.Writer(this);
    }

    /** The reader behind {@link #load} and Pipeline loading. */
    public static MLReader<MfAlsModel> read() {
        return new MfAlsModelIO.Reader();
    }

    /** Loads a model saved with {@code write().save(path)}. */
    public static MfAlsModel load(String path) {
        return read().load(path);
    }

    @Override
    public String toString() {
        return "MfAlsModel: uid=" + uid + ", rank=" + rank + (implicit ? ", implicit" : ", explicit")
                + ", users=" + users.layout.size() + ", items=" + items.layout.size();
    }
}
