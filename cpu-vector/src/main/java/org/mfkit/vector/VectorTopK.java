package org.mfkit.vector;

/**
 * Top-K with exclusions. Query rows are split statically across workers; each worker scores
 * all items of its row into a scratch buffer with vector dots, then keeps the K best in a
 * bounded min-heap (root = worst kept; "better" = higher score, or equal score and lower
 * item id), exactly the selection rule of the scalar reference.
 */
final class VectorTopK {
    private VectorTopK() {}

    static void topK(VectorPool pool, float[] p, int[] rows, float[] q, int nItems, int k, float[] itemBias,
                     int[] exRowPtr, int[] exCols, int kBest, int[] outItems, float[] outScores) {
        pool.run(rows.length, (w, from, to) -> {
            if (from == to) return;
            boolean[] excluded = new boolean[nItems];
            float[] scores = new float[nItems];
            // At most nItems candidates per row: sizing by K alone could exhaust memory for a huge K.
            int capacity = Math.min(kBest, nItems);
            int[] heapItems = new int[capacity];
            float[] heapScores = new float[capacity];
            for (int r = from; r < to; r++) {
                if (exRowPtr != null) {
                    for (int e = exRowPtr[r]; e < exRowPtr[r + 1]; e++) excluded[exCols[e]] = true;
                }
                int pOff = rows[r] * k;
                for (int i = 0; i < nItems; i++) scores[i] = VectorDots.dot(p, pOff, q, i * k, k);
                if (itemBias != null) {
                    for (int i = 0; i < nItems; i++) scores[i] += itemBias[i];
                }
                int size = 0;
                for (int i = 0; i < nItems; i++) {
                    if (excluded[i]) continue;
                    float s = scores[i];
                    if (size < kBest) {
                        heapItems[size] = i;
                        heapScores[size] = s;
                        siftUp(heapItems, heapScores, size);
                        size++;
                    } else if (better(s, i, heapScores[0], heapItems[0])) {
                        heapItems[0] = i;
                        heapScores[0] = s;
                        siftDown(heapItems, heapScores, size);
                    }
                }
                int base = r * kBest;
                for (int slot = kBest - 1; slot >= size; slot--) {
                    outItems[base + slot] = -1;
                    outScores[base + slot] = Float.NEGATIVE_INFINITY;
                }
                // Pop worst-first into the tail so the row ends up best-first.
                for (int slot = size - 1; slot >= 0; slot--) {
                    outItems[base + slot] = heapItems[0];
                    outScores[base + slot] = heapScores[0];
                    heapItems[0] = heapItems[slot];
                    heapScores[0] = heapScores[slot];
                    siftDown(heapItems, heapScores, slot);
                }
                if (exRowPtr != null) {
                    for (int e = exRowPtr[r]; e < exRowPtr[r + 1]; e++) excluded[exCols[e]] = false;
                }
            }
        });
    }

    private static boolean better(float s, int i, float t, int j) {
        return s > t || (s == t && i < j);
    }

    private static void siftUp(int[] items, float[] scores, int at) {
        while (at > 0) {
            int parent = (at - 1) >>> 1;
            if (!better(scores[parent], items[parent], scores[at], items[at])) return;
            swap(items, scores, parent, at);
            at = parent;
        }
    }

    private static void siftDown(int[] items, float[] scores, int size) {
        int at = 0;
        while (true) {
            int left = 2 * at + 1;
            if (left >= size) return;
            int worst = left;
            int right = left + 1;
            if (right < size && better(scores[worst], items[worst], scores[right], items[right])) worst = right;
            if (!better(scores[at], items[at], scores[worst], items[worst])) return;
            swap(items, scores, at, worst);
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
