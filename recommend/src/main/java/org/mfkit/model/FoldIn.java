package org.mfkit.model;

/**
 * A user represented from their interactions without retraining.
 *
 * @param factors the user's factor row (k values)
 * @param bias    the user's bias (0 for models without user biases)
 */
public record FoldIn(float[] factors, float bias) {
    /** Copies the factors. */
    public FoldIn {
        factors = factors.clone();
    }

    /** A copy of the factor row. */
    @Override
    public float[] factors() {
        return factors.clone();
    }
}
