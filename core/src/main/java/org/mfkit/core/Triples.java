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
    private final BlockSchedule schedule;

    Triples(IndexArray users, IndexArray positives, IndexArray negatives, boolean conflictFree,
            BlockSchedule schedule) {
        this.users = users;
        this.positives = positives;
        this.negatives = negatives;
        this.conflictFree = conflictFree;
        this.schedule = schedule;
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

    /**
     * The cells of the {@link BlockGrid} these triples were arranged on
     * ({@link Kernels#triples(int[], int[], int[], BlockGrid)}: the negative of every triple lies
     * in its positive's item block), or null for plain triples. With a schedule a parallel backend
     * reproduces list order exactly.
     */
    public BlockSchedule schedule() {
        return schedule;
    }

    @Override
    public void close() {
        users.close();
        positives.close();
        negatives.close();
    }
}
