package org.mfkit.model;

import java.util.List;

/**
 * What a trainer returns.
 *
 * @param model         the trained model: the best epoch's when early stopping was on, else the last
 * @param history       one report per epoch run, in order
 * @param bestEpoch     the epoch the model comes from (1-based)
 * @param stoppedEarly  whether early stopping ended training before the epoch limit
 */
public record TrainingResult(FactorModel model, List<EpochReport> history, int bestEpoch, boolean stoppedEarly) {
    /** Copies the history into an unmodifiable list. */
    public TrainingResult {
        history = List.copyOf(history);
    }
}
