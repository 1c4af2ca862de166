package org.mfkit.core;

/**
 * A k×k system that should be symmetric positive definite is not: Cholesky met a pivot that
 * is not positive and finite, or CG met a direction with pᵀAp &le; 0. The call that threw
 * left every output unchanged.
 */
public final class NotPositiveDefiniteException extends ArithmeticException {
    private final String argument;
    private final int system;
    private final int column;
    private final float pivot;

    /**
     * @param argument which input the system came from (e.g. "a" or "ratings row")
     * @param system   index of the failing system in the batch, or the row id for ALS
     * @param column   column of the failing pivot (-1 for CG)
     * @param pivot    the offending pivot (or pᵀAp for CG)
     */
    public NotPositiveDefiniteException(String argument, int system, int column, float pivot) {
        super(argument + " " + system + ": matrix is not symmetric positive definite ("
                + (column >= 0 ? "pivot " + column + " = " + pivot : "pᵀAp = " + pivot) + ")");
        this.argument = argument;
        this.system = system;
        this.column = column;
        this.pivot = pivot;
    }

    /** The input the failing system came from. */
    public String argument() {
        return argument;
    }

    /** Index of the failing system (batch index, or row id for ALS). */
    public int system() {
        return system;
    }

    /** Column of the failing pivot, or -1 for a CG breakdown. */
    public int column() {
        return column;
    }

    /** The offending pivot value. */
    public float pivot() {
        return pivot;
    }
}
