package org.mfkit.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mfkit.model.InvalidSettingException;
import org.mfkit.model.ModelType;
import org.mfkit.model.Models;
import org.mfkit.model.Trainer;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The model type and its hyper-parameters as {@code mfkit train} takes them. Every setting is
 * optional: what is not given keeps the model's documented default (docs/MODELS.md). A
 * setting that the chosen type does not have is an error, not silently ignored, and a bad
 * value is reported with the flag that carried it.
 *
 * <p>The flags become the type's named settings ({@link ModelType#fromMap}, the keys its model
 * files use): which flags a type takes follows from the settings it has, so a registered type
 * needs nothing here.
 */
final class ModelSettings {
    @Option(names = "--type", paramLabel = "TYPE", defaultValue = "biased-mf", converter = TypeConverter.class,
            description = "biased-mf (SGD, explicit ratings; default), als (explicit ALS), implicit-als "
                    + "(Hu-Koren-Volinsky confidence weighting) or bpr (pairwise ranking).")
    ModelType<?> type;

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
            description = "als, implicit-als: 'cholesky' (exact) or 'cgN' (N conjugate-gradient steps), e.g. cg3 "
                    + "(default: als cholesky, implicit-als cg3).")
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

    /** A flag, the value it was given (null when absent), and the setting keys it may stand for. */
    private record Flag(String name, Object value, List<String> keys) {
        Flag(String name, Object value, String... keys) {
            this(name, value, List.of(keys));
        }
    }

    /** The flags in the order errors list them; --reg is the factors' regularization under either name. */
    private List<Flag> flags() {
        return List.of(
                new Flag("--factors", factors, "factors"),
                new Flag("--reg", reg, "factorReg", "lambda"),
                new Flag("--learning-rate", learningRate, "learningRate"),
                new Flag("--bias-reg", biasReg, "biasReg"),
                new Flag("--schedule", schedule, "schedule"),
                new Flag("--decay", decay, "decay"),
                new Flag("--alpha", alpha, "alpha"),
                new Flag("--solver", solver, "solver"),
                new Flag("--negatives", negatives, "sampling"),
                new Flag("--init-std", initStd, "initStd"));
    }

    /** The configuration record of the chosen type (e.g. BiasedMfConfig), defaults overridden by the flags. */
    Object config() {
        Map<String, String> settings = settings();
        try {
            return type.fromMap(settings);
        } catch (IllegalArgumentException e) {
            throw flagged(e);
        }
    }

    /** The trainer of the chosen type with these settings. */
    Trainer trainer() {
        Map<String, String> settings = settings();
        try {
            return type.trainer(settings);
        } catch (IllegalArgumentException e) {
            throw flagged(e);
        }
    }

    /** The given flags as the type's settings; a flag the type has no setting for is an error. */
    private Map<String, String> settings() {
        Set<String> known = type.settingKeys();
        Map<String, String> settings = new LinkedHashMap<>();
        List<String> wrong = new ArrayList<>();
        for (Flag flag : flags()) {
            if (flag.value() == null) continue;
            String key = flag.keys().stream().filter(known::contains).findFirst().orElse(null);
            if (key == null) wrong.add(flag.name());
            else settings.put(key, flag.value().toString());
        }
        if (!wrong.isEmpty()) {
            throw new IllegalArgumentException(String.join(", ", wrong) + (wrong.size() == 1 ? " does" : " do")
                    + " not apply to --type " + type.name() + " (see 'mfkit train --help')");
        }
        return settings;
    }

    /** The error with the flag in front: "--solver cgx: expected …", "--learning-rate: learningRate = -1.0 must be > 0". */
    private IllegalArgumentException flagged(IllegalArgumentException e) {
        if (e instanceof InvalidSettingException) {
            InvalidSettingException bad = (InvalidSettingException) e;
            return new IllegalArgumentException(flagOf(bad.key()) + " " + bad.value() + ": expected " + bad.expected(), e);
        }
        String message = e.getMessage() == null ? "bad hyper-parameter" : e.getMessage();
        for (Flag flag : flags()) {
            for (String key : flag.keys()) {
                if (message.startsWith(key + " ")) return new IllegalArgumentException(flag.name() + ": " + message, e);
            }
        }
        return new IllegalArgumentException(message, e);
    }

    private String flagOf(String key) {
        for (Flag flag : flags()) if (flag.keys().contains(key)) return flag.name();
        return key;
    }

    /** Parses {@code --type} by a registered type's name, in any case; a wrong name is a usage error. */
    static final class TypeConverter implements CommandLine.ITypeConverter<ModelType<?>> {
        @Override
        public ModelType<?> convert(String value) {
            List<String> names = Models.names();
            for (String name : names) {
                if (name.equalsIgnoreCase(value.trim())) return Models.type(name);
            }
            String expected = names.size() == 1 ? names.get(0)
                    : String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
            throw new CommandLine.TypeConversionException("'" + value + "' is not a model type; expected " + expected);
        }
    }

    /** The registered explicit (rating) types, e.g. "biased-mf, als", for messages. */
    static String explicitTypes() {
        List<String> explicit = new ArrayList<>();
        for (String name : Models.names()) if (!Models.isImplicit(name)) explicit.add(name);
        return String.join(", ", explicit);
    }
}
