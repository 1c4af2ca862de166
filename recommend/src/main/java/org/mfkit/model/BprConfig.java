package org.mfkit.model;

import org.mfkit.core.Check;
import org.mfkit.data.CountWeighting;

/**
 * Hyper-parameters of BPR (Rendle et al. 2009): maximize Σ ln σ(x_uij) − λ‖Θ‖² over sampled
 * triples (u, i, j), x_uij = p_u·(q_i − q_j) (+ b_i − b_j). Defaults and reasons are in docs/MODELS.md.
 *
 * @param factors          k, &ge; 1 (default 32)
 * @param learningRate     η at epoch 0, &gt; 0 (default 0.05)
 * @param factorReg        λ on p_u, q_i, q_j, &ge; 0 (default 0.002)
 * @param biasReg          λ on item biases, &ge; 0 (default 0.002)
 * @param itemBias         whether items get a learned bias (default true)
 * @param sampling         negative sampling (default UNIFORM)
 * @param samplesPerEpoch  triples per epoch, 0 = as many as training interactions (default 0)
 * @param schedule         learning-rate schedule (default CONSTANT)
 * @param decay            schedule parameter (default 1)
 * @param initStd          standard deviation of the Gaussian initialization, &ge; 0 (default 0.1)
 * @param divergenceFactor training fails as diverged when an epoch's sampled loss exceeds this
 *                         factor times max(smallest loss so far, ln 2), &gt; 1 (default 1.5); ln 2 is
 *                         an untrained model's loss, below which sampling noise is not divergence
 * @param weighting        how counts weigh the draw of positives: none (default) draws every
 *                         training interaction equally often, log and bm25 in proportion to its weight
 */
public record BprConfig(int factors, float learningRate, float factorReg, float biasReg, boolean itemBias,
                        NegativeSampling sampling, int samplesPerEpoch, LearningRateSchedule schedule, float decay,
                        float initStd, float divergenceFactor, CountWeighting weighting) {
    /** Validates every field. */
    public BprConfig {
        Check.positive("factors", factors);
        Check.finitePositive("learningRate", learningRate);
        Check.finiteNonNegative("factorReg", factorReg);
        Check.finiteNonNegative("biasReg", biasReg);
        Check.notNull("sampling", sampling);
        Check.nonNegative("samplesPerEpoch", samplesPerEpoch);
        Check.notNull("schedule", schedule);
        schedule.checkDecay(decay);
        Check.finiteNonNegative("initStd", initStd);
        if (!(divergenceFactor > 1f) || !Float.isFinite(divergenceFactor)) {
            throw new IllegalArgumentException("divergenceFactor = " + divergenceFactor + " must be finite and > 1");
        }
        Check.notNull("weighting", weighting);
    }

    /** A configuration without count weighting (positives drawn uniformly). */
    public BprConfig(int factors, float learningRate, float factorReg, float biasReg, boolean itemBias,
                     NegativeSampling sampling, int samplesPerEpoch, LearningRateSchedule schedule, float decay,
                     float initStd, float divergenceFactor) {
        this(factors, learningRate, factorReg, biasReg, itemBias, sampling, samplesPerEpoch, schedule, decay, initStd,
                divergenceFactor, CountWeighting.none());
    }

    /** The documented defaults. */
    public static BprConfig defaults() {
        return new BprConfig(32, 0.2f, 0.05f, 0.05f, true, NegativeSampling.UNIFORM, 0,
                LearningRateSchedule.EXPONENTIAL, 0.95f, 0.1f, 1.5f, CountWeighting.none());
    }

    /** This configuration with {@code factors} changed. */
    public BprConfig withFactors(int factors) {
        return new BprConfig(factors, learningRate, factorReg, biasReg, itemBias, sampling, samplesPerEpoch, schedule,
                decay, initStd, divergenceFactor, weighting);
    }

    /** This configuration with the learning rate changed. */
    public BprConfig withLearningRate(float learningRate) {
        return new BprConfig(factors, learningRate, factorReg, biasReg, itemBias, sampling, samplesPerEpoch, schedule,
                decay, initStd, divergenceFactor, weighting);
    }

    /** This configuration with the negative sampling changed. */
    public BprConfig withSampling(NegativeSampling sampling) {
        return new BprConfig(factors, learningRate, factorReg, biasReg, itemBias, sampling, samplesPerEpoch, schedule,
                decay, initStd, divergenceFactor, weighting);
    }

    /** This configuration with the count weighting of the positives changed. */
    public BprConfig withWeighting(CountWeighting weighting) {
        return new BprConfig(factors, learningRate, factorReg, biasReg, itemBias, sampling, samplesPerEpoch, schedule,
                decay, initStd, divergenceFactor, weighting);
    }
}
