package org.mfkit.model;

import java.util.Map;
import java.util.Random;
import org.mfkit.core.BlockGrid;
import org.mfkit.core.Check;
import org.mfkit.core.Interactions;
import org.mfkit.core.Kernels;
import org.mfkit.core.SgdParams;
import org.mfkit.data.Ratings;

/**
 * Biased matrix factorization trained by SGD through the backend's {@code sgd} kernel (one
 * kernel call per epoch). The ratings are arranged once on a {@link BlockGrid} (cells in round
 * order, by user inside a cell, each user's ratings of a cell shuffled from the seed) and
 * uploaded once; every backend runs that order, a parallel one with the cells of a round on
 * its threads. Duplicated (user, item) pairs: the last one wins.
 */
public final class BiasedMfSgd implements Trainer {
    /** The model type written to model files. */
    public static final String TYPE = "biased-mf";

    /** The descriptor of biased MF: explicit, fold-in by the bias then an explicit-ALS solve. */
    public static final ModelType<BiasedMfConfig> MODEL_TYPE = new ModelType<>(TYPE,
            ModelType.Feedback.EXPLICIT, BiasedMfConfig.defaults(), BiasedMfSgd::new, 40) {
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
        // The grid is a function of the data's shape (and, for small problems, the thread count);
        // every backend runs the ratings in its schedule order (BlockGrid), so results do not
        // depend on the thread count once the data fixes the side. Arranged here rather than by
        // Kernels so that the seed can shuffle each user's ratings within a cell: the same
        // order as shuffling the whole list first, without a pass of random writes over it.
        BlockGrid grid = BlockGrid.balanced(BlockGrid.defaultSide(data.numUsers, data.numItems, k, n, kernels.threads()),
                data.numUsers, data.numItems, data.users, data.items);
        int[] order = grid.arrange(data.users, data.items).order();
        int[] itemBlock = grid.itemBlocks();
        for (int run = 0; run < n; ) {
            int end = run + 1;
            while (end < n && data.users[order[end]] == data.users[order[run]]
                    && itemBlock[data.items[order[end]]] == itemBlock[data.items[order[run]]]) {
                end++;
            }
            for (int j = end - 1; j > run; j--) {
                int swap = run + random.nextInt(j - run + 1);
                int t = order[j];
                order[j] = order[swap];
                order[swap] = t;
            }
            run = end;
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
             Interactions ratings = kernels.interactions(users, items, values, grid);
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
