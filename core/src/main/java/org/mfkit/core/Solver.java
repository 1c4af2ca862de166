package org.mfkit.core;

import java.util.Locale;

/**
 * How ALS solves each row's k×k normal equations A x = b: exactly by Cholesky, approximately
 * by a fixed number of conjugate-gradient steps warm-started from the row's current value, or
 * approximately by one sweep of block coordinate descent over subspaces of {@code blockSize}
 * dimensions warm-started the same way (iALS++, Rendle et al. 2021). Semantics and error
 * bounds: docs/KERNELS.md.
 *
 * @param kind      which method
 * @param cgSteps   CG steps per row (&ge; 1) when {@code kind == CG}; 0 otherwise
 * @param blockSize dimensions per block (&ge; 1) when {@code kind == SUBSPACE}; 0 otherwise. A
 *                  block size of k or more makes the one block the whole row: an exact solve.
 */
public record Solver(Kind kind, int cgSteps, int blockSize) {
    /** The solve method. */
    public enum Kind {
        /** Factor A = LLᵀ and substitute; exact up to rounding. */
        CHOLESKY,
        /** {@code cgSteps} steps of conjugate gradient from the current row. */
        CG,
        /**
         * One sweep over the blocks [0, b), [b, 2b), … of the row's coordinates, each block
         * minimized exactly with the others fixed (block Gauss–Seidel on A x = b).
         */
        SUBSPACE
    }

    /** Validates the fields: the parameter of the chosen kind is positive, the other is 0. */
    public Solver {
        Check.notNull("kind", kind);
        if (kind == Kind.CG) Check.positive("cgSteps", cgSteps);
        else if (cgSteps != 0) throw new IllegalArgumentException("cgSteps = " + cgSteps + " must be 0 for " + kind);
        if (kind == Kind.SUBSPACE) Check.positive("blockSize", blockSize);
        else if (blockSize != 0) throw new IllegalArgumentException("blockSize = " + blockSize + " must be 0 for " + kind);
    }

    /** A Cholesky or CG solver ({@code cgSteps} ignored for Cholesky); kept for callers of the two-field form. */
    public Solver(Kind kind, int cgSteps) {
        this(kind, kind == Kind.CG ? cgSteps : 0, 0);
    }

    /** The Cholesky solver. */
    public static Solver cholesky() {
        return new Solver(Kind.CHOLESKY, 0, 0);
    }

    /** A CG solver with the given number of steps. */
    public static Solver cg(int steps) {
        return new Solver(Kind.CG, steps, 0);
    }

    /** The subspace (iALS++) solver with blocks of {@code blockSize} dimensions (8–32 is the useful range). */
    public static Solver subspace(int blockSize) {
        return new Solver(Kind.SUBSPACE, 0, blockSize);
    }

    /** What {@link #parse} accepts, for error messages. */
    public static final String EXPECTED =
            "cholesky, cgN (N >= 1 conjugate-gradient steps, e.g. cg3) or subspaceB (blocks of B >= 1 dimensions, e.g. subspace16)";

    /**
     * Parses {@code cholesky}, {@code cgN} or {@code subspaceB} in any case, e.g. {@code cg3},
     * {@code subspace16}, and the forms {@code CG(N)}, {@code SUBSPACE(B)} that model files
     * record. {@code option} names the setting in the error message.
     */
    public static Solver parse(String option, String text) {
        Check.notNull(option, text);
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.equals("cholesky")) return cholesky();
        int n = s.startsWith("cg") ? count(s, 2) : s.startsWith("subspace") ? count(s, 8) : -1;
        if (n >= 1) return s.startsWith("cg") ? cg(n) : subspace(n);
        throw new IllegalArgumentException(option + " " + text + ": expected " + EXPECTED);
    }

    /** The decimal count after {@code from}, optionally in parentheses, or -1. */
    private static int count(String s, int from) {
        int end = s.length();
        if (end > from + 1 && s.charAt(from) == '(' && s.charAt(end - 1) == ')') {
            from++;
            end--;
        }
        if (end == from || end > from + 9) return -1;
        for (int i = from; i < end; i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return -1;
        return Integer.parseInt(s.substring(from, end));
    }

    /** The name {@link #parse} reads back: {@code cholesky}, {@code cg3}, {@code subspace16}. */
    public String label() {
        return switch (kind) {
            case CHOLESKY -> "cholesky";
            case CG -> "cg" + cgSteps;
            case SUBSPACE -> "subspace" + blockSize;
        };
    }
}
