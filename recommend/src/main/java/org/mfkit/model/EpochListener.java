package org.mfkit.model;

/** Called after every training epoch, on the training thread; keep it cheap. */
@FunctionalInterface
public interface EpochListener {
    /** Receives the report of the epoch that just finished. */
    void onEpoch(EpochReport report);
}
