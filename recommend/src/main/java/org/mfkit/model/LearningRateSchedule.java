package org.mfkit.model;

/**
 * How the SGD/BPR learning rate changes across epochs; {@code t} is the 0-based epoch and
 * {@code decay} the schedule's parameter.
 */
public enum LearningRateSchedule {
    /** η_t = η. */
    CONSTANT,
    /** η_t = η · decay^t (decay in (0, 1]). */
    EXPONENTIAL,
    /** η_t = η / (1 + decay · t) (decay &ge; 0). */
    INVERSE_TIME;

    /** The learning rate of epoch {@code t} (0-based). */
    public float rate(float base, float decay, int t) {
        switch (this) {
            case CONSTANT:
                return base;
            case EXPONENTIAL:
                return (float) (base * Math.pow(decay, t));
            case INVERSE_TIME:
                return (float) (base / (1.0 + decay * t));
            default:
                throw new AssertionError(this);
        }
    }

    /** Validates {@code decay} for this schedule; the message names the argument. */
    void checkDecay(float decay) {
        if (!Float.isFinite(decay)) throw new IllegalArgumentException("decay = " + decay + " must be finite");
        if (this == EXPONENTIAL && !(decay > 0f && decay <= 1f)) {
            throw new IllegalArgumentException("decay = " + decay + " must be in (0, 1] for EXPONENTIAL");
        }
        if (this == INVERSE_TIME && decay < 0f) {
            throw new IllegalArgumentException("decay = " + decay + " must be >= 0 for INVERSE_TIME");
        }
    }
}
