package org.mfkit.model;

import org.mfkit.core.Check;
import org.mfkit.data.CountWeighting;

/**
 * How {@link Recommender#foldIn} represents a user from their interactions without
 * retraining: one ALS solve of the user's row against the fixed item factors, explicit or
 * implicit. {@link Recommender#foldInItem} solves a new item's row against the user factors
 * the same way, the roles of the two sides swapped. A {@link ModelType} picks the method and
 * its parameters from the model's configuration.
 */
public sealed interface FoldInMethod {
    /** Whether the interactions are implicit strengths (summed when repeated) rather than ratings. */
    boolean implicit();

    /**
     * Ridge regression of the ratings minus μ (and minus b_i and the folded b_u with a user
     * bias) on the item factors: the explicit-ALS row solve.
     *
     * @param lambda       λ, &ge; 0
     * @param scaleByCount whether λ is multiplied by the user's rating count
     * @param userBias     whether the row's own bias is folded in first (b_u for a user, b_i for an
     *                     item), as the shrunk mean residual Σ(r − μ − b_other) / (n·(1 + {@code biasReg}))
     * @param biasReg      the shrinkage of that bias, &ge; 0 (unused without {@code userBias})
     */
    record ExplicitSolve(float lambda, boolean scaleByCount, boolean userBias, float biasReg) implements FoldInMethod {
        /** Validates the fields. */
        public ExplicitSolve {
            Check.finiteNonNegative("lambda", lambda);
            Check.finiteNonNegative("biasReg", biasReg);
        }

        /** The explicit-ALS solve without a user bias. */
        public static ExplicitSolve withoutBias(float lambda, boolean scaleByCount) {
            return new ExplicitSolve(lambda, scaleByCount, false, 0f);
        }

        /** The explicit-ALS solve after folding in the user's bias. */
        public static ExplicitSolve withUserBias(float lambda, boolean scaleByCount, float biasReg) {
            return new ExplicitSolve(lambda, scaleByCount, true, biasReg);
        }

        @Override
        public boolean implicit() {
            return false;
        }
    }

    /**
     * Biased explicit ALS's row solve: [p_u, b_u] jointly, by ridge regression of r − μ − b_i on
     * [q_i, 1] (the bias shrunk with the same λ as the factors), as {@code als} trains; for an
     * item, [q_i, b_i] against the users' [p_u, 1] and r − μ − b_u.
     *
     * @param lambda       λ, &ge; 0
     * @param scaleByCount whether λ is multiplied by the row's rating count
     */
    record JointBiasSolve(float lambda, boolean scaleByCount) implements FoldInMethod {
        /** Validates λ. */
        public JointBiasSolve {
            Check.finiteNonNegative("lambda", lambda);
        }

        @Override
        public boolean implicit() {
            return false;
        }
    }

    /**
     * The Hu-Koren-Volinsky row solve: confidence 1 + α·w, preference 1 where w &gt; 0, w the
     * interactions' values under the model's count weighting (for BM25 with the statistics the
     * model recorded of its training interactions).
     *
     * @param alpha     α, &ge; 0
     * @param lambda    λ, &ge; 0
     * @param weighting how values become w, as in training
     */
    record ImplicitSolve(float alpha, float lambda, CountWeighting weighting) implements FoldInMethod {
        /** Validates the fields. */
        public ImplicitSolve {
            Check.finiteNonNegative("alpha", alpha);
            Check.finiteNonNegative("lambda", lambda);
            Check.notNull("weighting", weighting);
        }

        /** The solve without count weighting (w = r). */
        public ImplicitSolve(float alpha, float lambda) {
            this(alpha, lambda, CountWeighting.none());
        }

        @Override
        public boolean implicit() {
            return true;
        }
    }
}
