package org.mfkit.model.extension;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mfkit.core.Check;
import org.mfkit.core.Kernels;
import org.mfkit.data.Ratings;
import org.mfkit.model.EpochReport;
import org.mfkit.model.FactorModel;
import org.mfkit.model.FoldInMethod;
import org.mfkit.model.ModelType;
import org.mfkit.model.Settings;
import org.mfkit.model.TrainOptions;
import org.mfkit.model.Trainer;
import org.mfkit.model.TrainingResult;

/**
 * A model type written outside mfkit's model package with its public API only, to show what
 * adding a trainer takes: this class (trainer, configuration, descriptor) and one
 * {@code Models.register(ItemPopularity.MODEL_TYPE)}. The model scores every item by its
 * shrunk interaction count: user factors are all 1, item factor c = n / (n + shrinkage) in
 * the first column, 0 in the others.
 */
public final class ItemPopularity implements Trainer {
    /** The type's name. */
    public static final String TYPE = "test-item-popularity";

    /**
     * The configuration.
     *
     * @param factors   k, &ge; 1 (columns after the first stay 0)
     * @param shrinkage added to each count in the denominator, &ge; 0
     */
    public record Config(int factors, float shrinkage) {
        /** Validates the fields. */
        public Config {
            Check.positive("factors", factors);
            Check.finiteNonNegative("shrinkage", shrinkage);
        }
    }

    /** The descriptor: implicit, folded in by the HKV solve with α = 1 and λ = shrinkage. */
    public static final ModelType<Config> MODEL_TYPE = new ModelType<>(TYPE, ModelType.Feedback.IMPLICIT,
            new Config(2, 1f), ItemPopularity::new) {
        @Override
        public Map<String, String> toMap(Config c) {
            return Settings.writer().put("factors", c.factors()).put("shrinkage", c.shrinkage()).toMap();
        }

        @Override
        public Config fromMap(Map<String, String> settings) {
            Settings s = Settings.of(settings);
            return new Config(s.integer("factors", defaults().factors()), s.decimal("shrinkage", defaults().shrinkage()));
        }

        @Override
        public FoldInMethod foldIn(Config c) {
            return new FoldInMethod.ImplicitSolve(1f, c.shrinkage());
        }
    };

    private final Config config;

    /** A trainer with {@code config}. */
    public ItemPopularity(Config config) {
        this.config = Check.notNull("config", config);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public TrainingResult fit(Kernels kernels, Ratings train, TrainOptions options) {
        int k = config.factors();
        int[] counts = new int[train.numItems()];
        for (int j = 0; j < train.size(); j++) counts[train.item(j)]++;
        float[] p = new float[train.numUsers() * k];
        for (int u = 0; u < train.numUsers(); u++) p[u * k] = 1f;
        float[] q = new float[train.numItems() * k];
        for (int i = 0; i < train.numItems(); i++) q[i * k] = counts[i] / (counts[i] + config.shrinkage());
        Map<String, String> settings = new LinkedHashMap<>(MODEL_TYPE.toMap(config));
        settings.put("backend", kernels.backendName());
        FactorModel model = new FactorModel(TYPE, k, train.numUsers(), train.numItems(), 0f, p, q, null, null,
                train.userIds(), train.itemIds(), settings, Float.NaN, Float.NaN);
        return new TrainingResult(model, List.of(new EpochReport(1, 0, Double.NaN, null, 0)), 1, false);
    }
}
