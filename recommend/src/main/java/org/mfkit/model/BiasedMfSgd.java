package org.mfkit.model;

import java.util.Map;
import java.util.Random;
import org.mfkit.core.Check;
import org.mfkit.core.Interactions;
import org.mfkit.core.Kernels;
import org.mfkit.core.SgdParams;
import org.mfkit.data.Ratings;

/**
 * Biased matrix factorization trained by SGD through the backend's {@code sgd} kernel (one
 * kernel call per epoch; a parallel backend runs its documented parallel schedule). The
 * ratings are shuffled once from the seed and uploaded once, so the backend can keep its
 * per-epoch schedule between epochs. Duplicated (user, item) pairs: the last one wins.
 */
public final class BiasedMfSgd implements Trainer {
    /** The model type written to model files. */
    public static final String TYPE = "biased-mf";

    /** The descriptor of biased MF: explicit, fold-in by the bias then an explicit-ALS solve. */
    public static final ModelType<BiasedMfConfig> MODEL_TYPE = new ModelType<>(TYPE,
            ModelType.Feedback.EXPLICIT, BiasedMfConfig.defaults(), BiasedMfSgd::new) {
        @Override
        public Map<String, String> toMap(BiasedMfConfig c) {
            return Settings.writer().put("factors", c.factors()).put("learningRate", c.learningRate())
                    .put("factorReg", c.factorReg()).put("biasReg", c.biasReg()).put("schedule", c.schedule())
                    .put("decay", c.decay()).put("initStd", c.initStd()).put("clipPredictions", c.clipPredictions())
                    .put("divergenceFactor", c.divergenceFactor()).toMap();
        }

        @Override
        public BiasedMfConfig fromMap(Map<String, String> settings) {
            Settings s = Settings.of(settings);
            BiasedMfConfig d = defaults();
            return new BiasedMfConfig(s.integer("factors", d.factors()), s.decimal("learningRate", d.learningRate()),
                    s.decimal("factorReg", d.factorReg()), s.decimal("biasReg", d.biasReg()),
                    s.choice("schedule", LearningRateSchedule.class, d.schedule()), s.decimal("decay", d.decay()),
                    s.decimal("initStd", d.initStd()), s.flag("clipPredictions", d.clipPredictions()),
                    s.decimal("divergenceFactor", d.divergenceFactor()));
        }

        /** b_u is the shrunk mean residual, then p_u solves against r − μ − b_i − b_u with λ_f·n. */
        @Override
        public FoldInMethod foldIn(BiasedMfConfig c) {
            return FoldInMethod.ExplicitSolve.withUserBias(c.factorReg(), true, c.biasReg());
        }
    };

    private final BiasedMfConfig config;

    /** A trainer with the given hyper-parameters. */
    public BiasedMfSgd(BiasedMfConfig config) {
        this.config = Check.notNull("config", config);
    }

    /** The hyper-parameters. */
    public BiasedMfConfig config() {
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
        Random random = new Random(options.seed());
        int n = data.size();
        int[] order = new int[n];
        for (int j = 0; j < n; j++) order[j] = j;
        for (int j = n - 1; j > 0; j--) {
            int swap = random.nextInt(j + 1);
            int t = order[j];
            order[j] = order[swap];
            order[swap] = t;
        }
        int[] users = new int[n];
        int[] items = new int[n];
        float[] values = new float[n];
        for (int j = 0; j < n; j++) {
            users[j] = data.users[order[j]];
            items[j] = data.items[order[j]];
            values[j] = data.values[order[j]];
        }
        Map<String, String> hp = ModelMetadata.settings(MODEL_TYPE.toMap(config), options, kernels);
        ModelMetadata metadata = ModelMetadata.explicit(TYPE, mu, train, hp, clip);
        int[] userCounts = data.userCounts();
        int[] itemCounts = data.itemCounts();
        final float cMin = clip[0];
        final float cMax = clip[1];
        try (DeviceFactors f = new DeviceFactors(kernels, data.numUsers, data.numItems, k, true, true);
             Interactions ratings = kernels.interactions(users, items, values);
             Validators.Rmse validator = options.validation() == null ? null
                     : new Validators.Rmse(kernels, f, options.validation(), mu, cMin, cMax)) {
            f.p.upload(DeviceFactors.gaussian(random, data.numUsers * k, config.initStd()));
            f.q.upload(DeviceFactors.gaussian(random, data.numItems * k, config.initStd()));
            TrainingLoop loop = new TrainingLoop(TYPE, options, Divergence.growthAbove(config.divergenceFactor(),
                    "; try a learning rate below " + config.learningRate()));
            return loop.run(f, (epoch, l) -> {
                float rate = config.schedule().rate(config.learningRate(), config.decay(), epoch - 1);
                SgdParams params = new SgdParams(mu, rate, config.factorReg(), config.biasReg());
                return kernels.sgd(f.p, f.q, f.userBias, f.itemBias, ratings, params) / n;
            }, validator, d -> d.toModel(metadata, DeviceFactors.EmptyRows.usersAndItems(userCounts, itemCounts)));
        }
    }
}
