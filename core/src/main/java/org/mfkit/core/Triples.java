package org.mfkit.core;

/**
 * A batch of BPR training triples (user u, positive item i, negative item j), resident where
 * the backend computes. Created by {@link Kernels#triples}, which validates ids once and
 * rejects {@code i == j}.
 */
public final class Triples implements AutoCloseable {
    private final IndexArray users;
    private final IndexArray positives;
    private final IndexArray negatives;
    private final boolean conflictFree;

    Triples(IndexArray users, IndexArray positives, IndexArray negatives, boolean conflictFree) {
        this.users = users;
        this.positives = positives;
        this.negatives = negatives;
        this.conflictFree = conflictFree;
    }

    /** User ids. */
    public IndexArray users() {
        return users;
    }

    /** Positive item ids. */
    public IndexArray positives() {
        return positives;
    }

    /** Negative item ids. */
    public IndexArray negatives() {
        return negatives;
    }

    /** Number of triples. */
    public int size() {
        return users.length();
    }

    /** Whether no user occurs twice and no item occurs twice across positives and negatives together. */
    public boolean conflictFree() {
        return conflictFree;
    }

    @Override
    public void close() {
        users.close();
        positives.close();
        negatives.close();
    }
}
