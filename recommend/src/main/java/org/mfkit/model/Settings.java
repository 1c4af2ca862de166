package org.mfkit.model;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.mfkit.core.Check;
import org.mfkit.core.Solver;
import org.mfkit.data.CountWeighting;

/**
 * The string settings of a configuration, as a model file records them: typed reads with a
 * default for absent keys (what every {@link ModelType#fromMap} needs) and the matching
 * writes (what every {@link ModelType#toMap} needs), so every type spells a value the same way.
 */
public final class Settings {
    /** Setting key of the count weighting's scheme. */
    public static final String WEIGHTING = "weighting";
    /** Setting key of ε of the log weighting. */
    public static final String LOG_EPSILON = "logEpsilon";
    /** Setting key of K1 of the BM25 weighting. */
    public static final String BM25_K1 = "bm25K1";
    /** Setting key of B of the BM25 weighting. */
    public static final String BM25_B = "bm25B";

    private final Map<String, String> values;

    private Settings(Map<String, String> values) {
        this.values = values;
    }

    /** Reads from {@code settings} (not copied). */
    public static Settings of(Map<String, String> settings) {
        return new Settings(Check.notNull("settings", settings));
    }

    /** An empty, ordered map to write a configuration into. */
    public static Settings writer() {
        return new Settings(new LinkedHashMap<>());
    }

    /** The settings written so far, in order (a copy). */
    public Map<String, String> toMap() {
        return new LinkedHashMap<>(values);
    }

    /** Writes an integer. */
    public Settings put(String key, int value) {
        values.put(key, Integer.toString(value));
        return this;
    }

    /** Writes a float (shortest text that reads back to the same float). */
    public Settings put(String key, float value) {
        values.put(key, Float.toString(value));
        return this;
    }

    /** Writes a boolean. */
    public Settings put(String key, boolean value) {
        values.put(key, Boolean.toString(value));
        return this;
    }

    /** Writes an enum constant by name. */
    public Settings put(String key, Enum<?> value) {
        values.put(key, value.name());
        return this;
    }

    /** Writes a solver as {@code CHOLESKY}, {@code CG(n)} or {@code SUBSPACE(b)}. */
    public Settings put(String key, Solver solver) {
        values.put(key, switch (solver.kind()) {
            case CHOLESKY -> solver.kind().name();
            case CG -> "CG(" + solver.cgSteps() + ")";
            case SUBSPACE -> "SUBSPACE(" + solver.blockSize() + ")";
        });
        return this;
    }

    /**
     * Writes a count weighting as four settings: {@value #WEIGHTING} (the scheme, e.g. {@code BM25}),
     * {@value #LOG_EPSILON}, {@value #BM25_K1} and {@value #BM25_B}.
     */
    public Settings put(CountWeighting weighting) {
        return put(WEIGHTING, weighting.scheme()).put(LOG_EPSILON, weighting.epsilon()).put(BM25_K1, weighting.k1())
                .put(BM25_B, weighting.b());
    }

    /** The count weighting written by {@link #put(CountWeighting)}; absent keys keep {@code fallback}'s values. */
    public CountWeighting weighting(CountWeighting fallback) {
        return new CountWeighting(choice(WEIGHTING, CountWeighting.Scheme.class, fallback.scheme()),
                decimal(LOG_EPSILON, fallback.epsilon()), decimal(BM25_K1, fallback.k1()), decimal(BM25_B, fallback.b()));
    }

    /** The integer at {@code key}, or {@code fallback} when absent. */
    public int integer(String key, int fallback) {
        return read(key, fallback, "an integer", text -> {
            try {
                return Integer.parseInt(text);
            } catch (NumberFormatException e) {
                return null;
            }
        });
    }

    /** The float at {@code key}, or {@code fallback} when absent. */
    public float decimal(String key, float fallback) {
        return read(key, fallback, "a decimal number", text -> {
            try {
                return Float.parseFloat(text);
            } catch (NumberFormatException e) {
                return null;
            }
        });
    }

    /** The boolean at {@code key} ({@code true} or {@code false}, any case), or {@code fallback} when absent. */
    public boolean flag(String key, boolean fallback) {
        return read(key, fallback, "true or false",
                text -> text.equalsIgnoreCase("true") ? Boolean.TRUE : text.equalsIgnoreCase("false") ? Boolean.FALSE : null);
    }

    /**
     * The constant of {@code type} at {@code key}, or {@code fallback} when absent. The name is
     * read in any case, with {@code -} for {@code _} ({@code inverse-time} is {@code INVERSE_TIME}).
     */
    public <E extends Enum<E>> E choice(String key, Class<E> type, E fallback) {
        return read(key, fallback, names(type), text -> {
            String name = text.toUpperCase(Locale.ROOT).replace('-', '_');
            for (E constant : type.getEnumConstants()) if (constant.name().equals(name)) return constant;
            return null;
        });
    }

    /**
     * The solver at {@code key}, or {@code fallback} when absent: {@code cholesky}, {@code cgN} /
     * {@code CG(N)} for N conjugate-gradient steps, or {@code subspaceB} / {@code SUBSPACE(B)}
     * for the subspace solver with blocks of B, any case ({@link Solver#parse}).
     */
    public Solver solver(String key, Solver fallback) {
        return read(key, fallback, Solver.EXPECTED, text -> {
            try {
                return Solver.parse(key, text);
            } catch (IllegalArgumentException e) {
                return null;
            }
        });
    }

    /** The value at {@code key} parsed (trimmed) by {@code parse}, which returns null for text that is not {@code expected}. */
    private <T> T read(String key, T fallback, String expected, Function<String, T> parse) {
        String text = values.get(key);
        if (text == null) return fallback;
        T value = parse.apply(text.trim());
        if (value == null) throw new InvalidSettingException(key, text, expected);
        return value;
    }

    /** "constant, exponential or inverse-time": the constants as {@link #choice} reads them. */
    private static String names(Class<? extends Enum<?>> type) {
        Enum<?>[] constants = type.getEnumConstants();
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < constants.length; j++) {
            if (j > 0) sb.append(j == constants.length - 1 ? " or " : ", ");
            sb.append(constants[j].name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        return sb.toString();
    }
}
