package org.mfkit.core;

/**
 * Regularization of explicit ALS normal equations: A = Σ q qᵀ + λ'·I with λ' = λ, or
 * λ·n_u when {@code scaleByCount} (n_u = number of entries in the row; the "weighted-λ"
 * regularization of Zhou et al. 2008 that Spark uses).
 *
 * @param lambda       λ, finite and &ge; 0
 * @param scaleByCount whether λ is multiplied by the row's entry count
 */
public record ExplicitAlsParams(float lambda, boolean scaleByCount) {
    /** Validates λ. */
    public ExplicitAlsParams {
        Check.finiteNonNegative("lambda", lambda);
    }
}
