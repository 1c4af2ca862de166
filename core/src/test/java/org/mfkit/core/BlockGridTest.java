package org.mfkit.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The grid: balanced cuts, the schedule's independent rounds, the arrangement, the default side. */
class BlockGridTest {
    private static int[] ids(SplittableRandom rnd, int n, int bound, boolean skewed) {
        int[] v = new int[n];
        for (int j = 0; j < n; j++) v[j] = skewed ? (int) (bound * Math.pow(rnd.nextDouble(), 3)) : rnd.nextInt(bound);
        return v;
    }

    @Test
    void balancedCutsGiveBlocksOfAboutEqualRatings() {
        SplittableRandom rnd = new SplittableRandom(1);
        int[] users = ids(rnd, 50_000, 1000, false);
        int[] items = ids(rnd, 50_000, 800, true);
        BlockGrid grid = BlockGrid.balanced(5, 1000, 800, users, items);
        int[] perItemBlock = new int[5];
        for (int i : items) perItemBlock[grid.itemBlocks()[i]]++;
        for (int c : perItemBlock) assertEquals(10_000, c, 1500, "ratings per item block " + Arrays.toString(perItemBlock));
        int[] b = grid.itemBounds();
        assertEquals(0, b[0]);
        assertEquals(800, b[5]);
        assertTrue(b[1] < b[4] - b[3], "skewed items: the popular low ids get a narrow block " + Arrays.toString(b));
    }

    @Test
    void cellsOfARoundShareNoUserBlockAndNoItemBlock() {
        for (int side = 1; side <= 7; side++) {
            BlockGrid grid = BlockGrid.of(even(side, 70), even(side, 35));
            boolean[] seen = new boolean[side * side];
            for (int round = 0; round < side; round++) {
                boolean[] userBlocks = new boolean[side];
                boolean[] itemBlocks = new boolean[side];
                for (int b = 0; b < side; b++) {
                    int cell = round * side + b;
                    assertFalse(userBlocks[grid.cellUserBlock(cell)]);
                    assertFalse(itemBlocks[grid.cellItemBlock(cell)]);
                    userBlocks[grid.cellUserBlock(cell)] = true;
                    itemBlocks[grid.cellItemBlock(cell)] = true;
                    seen[grid.cellUserBlock(cell) * side + grid.cellItemBlock(cell)] = true;
                }
            }
            for (boolean s : seen) assertTrue(s, "every (user block, item block) is some cell");
        }
    }

    private static int[] even(int side, int n) {
        int[] b = new int[side + 1];
        for (int s = 0; s <= side; s++) b[s] = n * s / side;
        return b;
    }

    @Test
    void arrangeSortsByCellThenUserStablyInOneOrTwoPasses() {
        SplittableRandom rnd = new SplittableRandom(2);
        int n = 20_000;
        int[] users = ids(rnd, n, 300, true);
        int[] items = ids(rnd, n, 200, false);
        BlockGrid grid = BlockGrid.balanced(6, 300, 200, users, items);
        int[] ub = grid.userBlocks();
        int[] ib = grid.itemBlocks();
        Integer[] expected = new Integer[n];
        for (int j = 0; j < n; j++) expected[j] = j;
        // Arrays.sort on objects is stable: ties keep input order.
        Arrays.sort(expected, Comparator.<Integer>comparingInt(j -> grid.cellOf(ub[users[j]], ib[items[j]]))
                .thenComparingInt(j -> users[j]));
        int[] want = Arrays.stream(expected).mapToInt(Integer::intValue).toArray();
        BlockGrid.Arrangement one = grid.arrange(users, items);
        BlockGrid.Arrangement two = grid.arrange(users, items, 0);
        assertArrayEquals(want, one.order());
        assertArrayEquals(want, two.order());
        assertFalse(one.identity());
        for (int c = 0; c < 36; c++) {
            for (int x = one.schedule().start(c); x < one.schedule().end(c); x++) {
                int j = want[x];
                assertEquals(grid.cellUserBlock(c), ub[users[j]]);
                assertEquals(grid.cellItemBlock(c), ib[items[j]]);
            }
        }
        int[] au = new int[n];
        int[] ai = new int[n];
        for (int x = 0; x < n; x++) {
            au[x] = users[want[x]];
            ai[x] = items[want[x]];
        }
        BlockGrid.Arrangement again = grid.arrange(au, ai);
        assertTrue(again.identity(), "an arranged list is recognised as one");
        for (int x = 0; x < n; x++) assertEquals(x, again.order()[x]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> grid.arrange(new int[] {0, 300}, new int[] {0, 0}));
        assertTrue(e.getMessage().contains("users[1] = 300 is outside the grid's 300 users"), e.getMessage());
    }

    @Test
    void defaultSideIsEightForBothBenchmarkSetsOnOneToFourThreads() {
        for (int threads = 1; threads <= 4; threads++) {
            assertEquals(8, BlockGrid.defaultSide(138_000, 27_000, 64, 10_000_000, threads), "10M set");
            assertEquals(8, BlockGrid.defaultSide(6039, 3628, 64, 590_733, threads), "MovieLens-1M shape");
        }
        assertEquals(16, BlockGrid.defaultSide(138_000, 27_000, 64, 10_000_000, 8), "2T on 8 threads");
        assertEquals(27, BlockGrid.defaultSide(138_000, 27_000, 256, 10_000_000, 2), "k = 256: item rows need more blocks");
        assertEquals(1, BlockGrid.defaultSide(10, 10, 8, 50, 1), "tiny data: one cell");
        assertEquals(1, BlockGrid.defaultSide(300, 200, 8, 6000, 1), "cells of ~2,048 ratings at least");
        assertEquals(2, BlockGrid.defaultSide(300, 200, 8, 9000, 1));
        assertEquals(BlockGrid.MAX_DEFAULT_SIDE, BlockGrid.defaultSide(1_000_000, 10_000_000, 64, 1L << 33, 2));
    }
}
