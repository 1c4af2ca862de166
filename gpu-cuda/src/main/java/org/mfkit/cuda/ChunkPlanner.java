package org.mfkit.cuda;

/**
 * Pure chunk arithmetic: how many rows (ratings, systems, query rows) of a kernel can be
 * processed per launch so that the temporary device memory of one chunk fits in what the
 * device reports free. A call never needs more than {@code fixedBytes + chunk * bytesPerItem}
 * of temporary memory. Kept free of JCuda so it is unit-tested on machines without a GPU.
 */
final class ChunkPlanner {
    /**
     * Fraction of the free memory a chunk may use; the rest is headroom for cuBLAS workspaces
     * and the driver, which allocate behind our back.
     */
    static final double USABLE_FRACTION = 0.8;

    private ChunkPlanner() {}

    /**
     * Items per chunk, at least 1 when {@code totalItems > 0}.
     *
     * @param freeBytes    bytes the device reports free
     * @param fixedBytes   temporary bytes needed once per call, whatever the chunk size
     * @param bytesPerItem temporary bytes needed per item of a chunk (&gt; 0)
     * @param totalItems   items to process (&ge; 0)
     * @param maxItems     upper bound from index arithmetic (e.g. elements below 2³¹)
     * @param what         what the memory is for, for the error message
     * @throws DeviceMemoryException when not even one item fits
     */
    static int itemsPerChunk(long freeBytes, long fixedBytes, long bytesPerItem, int totalItems, long maxItems,
                             String what) {
        if (bytesPerItem <= 0) throw new IllegalArgumentException("bytesPerItem = " + bytesPerItem + " must be > 0");
        if (totalItems < 0) throw new IllegalArgumentException("totalItems = " + totalItems + " must be >= 0");
        if (totalItems == 0) return 0;
        long usable = (long) (Math.max(0L, freeBytes) * USABLE_FRACTION) - fixedBytes;
        long fit = usable <= 0 ? 0 : usable / bytesPerItem;
        long chunk = Math.min(Math.min(fit, totalItems), Math.max(1L, maxItems));
        if (chunk < 1) throw new DeviceMemoryException(what, fixedBytes + bytesPerItem, freeBytes);
        return (int) chunk;
    }

    /** Number of chunks of {@code chunk} items covering {@code totalItems}. */
    static int chunkCount(int totalItems, int chunk) {
        if (totalItems == 0) return 0;
        if (chunk <= 0) throw new IllegalArgumentException("chunk = " + chunk + " must be > 0");
        return (int) (((long) totalItems + chunk - 1) / chunk);
    }

    /** Largest number of rows of width {@code cols} whose elements stay below 2³¹ − 9 (DenseMatrix's bound). */
    static long maxRowsForIntIndexing(long cols) {
        return cols <= 0 ? Integer.MAX_VALUE : (Integer.MAX_VALUE - 8L) / cols;
    }
}
