package org.mfkit.model;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import org.mfkit.core.BlockGrid;
import org.mfkit.core.BprParams;
import org.mfkit.core.Check;
import org.mfkit.core.Kernels;
import org.mfkit.core.Triples;
import org.mfkit.data.CountWeighting;
import org.mfkit.data.Ratings;

/**
 * BPR (Rendle et al. 2009) through the backend's {@code bpr} kernel. The interactions are
 * laid out once on a {@link BlockGrid}; each epoch {@link BprSampler} draws
 * {@code samplesPerEpoch} triples from the seed, cell by cell in the grid's schedule order:
 * training interactions (u, i) uniformly within the cell (each cell its share) — or, with a
 * count weighting other than none ({@link CountWeighting}), in proportion to their weights,
 * each cell its share of the weight — then for each a negative j inside the cell's item block,
 * uniformly or by popularity, never a positive of u (verified negatives). The backend runs the
 * triples in that order, a parallel one with the cells of a round on its threads. A user whose
 * positives fill a whole item block yields no triple there. Every stored interaction is a
 * positive whatever its value; duplicates count once (their values add up for the weighting).
 * The training loss (mean −ln σ of the epoch's triples) costs a logarithm per triple, about as
 * much as the rest of the update, so it is computed only on the epochs
 * {@link TrainOptions#lossWanted} names (the last, and every {@link TrainOptions#lossEvery()}-th);
 * the others report NaN (not computed).
 */
public final class Bpr implements Trainer {
    /** The model type written to model files. */
    public static final String TYPE = "bpr";
    /**
     * α of the HKV row solve that folds a user into a BPR model (BPR has none of its own): what
     * implicit ALS's default was when BPR files were first written, kept so that they fold in
     * as they did.
     */
    public static final float FOLD_IN_ALPHA = 10f;
    /** λ of the HKV row solve that folds a user into a BPR model (see {@link #FOLD_IN_ALPHA}). */
    public static final float FOLD_IN_LAMBDA = 0.1f;

    /**
     * The descriptor of BPR: implicit; BPR has no α or λ of the HKV loss, so fold-in solves the
     * HKV row system with {@link #FOLD_IN_ALPHA} and {@link #FOLD_IN_LAMBDA} (and the model's
     * count weighting).
     */
    public static final ModelType<BprConfig> MODEL_TYPE = new ModelType<>(TYPE,
            ModelType.Feedback.IMPLICIT, BprConfig.defaults(), Bpr::new, 120) {
        @Override
        public Map<String, String> toMap(BprConfig c) {
            return Settings.writer().put("factors", c.factors()).put("learningRate", c.learningRate())
                    .put("factorReg", c.factorReg()).put("biasReg", c.biasReg()).put("itemBias", c.itemBias())
                    .put("sampling", c.sampling()).put("samplesPerEpoch", c.samplesPerEpoch())
                    .put("schedule", c.schedule()).put("decay", c.decay()).put("initStd", c.initStd())
                    .put("divergenceFactor", c.divergenceFactor()).put(c.weighting()).toMap();
        }

        @Override
        public BprConfig fromMap(Map<String, String> settings) {
            Settings s = Settings.of(settings);
            BprConfig d = defaults();
            return new BprConfig(s.integer("factors", d.factors()), s.decimal("learningRate", d.learningRate()),
                    s.decimal("factorReg", d.factorReg()), s.decimal("biasReg", d.biasReg()),
                    s.flag("itemBias", d.itemBias()), s.choice("sampling", NegativeSampling.class, d.sampling()),
                    s.integer("samplesPerEpoch", d.samplesPerEpoch()),
                    s.choice("schedule", LearningRateSchedule.class, d.schedule()), s.decimal("decay", d.decay()),
                    s.decimal("initStd", d.initStd()), s.decimal("divergenceFactor", d.divergenceFactor()),
                    s.weighting(d.weighting()));
        }

        @Override
        public FoldInMethod foldIn(BprConfig c) {
            return new FoldInMethod.ImplicitSolve(FOLD_IN_ALPHA, FOLD_IN_LAMBDA, c.weighting());
        }
    };

    private final BprConfig config;

    /** A trainer with the given hyper-parameters. */
    public Bpr(BprConfig config) {
        this.config = Check.notNull("config", config);
    }

    /** The hyper-parameters. */
    public BprConfig config() {
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
        TrainingData data = TrainingData.implicit(train);
        TrainingData.checkSameSpace("validation", options.validation(), data.numUsers, data.numItems);
        int k = config.factors();
        int numItems = data.numItems;
        double[] cumulative = popularityCdf(data.itemCounts());
        CountWeighting weighting = config.weighting();
        CountWeighting.Statistics statistics = weighting.needsStatistics()
                ? CountWeighting.Statistics.of(data.numUsers, data.numItems, data.users, data.items, data.values) : null;
        float[] weights = weighting.isNone() ? null : weighting.apply(statistics, data.users, data.items, data.values);
        int samples = config.samplesPerEpoch() == 0 ? data.size() : config.samplesPerEpoch();
        Map<String, String> hp = ModelMetadata.settings(MODEL_TYPE.toMap(config), options, kernels);
        // The file records the triples each epoch actually drew (0 in the config means "as many as interactions").
        hp.put("samplesPerEpoch", Integer.toString(samples));
        ModelMetadata metadata = ModelMetadata.implicit(TYPE, train, hp);
        Random init = new Random(options.seed());
        SplittableRandom random = new SplittableRandom(options.seed() ^ 0x9E3779B97F4A7C15L);
        int[] userCounts = data.userCounts();
        Ratings merged = data.asRatings();
        BlockGrid grid = BlockGrid.balanced(BlockGrid.defaultSide(data.numUsers, numItems, k, samples, kernels.threads()),
                data.numUsers, numItems, data.users, data.items);
        BprSampler sampler = new BprSampler(grid, data.numUsers, numItems, data.users, data.items, cumulative, samples,
                BprSampler.BITSET_LIMIT, weights);
        try (DeviceFactors f = new DeviceFactors(kernels, data.numUsers, numItems, k, false, config.itemBias());
             Validators.Recall validator = options.validation() == null ? null
                     : new Validators.Recall(kernels, f, merged, options.validation(), options.validationK())) {
            f.p.upload(DeviceFactors.gaussian(init, data.numUsers * k, config.initStd()));
            f.q.upload(DeviceFactors.gaussian(init, numItems * k, config.initStd()));
            TrainingLoop loop = new TrainingLoop(TYPE, options, Divergence.growthAbove(config.divergenceFactor(),
                    "; try a learning rate below " + config.learningRate()).withLossFloor(Math.log(2)));
            return loop.run(f, (epoch, l) -> {
                int drawn = sampler.draw(random);
                if (drawn == 0) return 0.0;
                float rate = config.schedule().rate(config.learningRate(), config.decay(), epoch - 1);
                // The loss costs a logarithm per triple: only on the epochs that report one.
                BprParams params = new BprParams(rate, config.factorReg(), config.biasReg(), l.lossWanted(epoch));
                try (Triples triples = drawn == samples
                        ? kernels.triples(sampler.users, sampler.positives, sampler.negatives, grid)
                        : kernels.triples(Arrays.copyOf(sampler.users, drawn), Arrays.copyOf(sampler.positives, drawn),
                                Arrays.copyOf(sampler.negatives, drawn), grid)) {
                    return kernels.bpr(f.p, f.q, f.itemBias, triples, params) / drawn;
                }
            }, validator, d -> d.toModel(metadata, DeviceFactors.EmptyRows.users(userCounts)).withCountStatistics(statistics));
        }
    }

    private double[] popularityCdf(int[] itemCounts) {
        return config.sampling() == NegativeSampling.POPULARITY ? cumulative(itemCounts) : null;
    }

    /** Cumulative interaction counts, the popularity sampling table. */
    static double[] cumulative(int[] itemCounts) {
        double[] cdf = new double[itemCounts.length];
        double sum = 0;
        for (int i = 0; i < itemCounts.length; i++) {
            sum += itemCounts[i];
            cdf[i] = sum;
        }
        return cdf;
    }
}
