package org.mfkit.model;

import org.mfkit.core.Check;
import org.mfkit.core.Solver;
import org.mfkit.data.CountWeighting;

/**
 * Hyper-parameters of implicit ALS (Hu, Koren, Volinsky 2008): preference p = 1 where w &gt; 0,
 * confidence c = 1 + α·w with w the count-weighted value ({@link CountWeighting}; w = r without
 * weighting), loss Σ_all c (p − x_u·y_i)² + λ(‖x_u‖² + ‖y_i‖²). Defaults and reasons are in
 * docs/MODELS.md.
 *
 * @param factors k, &ge; 1 (default 32)
 * @param alpha   α, &ge; 0 (default 10)
 * @param lambda  λ, &ge; 0 (default 0.1)
 * @param solver  per-row solve (default CG with 3 warm-started steps)
 * @param initStd standard deviation of the Gaussian initialization of both sides, &gt; 0 (default 0.01)
 * @param weighting how counts become the w of the confidence (default none: w = r)
 */
public record ImplicitAlsConfig(int factors, float alpha, float lambda, Solver solver, float initStd,
                                CountWeighting weighting) {
    /** Validates every field. */
    public ImplicitAlsConfig {
        Check.positive("factors", factors);
        Check.finiteNonNegative("alpha", alpha);
        Check.finiteNonNegative("lambda", lambda);
        Check.notNull("solver", solver);
        Check.finitePositive("initStd", initStd);
        Check.notNull("weighting", weighting);
    }

    /** A configuration without count weighting. */
    public ImplicitAlsConfig(int factors, float alpha, float lambda, Solver solver, float initStd) {
        this(factors, alpha, lambda, solver, initStd, CountWeighting.none());
    }

    /** The documented defaults. */
    public static ImplicitAlsConfig defaults() {
        return new ImplicitAlsConfig(32, 10f, 50f, Solver.cg(3), 0.01f, CountWeighting.none());
    }

    /** This configuration with {@code factors} changed. */
    public ImplicitAlsConfig withFactors(int factors) {
        return new ImplicitAlsConfig(factors, alpha, lambda, solver, initStd, weighting);
    }

    /** This configuration with α and λ changed. */
    public ImplicitAlsConfig withAlphaLambda(float alpha, float lambda) {
        return new ImplicitAlsConfig(factors, alpha, lambda, solver, initStd, weighting);
    }

    /** This configuration with the solver changed. */
    public ImplicitAlsConfig withSolver(Solver solver) {
        return new ImplicitAlsConfig(factors, alpha, lambda, solver, initStd, weighting);
    }

    /** This configuration with the count weighting changed. */
    public ImplicitAlsConfig withWeighting(CountWeighting weighting) {
        return new ImplicitAlsConfig(factors, alpha, lambda, solver, initStd, weighting);
    }
}
