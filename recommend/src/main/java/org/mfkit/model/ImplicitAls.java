package org.mfkit.model;

import java.util.Map;
import org.mfkit.core.Check;
import org.mfkit.core.CsrMatrix;
import org.mfkit.core.DenseMatrix;
import org.mfkit.core.ImplicitAlsParams;
import org.mfkit.core.IndexArray;
import org.mfkit.core.Interactions;
import org.mfkit.core.Kernels;
import org.mfkit.data.CountWeighting;
import org.mfkit.data.HostCsr;
import org.mfkit.data.Ratings;

/**
 * Implicit ALS (Hu, Koren, Volinsky 2008) on the backend: per half-sweep one {@code gram}
 * kernel call for YᵀY, then {@code solveImplicit} over every row (Cholesky; k-step CG
 * warm-started from the current factors, which stops early once the residual vanishes; or
 * one subspace sweep, iALS++). Duplicated (user, item) pairs: their strengths add up; then the
 * configured {@link CountWeighting} turns them into the w of the confidence 1 + α·w. The loss,
 * an extra pass over the pairs, is computed when {@link TrainOptions#lossWanted} asks.
 */
public final class ImplicitAls implements Trainer {
    /** The model type written to model files. */
    public static final String TYPE = "implicit-als";

    /** The descriptor of implicit ALS: implicit, fold-in by the HKV row solve with the model's α, λ and weighting. */
    public static final ModelType<ImplicitAlsConfig> MODEL_TYPE = new ModelType<>(TYPE,
            ModelType.Feedback.IMPLICIT, ImplicitAlsConfig.defaults(), ImplicitAls::new, 6) {
        @Override
        public Map<String, String> toMap(ImplicitAlsConfig c) {
            return Settings.writer().put("factors", c.factors()).put("alpha", c.alpha()).put("lambda", c.lambda())
                    .put("solver", c.solver()).put("initStd", c.initStd()).put(c.weighting()).toMap();
        }

        @Override
        public ImplicitAlsConfig fromMap(Map<String, String> settings) {
            Settings s = Settings.of(settings);
            ImplicitAlsConfig d = defaults();
            return new ImplicitAlsConfig(s.integer("factors", d.factors()), s.decimal("alpha", d.alpha()),
                    s.decimal("lambda", d.lambda()), s.solver("solver", d.solver()), s.decimal("initStd", d.initStd()),
                    s.weighting(d.weighting()));
        }

        @Override
        public FoldInMethod foldIn(ImplicitAlsConfig c) {
            return new FoldInMethod.ImplicitSolve(c.alpha(), c.lambda(), c.weighting());
        }
    };

    private final ImplicitAlsConfig config;

    /** A trainer with the given hyper-parameters. */
    public ImplicitAls(ImplicitAlsConfig config) {
        this.config = Check.notNull("config", config);
    }

    /** The hyper-parameters. */
    public ImplicitAlsConfig config() {
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
        TrainingData counts = TrainingData.implicit(train);
        CountWeighting weighting = config.weighting();
        CountWeighting.Statistics statistics = weighting.needsStatistics()
                ? CountWeighting.Statistics.of(counts.numUsers, counts.numItems, counts.users, counts.items, counts.values)
                : null;
        TrainingData data = weighting.isNone() ? counts
                : counts.withValues(weighting.apply(statistics, counts.users, counts.items, counts.values));
        TrainingData.checkSameSpace("validation", options.validation(), data.numUsers, data.numItems);
        int k = config.factors();
        int n = data.size();
        Ratings merged = data.asRatings();
        HostCsr byUser = merged.byUser();
        HostCsr byItem = merged.byItem();
        int[] userCounts = data.userCounts();
        ImplicitAlsParams params = new ImplicitAlsParams(config.alpha(), config.lambda());
        Map<String, String> hp = ModelMetadata.settings(MODEL_TYPE.toMap(config), options, kernels);
        ModelMetadata metadata = ModelMetadata.implicit(TYPE, train, hp);
        try (DeviceFactors f = new DeviceFactors(kernels, data.numUsers, data.numItems, k, false, false);
             CsrMatrix userRows = byUser.upload(kernels);
             CsrMatrix itemRows = byItem.upload(kernels);
             IndexArray allUsers = kernels.indices("users", Indices.range(data.numUsers));
             IndexArray allItems = kernels.indices("items", Indices.range(data.numItems));
             DenseMatrix gramY = kernels.matrix(k, k);
             DenseMatrix gramX = kernels.matrix(k, k);
             Interactions pairs = kernels.pairs(data.users, data.items);
             DenseMatrix dots = kernels.matrix(n, 1);
             Validators.Recall validator = options.validation() == null ? null
                     : new Validators.Recall(kernels, f, merged, options.validation(), options.validationK())) {
            // Both sides start random: CG warm-starts from the current rows.
            f.p.upload(FactorInit.gaussianRows(options.seed(), FactorInit.USERS, data.numUsers, k, config.initStd()));
            f.q.upload(FactorInit.gaussianRows(options.seed(), FactorInit.ITEMS, data.numItems, k, config.initStd()));
            float[] dotHost = new float[n];
            float[] gx = new float[k * k];
            float[] gy = new float[k * k];
            TrainingLoop loop = new TrainingLoop(TYPE, options, Divergence.never());
            return loop.run(f, (epoch, l) -> {
                l.phase("users");
                kernels.gram(f.q, gramY);
                kernels.solveImplicit(f.p, allUsers, userRows, f.q, gramY, params, config.solver());
                l.guard("users", kernels, f.p);
                l.phase("items");
                kernels.gram(f.p, gramX);
                kernels.solveImplicit(f.q, allItems, itemRows, f.p, gramX, params, config.solver());
                return l.lossWanted(epoch) ? loss(kernels, f, gramX, gramY, gx, gy, pairs, dots, dotHost, data.values, n)
                        : Double.NaN;
            }, validator, d -> d.toModel(metadata, DeviceFactors.EmptyRows.users(userCounts))
                    .withCountStatistics(statistics));
        }
    }

    /**
     * The HKV objective divided by the number of observed pairs, computed without touching the
     * dense user × item matrix: Σ_all s² = ⟨XᵀX, YᵀY⟩, plus for each observed pair
     * c(p − s)² − s², plus λ(‖X‖² + ‖Y‖²).
     */
    private double loss(Kernels kernels, DeviceFactors f, DenseMatrix gramX, DenseMatrix gramY, float[] gx, float[] gy,
                        Interactions pairs, DenseMatrix dots, float[] dotHost, float[] values, int n) {
        kernels.gram(f.q, gramY);
        gramX.downloadRows(0, gx, 0, gx.length == 0 ? 0 : gramX.rows());
        gramY.downloadRows(0, gy, 0, gramY.rows());
        double all = 0;
        for (int j = 0; j < gx.length; j++) all += (double) gx[j] * gy[j];
        kernels.dot(f.p, f.q, pairs, dots);
        dots.downloadRows(0, dotHost, 0, n);
        double observed = 0;
        float alpha = config.alpha();
        for (int j = 0; j < n; j++) {
            double s = dotHost[j];
            if (values[j] > 0f) {
                double c = 1.0 + alpha * values[j];
                observed += c * (1 - s) * (1 - s) - s * s;
            }
        }
        double reg = config.lambda() * (kernels.squaredNorm(f.p) + kernels.squaredNorm(f.q));
        return (all + observed + reg) / n;
    }
}
