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

    @Test
    void movieLens1mImplicitShapeHasLognormalActivityAndPowerLawItems() {
        SyntheticData.Spec spec = SyntheticData.Spec.movieLens1mImplicitShape(3);
        Ratings r = SyntheticData.generate(spec).ratings();
        assertEquals(6039, r.numUsers());
        assertEquals(3628, r.numItems());
        assertEquals(590_733, r.size());
        assertArrayEquals(r.users(), SyntheticData.generate(spec).ratings().users(), "seeded");
        int[] perUser = new int[r.numUsers()];
        int[] perItem = new int[r.numItems()];
        boolean[] seen = new boolean[r.numUsers() * r.numItems()];
        for (int j = 0; j < r.size(); j++) {
            assertEquals(1f, r.value(j));
            int pair = r.user(j) * r.numItems() + r.item(j);
            assertTrue(!seen[pair], "no duplicate pairs");
            seen[pair] = true;
            perUser[r.user(j)]++;
            perItem[r.item(j)]++;
        }
        Arrays.sort(perUser);
        int median = perUser[perUser.length / 2];
        int max = perUser[perUser.length - 1];
        assertTrue(perUser[0] >= SyntheticData.MIN_ACTIVE, "fewest " + perUser[0]);
        assertTrue(max <= r.numItems() / 2, "most " + max);
        // Lognormal with σ = 1: the mean is e^{1/2} ≈ 1.65 × the median, and a long right tail.
        assertTrue(median < 0.75 * (r.size() / r.numUsers()), "median " + median + " well below the mean");
        assertTrue(max > 8 * median, "heavy users: max " + max + ", median " + median);
        Arrays.sort(perItem);
        int top = 0;
        for (int i = perItem.length - perItem.length / 10; i < perItem.length; i++) top += perItem[i];
        assertTrue(top > 0.3 * r.size(), "the top 10% of items hold " + top + " positives");
        assertThrows(IllegalArgumentException.class,
                () -> new SyntheticData.Spec(10, 10, 20, 2, 0, 0.5, true, false, 1, -1));
    }

    /** The realistic explicit spec has MovieLens's spread of ratings and its signal-to-noise ratio. */
    @Test
    void movieLens100kRealisticHasMovieLensLikeRatings() {
        SyntheticData.Dataset d = SyntheticData.generate(SyntheticData.Spec.movieLens100kRealistic(1));
        Ratings r = d.ratings();
        assertEquals(100_000, r.size());
        double mean = r.mean();
        double squares = 0;
        int[] histogram = new int[6];
        for (int j = 0; j < r.size(); j++) {
            squares += (r.value(j) - mean) * (r.value(j) - mean);
            histogram[(int) r.value(j)]++;
        }
        assertEquals(1.11, Math.sqrt(squares / r.size()), 0.03, "RMSE of predicting the mean (MovieLens-100K: 1.13)");
        assertEquals(0.83, d.noiseFloorRmse(), 0.03);
        // MovieLens-100K has 6 %, 11 %, 27 %, 34 %, 21 % of ratings 1..5.
        double[] share = new double[6];
        for (int v = 1; v <= 5; v++) share[v] = histogram[v] / (double) r.size();
        assertTrue(share[1] > 0.03 && share[1] < 0.08 && share[3] > 0.25 && share[4] > 0.25 && share[5] > 0.15,
                Arrays.toString(share));
    }

    @Test
    void playCountsHaveAHeavyTailAndLeaveOtherDataAsItWas() {
        SyntheticData.Spec spec = SyntheticData.Spec.playCounts(5);
        Ratings r = SyntheticData.generate(spec).ratings();
        assertArrayEquals(r.values(), SyntheticData.generate(spec).ratings().values(), "seeded");
        float[] counts = r.values();
        Arrays.sort(counts);
        float median = counts[counts.length / 2];
        float max = counts[counts.length - 1];
        assertTrue(counts[0] >= 1 && median >= 4 && median <= 30, "median " + median);
        assertTrue(max > 1000 * median, "heavy tail: max " + max + ", median " + median);
        for (float c : counts) assertEquals(Math.rint(c), c, "whole counts");
        // The same pairs as the spec without counts: counts come from their own random stream.
        Ratings pairs = SyntheticData.generate(spec.withPlayCounts(0)).ratings();
        assertArrayEquals(pairs.users(), r.users());
        assertArrayEquals(pairs.items(), r.items());
        assertThrows(IllegalArgumentException.class, () -> SyntheticData.Spec.movieLens100kShape(1).withSeed(2)
                .withPlayCounts(-1));
    }
}
