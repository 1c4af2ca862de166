package org.mfkit.model;

import java.util.LinkedHashMap;
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
 * prediction is μ). Duplicated (user, item) pairs: the last one wins.
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
        float[] centred = new float[n];
        for (int j = 0; j < n; j++) centred[j] = data.values[j] - mu;
        Ratings centredRatings = new Ratings(data.numUsers, data.numItems, data.users, data.items, centred);
        HostCsr byUser = centredRatings.byUser();
        HostCsr byItem = centredRatings.byItem();
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
        Random random = new Random(options.seed());
        try (DeviceFactors f = new DeviceFactors(kernels, data.numUsers, data.numItems, k, false, false);
             CsrMatrix userRows = byUser.upload(kernels);
             CsrMatrix itemRows = byItem.upload(kernels);
             IndexArray allUsers = kernels.indices("users", range(data.numUsers));
             IndexArray allItems = kernels.indices("items", range(data.numItems));
             Interactions pairs = kernels.pairs(data.users, data.items);
             DenseMatrix dots = kernels.matrix(n, 1);
             Validators.Rmse validator = options.validation() == null ? null
                     : new Validators.Rmse(kernels, f, options.validation(), mu, cMin, cMax)) {
            // P starts at zero and is solved first, so only Q needs a random start.
            f.q.upload(DeviceFactors.gaussian(random, data.numItems * k, config.initStd()));
            float[] dotHost = new float[n];
            TrainingLoop loop = new TrainingLoop(TYPE, options, Float.NaN, "", 0);
            return loop.run(f, (epoch, l) -> {
                l.phase("users");
                kernels.solveExplicit(f.p, allUsers, userRows, f.q, params, config.solver());
                l.guard("users", kernels, f.p);
                l.phase("items");
                kernels.solveExplicit(f.q, allItems, itemRows, f.p, params, config.solver());
                kernels.dot(f.p, f.q, pairs, dots);
                dots.downloadRows(0, dotHost, 0, n);
                double sum = 0;
                for (int j = 0; j < n; j++) {
                    double e = centred[j] - dotHost[j];
                    sum += e * e;
                }
                return sum / n;
            }, validator, false, "rmse", d -> d.toModel(TYPE, mu, train.userIds(), train.itemIds(), hp, cMin, cMax,
                    null, null));
        }
    }

    static int[] range(int n) {
        int[] ids = new int[n];
        for (int j = 0; j < n; j++) ids[j] = j;
        return ids;
    }
}
