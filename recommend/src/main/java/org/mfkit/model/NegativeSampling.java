package org.mfkit.model;

/** How BPR draws the negative item j of a triple (u, i, j). */
public enum NegativeSampling {
    /** Every item equally likely. */
    UNIFORM,
    /** Items drawn in proportion to their number of training interactions (popular items are harder negatives). */
    POPULARITY
}
