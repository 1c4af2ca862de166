package org.mfkit.cli;

/** CSV output as RFC 4180 has it, and as mfkit's own CSV reader reads it back. */
final class Csv {
    private Csv() {}

    /** {@code value} as one CSV field: quoted (with doubled quotes) only when it has to be. */
    static String field(String value) {
        boolean plain = true;
        for (int j = 0; j < value.length() && plain; j++) {
            char c = value.charAt(j);
            plain = c != ',' && c != '"' && c != '\n' && c != '\r';
        }
        if (plain && !value.isEmpty() && value.strip().equals(value)) return value;
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
