package org.mfkit.model;

import org.mfkit.core.Check;
import org.mfkit.core.Solver;

/**
 * Hyper-parameters of explicit ALS on mean-centred ratings: prediction μ + p_u·q_i, loss
 * Σ (r − μ − p_u·q_i)² + λ'(‖p_u‖² + ‖q_i‖²) with λ' = λ·n (n the row's rating count) when
 * {@code scaleByCount}, else λ. Defaults and reasons are in docs/MODELS.md.
 *
 * @param factors      k, &ge; 1 (default 32)
 * @param lambda       λ, &ge; 0 (default 0.1)
 * @param scaleByCount weighted-λ regularization λ·n_u (default true)
 * @param solver       per-row solve (default Cholesky: exact, and k×k systems are cheap)
 * @param initStd      standard deviation of the Gaussian item-factor initialization, &gt; 0 (default 0.1)
 * @param clipPredictions whether predictions are clipped to the training rating range (default true)
 */
public record AlsConfig(int factors, float lambda, boolean scaleByCount, Solver solver, float initStd,
                        boolean clipPredictions) {
    /** Validates every field. */
    public AlsConfig {
        Check.positive("factors", factors);
        Check.finiteNonNegative("lambda", lambda);
        Check.notNull("solver", solver);
        Check.finitePositive("initStd", initStd);
    }

    /** The documented defaults. */
    public static AlsConfig defaults() {
        return new AlsConfig(32, 0.15f, true, Solver.cholesky(), 0.1f, true);
    }

    /** This configuration with {@code factors} changed. */
    public AlsConfig withFactors(int factors) {
        return new AlsConfig(factors, lambda, scaleByCount, solver, initStd, clipPredictions);
    }

    /** This configuration with the regularization changed. */
    public AlsConfig withLambda(float lambda, boolean scaleByCount) {
        return new AlsConfig(factors, lambda, scaleByCount, solver, initStd, clipPredictions);
    }

    /** This configuration with the solver changed. */
    public AlsConfig withSolver(Solver solver) {
        return new AlsConfig(factors, lambda, scaleByCount, solver, initStd, clipPredictions);
    }
}
