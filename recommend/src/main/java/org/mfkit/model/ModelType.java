package org.mfkit.model;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.mfkit.core.Check;

/**
 * Everything mfkit needs to know about one kind of model, in one place: its name in model
 * files and on the command line, whether it learns from ratings or from implicit feedback, its
 * default configuration, how to build its trainer, how its configuration is written to and
 * read back from a model file's settings, and how a new user is folded in. {@link Models},
 * the command line and {@link Recommender} go through the descriptor and never ask which
 * type it is.
 *
 * <p>Each trainer class declares its descriptor (e.g. {@link BiasedMfSgd#MODEL_TYPE});
 * adding a model type is that class plus one {@link Models#register} call.
 *
 * @param <C> the configuration record of the type
 */
public abstract class ModelType<C> {
    /** What a model of the type learns from. */
    public enum Feedback {
        /** Ratings; predictions are ratings, validated by RMSE. */
        EXPLICIT,
        /** Interactions (counts, clicks, plays); scores only rank items, validated by Recall@K. */
        IMPLICIT
    }

    private final String name;
    private final Feedback feedback;
    private final C defaults;
    private final Function<C, Trainer> trainer;
    private final int defaultEpochs;

    /**
     * A type trained for {@value TrainOptions#DEFAULT_EPOCHS} epochs unless the options say otherwise.
     *
     * @param name     the type's name in model files and on the command line, e.g. {@code "biased-mf"}
     * @param feedback what the type learns from
     * @param defaults the documented default configuration
     * @param trainer  builds a trainer from a configuration (usually the trainer's constructor)
     */
    protected ModelType(String name, Feedback feedback, C defaults, Function<C, Trainer> trainer) {
        this(name, feedback, defaults, trainer, TrainOptions.DEFAULT_EPOCHS);
    }

    /**
     * @param name          the type's name in model files and on the command line, e.g. {@code "biased-mf"}
     * @param feedback      what the type learns from
     * @param defaults      the documented default configuration
     * @param trainer       builds a trainer from a configuration (usually the trainer's constructor)
     * @param defaultEpochs the epochs its defaults are tuned for, &ge; 1: what training runs when the
     *                      options leave the number open ({@link TrainOptions#defaults()})
     */
    protected ModelType(String name, Feedback feedback, C defaults, Function<C, Trainer> trainer, int defaultEpochs) {
        Check.notNull("name", name);
        if (name.isBlank()) throw new IllegalArgumentException("name must not be blank");
        this.name = name;
        this.feedback = Check.notNull("feedback", feedback);
        this.defaults = Check.notNull("defaults", defaults);
        this.trainer = Check.notNull("trainer", trainer);
        this.defaultEpochs = Check.positive("defaultEpochs", defaultEpochs);
    }

    /** The type's name in model files and on the command line. */
    public final String name() {
        return name;
    }

    /** What the type learns from. */
    public final Feedback feedback() {
        return feedback;
    }

    /** Whether the type learns from implicit feedback (ranked by Recall) rather than ratings (RMSE). */
    public final boolean implicit() {
        return feedback == Feedback.IMPLICIT;
    }

    /** The documented default configuration. */
    public final C defaults() {
        return defaults;
    }

    /** The epochs the defaults are tuned for: what training runs when the options leave the number open. */
    public final int defaultEpochs() {
        return defaultEpochs;
    }

    /** A trainer with {@code config}. */
    public final Trainer trainer(C config) {
        return trainer.apply(Check.notNull("config", config));
    }

    /**
     * The configuration as the named string settings a model file records, one per field, in a
     * stable order; {@link #fromMap} reads them back to an equal configuration.
     */
    public abstract Map<String, String> toMap(C config);

    /**
     * The configuration recorded in {@code settings}: a field whose key is absent keeps its
     * default (files written before the field existed), keys the type does not know are
     * ignored (a model file also records the seed, the backend, the input). A malformed value
     * is an {@link InvalidSettingException}; an out-of-range one fails the configuration's own
     * checks.
     */
    public abstract C fromMap(Map<String, String> settings);

    /** How a new user of a model trained with {@code config} is represented without retraining. */
    public abstract FoldInMethod foldIn(C config);

    /** The keys of the type's settings ({@link #toMap}), in order. */
    public final Set<String> settingKeys() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(toMap(defaults()).keySet()));
    }

    /** A trainer with the defaults overridden by {@code settings} ({@link #fromMap}). */
    public final Trainer trainer(Map<String, String> settings) {
        return trainer(fromMap(settings));
    }

    /** The default trainer. */
    public final Trainer trainer() {
        return trainer(defaults());
    }

    /** The fold-in of a model whose file recorded {@code settings}. */
    public final FoldInMethod foldIn(Map<String, String> settings) {
        return foldIn(fromMap(settings));
    }

    @Override
    public String toString() {
        return name;
    }
}
