package org.mfkit.spark;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.mfkit.core.Solver;
import org.mfkit.data.CountWeighting;
import org.mfkit.model.AlsConfig;
import org.mfkit.model.ExplicitAls;
import org.mfkit.model.ImplicitAls;
import org.mfkit.model.ImplicitAlsConfig;

/**
 * Alternating least squares on Spark whose per-block solves and top-K run on mfkit kernels:
 * a drop-in for {@code org.apache.spark.ml.recommendation.ALS} (the params that mean the same
 * have the same names and defaults), plus mfkit's {@code solver} (Cholesky, CG or iALS++'s
 * subspace sweep), {@code backend}, {@code scaleRegByCount}, {@code weighting} (with
 * {@code logEpsilon}, {@code bm25K1}, {@code bm25B}), {@code initStd}, {@code broadcastThreshold}
 * and {@code excludeSeen}.
 *
 * <p>Explicit feedback trains mfkit's biased ALS (r̂ = μ + b_u + b_i + p_u·q_i, as the
 * single-machine {@code als} model); implicit feedback trains Hu–Koren–Volinsky ALS with
 * confidence 1 + α·w, w the count-weighted strength (the {@code implicit-als} model). The
 * blocked algorithm, its data layout and its determinism are described in docs/SPARK.md and {@link BlockedAls}.
 *
 * <pre>
 * MfAlsModel model = new MfAls().setRank(32).setMaxIter(10).setRegParam(0.05)
 *         .setUserCol("user").setItemCol("item").setRatingCol("rating").fit(ratings);
 * Dataset&lt;Row&gt; top10 = model.setExcludeSeen(true).recommendForAllUsers(10);
 * </pre>
 */
public final class MfAls extends Estimator<MfAlsModel> implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final IntParam rank;
    private final IntParam maxIter;
    private final DoubleParam regParam;
    private final BooleanParam implicitPrefs;
    private final DoubleParam alpha;
    private final Param<String> userCol;
    private final Param<String> itemCol;
    private final Param<String> ratingCol;
    private final Param<String> predictionCol;
    private final IntParam numUserBlocks;
    private final IntParam numItemBlocks;
    private final IntParam checkpointInterval;
    private final LongParam seed;
    private final Param<String> coldStartStrategy;
    private final Param<String> solver;
    private final IntParam cgSteps;
    private final Param<String> backend;
    private final BooleanParam scaleRegByCount;
    private final DoubleParam initStd;
    private final LongParam broadcastThreshold;
    private final BooleanParam excludeSeen;
    private final Param<String> weighting;
    private final DoubleParam logEpsilon;
    private final DoubleParam bm25K1;
    private final DoubleParam bm25B;

    /** An estimator with a random uid. */
    public MfAls() {
        this(Identifiable.randomUID("mfAls"));
    }

    /** An estimator with the given uid (used by copy and load). */
    public MfAls(String uid) {
        this.uid = uid;
        rank = new IntParam(uid, "rank", "number of factors k (>= 1)", ParamValidators.gtEq(1));
        maxIter = new IntParam(uid, "maxIter", "number of iterations (each solves users, then items; >= 0)",
                ParamValidators.gtEq(0));
        regParam = new DoubleParam(uid, "regParam", "regularization λ (>= 0)", ParamValidators.gtEq(0));
        implicitPrefs = new BooleanParam(uid, "implicitPrefs", "implicit feedback (Hu-Koren-Volinsky) instead of ratings");
        alpha = new DoubleParam(uid, "alpha", "implicit confidence c = 1 + alpha * r (>= 0)", ParamValidators.gtEq(0));
        userCol = SharedParams.userCol(uid);
        itemCol = SharedParams.itemCol(uid);
        ratingCol = new Param<>(uid, "ratingCol", "column of ratings (explicit) or interaction strengths (implicit, >= 0)");
        predictionCol = SharedParams.predictionCol(uid);
        numUserBlocks = new IntParam(uid, "numUserBlocks", "number of user blocks (>= 1)", ParamValidators.gtEq(1));
        numItemBlocks = new IntParam(uid, "numItemBlocks", "number of item blocks (>= 1)", ParamValidators.gtEq(1));
        checkpointInterval = new IntParam(uid, "checkpointInterval", "checkpoint the factors every this many "
                + "iterations (-1 disables; without a checkpoint directory the checkpoint is local)",
                (scala.Function1<Object, Object> & java.io.Serializable) v -> (Integer) v == -1 || (Integer) v >= 1);
        seed = new LongParam(uid, "seed", "seed of the initial factors (each row's start depends on seed, side and id)");
        coldStartStrategy = SharedParams.coldStartStrategy(uid);
        solver = new Param<>(uid, "solver", "per-row solve: 'auto' (cholesky for explicit, cg for implicit), "
                + "'cholesky', 'cg' (cgSteps steps) or 'subspaceB' (iALS++: one sweep over blocks of B >= 1 "
                + "dimensions, e.g. subspace16)",
                (scala.Function1<String, Object> & java.io.Serializable) MfAls::isSolver);
        cgSteps = new IntParam(uid, "cgSteps", "conjugate-gradient steps per row and half-step (>= 1)",
                ParamValidators.gtEq(1));
        backend = SharedParams.backend(uid);
        scaleRegByCount = new BooleanParam(uid, "scaleRegByCount", "explicit: λ·n_u (weighted-λ, as Spark) instead of "
                + "λ (implicit ALS uses plain λ, as mfkit's implicit-als)");
        initStd = new DoubleParam(uid, "initStd", "standard deviation of the Gaussian initial factors; 0: mfkit's "
                + "default (0.1 explicit, 0.01 implicit)", ParamValidators.gtEq(0));
        broadcastThreshold = SharedParams.broadcastThreshold(uid);
        excludeSeen = SharedParams.excludeSeen(uid);
        weighting = new Param<>(uid, "weighting", "implicit: how counts become the w of the confidence 1 + alpha * w: "
                + "'none' (w = r), 'log' (w = ln(1 + r / logEpsilon)) or 'bm25' (BM25 with items as documents, as "
                + "implicit's bm25_weight); as mfkit's --weighting", ParamValidators.inArray(WEIGHTINGS));
        logEpsilon = new DoubleParam(uid, "logEpsilon", "weighting 'log': epsilon (> 0)", ParamValidators.gt(0));
        bm25K1 = new DoubleParam(uid, "bm25K1", "weighting 'bm25': K1, the saturation of a count (>= 0)",
                ParamValidators.gtEq(0));
        bm25B = new DoubleParam(uid, "bm25B", "weighting 'bm25': B in [0, 1], the item length normalization",
                ParamValidators.inRange(0, 1));
        setDefault(rank, 10);
        setDefault(maxIter, 10);
        setDefault(regParam, 0.1);
        setDefault(implicitPrefs, false);
        setDefault(alpha, 1.0);
        setDefault(userCol, "user");
        setDefault(itemCol, "item");
        setDefault(ratingCol, "rating");
        setDefault(predictionCol, "prediction");
        setDefault(numUserBlocks, 10);
        setDefault(numItemBlocks, 10);
        setDefault(checkpointInterval, 10);
        setDefault(seed, (long) MfAls.class.getName().hashCode());
        setDefault(coldStartStrategy, SharedParams.NAN);
        setDefault(solver, "auto");
        setDefault(cgSteps, 3);
        setDefault(backend, "best");
        setDefault(scaleRegByCount, true);
        setDefault(initStd, 0.0);
        setDefault(broadcastThreshold, SharedParams.DEFAULT_BROADCAST_THRESHOLD);
        setDefault(excludeSeen, false);
        setDefault(weighting, "none");
        // The float defaults by their decimal spelling (0.8, not 0.800000011920929).
        setDefault(logEpsilon, Double.parseDouble(Float.toString(CountWeighting.DEFAULT_EPSILON)));
        setDefault(bm25K1, Double.parseDouble(Float.toString(CountWeighting.DEFAULT_K1)));
        setDefault(bm25B, Double.parseDouble(Float.toString(CountWeighting.DEFAULT_B)));
    }

    private static final String[] WEIGHTINGS = {"none", "log", "bm25"};

    /** The solver param's values: auto, cholesky, cg, or subspaceB with B >= 1. */
    private static boolean isSolver(String s) {
        if (s.equals("auto") || s.equals("cholesky") || s.equals("cg")) return true;
        if (!s.startsWith("subspace")) return false;
        try {
            return Solver.parse("solver", s).kind() == Solver.Kind.SUBSPACE;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public String uid() {
        return uid;
    }

    // ---------------------------------------------------------------- params (Spark ML reflection finds these)

    /** @return the rank param */
    public IntParam rank() { return rank; }
    /** @return the maxIter param */
    public IntParam maxIter() { return maxIter; }
    /** @return the regParam param */
    public DoubleParam regParam() { return regParam; }
    /** @return the implicitPrefs param */
    public BooleanParam implicitPrefs() { return implicitPrefs; }
    /** @return the alpha param */
    public DoubleParam alpha() { return alpha; }
    /** @return the userCol param */
    public Param<String> userCol() { return userCol; }
    /** @return the itemCol param */
    public Param<String> itemCol() { return itemCol; }
    /** @return the ratingCol param */
    public Param<String> ratingCol() { return ratingCol; }
    /** @return the predictionCol param */
    public Param<String> predictionCol() { return predictionCol; }
    /** @return the numUserBlocks param */
    public IntParam numUserBlocks() { return numUserBlocks; }
    /** @return the numItemBlocks param */
    public IntParam numItemBlocks() { return numItemBlocks; }
    /** @return the checkpointInterval param */
    public IntParam checkpointInterval() { return checkpointInterval; }
    /** @return the seed param */
    public LongParam seed() { return seed; }
    /** @return the coldStartStrategy param */
    public Param<String> coldStartStrategy() { return coldStartStrategy; }
    /** @return the solver param */
    public Param<String> solver() { return solver; }
    /** @return the cgSteps param */
    public IntParam cgSteps() { return cgSteps; }
    /** @return the backend param */
    public Param<String> backend() { return backend; }
    /** @return the scaleRegByCount param */
    public BooleanParam scaleRegByCount() { return scaleRegByCount; }
    /** @return the initStd param */
    public DoubleParam initStd() { return initStd; }
    /** @return the broadcastThreshold param */
    public LongParam broadcastThreshold() { return broadcastThreshold; }
    /** @return the excludeSeen param */
    public BooleanParam excludeSeen() { return excludeSeen; }
    /** @return the weighting param */
    public Param<String> weighting() { return weighting; }
    /** @return the logEpsilon param */
    public DoubleParam logEpsilon() { return logEpsilon; }
    /** @return the bm25K1 param */
    public DoubleParam bm25K1() { return bm25K1; }
    /** @return the bm25B param */
    public DoubleParam bm25B() { return bm25B; }

    /** @return k */
    public int getRank() { return (Integer) getOrDefault(rank); }
    /** @return the iterations */
    public int getMaxIter() { return (Integer) getOrDefault(maxIter); }
    /** @return λ */
    public double getRegParam() { return (Double) getOrDefault(regParam); }
    /** @return whether the feedback is implicit */
    public boolean getImplicitPrefs() { return (Boolean) getOrDefault(implicitPrefs); }
    /** @return α */
    public double getAlpha() { return (Double) getOrDefault(alpha); }
    /** @return the user column */
    public String getUserCol() { return getOrDefault(userCol); }
    /** @return the item column */
    public String getItemCol() { return getOrDefault(itemCol); }
    /** @return the rating column */
    public String getRatingCol() { return getOrDefault(ratingCol); }
    /** @return the prediction column */
    public String getPredictionCol() { return getOrDefault(predictionCol); }
    /** @return the user block count */
    public int getNumUserBlocks() { return (Integer) getOrDefault(numUserBlocks); }
    /** @return the item block count */
    public int getNumItemBlocks() { return (Integer) getOrDefault(numItemBlocks); }
    /** @return the checkpoint interval */
    public int getCheckpointInterval() { return (Integer) getOrDefault(checkpointInterval); }
    /** @return the seed */
    public long getSeed() { return (Long) getOrDefault(seed); }
    /** @return the cold-start strategy */
    public String getColdStartStrategy() { return getOrDefault(coldStartStrategy); }
    /** @return the solver name */
    public String getSolver() { return getOrDefault(solver); }
    /** @return the CG steps */
    public int getCgSteps() { return (Integer) getOrDefault(cgSteps); }
    /** @return the backend name */
    public String getBackend() { return getOrDefault(backend); }
    /** @return whether explicit λ is scaled by the row's count */
    public boolean getScaleRegByCount() { return (Boolean) getOrDefault(scaleRegByCount); }
    /** @return the initial standard deviation (0: default) */
    public double getInitStd() { return (Double) getOrDefault(initStd); }
    /** @return the broadcast threshold in bytes */
    public long getBroadcastThreshold() { return (Long) getOrDefault(broadcastThreshold); }
    /** @return whether recommendations exclude seen items */
    public boolean getExcludeSeen() { return (Boolean) getOrDefault(excludeSeen); }
    /** @return the count weighting's name */
    public String getWeighting() { return getOrDefault(weighting); }
    /** @return ε of the log weighting */
    public double getLogEpsilon() { return (Double) getOrDefault(logEpsilon); }
    /** @return K1 of the BM25 weighting */
    public double getBm25K1() { return (Double) getOrDefault(bm25K1); }
    /** @return B of the BM25 weighting */
    public double getBm25B() { return (Double) getOrDefault(bm25B); }

    /** @return this */
    public MfAls setRank(int value) { set(rank, value); return this; }
    /** @return this */
    public MfAls setMaxIter(int value) { set(maxIter, value); return this; }
    /** @return this */
    public MfAls setRegParam(double value) { set(regParam, value); return this; }
    /** @return this */
    public MfAls setImplicitPrefs(boolean value) { set(implicitPrefs, value); return this; }
    /** @return this */
    public MfAls setAlpha(double value) { set(alpha, value); return this; }
    /** @return this */
    public MfAls setUserCol(String value) { set(userCol, value); return this; }
    /** @return this */
    public MfAls setItemCol(String value) { set(itemCol, value); return this; }
    /** @return this */
    public MfAls setRatingCol(String value) { set(ratingCol, value); return this; }
    /** @return this */
    public MfAls setPredictionCol(String value) { set(predictionCol, value); return this; }
    /** @return this */
    public MfAls setNumUserBlocks(int value) { set(numUserBlocks, value); return this; }
    /** @return this */
    public MfAls setNumItemBlocks(int value) { set(numItemBlocks, value); return this; }
    /** Sets both block counts. @return this */
    public MfAls setNumBlocks(int value) { set(numUserBlocks, value); set(numItemBlocks, value); return this; }
    /** @return this */
    public MfAls setCheckpointInterval(int value) { set(checkpointInterval, value); return this; }
    /** @return this */
    public MfAls setSeed(long value) { set(seed, value); return this; }
    /** @return this */
    public MfAls setColdStartStrategy(String value) {
        set(coldStartStrategy, value.toLowerCase(Locale.ROOT));
        return this;
    }
    /** @return this */
    public MfAls setSolver(String value) { set(solver, value.toLowerCase(Locale.ROOT)); return this; }
    /** @return this */
    public MfAls setCgSteps(int value) { set(cgSteps, value); return this; }
    /** @return this */
    public MfAls setBackend(String value) { set(backend, value); return this; }
    /** @return this */
    public MfAls setScaleRegByCount(boolean value) { set(scaleRegByCount, value); return this; }
    /** @return this */
    public MfAls setInitStd(double value) { set(initStd, value); return this; }
    /** @return this */
    public MfAls setBroadcastThreshold(long value) { set(broadcastThreshold, value); return this; }
    /** @return this */
    public MfAls setExcludeSeen(boolean value) { set(excludeSeen, value); return this; }
    /** Sets the count weighting of implicit strengths: none, log or bm25 (any case). @return this */
    public MfAls setWeighting(String value) { set(weighting, value.toLowerCase(Locale.ROOT)); return this; }
    /** @return this */
    public MfAls setLogEpsilon(double value) { set(logEpsilon, value); return this; }
    /** @return this */
    public MfAls setBm25K1(double value) { set(bm25K1, value); return this; }
    /** @return this */
    public MfAls setBm25B(double value) { set(bm25B, value); return this; }

    // ---------------------------------------------------------------- Estimator

    @Override
    public StructType transformSchema(StructType schema) {
        SharedParams.requireNumeric(schema, getUserCol());
        SharedParams.requireNumeric(schema, getItemCol());
        SharedParams.requireNumeric(schema, getRatingCol());
        resolvedWeighting();
        return SharedParams.withPrediction(schema, getPredictionCol());
    }

    /** The solver the settings resolve to. */
    Solver resolvedSolver() {
        String name = getSolver();
        if (name.equals("cholesky") || (name.equals("auto") && !getImplicitPrefs())) return Solver.cholesky();
        if (name.startsWith("subspace")) return Solver.parse("solver", name);
        return Solver.cg(getCgSteps());
    }

    /**
     * The count weighting the settings resolve to, checked as mfkit's CLI checks --weighting:
     * explicit ratings take no weighting, and a weighting's parameter set for another
     * weighting is a mistake worth naming, not a setting to ignore.
     */
    CountWeighting resolvedWeighting() {
        CountWeighting.Scheme scheme = CountWeighting.Scheme.parse(getWeighting());
        if (!getImplicitPrefs() && scheme != CountWeighting.Scheme.NONE) {
            throw new IllegalArgumentException("weighting = '" + getWeighting() + "' applies to implicitPrefs = true "
                    + "only: explicit ratings are not counts (set weighting 'none' or implicitPrefs true)");
        }
        if (isSet(logEpsilon) && scheme != CountWeighting.Scheme.LOG) {
            throw new IllegalArgumentException("logEpsilon applies to weighting 'log', not '" + scheme.label() + "'");
        }
        if ((isSet(bm25K1) || isSet(bm25B)) && scheme != CountWeighting.Scheme.BM25) {
            throw new IllegalArgumentException((isSet(bm25K1) ? "bm25K1" : "bm25B") + " applies to weighting 'bm25', not '"
                    + scheme.label() + "'");
        }
        return new CountWeighting(scheme, (float) getLogEpsilon(), (float) getBm25K1(), (float) getBm25B());
    }

    @Override
    public MfAlsModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        boolean implicit = getImplicitPrefs();
        double std = getInitStd() > 0 ? getInitStd() : implicit ? 0.01 : 0.1;
        CountWeighting countWeighting = resolvedWeighting();
        AlsSettings settings = new AlsSettings(getRank(), implicit, (float) getRegParam(), getScaleRegByCount(),
                (float) getAlpha(), resolvedSolver(), countWeighting, getBackend(), getSeed(), (float) std);
        String u = getUserCol();
        String i = getItemCol();
        String r = getRatingCol();
        JavaRDD<Row> rows = dataset.select(functions.col(u), functions.col(i), functions.col(r)).toJavaRDD();
        JavaRDD<RatingChunk> input = rows.mapPartitions(it -> pack(it, u, i, r, implicit));
        input.persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
        try {
            BlockedAls.Result result = BlockedAls.fit(sc, input, settings, getNumUserBlocks(), getNumItemBlocks(),
                    getMaxIter(), getCheckpointInterval(), getBroadcastThreshold());
            // The single-machine model type's own settings keys, so FactorModel users (fold-in,
            // the CLI) read them as they read a model trained by mfkit itself.
            Map<String, String> hp = new LinkedHashMap<>(implicit
                    ? ImplicitAls.MODEL_TYPE.toMap(new ImplicitAlsConfig(getRank(), (float) getAlpha(),
                            (float) getRegParam(), resolvedSolver(), (float) std, countWeighting))
                    : ExplicitAls.MODEL_TYPE.toMap(new AlsConfig(getRank(), (float) getRegParam(), getScaleRegByCount(),
                            resolvedSolver(), (float) std, true)));
            hp.put("seed", Long.toString(getSeed()));
            hp.put("iterations", Integer.toString(getMaxIter()));
            hp.put("backend", getBackend());
            hp.put("trainer", "mfkit-spark MfAls, " + getNumUserBlocks() + " user and " + getNumItemBlocks()
                    + " item blocks");
            MfAlsModel model = new MfAlsModel(uid, getRank(), implicit, result.mean, result.clipMin, result.clipMax,
                    hp, result.users, result.items, result.countStatistics, dataset.sparkSession());
            copyValues(model, ParamMap.empty());
            model.setParent(this);
            return model;
        } finally {
            input.unpersist(false);
        }
    }

    /** Packs one partition's rows into primitive chunks, rejecting bad ids and values with their column named. */
    private static Iterator<RatingChunk> pack(Iterator<Row> rows, String userCol, String itemCol, String ratingCol,
                                              boolean implicit) {
        RatingChunk chunk = new RatingChunk(1024);
        while (rows.hasNext()) {
            Row row = rows.next();
            int user = SharedParams.checkedId(row.get(0), userCol);
            int item = SharedParams.checkedId(row.get(1), itemCol);
            Object v = row.get(2);
            if (v == null) throw new IllegalArgumentException("column '" + ratingCol + "' is null for user " + user
                    + ", item " + item);
            float value = ((Number) v).floatValue();
            if (!Float.isFinite(value) || (implicit && value < 0f)) {
                throw new IllegalArgumentException("column '" + ratingCol + "' has " + v + " for user " + user
                        + ", item " + item + (implicit ? ": implicit strengths must be finite and >= 0"
                        : ": ratings must be finite"));
            }
            chunk.add(user, item, value);
        }
        return java.util.Collections.singletonList(chunk.trimmed()).iterator();
    }

    @Override
    public MfAls copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    /** The reader behind {@code MfAls.load} and Pipeline loading. */
    public static MLReader<MfAls> read() {
        return new DefaultParamsReader<>();
    }

    /** Loads an estimator saved with {@code write().save(path)}. */
    public static MfAls load(String path) {
        return read().load(path);
    }
}
