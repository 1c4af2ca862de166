package org.mfkit.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** BPR's negatives are verified: never a positive of the user, for either sampling mode. */
class BprSamplingTest {
    @Test
    void uniformNegativesAreNeverPositivesAndCoverTheRest() {
        int[] pos = {0, 2, 3, 7};
        SplittableRandom random = new SplittableRandom(1);
        int[] hits = new int[8];
        for (int t = 0; t < 4000; t++) hits[Bpr.negative(random, pos, 8, null)]++;
        for (int p : pos) assertEquals(0, hits[p]);
        for (int i : new int[] {1, 4, 5, 6}) assertEquals(1000, hits[i], 120, "uniform over the 4 negatives");
    }

    @Test
    void popularityNegativesFollowCountsAndFallBackWhenOnlyUnpopularItemsRemain() {
        int[] counts = {10, 0, 30, 60};
        double[] cdf = Bpr.cumulative(counts);
        SplittableRandom random = new SplittableRandom(2);
        int[] hits = new int[4];
        for (int t = 0; t < 9000; t++) hits[Bpr.negative(random, new int[] {0}, 4, cdf)]++;
        assertEquals(0, hits[0]);
        assertEquals(0, hits[1], "an item without interactions has no popularity mass");
        assertEquals(3000, hits[2], 200);
        assertEquals(6000, hits[3], 200);
        // The only negative has zero mass: after the bounded tries the uniform fallback finds it.
        int[] allButOne = {0, 2, 3};
        assertEquals(1, Bpr.negative(random, allButOne, 4, cdf));
        assertTrue(Arrays.binarySearch(allButOne, Bpr.negative(random, allButOne, 4, null)) < 0);
    }
}
