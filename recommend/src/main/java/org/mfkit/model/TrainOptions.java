package org.mfkit.model;

import org.mfkit.core.Check;
import org.mfkit.data.Ratings;

/**
 * Settings shared by every trainer: how long, which seed, what to validate on, when to stop
 * early, whom to tell after each epoch, and the declared rating range. Immutable; start from
 * {@link #defaults()} and change fields with the {@code with…} methods.
 *
 * <p>Early stopping: with a validation set and {@code patience > 0}, training stops once the
 * validation metric (RMSE for explicit models, Recall@{@code validationK} for implicit ones)
 * has not improved for {@code patience} epochs in a row, and the model of the best epoch is
 * returned. Without patience the last epoch's model is returned.
 */
public final class TrainOptions {
    private final int epochs;
    private final long seed;
    private final Ratings validation;
    private final int patience;
    private final int validationK;
    private final EpochListener listener;
    private final float minRating;
    private final float maxRating;

    private TrainOptions(int epochs, long seed, Ratings validation, int patience, int validationK,
                         EpochListener listener, float minRating, float maxRating) {
        this.epochs = Check.positive("epochs", epochs);
        this.seed = seed;
        this.validation = validation;
        this.patience = Check.nonNegative("patience", patience);
        this.validationK = Check.positive("validationK", validationK);
        this.listener = listener;
        this.minRating = minRating;
        this.maxRating = maxRating;
    }

    /** 20 epochs, seed 42, no validation, no early stopping, Recall@10, no listener, no declared range. */
    public static TrainOptions defaults() {
        return new TrainOptions(20, 42L, null, 0, 10, null, Float.NaN, Float.NaN);
    }

    /** Maximum number of epochs (ALS: sweeps over both sides). */
    public int epochs() { return epochs; }

    /** Seed of every random choice (initialization, shuffling, negative sampling). */
    public long seed() { return seed; }

    /** Validation interactions in the training id space, or null. */
    public Ratings validation() { return validation; }

    /** Epochs without improvement before stopping; 0 disables early stopping. */
    public int patience() { return patience; }

    /** K of the Recall@K validation metric of implicit models. */
    public int validationK() { return validationK; }

    /** The per-epoch listener, or null. */
    public EpochListener listener() { return listener; }

    /** Whether a rating range was declared. */
    public boolean hasRatingRange() { return !Float.isNaN(minRating); }

    /** Smallest allowed rating (NaN when none declared). */
    public float minRating() { return minRating; }

    /** Largest allowed rating (NaN when none declared). */
    public float maxRating() { return maxRating; }

    /** With {@code epochs} changed (&ge; 1). */
    public TrainOptions withEpochs(int epochs) {
        return new TrainOptions(epochs, seed, validation, patience, validationK, listener, minRating, maxRating);
    }

    /** With the seed changed. */
    public TrainOptions withSeed(long seed) {
        return new TrainOptions(epochs, seed, validation, patience, validationK, listener, minRating, maxRating);
    }

    /** With a validation set (null removes it). */
    public TrainOptions withValidation(Ratings validation) {
        return new TrainOptions(epochs, seed, validation, patience, validationK, listener, minRating, maxRating);
    }

    /** With early stopping after {@code patience} epochs without improvement (0 disables it). */
    public TrainOptions withEarlyStopping(int patience) {
        return new TrainOptions(epochs, seed, validation, patience, validationK, listener, minRating, maxRating);
    }

    /** With K of the implicit models' Recall@K validation metric. */
    public TrainOptions withValidationK(int validationK) {
        return new TrainOptions(epochs, seed, validation, patience, validationK, listener, minRating, maxRating);
    }

    /** With a per-epoch listener (null removes it). */
    public TrainOptions withListener(EpochListener listener) {
        return new TrainOptions(epochs, seed, validation, patience, validationK, listener, minRating, maxRating);
    }

    /**
     * Declares the rating range of explicit data: a training rating outside
     * {@code [min, max]} is rejected (IllegalArgumentException naming its position and value),
     * and clipped predictions use this range instead of the observed one.
     */
    public TrainOptions withRatingRange(float min, float max) {
        Check.finite("min", min);
        Check.finite("max", max);
        if (!(min < max)) throw new IllegalArgumentException("rating range [" + min + ", " + max + "] is empty: min must be < max");
        return new TrainOptions(epochs, seed, validation, patience, validationK, listener, min, max);
    }
}
