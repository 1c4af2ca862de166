package org.mfkit.model;

/**
 * When the training loop calls a run diverged, and what it advises then.
 *
 * @param factor    an epoch whose loss exceeds {@code factor} × max(smallest loss so far,
 *                  {@code lossFloor}) diverged; infinite for {@link #never()}
 * @param lossFloor the reference loss never goes below this, so a sampled loss that is already
 *                  small may fluctuate (BPR: ln 2, the loss of an untrained model)
 * @param hint      advice appended to divergence and non-finite errors ("" for none)
 */
record Divergence(float factor, double lossFloor, String hint) {
    /** No growth check (the ALS trainers, whose loss does not grow); non-finite values are still caught. */
    static Divergence never() {
        return new Divergence(Float.POSITIVE_INFINITY, 0, "");
    }

    /** Fails once the loss grows past {@code factor} × the smallest so far, with {@code hint} as advice. */
    static Divergence growthAbove(float factor, String hint) {
        return new Divergence(factor, 0, hint);
    }

    /** This check with the reference loss floored at {@code lossFloor}. */
    Divergence withLossFloor(double lossFloor) {
        return new Divergence(factor, lossFloor, hint);
    }

    /** Whether {@code loss} diverged, {@code minLoss} being the smallest loss of the epochs before. */
    boolean diverged(double loss, double minLoss) {
        return factor != Float.POSITIVE_INFINITY && loss > factor * reference(minLoss);
    }

    /** The loss a new one is compared with. */
    double reference(double minLoss) {
        return Math.max(minLoss, lossFloor);
    }
}
