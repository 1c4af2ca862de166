package org.mfkit.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mfkit.model.InvalidSettingException;
import org.mfkit.model.ModelType;
import org.mfkit.model.Models;
import org.mfkit.model.Settings;
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

    @Option(names = "--learning-rate", paramLabel = "ETA", description = "biased-mf, bpr: initial learning rate (default 0.02; bpr 0.2).")
    Float learningRate;

    @Option(names = {"--reg", "--lambda"}, paramLabel = "LAMBDA",
            description = "Regularization of the factors (default: biased-mf 0.1, als 0.15, implicit-als 50, bpr 0.05).")
    Float reg;

    @Option(names = "--bias-reg", paramLabel = "LAMBDA", description = "biased-mf, bpr: regularization of the biases (default 0.01; bpr 0.05).")
    Float biasReg;

    @Option(names = "--alpha", paramLabel = "ALPHA", description = "implicit-als: confidence 1 + alpha*w, w the weighted count (default 10).")
    Float alpha;

    @Option(names = "--solver", paramLabel = "SOLVER",
            description = "als, implicit-als: 'cholesky' (exact), 'cgN' (N conjugate-gradient steps, e.g. cg3) or "
                    + "'subspaceB' (one sweep of block coordinate descent over blocks of B dimensions, iALS++, e.g. "
                    + "subspace16) (default: als cholesky, implicit-als cg3).")
    String solver;

    @Option(names = "--schedule", paramLabel = "NAME",
            description = "biased-mf, bpr: learning-rate schedule constant, exponential or inverse-time "
                    + "(default: biased-mf inverse-time, bpr exponential).")
    String schedule;

    @Option(names = "--decay", paramLabel = "X", description = "biased-mf, bpr: the schedule's parameter (default: biased-mf 0.05, bpr 0.95).")
    Float decay;

    @Option(names = "--negatives", paramLabel = "NAME", description = "bpr: negative sampling, uniform (default) or popularity.")
    String negatives;

    @Option(names = "--init-std", paramLabel = "SIGMA", description = "Standard deviation of the random initialization.")
    Float initStd;

    @Option(names = "--weighting", paramLabel = "NAME",
            description = "implicit-als, bpr: how counts are weighted: none (default; implicit-als confidence 1 + alpha*r, "
                    + "bpr positives drawn uniformly), log (w = ln(1 + r/epsilon)) or bm25 (BM25 with items as documents, "
                    + "as implicit's bm25_weight); implicit-als confidence 1 + alpha*w, bpr positives drawn in proportion to w.")
    String weighting;

    @Option(names = "--log-epsilon", paramLabel = "EPSILON", description = "--weighting log: epsilon (default 1).")
    Float logEpsilon;

    @Option(names = "--bm25-k1", paramLabel = "K1", description = "--weighting bm25: K1, the saturation of a count (default 100).")
    Float bm25K1;

    @Option(names = "--bm25-b", paramLabel = "B", description = "--weighting bm25: B in [0, 1], the item length normalization (default 0.8).")
    Float bm25B;

    /**
     * A flag, the value it was given (null when absent), and the setting keys it may stand for
     * (the first the type knows is the one it sets; any of them names it in an error message).
     */
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
                new Flag("--init-std", initStd, "initStd"),
                new Flag("--weighting", weighting, "weighting"),
                new Flag("--log-epsilon", logEpsilon, "logEpsilon", "epsilon"),
                new Flag("--bm25-k1", bm25K1, "bm25K1", "k1"),
                new Flag("--bm25-b", bm25B, "bm25B", "b"));
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
        checkWeightingParameters(settings);
        return settings;
    }

    private static <C> Map<String, String> defaultSettings(ModelType<C> type) {
        return type.toMap(type.defaults());
    }

    /** A weighting's parameter given for another weighting is a mistake worth naming, not a setting to ignore. */
    private void checkWeightingParameters(Map<String, String> settings) {
        if (!settings.containsKey(Settings.WEIGHTING) && !type.settingKeys().contains(Settings.WEIGHTING)) return;
        String scheme = settings.getOrDefault(Settings.WEIGHTING, defaultSettings(type).get(Settings.WEIGHTING));
        String chosen = scheme == null ? "none" : scheme.trim().toLowerCase(java.util.Locale.ROOT);
        if (logEpsilon != null && !chosen.equals("log")) {
            throw new IllegalArgumentException("--log-epsilon applies to --weighting log, not " + chosen);
        }
        if ((bm25K1 != null || bm25B != null) && !chosen.equals("bm25")) {
            throw new IllegalArgumentException((bm25K1 != null ? "--bm25-k1" : "--bm25-b") + " applies to --weighting bm25, not "
                    + chosen);
        }
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
