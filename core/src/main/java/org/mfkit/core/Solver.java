package org.mfkit.core;

/**
 * How ALS solves each row's k×k normal equations: exactly by Cholesky, or approximately by
 * a fixed number of conjugate-gradient steps warm-started from the row's current value.
 *
 * @param kind    which method
 * @param cgSteps CG steps per row (&ge; 1) when {@code kind == CG}; ignored for Cholesky
 */
public record Solver(Kind kind, int cgSteps) {
    /** The solve method. */
    public enum Kind {
        /** Factor A = LLᵀ and substitute; exact up to rounding. */
        CHOLESKY,
        /** {@code cgSteps} steps of conjugate gradient from the current row. */
        CG
    }

    /** Validates the fields. */
    public Solver {
        Check.notNull("kind", kind);
        if (kind == Kind.CG) Check.positive("cgSteps", cgSteps);
    }

    /** The Cholesky solver. */
    public static Solver cholesky() {
        return new Solver(Kind.CHOLESKY, 0);
    }

    /** A CG solver with the given number of steps. */
    public static Solver cg(int steps) {
        return new Solver(Kind.CG, steps);
    }
}
