package org.mfkit.core;

/**
 * Hyper-parameters of one BPR pass.
 *
 * @param learningRate step size η, finite and &gt; 0
 * @param factorReg    L2 weight on p_u, q_i and q_j, finite and &ge; 0
 * @param biasReg      L2 weight on item biases, finite and &ge; 0
 * @param computeLoss  whether the pass returns Σ −ln σ(x) of its margins; when false it returns
 *                     NaN and skips the logarithm per triple (a trainer needs the loss only on
 *                     the epochs it reports one)
 */
public record BprParams(float learningRate, float factorReg, float biasReg, boolean computeLoss) {
    /** Validates every field. */
    public BprParams {
        Check.finitePositive("learningRate", learningRate);
        Check.finiteNonNegative("factorReg", factorReg);
        Check.finiteNonNegative("biasReg", biasReg);
    }

    /** A pass that returns its loss. */
    public BprParams(float learningRate, float factorReg, float biasReg) {
        this(learningRate, factorReg, biasReg, true);
    }
}
