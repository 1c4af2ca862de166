package org.mfkit.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The score block computes every output as one FMA chain over t = 0..k−1 whatever the path
 * (four-row block or single row, full or partial item tile, any worker split), so it must equal
 * that chain computed with {@link Math#fma} bit for bit; top-K scores are the same chains plus
 * the item bias, and its selection must be the reference rule across row groups and item chunks.
 */
class VectorScoreBlockTest {

    private static float chain(float[] p, int pOff, float[] q, int qOff, int k) {
        float acc = 0f;
        for (int t = 0; t < k; t++) acc = Math.fma(p[pOff + t], q[qOff + t], acc);
        return acc;
    }

    private static float[] random(SplittableRandom rnd, int n) {
        float[] x = new float[n];
        for (int j = 0; j < n; j++) x[j] = (float) rnd.nextDouble(-1, 1);
        return x;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void scoresAreTheFmaChainBitForBit(int threads) {
        SplittableRandom rnd = new SplittableRandom(threads);
        try (VectorPool pool = new VectorPool(threads)) {
            for (int k : new int[] {1, 2, 3, 7, 16, 17, 33, 64, 65, 129}) {
                // Item counts below one tile, at a tile boundary and with a partial last tile.
                for (int nItems : new int[] {1, VectorScoreBlock.TILE - 1, 2 * VectorScoreBlock.TILE, 101}) {
                    int nUsers = 13;
                    float[] p = random(rnd, nUsers * k);
                    float[] q = random(rnd, nItems * k);
                    int[] rows = {3, 0, 12, 5, 5, 7, 1, 11, 2, 9, 4};
                    float[] out = new float[rows.length * nItems];
                    VectorScoreBlock.scores(pool, p, rows, q, nItems, k, out);
                    for (int r = 0; r < rows.length; r++) {
                        for (int i = 0; i < nItems; i++) {
                            float want = chain(p, rows[r] * k, q, i * k, k);
                            assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(out[r * nItems + i]),
                                    "row " + r + ", item " + i + ", k = " + k + ", items = " + nItems);
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void topKAcrossGroupsAndChunksIsTheReferenceSelection(int threads) {
        SplittableRandom rnd = new SplittableRandom(10 + threads);
        int k = 5;
        int nUsers = 20;
        int nItems = VectorTopK.CHUNK + 37;
        // More rows than one group, so a worker runs several groups, and rows repeat.
        int nRows = 2 * VectorTopK.GROUP + 7;
        float[] p = random(rnd, nUsers * k);
        float[] q = random(rnd, nItems * k);
        float[] bias = random(rnd, nItems);
        // Exact ties: item 7 and item 3 score the same for every row.
        System.arraycopy(q, 3 * k, q, 7 * k, k);
        bias[7] = bias[3];
        int[] rows = new int[nRows];
        for (int r = 0; r < nRows; r++) rows[r] = rnd.nextInt(nUsers);
        int[] rowPtr = new int[nRows + 1];
        List<Integer> cols = new ArrayList<>();
        for (int r = 0; r < nRows; r++) {
            int count = r % 5 == 0 ? 0 : rnd.nextInt(1, 40);
            for (int e = 0; e < count; e++) cols.add(rnd.nextInt(nItems));
            if (r % 7 == 1) cols.add(cols.get(cols.size() - 1));
            rowPtr[r + 1] = cols.size();
        }
        int[] exCols = cols.stream().mapToInt(Integer::intValue).toArray();
        int best = 12;
        try (VectorPool pool = new VectorPool(threads)) {
            for (float[] b : new float[][] {null, bias}) {
                int[] items = new int[nRows * best];
                float[] scores = new float[nRows * best];
                VectorTopK.topK(pool, p, rows, q, nItems, k, b, rowPtr, exCols, best, items, scores);
                for (int r = 0; r < nRows; r++) {
                    boolean[] excluded = new boolean[nItems];
                    for (int e = rowPtr[r]; e < rowPtr[r + 1]; e++) excluded[exCols[e]] = true;
                    // Selection by repeated maximum: higher score first, equal scores by lower id.
                    boolean[] taken = new boolean[nItems];
                    for (int slot = 0; slot < best; slot++) {
                        int pick = -1;
                        float top = 0f;
                        for (int i = 0; i < nItems; i++) {
                            if (excluded[i] || taken[i]) continue;
                            float s = chain(p, rows[r] * k, q, i * k, k);
                            if (b != null) s += b[i];
                            if (pick < 0 || s > top) {
                                pick = i;
                                top = s;
                            }
                        }
                        taken[pick] = true;
                        String where = "row " + r + ", slot " + slot + ", bias " + (b != null);
                        assertEquals(pick, items[r * best + slot], where);
                        assertEquals(Float.floatToIntBits(top), Float.floatToIntBits(scores[r * best + slot]), where);
                    }
                }
            }
        }
    }
}
