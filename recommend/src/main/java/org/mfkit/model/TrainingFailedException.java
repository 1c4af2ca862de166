package org.mfkit.model;

/**
 * Training stopped because it went wrong: a factor or bias became NaN/Inf, or the SGD/BPR
 * loss grew past the divergence factor. Names the epoch and the side (users or items, or
 * "loss") and keeps the model of the last good epoch, so nothing poisoned is returned.
 */
public final class TrainingFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int epoch;
    private final String side;
    private final transient FactorModel lastGoodModel;

    /**
     * @param message       what happened and what to do about it
     * @param epoch         the 1-based epoch that failed
     * @param side          {@code "users"}, {@code "items"} or {@code "loss"}
     * @param lastGoodModel model after the last good epoch (the initialization when epoch 1 failed)
     * @param cause         underlying exception, or null
     */
    public TrainingFailedException(String message, int epoch, String side, FactorModel lastGoodModel, Throwable cause) {
        super(message, cause);
        this.epoch = epoch;
        this.side = side;
        this.lastGoodModel = lastGoodModel;
    }

    /** The 1-based epoch that failed. */
    public int epoch() { return epoch; }

    /** Which side went bad: {@code "users"}, {@code "items"} or {@code "loss"}. */
    public String side() { return side; }

    /** The model after the last good epoch. */
    public FactorModel lastGoodModel() { return lastGoodModel; }
}
