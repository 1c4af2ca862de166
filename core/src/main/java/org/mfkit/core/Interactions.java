package org.mfkit.core;

/**
 * A batch of (user, item) pairs, optionally with a float value each (a rating or an
 * interaction strength), resident where the backend computes. Created by
 * {@link Kernels#pairs} or {@link Kernels#interactions}, which validate every id and value
 * once. Ids index rows of the user matrix P and item matrix Q respectively.
 */
public final class Interactions implements AutoCloseable {
    private final IndexArray users;
    private final IndexArray items;
    private final DenseMatrix values;
    private final BlockSchedule schedule;

    Interactions(IndexArray users, IndexArray items, DenseMatrix values) {
        this(users, items, values, null);
    }

    Interactions(IndexArray users, IndexArray items, DenseMatrix values, BlockSchedule schedule) {
        this.users = users;
        this.items = items;
        this.values = values;
        this.schedule = schedule;
    }

    /** User ids, one per pair. */
    public IndexArray users() {
        return users;
    }

    /** Item ids, one per pair. */
    public IndexArray items() {
        return items;
    }

    /** The values as a {@code size × 1} matrix, or {@code null} for plain pairs. */
    public DenseMatrix values() {
        return values;
    }

    /** Number of pairs. */
    public int size() {
        return users.length();
    }

    /** Whether no user and no item occurs twice (the case where parallel SGD must match sequential). */
    public boolean conflictFree() {
        return users.distinct() && items.distinct();
    }

    /**
     * The cells of the {@link BlockGrid} this list was arranged on
     * ({@link Kernels#interactions(int[], int[], float[], BlockGrid)}), or null for a plain list.
     * With a schedule a parallel backend reproduces list order exactly.
     */
    public BlockSchedule schedule() {
        return schedule;
    }

    @Override
    public void close() {
        users.close();
        items.close();
        if (values != null) values.close();
    }
}
