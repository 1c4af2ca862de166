package org.mfkit.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyntheticDataTest {
    @Test
    void movieLensShapeIsSeededSkewedAndInRange() {
        SyntheticData.Dataset a = SyntheticData.generate(SyntheticData.Spec.movieLens100kShape(1));
        SyntheticData.Dataset b = SyntheticData.generate(SyntheticData.Spec.movieLens100kShape(1));
        Ratings r = a.ratings();
        assertEquals(943, r.numUsers());
        assertEquals(1682, r.numItems());
        assertEquals(100_000, r.size());
        assertArrayEquals(r.items(), b.ratings().items());
        Set<Long> pairs = new HashSet<>();
        int[] counts = new int[r.numItems()];
        for (int j = 0; j < r.size(); j++) {
            assertTrue(pairs.add((long) r.user(j) * r.numItems() + r.item(j)), "no duplicate pairs");
            float v = r.value(j);
            assertTrue(v >= 1 && v <= 5 && v == Math.rint(v), "rating " + v);
            counts[r.item(j)]++;
        }
        Arrays.sort(counts);
        int top = 0;
        for (int i = counts.length - 168; i < counts.length; i++) top += counts[i];
        assertTrue(top > 0.3 * r.size(), "the top 10% of items hold " + top + " ratings: popularity is skewed");
        // Rounding adds ~1/12 variance to the N(0, 0.5²) noise: floor ≈ √(0.25 + 0.083) ≈ 0.58, clipping lowers it.
        assertEquals(0.56, a.noiseFloorRmse(), 0.04);
    }

    @Test
    void noiseFloorMatchesTheNoiseWithoutRounding() {
        SyntheticData.Dataset d = SyntheticData.generate(new SyntheticData.Spec(300, 200, 20_000, 3, 0.5, 0.5, false, false, 2));
        assertEquals(0.5, d.noiseFloorRmse(), 0.03);
        assertThrows(IllegalArgumentException.class,
                () -> new SyntheticData.Spec(10, 10, 51, 2, 0.5, 0.5, false, false, 1));
    }

    @Test
    void implicitDataHasUnitValues() {
        SyntheticData.Dataset d = SyntheticData.generate(new SyntheticData.Spec(50, 60, 500, 2, 0, 0.8, true, false, 2));
        for (float v : d.ratings().values()) assertEquals(1f, v);
        assertTrue(Double.isNaN(d.noiseFloorRmse()));
    }
}
