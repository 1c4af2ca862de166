package org.mfkit.eval;

/**
 * Accuracy of predicted ratings on a test set.
 *
 * @param rmse  root mean squared error
 * @param mae   mean absolute error
 * @param count number of test ratings
 */
public record RatingMetrics(double rmse, double mae, int count) {
}
