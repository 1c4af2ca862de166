package org.mfkit.model;

import java.util.LinkedHashMap;
import java.util.Map;
import org.mfkit.core.Check;
import org.mfkit.core.DenseMatrix;
import org.mfkit.core.ExplicitAlsParams;
import org.mfkit.core.Interactions;
import org.mfkit.core.Kernels;
import org.mfkit.data.HostCsr;
import org.mfkit.data.Ratings;

/**
 * Explicit ALS with biases, r̂ = μ + b_u + b_i + p_u·q_i: each epoch solves every user's
 * [p_u, b_u] against the items' [q_i, b_i], then every item's against the users'
 * ({@link BiasedAlsSolve}: the backend's {@code solveExplicit} kernel on the fixed rows
 * augmented to [q, 1] and the targets r − μ − b_i). Q starts from {@link FactorInit} (seeded
 * per item id), P and the biases at zero; users are solved first. Users or items without
 * ratings get zero factors and bias (their prediction is μ + the other side's bias).
 * Duplicated (user, item) pairs: the last one wins.
 *
 * <p>Why biases: without them the factors must also carry every user's and item's offset
 * from μ, spending dimensions that the λ·n penalty shrinks; on MovieLens-shaped data that
 * cost ~0.01–0.02 test RMSE against Spark's ALS (docs/MODELS.md, "Explicit ALS and Spark").
 */
public final class ExplicitAls implements Trainer {
    /** The model type written to model files. */
    public static final String TYPE = "als";

    private final AlsConfig config;

    /** A trainer with the given hyper-parameters. */
    public ExplicitAls(AlsConfig config) {
        this.config = Check.notNull("config", config);
    }

    /** The hyper-parameters. */
    public AlsConfig config() {
        return config;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public TrainingResult fit(Kernels kernels, Ratings train, TrainOptions options) {
        Check.notNull("kernels", kernels);
        Check.notNull("options", options);
        TrainingData data = TrainingData.explicit(train, options);
        TrainingData.checkSameSpace("validation", options.validation(), data.numUsers, data.numItems);
        int k = config.factors();
        float mu = (float) data.mean();
        float[] clip = data.clipRange(config.clipPredictions(), options);
        int n = data.size();
        Ratings merged = data.asRatings();
        HostCsr byUser = merged.byUser();
        HostCsr byItem = merged.byItem();
        ExplicitAlsParams params = new ExplicitAlsParams(config.lambda(), config.scaleByCount());
        Map<String, String> hp = new LinkedHashMap<>();
        hp.put("factors", Integer.toString(k));
        hp.put("lambda", Float.toString(config.lambda()));
        hp.put("scaleByCount", Boolean.toString(config.scaleByCount()));
        hp.put("solver", config.solver().kind() + (config.solver().kind() == org.mfkit.core.Solver.Kind.CG
                ? "(" + config.solver().cgSteps() + ")" : ""));
        hp.put("initStd", Float.toString(config.initStd()));
        hp.put("seed", Long.toString(options.seed()));
        hp.put("backend", kernels.backendName());
        final float cMin = clip[0];
        final float cMax = clip[1];
        int width = k + 1;
        // The state lives on the host as rows [factors, bias]: each half-step re-targets the
        // ratings with the other side's biases anyway (O(nnz + n·k), small next to the solve).
        float[] users = new float[data.numUsers * width];
        float[] items = BiasedAlsSolve.pack(FactorInit.gaussianRows(options.seed(), FactorInit.ITEMS, data.numItems, k,
                config.initStd()), new float[data.numItems], data.numItems, k);
        float[] factorScratch = new float[Math.max(data.numUsers, data.numItems) * k];
        float[] biasScratch = new float[Math.max(data.numUsers, data.numItems)];
        try (DeviceFactors f = new DeviceFactors(kernels, data.numUsers, data.numItems, k, true, true);
             Interactions pairs = kernels.pairs(data.users, data.items);
             DenseMatrix predicted = kernels.matrix(n, 1);
             Validators.Rmse validator = options.validation() == null ? null
                     : new Validators.Rmse(kernels, f, options.validation(), mu, cMin, cMax)) {
            upload(items, data.numItems, k, f.q, f.itemBias, factorScratch, biasScratch);
            float[] predictedHost = new float[n];
            TrainingLoop loop = new TrainingLoop(TYPE, options, Float.NaN, "", 0);
            return loop.run(f, (epoch, l) -> {
                l.phase("users");
                BiasedAlsSolve.solve(kernels, byUser, mu, items, users, k, params, config.solver());
                upload(users, data.numUsers, k, f.p, f.userBias, factorScratch, biasScratch);
                l.guard("users", kernels, f.p);
                l.guard("users", kernels, f.userBias);
                l.phase("items");
                BiasedAlsSolve.solve(kernels, byItem, mu, users, items, k, params, config.solver());
                upload(items, data.numItems, k, f.q, f.itemBias, factorScratch, biasScratch);
                kernels.predict(mu, f.userBias, f.itemBias, f.p, f.q, pairs, predicted);
                predicted.downloadRows(0, predictedHost, 0, n);
                double sum = 0;
                for (int j = 0; j < n; j++) {
                    double e = data.values[j] - predictedHost[j];
                    sum += e * e;
                }
                return sum / n;
            }, validator, false, "rmse", d -> d.toModel(TYPE, mu, train.userIds(), train.itemIds(), hp, cMin, cMax,
                    null, null));
        }
    }

    private static void upload(float[] packed, int n, int k, DenseMatrix factors, DenseMatrix bias,
                               float[] factorScratch, float[] biasScratch) {
        BiasedAlsSolve.unpack(packed, n, k, factorScratch, biasScratch);
        factors.uploadRows(0, factorScratch, 0, n);
        bias.uploadRows(0, biasScratch, 0, n);
    }

    static int[] range(int n) {
        int[] ids = new int[n];
        for (int j = 0; j < n; j++) ids[j] = j;
        return ids;
    }
}
