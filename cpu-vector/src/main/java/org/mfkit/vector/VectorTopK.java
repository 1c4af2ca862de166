package org.mfkit.vector;

import java.util.Arrays;

/**
 * Top-K with exclusions. Query rows are split statically across workers; each worker takes
 * its rows in groups of up to {@value #GROUP}, scores a group against chunks of
 * {@value #CHUNK} items with the register-blocked kernel of {@link VectorScoreBlock} (one
 * packed Q tile serves the whole group), then feeds each row's chunk, in item order, to its
 * bounded min-heap (root = worst kept; "better" = higher score, or equal score and lower item
 * id), exactly the selection rule of the scalar reference. Scores are the same FMA chains as
 * the score block, plus the item bias.
 */
final class VectorTopK {
    /** Query rows scored together: one bit each in the exclusion masks. */
    static final int GROUP = 32;
    /** Items per scored chunk: GROUP × CHUNK floats (256 KiB) stay in L2. */
    static final int CHUNK = 2048;
    /** Cap on heap slots per worker (GROUP × min(K, items)); a huge K shrinks the group. */
    private static final int HEAP_SLOTS = 1 << 20;

    private VectorTopK() {}

    static void topK(VectorPool pool, float[] p, int[] rows, float[] q, int nItems, int k, float[] itemBias,
                     int[] exRowPtr, int[] exCols, int kBest, int[] outItems, float[] outScores) {
        int[] pOff = VectorScoreBlock.rowOffsets(rows, k);
        pool.run(rows.length, (w, from, to) -> {
            if (from == to) return;
            // At most nItems candidates per row: sizing by K alone could exhaust memory for a huge K.
            int capacity = Math.min(kBest, nItems);
            int group = Math.min(Math.min(GROUP, to - from), Math.max(1, HEAP_SLOTS / Math.max(1, capacity)));
            int chunk = Math.min(CHUNK, nItems);
            // Bit g of excluded[i]: item i is excluded for row g of the current group.
            int[] excluded = exRowPtr == null ? null : new int[nItems];
            float[] block = new float[group * chunk];
            int[] heapItems = new int[group * capacity];
            float[] heapScores = new float[group * capacity];
            int[] sizes = new int[group];
            VectorScoreBlock.Scratch scratch = new VectorScoreBlock.Scratch(k);
            for (int g0 = from; g0 < to; g0 += group) {
                int g1 = Math.min(to, g0 + group);
                if (excluded != null) {
                    for (int r = g0; r < g1; r++) {
                        int bit = 1 << (r - g0);
                        for (int e = exRowPtr[r]; e < exRowPtr[r + 1]; e++) excluded[exCols[e]] |= bit;
                    }
                }
                Arrays.fill(sizes, 0);
                for (int c0 = 0; c0 < nItems; c0 += chunk) {
                    int c1 = Math.min(nItems, c0 + chunk);
                    for (int i0 = c0; i0 < c1; i0 += VectorScoreBlock.TILE) {
                        int n = Math.min(VectorScoreBlock.TILE, c1 - i0);
                        VectorScoreBlock.pack(q, k, i0, n, scratch.packed);
                        VectorScoreBlock.block(p, pOff, g0, g1, k, scratch, n, block, i0 - c0, chunk);
                    }
                    for (int g = 0; g < g1 - g0; g++) {
                        sizes[g] = offer(block, g * chunk - c0, c0, c1, itemBias, excluded, 1 << g, kBest,
                                heapItems, heapScores, g * capacity, sizes[g]);
                    }
                }
                for (int r = g0; r < g1; r++) {
                    int g = r - g0;
                    drain(heapItems, heapScores, g * capacity, sizes[g], outItems, outScores, r * kBest, kBest);
                }
                if (excluded != null) {
                    for (int r = g0; r < g1; r++) {
                        for (int e = exRowPtr[r]; e < exRowPtr[r + 1]; e++) excluded[exCols[e]] = 0;
                    }
                }
            }
        });
    }

    /**
     * Offers items [c0, c1) with scores block[shift + i] (+ itemBias[i]) to the heap at
     * {@code base}, skipping items whose {@code excluded} mask has {@code bit}; returns the new
     * heap size.
     */
    private static int offer(float[] block, int shift, int c0, int c1, float[] itemBias, int[] excluded, int bit,
                             int kBest, int[] heapItems, float[] heapScores, int base, int size) {
        for (int i = c0; i < c1; i++) {
            if (excluded != null && (excluded[i] & bit) != 0) continue;
            float s = block[shift + i];
            if (itemBias != null) s += itemBias[i];
            if (size < kBest) {
                heapItems[base + size] = i;
                heapScores[base + size] = s;
                siftUp(heapItems, heapScores, base, size);
                size++;
            } else if (better(s, i, heapScores[base], heapItems[base])) {
                heapItems[base] = i;
                heapScores[base] = s;
                siftDown(heapItems, heapScores, base, size);
            }
        }
        return size;
    }

    /** Writes the heap at {@code base} best-first into slots [out, out + kBest), padding with −1/−∞. */
    private static void drain(int[] heapItems, float[] heapScores, int base, int size, int[] outItems,
                              float[] outScores, int out, int kBest) {
        for (int slot = kBest - 1; slot >= size; slot--) {
            outItems[out + slot] = -1;
            outScores[out + slot] = Float.NEGATIVE_INFINITY;
        }
        // Pop worst-first into the tail so the row ends up best-first.
        for (int slot = size - 1; slot >= 0; slot--) {
            outItems[out + slot] = heapItems[base];
            outScores[out + slot] = heapScores[base];
            heapItems[base] = heapItems[base + slot];
            heapScores[base] = heapScores[base + slot];
            siftDown(heapItems, heapScores, base, slot);
        }
    }

    private static boolean better(float s, int i, float t, int j) {
        return s > t || (s == t && i < j);
    }

    private static void siftUp(int[] items, float[] scores, int base, int at) {
        while (at > 0) {
            int parent = (at - 1) >>> 1;
            if (!better(scores[base + parent], items[base + parent], scores[base + at], items[base + at])) return;
            swap(items, scores, base + parent, base + at);
            at = parent;
        }
    }

    private static void siftDown(int[] items, float[] scores, int base, int size) {
        int at = 0;
        while (true) {
            int left = 2 * at + 1;
            if (left >= size) return;
            int worst = left;
            int right = left + 1;
            if (right < size && better(scores[base + worst], items[base + worst], scores[base + right],
                    items[base + right])) {
                worst = right;
            }
            if (!better(scores[base + at], items[base + at], scores[base + worst], items[base + worst])) return;
            swap(items, scores, base + at, base + worst);
            at = worst;
        }
    }

    private static void swap(int[] items, float[] scores, int a, int b) {
        int ti = items[a];
        items[a] = items[b];
        items[b] = ti;
        float ts = scores[a];
        scores[a] = scores[b];
        scores[b] = ts;
    }
}
