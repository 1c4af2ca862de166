package org.mfkit.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mfkit.core.BlockGrid;

/**
 * BPR's sampler: negatives are verified (never a positive of the user) and stay inside the
 * positive's item block, for either sampling mode and either verification (bit per pair, or a
 * binary search); an epoch's triples come in the grid's schedule order and are seeded.
 */
class BprSamplingTest {
    /** User 0 likes items 0, 2, 3, 7 of 8; user 1 likes item 5; one block, or two of each. */
    private static BprSampler sampler(double[] cdf, int side, boolean bitset) {
        int[] users = {0, 0, 0, 0, 1};
        int[] items = {0, 2, 3, 7, 5};
        return new BprSampler(grid(side), 2, 8, users, items, cdf, users.length, bitset ? BprSampler.BITSET_LIMIT : 0);
    }

    private static BlockGrid grid(int side) {
        return side == 1 ? BlockGrid.of(new int[] {0, 2}, new int[] {0, 8})
                : BlockGrid.of(new int[] {0, 1, 2}, new int[] {0, 4, 8});
    }

    @Test
    void uniformNegativesAreNeverPositivesAndCoverTheRest() {
        for (boolean bitset : new boolean[] {true, false}) {
            BprSampler s = sampler(null, 1, bitset);
            SplittableRandom random = new SplittableRandom(1);
            int[] hits = new int[8];
            for (int t = 0; t < 4000; t++) hits[s.negative(random, 0, 0, 8)]++;
            for (int p : new int[] {0, 2, 3, 7}) assertEquals(0, hits[p]);
            for (int i : new int[] {1, 4, 5, 6}) assertEquals(1000, hits[i], 120, "uniform over the 4 negatives");
        }
    }

    @Test
    void negativesStayInTheBlockAndAFullBlockGivesNone() {
        BprSampler s = sampler(null, 1, false);
        SplittableRandom random = new SplittableRandom(3);
        for (int t = 0; t < 200; t++) {
            int j = s.negative(random, 0, 4, 8);
            assertTrue(j >= 4 && j < 8 && j != 7, "negative " + j + " in [4, 8) and not a positive");
        }
        assertEquals(-1, s.negative(random, 0, 2, 4), "items 2 and 3 are both positives of user 0");
    }

    @Test
    void popularityNegativesFollowCountsAndFallBackWhenOnlyUnpopularItemsRemain() {
        int[] counts = {10, 0, 30, 60, 0, 0, 0, 0};
        double[] cdf = Bpr.cumulative(counts);
        for (boolean bitset : new boolean[] {true, false}) {
            BprSampler s = sampler(cdf, 1, bitset);
            SplittableRandom random = new SplittableRandom(2);
            int[] hits = new int[8];
            for (int t = 0; t < 9000; t++) hits[s.negative(random, 1, 0, 4)]++;
            assertEquals(0, hits[1], "an item without interactions has no popularity mass");
            assertEquals(900, hits[0], 150);
            assertEquals(2700, hits[2], 200);
            assertEquals(5400, hits[3], 200);
            // User 0's only negatives in [0, 4) have zero mass: after the bounded tries the exact fallback finds one.
            assertEquals(1, s.negative(random, 0, 0, 4));
        }
    }

    @Test
    void anEpochIsInScheduleOrderWithNegativesInTheCellsBlockAndIsSeeded() {
        BprSampler s = sampler(null, 2, true);
        BprSampler again = sampler(null, 2, true);
        int drawn = s.draw(new SplittableRandom(9));
        assertEquals(drawn, again.draw(new SplittableRandom(9)));
        assertArrayEquals(s.negatives, again.negatives, "seeded");
        // Every positive once (samples = interactions), except none is lost here: each user has a free item per block.
        assertEquals(5, drawn);
        BlockGrid grid = grid(2);
        int[] itemBlock = grid.itemBlocks();
        int previousCell = -1;
        for (int x = 0; x < drawn; x++) {
            int i = s.positives[x];
            int j = s.negatives[x];
            assertEquals(itemBlock[i], itemBlock[j], "triple " + x + ": negative " + j + " in the block of " + i);
            int round = Math.floorMod(itemBlock[i] - grid.userBlocks()[s.users[x]], 2);
            int cell = round * 2 + grid.userBlocks()[s.users[x]];
            assertTrue(cell >= previousCell, "schedule order");
            previousCell = cell;
        }
        int[] sortedPositives = Arrays.copyOf(s.positives, drawn);
        Arrays.sort(sortedPositives);
        assertArrayEquals(new int[] {0, 2, 3, 5, 7}, sortedPositives);
    }

    /**
     * The default epoch writes only the negatives while the pairs are in place; a user whose
     * positives fill a block shifts the list (its positives there yield no triple), and the next
     * epoch puts the pairs back.
     */
    @Test
    void aFullBlockShiftsTheListAndTheNextEpochRestoresIt() {
        // User 0 likes items 0, 2, 3 and 7; item block [2, 4) is full for it.
        BlockGrid grid = BlockGrid.of(new int[] {0, 1, 2, 2}, new int[] {0, 2, 4, 8});
        int[] itemBlock = grid.itemBlocks();
        BprSampler s = new BprSampler(grid, 2, 8, new int[] {0, 0, 0, 0, 1}, new int[] {0, 2, 3, 7, 5}, null, 5,
                BprSampler.BITSET_LIMIT);
        SplittableRandom random = new SplittableRandom(6);
        for (int epoch = 0; epoch < 3; epoch++) {
            assertEquals(3, s.draw(random), "items 2 and 3 of user 0 yield nothing");
            int[] pairs = new int[3];
            for (int x = 0; x < 3; x++) {
                pairs[x] = s.users[x] * 8 + s.positives[x];
                int j = s.negatives[x];
                assertEquals(itemBlock[s.positives[x]], itemBlock[j], "negative " + j + " in the positive's block");
                assertTrue(s.users[x] == 1 ? j != 5 : j != 0 && j != 7, "negative " + j + " is not a positive");
            }
            Arrays.sort(pairs);
            assertArrayEquals(new int[] {0, 7, 13}, pairs, "epoch " + epoch + ": (0, 0), (0, 7), (1, 5)");
        }
    }

    @Test
    void weightedPositivesFollowTheirWeightsAcrossAndWithinCells() {
        int[] users = {0, 0, 0, 0, 1};
        int[] items = {0, 2, 3, 7, 5};
        float[] weights = {1f, 0f, 3f, 4f, 2f};
        for (int side : new int[] {1, 2}) {
            BprSampler s = new BprSampler(grid(side), 2, 8, users, items, null, 10_000, BprSampler.BITSET_LIMIT, weights);
            int drawn = s.draw(new SplittableRandom(4));
            assertEquals(10_000, drawn, "every user has a negative in every block");
            int[] hits = new int[8];
            for (int x = 0; x < drawn; x++) hits[s.positives[x]]++;
            assertEquals(0, hits[2], "a weight of 0 is never drawn");
            assertEquals(1000, hits[0], 120, "side " + side);
            assertEquals(3000, hits[3], 200, "side " + side);
            assertEquals(4000, hits[7], 200, "side " + side);
            assertEquals(2000, hits[5], 160, "side " + side);
        }
        // Without weights (or with all of them 0), an epoch of as many samples as positives takes each once.
        for (float[] w : new float[][] {null, new float[5]}) {
            BprSampler s = new BprSampler(grid(1), 2, 8, users, items, null, 5, BprSampler.BITSET_LIMIT, w);
            assertEquals(5, s.draw(new SplittableRandom(5)));
            int[] sorted = Arrays.copyOf(s.positives, 5);
            Arrays.sort(sorted);
            assertArrayEquals(new int[] {0, 2, 3, 5, 7}, sorted);
        }
    }
}
