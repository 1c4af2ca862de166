package org.mfkit.core.spi;

import org.mfkit.core.IndexArray;

/** An {@link IndexArray} stored in a Java {@code int[]}; shared by the CPU backends. */
public final class HeapIndexArray extends IndexArray {
    /** The ids; never modified after construction. */
    public final int[] data;

    /** Wraps a private copy of already-validated ids. */
    public HeapIndexArray(int[] ids, int max, int maxPosition, boolean distinct) {
        super(ids.length, max, maxPosition, distinct);
        this.data = ids.clone();
    }

    @Override
    public String memorySpace() {
        return HeapMatrix.HEAP;
    }

    @Override
    public int[] toArray() {
        return data.clone();
    }

    @Override
    protected void release() {
        // Nothing to free on the heap.
    }

    /** The heap storage of {@code ids}, which the caller has checked lives on the heap. */
    public static int[] of(IndexArray ids) {
        return ((HeapIndexArray) ids).data;
    }
}
