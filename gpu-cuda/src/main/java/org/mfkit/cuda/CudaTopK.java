package org.mfkit.cuda;

import java.util.Arrays;
import jcuda.Pointer;
import org.mfkit.core.CsrMatrix;
import org.mfkit.core.DenseMatrix;
import org.mfkit.core.IndexArray;

/**
 * Top-K with exclusions. Query rows are processed in chunks and items in tiles of
 * {@link #TILE_ITEMS}: cuBLAS scores a tile, a kernel marks the excluded items of the tile,
 * and one thread per query row offers the tile's items, in ascending id order, to that row's
 * bounded heap (the reference algorithm, so ties and ordering match). The finished rows are
 * downloaded into the caller's host arrays.
 */
final class CudaTopK {
    /** Items scored per sgemm tile. */
    static final int TILE_ITEMS = 8192;

    private CudaTopK() {}

    /** Temporary device bytes per query row of a chunk. */
    static long bytesPerQueryRow(int k, int K, int tileItems) {
        return (long) k * Float.BYTES            // gathered query row
                + 2L * K * (Integer.BYTES + Float.BYTES) // heap and output (items + scores)
                + Integer.BYTES                  // heap size
                + (long) tileItems * (Float.BYTES + 1); // score tile and exclusion mask
    }

    static void topK(CudaDevice device, DenseMatrix p, IndexArray rows, DenseMatrix q, DenseMatrix itemBias,
                     CsrMatrix exclude, int K, int[] outItems, float[] outScores) {
        int n = rows.length();
        if (n == 0 || K == 0) return;
        int k = p.cols();
        int items = q.rows();
        // A row never holds more than `items` results: the device heaps are sized by that, so a
        // huge K costs nothing on the device; the slots past it are padded here on the host.
        int heapK = Math.min(K, items);
        if (heapK < K) {
            padRows(outItems, outScores, 0, n, K, 0);
            if (heapK == 0) return;
            int[] rowItems = new int[heapK];
            float[] rowScores = new float[heapK];
            int[] chunkItems = new int[Math.multiplyExact(Math.min(n, 4096), heapK)];
            float[] chunkScores = new float[chunkItems.length];
            for (int r0 = 0; r0 < n; r0 += 4096) {
                int c = Math.min(4096, n - r0);
                topKCapped(device, p, rows, r0, c, q, itemBias, exclude, heapK, chunkItems, chunkScores);
                for (int r = 0; r < c; r++) {
                    System.arraycopy(chunkItems, r * heapK, outItems, (int) ((long) (r0 + r) * K), heapK);
                    System.arraycopy(chunkScores, r * heapK, outScores, (int) ((long) (r0 + r) * K), heapK);
                }
            }
            return;
        }
        topKCapped(device, p, rows, 0, n, q, itemBias, exclude, K, outItems, outScores);
    }

    /** Fills slots [fromSlot, K) of rows [r0, r0 + count) with the "no item" marker (-1, -∞). */
    private static void padRows(int[] outItems, float[] outScores, int r0, int count, int K, int fromSlot) {
        for (int r = r0; r < r0 + count; r++) {
            int base = (int) ((long) r * K);
            Arrays.fill(outItems, base + fromSlot, base + K, -1);
            Arrays.fill(outScores, base + fromSlot, base + K, Float.NEGATIVE_INFINITY);
        }
    }

    /**
     * Top-K for query rows [rowStart, rowStart + n) with K &le; the number of items, written to
     * out arrays laid out as n rows of K slots.
     */
    private static void topKCapped(CudaDevice device, DenseMatrix p, IndexArray allRows, int rowStart, int n,
                                   DenseMatrix q, DenseMatrix itemBias, CsrMatrix exclude, int K,
                                   int[] outItems, float[] outScores) {
        int k = p.cols();
        int items = q.rows();
        int tile = Math.min(items, TILE_ITEMS);
        long maxRows = Math.min(ChunkPlanner.maxRowsForIntIndexing(Math.max(1, tile)),
                ChunkPlanner.maxRowsForIntIndexing(K));
        int chunk = ChunkPlanner.itemsPerChunk(device.freeBytes(), 0, bytesPerQueryRow(k, K, tile), n, maxRows,
                "top-" + K + " working set (k = " + k + ", " + tile + "-item tiles)");
        try (CudaDevice.Buffer gathered = device.buffer((long) chunk * k * Float.BYTES, "top-K query rows");
             CudaDevice.Buffer heapItems = device.buffer((long) chunk * K * Integer.BYTES, "top-K heap items");
             CudaDevice.Buffer heapScores = device.buffer((long) chunk * K * Float.BYTES, "top-K heap scores");
             CudaDevice.Buffer heapSizes = device.buffer((long) chunk * Integer.BYTES, "top-K heap sizes");
             CudaDevice.Buffer resultItems = device.buffer((long) chunk * K * Integer.BYTES, "top-K result items");
             CudaDevice.Buffer resultScores = device.buffer((long) chunk * K * Float.BYTES, "top-K result scores");
             CudaDevice.Buffer scores = device.buffer((long) chunk * tile * Float.BYTES, "top-K score tile");
             CudaDevice.Buffer mask = device.buffer(exclude == null ? 0 : (long) chunk * tile, "top-K exclusion mask")) {
            int rowBlocksFor = LaunchConfig.BLOCK;
            for (int r0 = 0; r0 < n; r0 += chunk) {
                int c = Math.min(chunk, n - r0);
                int blocks = LaunchConfig.blocks(c, rowBlocksFor);
                device.zero(heapSizes.ptr(), (long) c * Integer.BYTES);
                if (k > 0) CudaDots.gather(device, p, allRows, rowStart + r0, c, gathered);
                for (int i0 = 0; i0 < items; i0 += tile) {
                    int width = Math.min(tile, items - i0);
                    if (k > 0) CudaDots.scoreTile(device, q, i0, width, k, gathered, c, scores.ptr(), width);
                    else device.zero(scores.ptr(), (long) c * width * Float.BYTES);
                    if (exclude != null) {
                        device.zero(mask.ptr(), (long) c * width);
                        device.launch("topk_mark_excluded", blocks, rowBlocksFor, CudaIndexArray.of(exclude.rowPtr()),
                                CudaIndexArray.of(exclude.colIdx()), rowStart + r0, c, i0, width, mask.ptr());
                    }
                    device.launch("topk_scan_tile", blocks, rowBlocksFor, scores.ptr(),
                            exclude == null ? CudaDevice.NULL : mask.ptr(), CudaMatrix.of(itemBias), c, i0, width, K,
                            heapItems.ptr(), heapScores.ptr(), heapSizes.ptr());
                }
                device.launch("topk_finish", blocks, rowBlocksFor, heapItems.ptr(), heapScores.ptr(), heapSizes.ptr(),
                        c, K, resultItems.ptr(), resultScores.ptr());
                long offset = (long) r0 * K;
                long bytes = (long) c * K * Integer.BYTES;
                device.download(Pointer.to(outItems).withByteOffset(offset * Integer.BYTES), resultItems.ptr(), bytes);
                device.download(Pointer.to(outScores).withByteOffset(offset * Float.BYTES), resultScores.ptr(), bytes);
            }
        }
    }
}
