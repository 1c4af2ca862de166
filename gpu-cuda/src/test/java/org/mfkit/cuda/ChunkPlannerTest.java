package org.mfkit.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ChunkPlannerTest {
    private static final long MIB = 1L << 20;

    @Test
    void everythingFitsInOneChunkWhenMemoryIsPlenty() {
        assertEquals(1000, ChunkPlanner.itemsPerChunk(1024 * MIB, 0, 64 * 64 * 4, 1000, Integer.MAX_VALUE, "x"));
    }

    @Test
    void chunkUsesOnlyTheUsableFractionMinusFixedBytes() {
        // 100 MiB free, 80 MiB usable, 16 MiB fixed, 1 MiB per item -> 64 items.
        assertEquals(64, ChunkPlanner.itemsPerChunk(100 * MIB, 16 * MIB, MIB, 1000, Integer.MAX_VALUE, "x"));
    }

    @Test
    void chunkNeverExceedsTheIndexingBound() {
        assertEquals(7, ChunkPlanner.itemsPerChunk(1024 * MIB, 0, 4, 1000, 7, "x"));
    }

    @Test
    void chunkedCallNeverAsksForMoreThanFree() {
        long free = 123_456_789L;
        for (long perItem : new long[] {4, 4096, 65_536 + 12, 1_000_003}) {
            for (long fixed : new long[] {0, 1000, 10_000_000}) {
                int chunk = ChunkPlanner.itemsPerChunk(free, fixed, perItem, 1_000_000, Integer.MAX_VALUE, "x");
                assertTrue(chunk >= 1);
                assertTrue(fixed + chunk * perItem <= free, "fixed " + fixed + " per item " + perItem + " chunk " + chunk);
            }
        }
    }

    @Test
    void notEvenOneItemFittingNamesAskedAndFreeBytes() {
        DeviceMemoryException e = assertThrows(DeviceMemoryException.class,
                () -> ChunkPlanner.itemsPerChunk(10 * MIB, 9 * MIB, 64 * MIB, 5, Integer.MAX_VALUE, "Cholesky factors (k = 4096)"));
        assertEquals(73 * MIB, e.requestedBytes());
        assertEquals(10 * MIB, e.freeBytes());
        assertTrue(e.getMessage().contains("Cholesky factors (k = 4096)"), e.getMessage());
        assertTrue(e.getMessage().contains(Long.toString(73 * MIB)) && e.getMessage().contains(Long.toString(10 * MIB)),
                e.getMessage());
    }

    @Test
    void emptyWorkNeedsNoChunkAndNoMemory() {
        assertEquals(0, ChunkPlanner.itemsPerChunk(0, 0, 4, 0, Integer.MAX_VALUE, "x"));
        assertEquals(0, ChunkPlanner.chunkCount(0, 5));
    }

    @Test
    void chunkCountCoversAllItems() {
        assertEquals(1, ChunkPlanner.chunkCount(5, 5));
        assertEquals(2, ChunkPlanner.chunkCount(6, 5));
        assertEquals(Integer.MAX_VALUE, ChunkPlanner.chunkCount(Integer.MAX_VALUE, 1));
    }

    @Test
    void badArgumentsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ChunkPlanner.itemsPerChunk(MIB, 0, 0, 1, 1, "x"));
        assertTrue(e.getMessage().contains("bytesPerItem = 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ChunkPlanner.chunkCount(3, 0));
    }

    @Test
    void intIndexingBoundKeepsElementsBelowTheMatrixLimit() {
        long rows = ChunkPlanner.maxRowsForIntIndexing(64L * 64);
        assertTrue(rows * 64 * 64 <= Integer.MAX_VALUE - 8L);
        assertTrue((rows + 1) * 64 * 64 > Integer.MAX_VALUE - 8L);
        assertEquals(Integer.MAX_VALUE, ChunkPlanner.maxRowsForIntIndexing(0));
    }

    @Test
    void kernelWorkingSetsGrowWithTheirParameters() {
        assertEquals(64L * 64 * 4 + 64 * 4 + 3 * 64 * 4 + 8, CudaAls.bytesPerRow(64));
        assertEquals(64 * 4 + 2L * 10 * 8 + 4 + 8192L * 5, CudaTopK.bytesPerQueryRow(64, 10, 8192));
        // 1000 errors, 2 × 1000 order ids, (10 + 20 + 1) × 2 group ids and pointers, 30 gradient rows of k = 8.
        assertEquals(4000 + 8000 + 248 + 30 * 8 * 4, CudaSgd.miniBatchBytes(1000, 10, 20, 8));
    }
}
