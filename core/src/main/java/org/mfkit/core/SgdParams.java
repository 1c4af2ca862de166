package org.mfkit.core;

/**
 * Hyper-parameters of one SGD pass over biased MF.
 *
 * @param globalMean   μ, added to every prediction
 * @param learningRate step size η, finite and &gt; 0
 * @param factorReg    L2 weight λ_f on the factor rows, finite and &ge; 0
 * @param biasReg      L2 weight λ_b on the biases, finite and &ge; 0
 */
public record SgdParams(float globalMean, float learningRate, float factorReg, float biasReg) {
    /** Validates every field. */
    public SgdParams {
        Check.finite("globalMean", globalMean);
        Check.finitePositive("learningRate", learningRate);
        Check.finiteNonNegative("factorReg", factorReg);
        Check.finiteNonNegative("biasReg", biasReg);
    }
}
