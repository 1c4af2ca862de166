package org.mfkit.core;

/**
 * An immutable array of non-negative int ids owned by a backend (host or device memory).
 * Created only through {@link Kernels#indices}, which validates the values once and keeps
 * a summary (largest value and where it is, whether all values are distinct) so every later
 * kernel call can check its ids against matrix sizes in O(1).
 */
public abstract class IndexArray implements AutoCloseable {
    private final int length;
    private final int max;
    private final int maxPosition;
    private final boolean distinct;
    private boolean closed;

    /**
     * @param length      number of ids
     * @param max         largest id, or -1 when empty
     * @param maxPosition position of the first occurrence of {@code max}, or -1 when empty
     * @param distinct    whether no id occurs twice
     */
    protected IndexArray(int length, int max, int maxPosition, boolean distinct) {
        this.length = length;
        this.max = max;
        this.maxPosition = maxPosition;
        this.distinct = distinct;
    }

    /** Number of ids. */
    public final int length() {
        return length;
    }

    /** Largest id, -1 when empty. */
    public final int max() {
        return max;
    }

    /** Position of the largest id, -1 when empty. */
    public final int maxPosition() {
        return maxPosition;
    }

    /** Whether every id occurs once. */
    public final boolean distinct() {
        return distinct;
    }

    /** Where the ids live, e.g. {@code "heap"} or {@code "cuda:0"}. */
    public abstract String memorySpace();

    /** A host copy of the ids. */
    public abstract int[] toArray();

    /** Frees the storage; idempotent. */
    @Override
    public final void close() {
        if (!closed) {
            closed = true;
            release();
        }
    }

    /** Whether {@link #close()} was called. */
    public final boolean isClosed() {
        return closed;
    }

    /** Releases backend storage; called once. */
    protected abstract void release();

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + length + " ids, max " + max + ", " + memorySpace() + "]";
    }
}
