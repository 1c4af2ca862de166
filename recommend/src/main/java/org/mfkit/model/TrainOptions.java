package org.mfkit.model;

import org.mfkit.core.Check;
import org.mfkit.data.Ratings;

/**
 * Settings shared by every trainer: how long, which seed, what to validate on, when to stop
 * early, whom to tell after each epoch, and the declared rating range. Immutable; start from
 * {@link #defaults()} and change fields with the {@code with…} methods. How long is open by
 * default: each model type trains for the epochs its defaults were tuned for
 * ({@link ModelType#defaultEpochs()}) unless {@link #withEpochs} says otherwise.
 *
 * <p>Early stopping: with a validation set and {@code patience > 0}, training stops once the
 * validation metric (RMSE for explicit models, Recall@{@code validationK} for implicit ones)
 * has not improved for {@code patience} epochs in a row, and the model of the best epoch is
 * returned. Without patience the last epoch's model is returned.
 *
 * <p>The training loss: SGD gets it from its kernel at no cost and reports it every epoch. The
 * ALS models need an extra pass over the data for it (a dot product per rating), and BPR a
 * logarithm per triple (about as much as the rest of its update), so they compute it only
 * after the last planned epoch and, with {@link #withLossEvery}(n), after every n-th epoch;
 * the other epochs report NaN (not computed).
 */
public final class TrainOptions {
    /** Epochs of a model type that does not name its own ({@link ModelType#defaultEpochs()}). */
    public static final int DEFAULT_EPOCHS = 20;

    private final int epochs;
    private final long seed;
    private final Ratings validation;
    private final int patience;
    private final int validationK;
    private final EpochListener listener;
    private final float minRating;
    private final float maxRating;
    private final int lossEvery;

    private TrainOptions(int epochs, long seed, Ratings validation, int patience, int validationK,
                         EpochListener listener, float minRating, float maxRating, int lossEvery) {
        this.epochs = Check.nonNegative("epochs", epochs);
        this.seed = seed;
        this.validation = validation;
        this.patience = Check.nonNegative("patience", patience);
        this.validationK = Check.positive("validationK", validationK);
        this.listener = listener;
        this.minRating = minRating;
        this.maxRating = maxRating;
        this.lossEvery = Check.nonNegative("lossEvery", lossEvery);
    }

    /**
     * The model type's default epochs, seed 42, no validation, no early stopping, Recall@10, no
     * listener, no declared range, the ALS loss only after the last epoch.
     */
    public static TrainOptions defaults() {
        return new TrainOptions(0, 42L, null, 0, 10, null, Float.NaN, Float.NaN, 0);
    }

    /** Maximum number of epochs (ALS: sweeps over both sides), or 0 for the model type's default. */
    public int epochs() { return epochs; }

    /**
     * The patience the command line stops training with when it has a validation split: a third
     * of the epochs, at least 10 — enough to ride out the epoch-to-epoch noise of a small
     * validation set, and for BPR the flat first epochs before it learns more than popularity.
     */
    public static int defaultPatience(int epochs) {
        return Math.max(10, Check.positive("epochs", epochs) / 3);
    }

    /** The epochs a model of {@code type} trains for: {@link #epochs()}, or the type's default when that is 0. */
    public int epochsFor(ModelType<?> type) {
        return epochs > 0 ? epochs : Check.notNull("type", type).defaultEpochs();
    }

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

    /** Every how many epochs the ALS models and BPR compute their loss (0: only after the last epoch). */
    public int lossEvery() { return lossEvery; }

    /**
     * Whether a trainer whose loss costs extra work computes it after {@code epoch} (1-based)
     * of a run of {@code lastEpoch} epochs: after the last, and after every {@link #lossEvery()}-th.
     */
    public boolean lossWanted(int epoch, int lastEpoch) {
        return epoch == lastEpoch || (lossEvery > 0 && epoch % lossEvery == 0);
    }

    /** With {@code epochs} changed (&ge; 1). */
    public TrainOptions withEpochs(int epochs) {
        Check.positive("epochs", epochs);
        return new TrainOptions(epochs, seed, validation, patience, validationK, listener, minRating, maxRating, lossEvery);
    }

    /** With the seed changed. */
    public TrainOptions withSeed(long seed) {
        return new TrainOptions(epochs, seed, validation, patience, validationK, listener, minRating, maxRating, lossEvery);
    }

    /** With a validation set (null removes it). */
    public TrainOptions withValidation(Ratings validation) {
        return new TrainOptions(epochs, seed, validation, patience, validationK, listener, minRating, maxRating, lossEvery);
    }

    /** With early stopping after {@code patience} epochs without improvement (0 disables it). */
    public TrainOptions withEarlyStopping(int patience) {
        return new TrainOptions(epochs, seed, validation, patience, validationK, listener, minRating, maxRating, lossEvery);
    }

    /** With K of the implicit models' Recall@K validation metric. */
    public TrainOptions withValidationK(int validationK) {
        return new TrainOptions(epochs, seed, validation, patience, validationK, listener, minRating, maxRating, lossEvery);
    }

    /** With a per-epoch listener (null removes it). */
    public TrainOptions withListener(EpochListener listener) {
        return new TrainOptions(epochs, seed, validation, patience, validationK, listener, minRating, maxRating, lossEvery);
    }

    /**
     * With the ALS and BPR loss computed after every {@code n}-th epoch as well as the last
     * (n &ge; 1), or only after the last (n = 0). For ALS the loss is an extra pass over the
     * ratings, for BPR a logarithm per triple; SGD reports its loss every epoch regardless.
     */
    public TrainOptions withLossEvery(int n) {
        return new TrainOptions(epochs, seed, validation, patience, validationK, listener, minRating, maxRating, n);
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
        return new TrainOptions(epochs, seed, validation, patience, validationK, listener, min, max, lossEvery);
    }
}
