package org.mfkit.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RowGroupsTest {
    @Test
    void groupsAreAscendingAndKeepListOrderInsideEachGroup() {
        RowGroups g = RowGroups.of(new int[] {3, 1, 3, 0, 1, 3}, 5);
        assertArrayEquals(new int[] {0, 1, 3}, g.rows());
        assertArrayEquals(new int[] {0, 1, 3, 6}, g.ptr());
        assertArrayEquals(new int[] {3, 1, 4, 0, 2, 5}, g.order());
        assertEquals(3, g.size());
    }

    @Test
    void emptyListHasNoGroups() {
        RowGroups g = RowGroups.of(new int[0], 4);
        assertEquals(0, g.size());
        assertArrayEquals(new int[] {0}, g.ptr());
    }
}
