package org.mfkit.model;

import java.util.List;
import org.mfkit.core.Check;
import org.mfkit.core.Kernels;
import org.mfkit.data.Ratings;
import org.mfkit.model.io.ModelState;

/**
 * The entry point by model type name: a trainer with default hyper-parameters, one-call
 * fitting, and conversion of loaded model files.
 */
public final class Models {
    /** The model types, in the order the CLI lists them. */
    public static final List<String> TYPES = List.of(BiasedMfSgd.TYPE, ExplicitAls.TYPE, ImplicitAls.TYPE, Bpr.TYPE);

    private Models() {}

    /** A trainer of {@code type} with that model's documented default hyper-parameters. */
    public static Trainer trainer(String type) {
        Check.notNull("type", type);
        switch (type) {
            case BiasedMfSgd.TYPE:
                return new BiasedMfSgd(BiasedMfConfig.defaults());
            case ExplicitAls.TYPE:
                return new ExplicitAls(AlsConfig.defaults());
            case ImplicitAls.TYPE:
                return new ImplicitAls(ImplicitAlsConfig.defaults());
            case Bpr.TYPE:
                return new Bpr(BprConfig.defaults());
            default:
                throw new IllegalArgumentException("type = '" + type + "' is not a model type; known: " + TYPES);
        }
    }

    /** Trains a {@code type} model with default hyper-parameters. */
    public static TrainingResult fit(String type, Kernels kernels, Ratings train, TrainOptions options) {
        return trainer(type).fit(kernels, train, options);
    }

    /** Whether {@code type} is trained on implicit feedback (ranked by Recall), not on ratings (RMSE). */
    public static boolean isImplicit(String type) {
        Check.notNull("type", type);
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("type = '" + type + "' is not a model type; known: " + TYPES);
        }
        return type.equals(ImplicitAls.TYPE) || type.equals(Bpr.TYPE);
    }

    /** A model from a loaded model file. */
    public static FactorModel fromState(ModelState state) {
        return FactorModel.fromState(state);
    }
}
