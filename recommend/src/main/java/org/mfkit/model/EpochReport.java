package org.mfkit.model;

/**
 * What one training epoch (SGD/BPR pass, or ALS sweep over both sides) produced.
 *
 * @param epoch           1-based epoch number
 * @param loss            the model's training loss for the epoch (defined per model in docs/MODELS.md)
 * @param validation      the validation metric after the epoch, or NaN without a validation set
 * @param metricName      name of the validation metric ({@code "rmse"} or {@code "recall@K"}), or null
 * @param elapsedNanos    wall time of the epoch, validation excluded
 */
public record EpochReport(int epoch, double loss, double validation, String metricName, long elapsedNanos) {
    /** Elapsed time in milliseconds. */
    public double elapsedMillis() {
        return elapsedNanos / 1e6;
    }
}
