package org.mfkit.data;

/**
 * A train/test division of one set of interactions (same id spaces and maps).
 *
 * @param train the interactions to fit on
 * @param test  the held-out interactions
 */
public record Split(Ratings train, Ratings test) {
}
