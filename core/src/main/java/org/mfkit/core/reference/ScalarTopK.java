package org.mfkit.core.reference;

/**
 * Reference top-K: scores every item, skips the excluded ones, and keeps the K best in a
 * bounded heap whose root is the worst kept candidate. "Better" means a higher score, or the
 * same score and a lower item id.
 */
final class ScalarTopK {
    private ScalarTopK() {}

    static void topK(float[] p, int[] rows, float[] q, int nItems, int k, float[] itemBias,
                     int[] exRowPtr, int[] exCols, int K, int[] outItems, float[] outScores) {
        boolean[] excluded = new boolean[nItems];
        // A row never has more than nItems candidates; K alone may be huge (it is bounded only
        // by the output length), so sizing the heap by K could exhaust memory for nothing.
        int capacity = Math.min(K, nItems);
        int[] heapItems = new int[capacity];
        float[] heapScores = new float[capacity];
        for (int r = 0; r < rows.length; r++) {
            if (exRowPtr != null) {
                for (int e = exRowPtr[r]; e < exRowPtr[r + 1]; e++) excluded[exCols[e]] = true;
            }
            int size = 0;
            int pOff = rows[r] * k;
            for (int i = 0; i < nItems; i++) {
                if (excluded[i]) continue;
                float s = ScalarDots.dot(p, pOff, q, i * k, k);
                if (itemBias != null) s += itemBias[i];
                if (size < K) {
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
            // Pop worst-first into the tail of the row so the row ends up best-first.
            int base = r * K;
            for (int slot = K - 1; slot >= size; slot--) {
                outItems[base + slot] = -1;
                outScores[base + slot] = Float.NEGATIVE_INFINITY;
            }
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
    }

    /** Whether candidate (s, i) ranks above (t, j). */
    static boolean better(float s, int i, float t, int j) {
        return s > t || (s == t && i < j);
    }

    private static void siftUp(int[] items, float[] scores, int at) {
        while (at > 0) {
            int parent = (at - 1) >>> 1;
            // Min-heap on rank: the parent must be worse than the child.
            if (better(scores[parent], items[parent], scores[at], items[at])) {
                swap(items, scores, parent, at);
                at = parent;
            } else {
                return;
            }
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
            if (better(scores[at], items[at], scores[worst], items[worst])) {
                swap(items, scores, at, worst);
                at = worst;
            } else {
                return;
            }
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
