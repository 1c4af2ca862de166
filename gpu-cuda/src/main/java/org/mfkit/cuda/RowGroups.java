package org.mfkit.cuda;

/**
 * A stable grouping of list positions by row id (a counting sort): group g is row
 * {@code rows[g]} (ascending), and its positions are {@code order[ptr[g] .. ptr[g+1])} in list
 * order. The mini-batch kernels sum each row's gradient over its group in list order, the
 * reference order, without atomics, so results are deterministic.
 */
record RowGroups(int[] rows, int[] ptr, int[] order) {

    /** Groups the positions of {@code ids} (all in {@code [0, rowCount)}). */
    static RowGroups of(int[] ids, int rowCount) {
        int[] counts = new int[rowCount];
        for (int id : ids) counts[id]++;
        int groups = 0;
        for (int c : counts) if (c > 0) groups++;
        int[] rows = new int[groups];
        int[] ptr = new int[groups + 1];
        int[] firstSlot = new int[rowCount];
        int g = 0;
        int slot = 0;
        for (int row = 0; row < rowCount; row++) {
            if (counts[row] == 0) continue;
            rows[g] = row;
            ptr[g] = slot;
            firstSlot[row] = slot;
            slot += counts[row];
            g++;
        }
        ptr[groups] = slot;
        int[] order = new int[ids.length];
        for (int j = 0; j < ids.length; j++) order[firstSlot[ids[j]]++] = j;
        return new RowGroups(rows, ptr, order);
    }

    /** Number of groups (distinct rows). */
    int size() {
        return rows.length;
    }
}
