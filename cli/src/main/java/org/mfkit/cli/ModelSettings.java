package org.mfkit.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.mfkit.core.Solver;
import org.mfkit.model.AlsConfig;
import org.mfkit.model.BiasedMfConfig;
import org.mfkit.model.BiasedMfSgd;
import org.mfkit.model.Bpr;
import org.mfkit.model.ExplicitAls;
import org.mfkit.model.ImplicitAls;
import org.mfkit.model.Trainer;
import org.mfkit.model.BprConfig;
import org.mfkit.model.ImplicitAlsConfig;
import org.mfkit.model.LearningRateSchedule;
import org.mfkit.model.NegativeSampling;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The model type and its hyper-parameters as {@code mfkit train} takes them. Every setting is
 * optional: what is not given keeps the model's documented default (docs/MODELS.md). A
 * setting that the chosen type does not have is an error, not silently ignored, and a bad
 * value is reported with the flag that carried it.
 */
final class ModelSettings {
    /** The model types, by their command-line (and model file) names. */
    enum ModelType {
        BIASED_MF("biased-mf", true),
        ALS("als", true),
        IMPLICIT_ALS("implicit-als", false),
        BPR("bpr", false);

        final String id;
        /** Whether it predicts ratings (validated by RMSE) rather than ranking implicit feedback. */
        final boolean explicit;

        ModelType(String id, boolean explicit) {
            this.id = id;
            this.explicit = explicit;
        }

        static ModelType parse(String name) {
            for (ModelType t : values()) if (t.id.equalsIgnoreCase(name)) return t;
            throw new CommandLine.TypeConversionException("'" + name + "' is not a model type; expected biased-mf, als, implicit-als or bpr");
        }

        @Override
        public String toString() {
            return id;
        }
    }

    @Option(names = "--type", paramLabel = "TYPE", defaultValue = "biased-mf", converter = TypeConverter.class,
            description = "biased-mf (SGD, explicit ratings; default), als (explicit ALS), implicit-als "
                    + "(Hu-Koren-Volinsky confidence weighting) or bpr (pairwise ranking).")
    ModelType type;

    @Option(names = {"-k", "--factors"}, paramLabel = "K", description = "Latent factors (default 32).")
    Integer factors;

    @Option(names = "--learning-rate", paramLabel = "ETA", description = "biased-mf, bpr: initial learning rate (default 0.01; bpr 0.05).")
    Float learningRate;

    @Option(names = {"--reg", "--lambda"}, paramLabel = "LAMBDA",
            description = "Regularization of the factors (default: biased-mf 0.05, als 0.1, implicit-als 0.1, bpr 0.002).")
    Float reg;

    @Option(names = "--bias-reg", paramLabel = "LAMBDA", description = "biased-mf, bpr: regularization of the biases (default 0.01; bpr 0.002).")
    Float biasReg;

    @Option(names = "--alpha", paramLabel = "ALPHA", description = "implicit-als: confidence 1 + alpha*r (default 10).")
    Float alpha;

    @Option(names = "--solver", paramLabel = "SOLVER",
            description = "als, implicit-als: 'cholesky' (exact), 'cgN' (N conjugate-gradient steps, e.g. cg3) or "
                    + "'subspaceB' (one sweep of block coordinate descent over blocks of B dimensions, iALS++, e.g. "
                    + "subspace16) (default: als cholesky, implicit-als cg3).")
    String solver;

    @Option(names = "--schedule", paramLabel = "NAME",
            description = "biased-mf, bpr: learning-rate schedule constant, exponential or inverse-time "
                    + "(default: biased-mf exponential, bpr constant).")
    String schedule;

    @Option(names = "--decay", paramLabel = "X", description = "biased-mf, bpr: the schedule's parameter (default: biased-mf 0.95, bpr 1).")
    Float decay;

    @Option(names = "--negatives", paramLabel = "NAME", description = "bpr: negative sampling, uniform (default) or popularity.")
    String negatives;

    @Option(names = "--init-std", paramLabel = "SIGMA", description = "Standard deviation of the random initialization.")
    Float initStd;

    /** The configuration record of the chosen type (BiasedMfConfig, AlsConfig, ImplicitAlsConfig or BprConfig). */
    Object config() {
        rejectOthers();
        try {
            switch (type) {
                case BIASED_MF: {
                    BiasedMfConfig d = BiasedMfConfig.defaults();
                    return new BiasedMfConfig(or(factors, d.factors()), or(learningRate, d.learningRate()),
                            or(reg, d.factorReg()), or(biasReg, d.biasReg()), schedule == null ? d.schedule() : schedule(),
                            or(decay, d.decay()), or(initStd, d.initStd()), d.clipPredictions(), d.divergenceFactor());
                }
                case ALS: {
                    AlsConfig d = AlsConfig.defaults();
                    return new AlsConfig(or(factors, d.factors()), or(reg, d.lambda()), d.scaleByCount(),
                            solver == null ? d.solver() : solver(), or(initStd, d.initStd()), d.clipPredictions());
                }
                case IMPLICIT_ALS: {
                    ImplicitAlsConfig d = ImplicitAlsConfig.defaults();
                    return new ImplicitAlsConfig(or(factors, d.factors()), or(alpha, d.alpha()), or(reg, d.lambda()),
                            solver == null ? d.solver() : solver(), or(initStd, d.initStd()));
                }
                case BPR: {
                    BprConfig d = BprConfig.defaults();
                    return new BprConfig(or(factors, d.factors()), or(learningRate, d.learningRate()), or(reg, d.factorReg()),
                            or(biasReg, d.biasReg()), d.itemBias(), negatives == null ? d.sampling() : negatives(),
                            d.samplesPerEpoch(), schedule == null ? d.schedule() : schedule(), or(decay, d.decay()),
                            or(initStd, d.initStd()), d.divergenceFactor());
                }
                default:
                    throw new AssertionError(type);
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(flagged(e.getMessage()), e);
        }
    }

    /** The trainer of the chosen type with these settings. */
    Trainer trainer() {
        Object config = config();
        switch (type) {
            case BIASED_MF: return new BiasedMfSgd((BiasedMfConfig) config);
            case ALS: return new ExplicitAls((AlsConfig) config);
            case IMPLICIT_ALS: return new ImplicitAls((ImplicitAlsConfig) config);
            case BPR: return new Bpr((BprConfig) config);
            default: throw new AssertionError(type);
        }
    }

    private void rejectOthers() {
        List<String> wrong = new ArrayList<>();
        boolean sgd = type == ModelType.BIASED_MF || type == ModelType.BPR;
        boolean als = type == ModelType.ALS || type == ModelType.IMPLICIT_ALS;
        if (!sgd && learningRate != null) wrong.add("--learning-rate");
        if (!sgd && biasReg != null) wrong.add("--bias-reg");
        if (!sgd && schedule != null) wrong.add("--schedule");
        if (!sgd && decay != null) wrong.add("--decay");
        if (type != ModelType.IMPLICIT_ALS && alpha != null) wrong.add("--alpha");
        if (!als && solver != null) wrong.add("--solver");
        if (type != ModelType.BPR && negatives != null) wrong.add("--negatives");
        if (!wrong.isEmpty()) {
            throw new IllegalArgumentException(String.join(", ", wrong) + (wrong.size() == 1 ? " does" : " do")
                    + " not apply to --type " + type.id + " (see 'mfkit train --help')");
        }
    }

    private Solver solver() {
        return Solver.parse("--solver", solver);
    }

    private LearningRateSchedule schedule() {
        switch (schedule.trim().toLowerCase(Locale.ROOT)) {
            case "constant": return LearningRateSchedule.CONSTANT;
            case "exponential": return LearningRateSchedule.EXPONENTIAL;
            case "inverse-time": case "inverse_time": return LearningRateSchedule.INVERSE_TIME;
            default:
                throw new IllegalArgumentException("--schedule " + schedule + ": expected constant, exponential or inverse-time");
        }
    }

    private NegativeSampling negatives() {
        switch (negatives.trim().toLowerCase(Locale.ROOT)) {
            case "uniform": return NegativeSampling.UNIFORM;
            case "popularity": return NegativeSampling.POPULARITY;
            default:
                throw new IllegalArgumentException("--negatives " + negatives + ": expected uniform or popularity");
        }
    }

    private static final String[][] FIELD_FLAGS = {
            {"factors", "--factors"}, {"learningRate", "--learning-rate"}, {"factorReg", "--reg"}, {"lambda", "--reg"},
            {"biasReg", "--bias-reg"}, {"alpha", "--alpha"}, {"decay", "--decay"}, {"initStd", "--init-std"},
            {"cgSteps", "--solver"}, {"blockSize", "--solver"}};

    /** The configuration's message ("learningRate = -1.0 must be > 0") with the flag in front. */
    static String flagged(String message) {
        if (message == null) return "bad hyper-parameter";
        for (String[] fieldFlag : FIELD_FLAGS) {
            if (message.startsWith(fieldFlag[0] + " ")) return fieldFlag[1] + ": " + message;
        }
        return message;
    }

    private static int or(Integer value, int fallback) {
        return value == null ? fallback : value;
    }

    private static float or(Float value, float fallback) {
        return value == null ? fallback : value;
    }

    /** Parses {@code --type}; a wrong name is a usage error. */
    static final class TypeConverter implements CommandLine.ITypeConverter<ModelType> {
        @Override
        public ModelType convert(String value) {
            return ModelType.parse(value);
        }
    }
}
