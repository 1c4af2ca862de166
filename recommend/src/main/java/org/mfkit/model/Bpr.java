package org.mfkit.model;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import org.mfkit.core.BprParams;
import org.mfkit.core.Check;
import org.mfkit.core.Kernels;
import org.mfkit.core.Triples;
import org.mfkit.data.HostCsr;
import org.mfkit.data.Cumulative;
import org.mfkit.data.Ratings;

/**
 * BPR (Rendle et al. 2009) through the backend's {@code bpr} kernel. Each epoch draws
 * {@code samplesPerEpoch} triples from the seed: a training interaction (u, i) uniformly, then
 * a negative j uniformly or by popularity, redrawn until j is not a positive of u (verified
 * negatives). Users whose positives cover the whole catalogue yield no triples. Every stored
 * interaction is a positive whatever its value; duplicates count once.
 */
public final class Bpr implements Trainer {
    /** The model type written to model files. */
    public static final String TYPE = "bpr";
    /**
     * The descriptor of BPR: implicit; BPR has no α or λ of the HKV loss, so fold-in solves the
     * HKV row system with the implicit-ALS defaults.
     */
    public static final ModelType<BprConfig> MODEL_TYPE = new ModelType<>(TYPE,
            ModelType.Feedback.IMPLICIT, BprConfig.defaults(), Bpr::new) {
        @Override
        public Map<String, String> toMap(BprConfig c) {
            return Settings.writer().put("factors", c.factors()).put("learningRate", c.learningRate())
                    .put("factorReg", c.factorReg()).put("biasReg", c.biasReg()).put("itemBias", c.itemBias())
                    .put("sampling", c.sampling()).put("samplesPerEpoch", c.samplesPerEpoch())
                    .put("schedule", c.schedule()).put("decay", c.decay()).put("initStd", c.initStd())
                    .put("divergenceFactor", c.divergenceFactor()).toMap();
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
                    s.decimal("initStd", d.initStd()), s.decimal("divergenceFactor", d.divergenceFactor()));
        }

        @Override
        public FoldInMethod foldIn(BprConfig c) {
            ImplicitAlsConfig hkv = ImplicitAlsConfig.defaults();
            return new FoldInMethod.ImplicitSolve(hkv.alpha(), hkv.lambda());
        }
    };

    /** Popularity draws that may land on positives before falling back to a uniform draw over the user's negatives. */
    private static final int POPULARITY_TRIES = 64;

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
        HostCsr byUser = data.asRatings().byUser();
        int[][] positives = new int[data.numUsers][];
        for (int u = 0; u < data.numUsers; u++) {
            positives[u] = Arrays.copyOfRange(byUser.colIdx(), byUser.rowPtr()[u], byUser.rowPtr()[u + 1]);
            Arrays.sort(positives[u]);
        }
        double[] cumulative = popularityCdf(data.itemCounts());
        int samples = config.samplesPerEpoch() == 0 ? data.size() : config.samplesPerEpoch();
        Map<String, String> hp = ModelMetadata.settings(MODEL_TYPE.toMap(config), options, kernels);
        // The file records the triples each epoch actually drew (0 in the config means "as many as interactions").
        hp.put("samplesPerEpoch", Integer.toString(samples));
        ModelMetadata metadata = ModelMetadata.implicit(TYPE, train, hp);
        Random init = new Random(options.seed());
        SplittableRandom random = new SplittableRandom(options.seed() ^ 0x9E3779B97F4A7C15L);
        int[] userCounts = data.userCounts();
        Ratings merged = data.asRatings();
        try (DeviceFactors f = new DeviceFactors(kernels, data.numUsers, numItems, k, false, config.itemBias());
             Validators.Recall validator = options.validation() == null ? null
                     : new Validators.Recall(kernels, f, merged, options.validation(), options.validationK())) {
            f.p.upload(DeviceFactors.gaussian(init, data.numUsers * k, config.initStd()));
            f.q.upload(DeviceFactors.gaussian(init, numItems * k, config.initStd()));
            int[] us = new int[samples];
            int[] is = new int[samples];
            int[] js = new int[samples];
            TrainingLoop loop = new TrainingLoop(TYPE, options, Divergence.growthAbove(config.divergenceFactor(),
                    "; try a learning rate below " + config.learningRate()).withLossFloor(Math.log(2)));
            return loop.run(f, (epoch, l) -> {
                int drawn = 0;
                for (int s = 0; s < samples; s++) {
                    int at = random.nextInt(data.size());
                    int u = data.users[at];
                    int[] pos = positives[u];
                    if (pos.length >= numItems) continue;
                    us[drawn] = u;
                    is[drawn] = data.items[at];
                    js[drawn] = negative(random, pos, numItems, cumulative);
                    drawn++;
                }
                if (drawn == 0) return 0.0;
                float rate = config.schedule().rate(config.learningRate(), config.decay(), epoch - 1);
                BprParams params = new BprParams(rate, config.factorReg(), config.biasReg());
                try (Triples triples = kernels.triples(Arrays.copyOf(us, drawn), Arrays.copyOf(is, drawn),
                        Arrays.copyOf(js, drawn))) {
                    return kernels.bpr(f.p, f.q, f.itemBias, triples, params) / drawn;
                }
            }, validator, d -> d.toModel(metadata, DeviceFactors.EmptyRows.users(userCounts)));
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

    /** A verified negative of a user with sorted positives {@code pos} (fewer than numItems). */
    static int negative(SplittableRandom random, int[] pos, int numItems, double[] cdf) {
        if (cdf != null) {
            double total = cdf[cdf.length - 1];
            for (int t = 0; t < POPULARITY_TRIES; t++) {
                // The first item whose cumulative count exceeds the draw; items without
                // interactions have zero width and are never drawn.
                int candidate = Cumulative.firstAbove(cdf, random.nextDouble() * total);
                if (Arrays.binarySearch(pos, candidate) < 0) return candidate;
            }
        }
        // Uniform over the user's negatives: draw a rank among them and skip over the positives.
        int rank = random.nextInt(numItems - pos.length);
        int j = rank;
        for (int p : pos) {
            if (p <= j) j++;
            else break;
        }
        return j;
    }
}
