package org.mfkit.model;

/**
 * A model setting whose text is not a value of its kind (a number, a boolean, one of a set of
 * names): thrown by {@link ModelType#fromMap} with the key, the value and what was expected,
 * so a caller can name the source (a command-line flag, a line of a file).
 */
public final class InvalidSettingException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String key;
    private final String value;
    private final String expected;

    /** A setting {@code key} whose {@code value} is not {@code expected} (e.g. "a decimal number"). */
    public InvalidSettingException(String key, String value, String expected) {
        super(key + " = '" + value + "': expected " + expected);
        this.key = key;
        this.value = value;
        this.expected = expected;
    }

    /** The setting's key. */
    public String key() {
        return key;
    }

    /** The rejected text. */
    public String value() {
        return value;
    }

    /** What the text should have been. */
    public String expected() {
        return expected;
    }
}
