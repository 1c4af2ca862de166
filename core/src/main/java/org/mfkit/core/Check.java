package org.mfkit.core;

/**
 * Argument checks shared by the checked API. Every message names the argument and the bad
 * value, so a caller can tell at once which input to fix.
 */
public final class Check {
    private Check() {}

    /** Throws unless {@code value >= 0}. */
    public static int nonNegative(String name, int value) {
        if (value < 0) throw new IllegalArgumentException(name + " = " + value + " must be >= 0");
        return value;
    }

    /** Throws unless {@code value >= 1}. */
    public static int positive(String name, int value) {
        if (value < 1) throw new IllegalArgumentException(name + " = " + value + " must be >= 1");
        return value;
    }

    /** Throws unless {@code value} is finite. */
    public static float finite(String name, float value) {
        if (!Float.isFinite(value)) throw new IllegalArgumentException(name + " = " + value + " must be finite");
        return value;
    }

    /** Throws unless {@code value} is finite and {@code >= 0}. */
    public static float finiteNonNegative(String name, float value) {
        if (!(Float.isFinite(value) && value >= 0f)) {
            throw new IllegalArgumentException(name + " = " + value + " must be finite and >= 0");
        }
        return value;
    }

    /** Throws unless {@code value} is finite and {@code > 0}. */
    public static float finitePositive(String name, float value) {
        if (!(Float.isFinite(value) && value > 0f)) {
            throw new IllegalArgumentException(name + " = " + value + " must be finite and > 0");
        }
        return value;
    }

    /** Throws unless {@code value} is non-null. */
    public static <T> T notNull(String name, T value) {
        if (value == null) throw new IllegalArgumentException(name + " must not be null");
        return value;
    }

    /** Throws unless two lengths agree. */
    public static void sameLength(String a, int lengthA, String b, int lengthB) {
        if (lengthA != lengthB) {
            throw new IllegalArgumentException(
                    "length mismatch: " + a + " has " + lengthA + " elements, " + b + " has " + lengthB);
        }
    }

    /** Throws unless every element of {@code values} is finite; names the first bad element. */
    public static void allFinite(String name, float[] values) {
        for (int j = 0; j < values.length; j++) {
            if (!Float.isFinite(values[j])) {
                throw new IllegalArgumentException(name + "[" + j + "] = " + values[j] + " must be finite");
            }
        }
    }
}
