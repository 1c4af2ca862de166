package org.mfkit.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mfkit.cuda.ConflictFreeSchedule.Namespace;

class ConflictFreeScheduleTest {
    @Test
    void conflictFreeListIsOneParallelSegment() {
        int[] users = {0, 1, 2, 3};
        int[] items = {3, 2, 1, 0};
        ConflictFreeSchedule s = ConflictFreeSchedule.plan(0, 4, 2, new Namespace(4, users), new Namespace(4, items));
        assertEquals(1, s.size());
        assertTrue(s.parallel(0));
        assertEquals(0, s.start(0));
        assertEquals(4, s.count(0));
    }

    @Test
    void repeatedRowStartsANewWave() {
        int[] users = {0, 1, 0, 2};
        int[] items = {0, 1, 2, 3};
        ConflictFreeSchedule s = ConflictFreeSchedule.plan(0, 4, 1, new Namespace(3, users), new Namespace(4, items));
        assertEquals(2, s.size());
        assertEquals(0, s.start(0));
        assertEquals(2, s.count(0));
        assertEquals(2, s.start(1));
        assertEquals(2, s.count(1));
    }

    @Test
    void shortWavesMergeIntoOneSequentialSegment() {
        int[] users = {0, 0, 0, 0, 1, 2, 3, 4};
        int[] items = {0, 1, 2, 3, 4, 5, 6, 7};
        ConflictFreeSchedule s = ConflictFreeSchedule.plan(0, 8, 4, new Namespace(5, users), new Namespace(8, items));
        // Waves: [0], [1], [2], [3..8): the first three are short and merge.
        assertEquals(2, s.size());
        assertFalse(s.parallel(0));
        assertEquals(3, s.count(0));
        assertTrue(s.parallel(1));
        assertEquals(3, s.start(1));
        assertEquals(5, s.count(1));
    }

    @Test
    void bothColumnsOfANamespaceConflict() {
        int[] users = {0, 1};
        int[] positives = {5, 7};
        int[] negatives = {6, 5};
        ConflictFreeSchedule s = ConflictFreeSchedule.plan(0, 2, 1, new Namespace(2, users),
                new Namespace(8, positives, negatives));
        assertEquals(2, s.size(), "item 5 is the positive of triple 0 and the negative of triple 1");
    }

    @Test
    void subRangeIsPlannedOnItsOwn() {
        int[] users = {0, 0, 1, 2, 0};
        ConflictFreeSchedule s = ConflictFreeSchedule.plan(1, 4, 1, new Namespace(3, users));
        assertEquals(1, s.size());
        assertEquals(1, s.start(0));
        assertEquals(3, s.count(0));
        assertEquals(0, ConflictFreeSchedule.plan(2, 2, 1, new Namespace(3, users)).size());
    }

    @Test
    void badArgumentsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConflictFreeSchedule.plan(0, 1, 0));
        assertTrue(e.getMessage().contains("minParallel = 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConflictFreeSchedule.plan(3, 2, 1));
    }

    /**
     * The schedule's promise: running each parallel segment as if all its updates happened at
     * once (every update reads the state at segment start) equals running the list in order.
     * Checked with a non-commutative update on random lists with many repeats.
     */
    @Test
    void simultaneousExecutionOfParallelSegmentsEqualsSequentialExecution() {
        Random random = new Random(42);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + random.nextInt(300);
            int nUsers = 1 + random.nextInt(40);
            int nItems = 1 + random.nextInt(40);
            int[] users = new int[n];
            int[] items = new int[n];
            for (int j = 0; j < n; j++) {
                users[j] = random.nextInt(nUsers);
                items[j] = random.nextInt(nItems);
            }
            int minParallel = 1 + random.nextInt(6);
            int from = random.nextInt(n);
            ConflictFreeSchedule s = ConflictFreeSchedule.plan(from, n, minParallel, new Namespace(nUsers, users),
                    new Namespace(nItems, items));
            checkStructure(s, from, n, minParallel, users, items);

            long[] seqU = new long[nUsers];
            long[] seqI = new long[nItems];
            for (int j = from; j < n; j++) update(j, users, items, seqU, seqI);

            long[] u = new long[nUsers];
            long[] i = new long[nItems];
            for (int seg = 0; seg < s.size(); seg++) {
                int start = s.start(seg);
                int end = start + s.count(seg);
                if (s.parallel(seg)) {
                    long[] u0 = u.clone();
                    long[] i0 = i.clone();
                    for (int j = start; j < end; j++) {
                        long a = u0[users[j]];
                        long b = i0[items[j]];
                        u[users[j]] = a * 31 + b + j;
                        i[items[j]] = b * 17 + a + j;
                    }
                } else {
                    for (int j = start; j < end; j++) update(j, users, items, u, i);
                }
            }
            assertArrayEquals(seqU, u, "trial " + trial);
            assertArrayEquals(seqI, i, "trial " + trial);
        }
    }

    private static void update(int j, int[] users, int[] items, long[] u, long[] i) {
        long a = u[users[j]];
        long b = i[items[j]];
        u[users[j]] = a * 31 + b + j;
        i[items[j]] = b * 17 + a + j;
    }

    private static void checkStructure(ConflictFreeSchedule s, int from, int to, int minParallel, int[] users, int[] items) {
        int next = from;
        for (int seg = 0; seg < s.size(); seg++) {
            assertEquals(next, s.start(seg));
            assertTrue(s.count(seg) >= 1);
            next += s.count(seg);
            if (s.parallel(seg)) {
                assertTrue(s.count(seg) >= minParallel);
                Set<Integer> seenUsers = new HashSet<>();
                Set<Integer> seenItems = new HashSet<>();
                for (int j = s.start(seg); j < next; j++) {
                    assertTrue(seenUsers.add(users[j]) && seenItems.add(items[j]), "conflict in a parallel segment");
                }
            } else if (seg > 0) {
                assertTrue(s.parallel(seg - 1), "adjacent sequential segments must be merged");
            }
        }
        assertEquals(to, next);
    }
}
