package org.mfkit.model;

import java.util.Map;
import java.util.Random;
import org.mfkit.core.Check;
import org.mfkit.core.CsrMatrix;
import org.mfkit.core.DenseMatrix;
import org.mfkit.core.ExplicitAlsParams;
import org.mfkit.core.IndexArray;
import org.mfkit.core.Interactions;
import org.mfkit.core.Kernels;
import org.mfkit.data.HostCsr;
import org.mfkit.data.Ratings;

/**
 * Explicit ALS on mean-centred ratings: each epoch solves every user row against the item
 * factors, then every item row against the user factors, with the backend's
 * {@code solveExplicit} kernel. Users or items without ratings get zero factors (their
 * prediction is μ). Duplicated (user, item) pairs: the last one wins. The loss (training MSE),
 * an extra pass over the ratings, is computed when {@link TrainOptions#lossWanted} asks.
 */
public final class ExplicitAls implements Trainer {
    /** The model type written to model files. */
    public static final String TYPE = "als";

    /** The descriptor of explicit ALS: explicit, fold-in by the same row solve with the model's λ. */
    public static final ModelType<AlsConfig> MODEL_TYPE = new ModelType<>(TYPE,
            ModelType.Feedback.EXPLICIT, AlsConfig.defaults(), ExplicitAls::new) {
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
            return FoldInMethod.ExplicitSolve.withoutBias(c.lambda(), c.scaleByCount());
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
        // The backend may compile its ALS kernels while the data below is prepared.
        kernels.prepareAls(config.factors(), config.solver());
        TrainingData data = TrainingData.explicit(train, options);
        TrainingData.checkSameSpace("validation", options.validation(), data.numUsers, data.numItems);
        int k = config.factors();
        float mu = (float) data.mean();
        float[] clip = data.clipRange(config.clipPredictions(), options);
        int n = data.size();
        float[] centred = new float[n];
        for (int j = 0; j < n; j++) centred[j] = data.values[j] - mu;
        Ratings centredRatings = new Ratings(data.numUsers, data.numItems, data.users, data.items, centred);
        HostCsr byUser = centredRatings.byUser();
        HostCsr byItem = centredRatings.byItem();
        ExplicitAlsParams params = new ExplicitAlsParams(config.lambda(), config.scaleByCount());
        Map<String, String> hp = ModelMetadata.settings(MODEL_TYPE.toMap(config), options, kernels);
        ModelMetadata metadata = ModelMetadata.explicit(TYPE, mu, train, hp, clip);
        final float cMin = clip[0];
        final float cMax = clip[1];
        Random random = new Random(options.seed());
        try (DeviceFactors f = new DeviceFactors(kernels, data.numUsers, data.numItems, k, false, false);
             CsrMatrix userRows = byUser.upload(kernels);
             CsrMatrix itemRows = byItem.upload(kernels);
             IndexArray allUsers = kernels.indices("users", Indices.range(data.numUsers));
             IndexArray allItems = kernels.indices("items", Indices.range(data.numItems));
             Interactions pairs = kernels.pairs(data.users, data.items);
             DenseMatrix dots = kernels.matrix(n, 1);
             Validators.Rmse validator = options.validation() == null ? null
                     : new Validators.Rmse(kernels, f, options.validation(), mu, cMin, cMax)) {
            // P starts at zero and is solved first, so only Q needs a random start.
            f.q.upload(DeviceFactors.gaussian(random, data.numItems * k, config.initStd()));
            float[] dotHost = new float[n];
            TrainingLoop loop = new TrainingLoop(TYPE, options, Divergence.never());
            return loop.run(f, (epoch, l) -> {
                l.phase("users");
                kernels.solveExplicit(f.p, allUsers, userRows, f.q, params, config.solver());
                l.guard("users", kernels, f.p);
                l.phase("items");
                kernels.solveExplicit(f.q, allItems, itemRows, f.p, params, config.solver());
                if (!l.lossWanted(epoch)) return Double.NaN;
                kernels.dot(f.p, f.q, pairs, dots);
                dots.downloadRows(0, dotHost, 0, n);
                double sum = 0;
                for (int j = 0; j < n; j++) {
                    double e = centred[j] - dotHost[j];
                    sum += e * e;
                }
                return sum / n;
            }, validator, d -> d.toModel(metadata, DeviceFactors.EmptyRows.keep()));
        }
    }
}
