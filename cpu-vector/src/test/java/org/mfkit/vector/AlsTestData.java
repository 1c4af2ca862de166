package org.mfkit.vector;

import java.util.SplittableRandom;

/** Inputs the cpu-vector ALS kernel tests share: seeded random factors and their Gram matrix. */
final class AlsTestData {
    private AlsTestData() {}

    /** n floats uniform in (−scale, scale) from {@code rnd}. */
    static float[] random(SplittableRandom rnd, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (rnd.nextDouble(-1, 1) * scale);
        return v;
    }

    /** YᵀY (k × k) of the {@code items} × k matrix y, by the kernel under test's own Gram on one thread. */
    static float[] gram(float[] y, int items, int k) {
        float[] gram = new float[k * k];
        try (VectorPool one = new VectorPool(1)) {
            VectorGram.gram(one, y, items, k, gram);
        }
        return gram;
    }
}
