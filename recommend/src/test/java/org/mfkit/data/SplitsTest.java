package org.mfkit.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SplitsTest {
    private static Ratings sample() {
        return SyntheticData.generate(new SyntheticData.Spec(50, 40, 600, 2, 0.3, 0.5, false, false, 3)).ratings();
    }

    @Test
    void randomSplitIsSeededAndNearTheFraction() {
        Ratings r = sample();
        Split a = Splits.random(r, 0.25, 9);
        Split b = Splits.random(r, 0.25, 9);
        assertArrayEquals(a.test().users(), b.test().users());
        assertEquals(r.size(), a.train().size() + a.test().size());
        assertEquals(150, a.test().size(), 40);
        assertThrows(IllegalArgumentException.class, () -> Splits.random(r, 1.0, 1));
    }

    @Test
    void perUserKeepsEveryUserInTrain() {
        Ratings r = sample();
        Split s = Splits.perUser(r, 0.2, 4);
        int[] train = new int[r.numUsers()];
        int[] test = new int[r.numUsers()];
        for (int j = 0; j < s.train().size(); j++) train[s.train().user(j)]++;
        for (int j = 0; j < s.test().size(); j++) test[s.test().user(j)]++;
        for (int u = 0; u < r.numUsers(); u++) {
            assertTrue(train[u] >= 1);
            assertEquals(Math.max(1, Math.round(0.2 * (train[u] + test[u]))), test[u], "user " + u);
        }
    }

    @Test
    void leaveLastOutTakesTheLatestPerUser() {
        Ratings r = new Ratings(3, 4, new int[] {0, 0, 0, 1, 1, 2}, new int[] {0, 1, 2, 0, 3, 1},
                new float[] {1, 2, 3, 4, 5, 1}, new long[] {5, 9, 7, 3, 3, 1}, null, null);
        Split s = Splits.leaveLastOut(r);
        assertArrayEquals(new int[] {0, 1}, s.test().users());
        assertArrayEquals(new int[] {1, 3}, s.test().items(), "user 1's tie goes to the later position");
        assertEquals(4, s.train().size(), "user 2 with one interaction keeps it");
        assertThrows(IllegalArgumentException.class, () -> Splits.leaveLastOut(sample()));
    }

    @Test
    void kFoldTestsEveryInteractionOnce() {
        Ratings r = sample();
        List<Split> folds = Splits.kFold(r, 5, 2);
        assertEquals(5, folds.size());
        int total = 0;
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (Split f : folds) {
            total += f.test().size();
            assertEquals(r.size(), f.train().size() + f.test().size());
            for (int j = 0; j < f.test().size(); j++) seen.add((long) f.test().user(j) * 1000 + f.test().item(j));
        }
        assertEquals(r.size(), total);
        assertEquals(r.size(), seen.size());
    }
}
