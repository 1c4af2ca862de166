package org.mfkit.model;

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
 * cost ~0.01–0.02 test RMSE against Spark's ALS (docs/MODELS.md, "Explicit ALS and Spark's ALS").
 *
 * <p>The loss (training MSE), an extra pass over the ratings, is computed when
 * {@link TrainOptions#lossWanted} asks.
 */
public final class ExplicitAls implements Trainer {
    /** The model type written to model files. */
    public static final String TYPE = "als";

    /** The descriptor of explicit ALS: explicit, fold-in by the same row solve with the model's λ. */
    public static final ModelType<AlsConfig> MODEL_TYPE = new ModelType<>(TYPE,
            ModelType.Feedback.EXPLICIT, AlsConfig.defaults(), ExplicitAls::new, 10) {
        @Override
        public Map<String, String> toMap(AlsConfig c) {
            return Settings.writer().put("factors", c.factors()).put("lambda", c.lambda())
                    .put("scaleByCount", c.scaleByCount()).put("solver", c.solver()).put("initStd", c.initStd())
                    .put("clipPredictions", c.clipPredictions()).toMap();
        }

        @Override
        public AlsConfig fromMap(Map<String, String> settings) {
            Settings s = Settings.of(settings);
            AlsConfig d = defaults();
            return new AlsConfig(s.integer("factors", d.factors()), s.decimal("lambda", d.lambda()),
                    s.flag("scaleByCount", d.scaleByCount()), s.solver("solver", d.solver()),
                    s.decimal("initStd", d.initStd()), s.flag("clipPredictions", d.clipPredictions()));
        }

        @Override
        public FoldInMethod foldIn(AlsConfig c) {
            return new FoldInMethod.JointBiasSolve(c.lambda(), c.scaleByCount());
        }
    };

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
        // The backend may compile its ALS kernels while the data below is prepared (the solves
        // run on rows [factors, bias] of width k + 1).
        kernels.prepareAls(config.factors() + 1, config.solver());
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
        Map<String, String> hp = ModelMetadata.settings(MODEL_TYPE.toMap(config), options, kernels);
        ModelMetadata metadata = ModelMetadata.explicit(TYPE, mu, train, hp, clip);
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
            TrainingLoop loop = new TrainingLoop(TYPE, options, Divergence.never());
            return loop.run(f, (epoch, l) -> {
                l.phase("users");
                BiasedAlsSolve.solve(kernels, byUser, mu, items, users, k, params, config.solver());
                upload(users, data.numUsers, k, f.p, f.userBias, factorScratch, biasScratch);
                l.guard("users", kernels, f.p);
                l.guard("users", kernels, f.userBias);
                l.phase("items");
                BiasedAlsSolve.solve(kernels, byItem, mu, users, items, k, params, config.solver());
                upload(items, data.numItems, k, f.q, f.itemBias, factorScratch, biasScratch);
                if (!l.lossWanted(epoch)) return Double.NaN;
                kernels.predict(mu, f.userBias, f.itemBias, f.p, f.q, pairs, predicted);
                predicted.downloadRows(0, predictedHost, 0, n);
                double sum = 0;
                for (int j = 0; j < n; j++) {
                    double e = data.values[j] - predictedHost[j];
                    sum += e * e;
                }
                return sum / n;
            }, validator, d -> d.toModel(metadata, DeviceFactors.EmptyRows.keep()));
        }
    }

    private static void upload(float[] packed, int n, int k, DenseMatrix factors, DenseMatrix bias,
                               float[] factorScratch, float[] biasScratch) {
        BiasedAlsSolve.unpack(packed, n, k, factorScratch, biasScratch);
        factors.uploadRows(0, factorScratch, 0, n);
        bias.uploadRows(0, biasScratch, 0, n);
    }
}
