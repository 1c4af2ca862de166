package org.mfkit.core.spi;

import org.mfkit.core.NotPositiveDefiniteException;

/**
 * Where a batch of symmetric positive definite solves broke down, as every backend reports
 * it: which system, which Cholesky column met a pivot that is not positive and finite (or
 * none, for a conjugate-gradient breakdown), and the offending value. Backends keep one per
 * worker (or download one from the device) and turn the first into the exception.
 *
 * @param system the failing system: its index in the batch, or for ALS its position in the row list
 * @param column the Cholesky column of the bad pivot, or {@link #NO_COLUMN} for CG
 * @param pivot  the bad pivot, or pᵀAp for CG
 */
public record SolveFailure(int system, int column, float pivot) {
    /** The column of a conjugate-gradient breakdown, which has no pivot column. */
    public static final int NO_COLUMN = -1;

    /** Cholesky met {@code pivot} in {@code column} of {@code system}. */
    public static SolveFailure cholesky(int system, int column, float pivot) {
        return new SolveFailure(system, column, pivot);
    }

    /** Conjugate gradient met a direction with pᵀAp = {@code curvature} &le; 0 in {@code system}. */
    public static SolveFailure conjugateGradient(int system, float curvature) {
        return new SolveFailure(system, NO_COLUMN, curvature);
    }

    /** The first failure in system order among per-worker results (null where a worker succeeded), or null. */
    public static SolveFailure first(SolveFailure[] perWorker) {
        SolveFailure first = null;
        for (SolveFailure f : perWorker) {
            if (f != null && (first == null || f.system < first.system)) first = f;
        }
        return first;
    }

    /** The exception naming the system as {@code argument} {@link #system}, e.g. "a 3". */
    public NotPositiveDefiniteException toException(String argument) {
        return toException(argument, system);
    }

    /** The exception naming the system by {@code id} (e.g. the ratings row of an ALS position). */
    public NotPositiveDefiniteException toException(String argument, int id) {
        return new NotPositiveDefiniteException(argument, id, column, pivot);
    }
}
