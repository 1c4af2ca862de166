package org.mfkit.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The duplicates policies: one entry per (user, item) pair, in first-occurrence order. */
class RatingsTest {
    @Test
    void lastEntryWinsByPositionOrByLatestTimestamp() {
        int[] users = {0, 1, 0, 2, 0, 1};
        int[] items = {3, 3, 3, 0, 3, 3};
        float[] values = {1, 2, 3, 4, 5, 6};
        Ratings untimed = new Ratings(3, 4, users, items, values).lastPerPair();
        assertArrayEquals(new int[] {0, 1, 2}, untimed.users());
        assertArrayEquals(new int[] {3, 3, 0}, untimed.items());
        assertArrayEquals(new float[] {5, 6, 4}, untimed.values(), "the last entry of each pair, at its first position");
        long[] times = {10, 1, 30, 4, 20, 1};
        Ratings timed = new Ratings(3, 4, users, items, values, times, null, null).lastPerPair();
        assertArrayEquals(new float[] {3, 6, 4}, timed.values(), "latest timestamp wins; equal timestamps by position");
        assertEquals(30, timed.timestamp(0));
    }

    @Test
    void implicitValuesAddUpInPositionOrder() {
        Ratings r = new Ratings(2, 2, new int[] {1, 0, 1, 1}, new int[] {1, 0, 1, 0}, new float[] {0.1f, 2, 0.2f, 5})
                .summedPerPair();
        assertArrayEquals(new int[] {1, 0, 1}, r.users());
        assertArrayEquals(new int[] {1, 0, 0}, r.items());
        assertArrayEquals(new float[] {0.1f + 0.2f, 2, 5}, r.values());
    }

    @Test
    void noDuplicatesReturnsTheSameRatings() {
        Ratings r = new Ratings(2, 2, new int[] {0, 1, 1}, new int[] {1, 0, 1}, new float[] {1, 2, 3});
        assertSame(r, r.lastPerPair());
        assertSame(r, r.summedPerPair());
    }

    @Test
    void agreesWithAHashMapOnRandomData() {
        SplittableRandom rnd = new SplittableRandom(4);
        int n = 20_000;
        int[] users = new int[n];
        int[] items = new int[n];
        float[] values = new float[n];
        for (int j = 0; j < n; j++) {
            users[j] = rnd.nextInt(300);
            items[j] = rnd.nextInt(200);
            values[j] = rnd.nextInt(10) * 0.5f;
        }
        Ratings r = new Ratings(300, 200, users, items, values);
        Map<Long, Integer> slot = new HashMap<>();
        int[] eu = new int[n];
        int[] ei = new int[n];
        float[] last = new float[n];
        float[] sum = new float[n];
        int count = 0;
        for (int j = 0; j < n; j++) {
            Integer s = slot.putIfAbsent((long) users[j] * 200 + items[j], count);
            if (s == null) {
                eu[count] = users[j];
                ei[count] = items[j];
                last[count] = values[j];
                sum[count] = values[j];
                count++;
            } else {
                last[s] = values[j];
                sum[s] += values[j];
            }
        }
        assertArrayEquals(java.util.Arrays.copyOf(eu, count), r.lastPerPair().users());
        assertArrayEquals(java.util.Arrays.copyOf(ei, count), r.lastPerPair().items());
        assertArrayEquals(java.util.Arrays.copyOf(last, count), r.lastPerPair().values());
        assertArrayEquals(java.util.Arrays.copyOf(sum, count), r.summedPerPair().values());
    }
}
