package org.mfkit.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mfkit.core.Check;
import org.mfkit.core.Kernels;
import org.mfkit.data.Ratings;
import org.mfkit.model.io.ModelState;

/**
 * The registry of model types by name: a trainer with default hyper-parameters, one-call
 * fitting, and conversion of loaded model files. The built-in types are registered here;
 * {@link #register} adds another (its {@link ModelType} descriptor is all mfkit needs).
 */
public final class Models {
    /** The built-in model types, in the order the CLI lists them. */
    public static final List<String> TYPES = List.of(BiasedMfSgd.TYPE, ExplicitAls.TYPE, ImplicitAls.TYPE, Bpr.TYPE);

    private static final Map<String, ModelType<?>> REGISTERED = new LinkedHashMap<>();

    static {
        register(BiasedMfSgd.MODEL_TYPE);
        register(ExplicitAls.MODEL_TYPE);
        register(ImplicitAls.MODEL_TYPE);
        register(Bpr.MODEL_TYPE);
    }

    private Models() {}

    /**
     * Makes {@code type} known by its name: {@link #trainer}, {@link #type} and the
     * recommender's fold-in find it from then on. Registering the same descriptor again does
     * nothing; another descriptor under a taken name is an error.
     */
    public static synchronized void register(ModelType<?> type) {
        Check.notNull("type", type);
        ModelType<?> known = REGISTERED.get(type.name());
        if (known != null && known != type) {
            throw new IllegalArgumentException("type = '" + type.name() + "' is already registered (" + known.getClass().getName() + ")");
        }
        REGISTERED.put(type.name(), type);
    }

    /** The names of every registered type: the built-in ones first, then in registration order. */
    public static synchronized List<String> names() {
        return List.copyOf(REGISTERED.keySet());
    }

    /** The descriptor of the type named {@code name}. */
    public static synchronized ModelType<?> type(String name) {
        Check.notNull("type", name);
        ModelType<?> type = REGISTERED.get(name);
        if (type == null) {
            throw new IllegalArgumentException("type = '" + name + "' is not a model type; known: " + new ArrayList<>(REGISTERED.keySet()));
        }
        return type;
    }

    /** A trainer of {@code type} with that model's documented default hyper-parameters. */
    public static Trainer trainer(String type) {
        return type(type).trainer();
    }

    /** Trains a {@code type} model with default hyper-parameters. */
    public static TrainingResult fit(String type, Kernels kernels, Ratings train, TrainOptions options) {
        return trainer(type).fit(kernels, train, options);
    }

    /** Whether {@code type} is trained on implicit feedback (ranked by Recall), not on ratings (RMSE). */
    public static boolean isImplicit(String type) {
        return type(type).implicit();
    }

    /** A model from a loaded model file. */
    public static FactorModel fromState(ModelState state) {
        return FactorModel.fromState(state);
    }
}
