package org.mfkit.model;

import org.mfkit.core.Check;

/**
 * Hyper-parameters of biased matrix factorization trained by SGD: prediction
 * μ + b_u + b_i + p_u·q_i, loss Σ (r − r̂)² + λ_f(‖p_u‖² + ‖q_i‖²) + λ_b(b_u² + b_i²) per rating.
 * Defaults and their reasons are in docs/MODELS.md.
 *
 * @param factors          k, &ge; 1 (default 32)
 * @param learningRate     η at epoch 0, &gt; 0 (default 0.01)
 * @param factorReg        λ_f, &ge; 0 (default 0.05)
 * @param biasReg          λ_b, &ge; 0 (default 0.01)
 * @param schedule         learning-rate schedule (default EXPONENTIAL)
 * @param decay            schedule parameter (default 0.95)
 * @param initStd          standard deviation of the Gaussian factor initialization, &ge; 0 (default 0.1)
 * @param clipPredictions  whether predictions are clipped to the training rating range (default true)
 * @param divergenceFactor training fails as diverged when an epoch's loss exceeds this factor
 *                         times the smallest loss so far, &gt; 1 (default 1.5)
 */
public record BiasedMfConfig(int factors, float learningRate, float factorReg, float biasReg,
                             LearningRateSchedule schedule, float decay, float initStd,
                             boolean clipPredictions, float divergenceFactor) {
    /** Validates every field. */
    public BiasedMfConfig {
        Check.positive("factors", factors);
        Check.finitePositive("learningRate", learningRate);
        Check.finiteNonNegative("factorReg", factorReg);
        Check.finiteNonNegative("biasReg", biasReg);
        Check.notNull("schedule", schedule);
        schedule.checkDecay(decay);
        Check.finiteNonNegative("initStd", initStd);
        if (!(divergenceFactor > 1f) || !Float.isFinite(divergenceFactor)) {
            throw new IllegalArgumentException("divergenceFactor = " + divergenceFactor + " must be finite and > 1");
        }
    }

    /** The documented defaults. */
    public static BiasedMfConfig defaults() {
        return new BiasedMfConfig(32, 0.02f, 0.1f, 0.01f, LearningRateSchedule.INVERSE_TIME, 0.05f, 0.1f, true, 1.5f);
    }

    /** This configuration with {@code factors} changed. */
    public BiasedMfConfig withFactors(int factors) {
        return new BiasedMfConfig(factors, learningRate, factorReg, biasReg, schedule, decay, initStd, clipPredictions,
                divergenceFactor);
    }

    /** This configuration with the learning rate changed. */
    public BiasedMfConfig withLearningRate(float learningRate) {
        return new BiasedMfConfig(factors, learningRate, factorReg, biasReg, schedule, decay, initStd, clipPredictions,
                divergenceFactor);
    }

    /** This configuration with both regularization weights changed. */
    public BiasedMfConfig withRegularization(float factorReg, float biasReg) {
        return new BiasedMfConfig(factors, learningRate, factorReg, biasReg, schedule, decay, initStd, clipPredictions,
                divergenceFactor);
    }

    /** This configuration with the schedule changed. */
    public BiasedMfConfig withSchedule(LearningRateSchedule schedule, float decay) {
        return new BiasedMfConfig(factors, learningRate, factorReg, biasReg, schedule, decay, initStd, clipPredictions,
                divergenceFactor);
    }
}
