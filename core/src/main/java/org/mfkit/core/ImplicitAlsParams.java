package org.mfkit.core;

/**
 * Hu–Koren–Volinsky implicit ALS: confidence c = 1 + α·r for each stored value r &ge; 0,
 * preference 1 where r &gt; 0. A = YᵀY + Σ (c−1) q qᵀ + λ·I, b = Σ_{r&gt;0} c·q.
 *
 * @param alpha  α, finite and &ge; 0
 * @param lambda λ, finite and &ge; 0
 */
public record ImplicitAlsParams(float alpha, float lambda) {
    /** Validates the fields. */
    public ImplicitAlsParams {
        Check.finiteNonNegative("alpha", alpha);
        Check.finiteNonNegative("lambda", lambda);
    }
}
