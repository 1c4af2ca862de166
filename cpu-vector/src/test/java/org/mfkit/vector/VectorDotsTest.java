package org.mfkit.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The gathered dot reduces a group of L pairs at once; it must give exactly what the
 * one-pair {@link VectorDots#dot} gives (same accumulators, same tree), for every k (tails
 * included) and for pair counts that leave a partial group, and {@link VectorDots#sum} must be
 * the documented tree.
 */
class VectorDotsTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 15, 16, 17, 31, 32, 33, 48, 64, 100, 128, 256})
    void gatheredEqualsOnePairDotBitForBit(int k) {
        SplittableRandom rnd = new SplittableRandom(k);
        int rows = 37;
        float[] p = new float[rows * k];
        float[] q = new float[rows * k];
        for (int j = 0; j < p.length; j++) {
            p[j] = (float) rnd.nextDouble(-1, 1);
            q[j] = (float) rnd.nextDouble(-1, 1);
        }
        int n = 3 * VectorDots.L + 5;
        int[] users = new int[n];
        int[] items = new int[n];
        for (int j = 0; j < n; j++) {
            users[j] = rnd.nextInt(rows);
            items[j] = rnd.nextInt(rows);
        }
        float[] out = new float[n];
        // Start at 1 so groups are not aligned to the array start either.
        VectorDots.gatheredRange(p, q, k, users, items, out, 1, n);
        assertEquals(0f, out[0]);
        for (int j = 1; j < n; j++) {
            float want = VectorDots.dot(p, users[j] * k, q, items[j] * k, k);
            assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(out[j]), "pair " + j + ", k = " + k);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void sumIsThePairwiseTree(int seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] v = new float[VectorDots.L];
        for (int j = 0; j < v.length; j++) v[j] = (float) (rnd.nextDouble(-1, 1) * Math.pow(10, rnd.nextInt(-4, 5)));
        float[] level = v.clone();
        for (int d = v.length / 2; d >= 1; d /= 2) {
            float[] next = new float[level.length];
            for (int i = 0; i < level.length; i++) next[i] = level[i] + level[i ^ d];
            level = next;
        }
        assertEquals(Float.floatToIntBits(level[0]),
                Float.floatToIntBits(VectorDots.sum(FloatVector.fromArray(VectorDots.S, v, 0))));
    }
}
