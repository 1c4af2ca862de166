package org.mfkit.data;

import java.util.Arrays;
import org.mfkit.core.Check;

/**
 * An immutable set of (user, item, value) interactions with dense ids, optionally with a
 * timestamp each and the external id maps they were read with. This is what loaders produce
 * and what the models train on. Values are explicit ratings or implicit strengths.
 */
public final class Ratings {
    private final int numUsers;
    private final int numItems;
    private final int[] users;
    private final int[] items;
    private final float[] values;
    private final long[] timestamps;
    private final IdMap userIds;
    private final IdMap itemIds;

    /**
     * @param numUsers   number of users (ids are below it)
     * @param numItems   number of items (ids are below it)
     * @param users      user id per interaction
     * @param items      item id per interaction
     * @param values     value per interaction, finite
     * @param timestamps timestamp per interaction (seconds), or null
     * @param userIds    external user ids, or null
     * @param itemIds    external item ids, or null
     */
    public Ratings(int numUsers, int numItems, int[] users, int[] items, float[] values, long[] timestamps,
                   IdMap userIds, IdMap itemIds) {
        Check.nonNegative("numUsers", numUsers);
        Check.nonNegative("numItems", numItems);
        Check.notNull("users", users);
        Check.notNull("items", items);
        Check.notNull("values", values);
        Check.sameLength("users", users.length, "items", items.length);
        Check.sameLength("users", users.length, "values", values.length);
        if (timestamps != null) Check.sameLength("users", users.length, "timestamps", timestamps.length);
        for (int j = 0; j < users.length; j++) {
            if (users[j] < 0 || users[j] >= numUsers) {
                throw new IllegalArgumentException("users[" + j + "] = " + users[j] + " is out of range [0, " + numUsers + ")");
            }
            if (items[j] < 0 || items[j] >= numItems) {
                throw new IllegalArgumentException("items[" + j + "] = " + items[j] + " is out of range [0, " + numItems + ")");
            }
        }
        Check.allFinite("values", values);
        if (userIds != null && userIds.size() != numUsers) {
            throw new IllegalArgumentException("userIds has " + userIds.size() + " ids but numUsers = " + numUsers);
        }
        if (itemIds != null && itemIds.size() != numItems) {
            throw new IllegalArgumentException("itemIds has " + itemIds.size() + " ids but numItems = " + numItems);
        }
        this.numUsers = numUsers;
        this.numItems = numItems;
        this.users = users;
        this.items = items;
        this.values = values;
        this.timestamps = timestamps;
        this.userIds = userIds;
        this.itemIds = itemIds;
    }

    /** Ratings without timestamps or external ids. */
    public Ratings(int numUsers, int numItems, int[] users, int[] items, float[] values) {
        this(numUsers, numItems, users, items, values, null, null, null);
    }

    /** Number of users. */
    public int numUsers() { return numUsers; }

    /** Number of items. */
    public int numItems() { return numItems; }

    /** Number of interactions. */
    public int size() { return users.length; }

    /** User of interaction j. */
    public int user(int j) { return users[j]; }

    /** Item of interaction j. */
    public int item(int j) { return items[j]; }

    /** Value of interaction j. */
    public float value(int j) { return values[j]; }

    /** Timestamp of interaction j; throws if there are none. */
    public long timestamp(int j) {
        if (timestamps == null) throw new IllegalStateException("these ratings have no timestamps");
        return timestamps[j];
    }

    /** Whether timestamps are present. */
    public boolean hasTimestamps() { return timestamps != null; }

    /** A copy of the user ids. */
    public int[] users() { return users.clone(); }

    /** A copy of the item ids. */
    public int[] items() { return items.clone(); }

    /** A copy of the values. */
    public float[] values() { return values.clone(); }

    /** External user ids, or null. */
    public IdMap userIds() { return userIds; }

    /** External item ids, or null. */
    public IdMap itemIds() { return itemIds; }

    /** Mean value (0 when empty), accumulated in float64. */
    public double mean() {
        double sum = 0;
        for (float v : values) sum += v;
        return values.length == 0 ? 0 : sum / values.length;
    }

    /** The interactions at the given positions, same id spaces and maps. */
    public Ratings subset(int[] positions) {
        int n = positions.length;
        int[] u = new int[n];
        int[] i = new int[n];
        float[] v = new float[n];
        long[] t = timestamps == null ? null : new long[n];
        for (int j = 0; j < n; j++) {
            int at = positions[j];
            u[j] = users[at];
            i[j] = items[at];
            v[j] = values[at];
            if (t != null) t[j] = timestamps[at];
        }
        return new Ratings(numUsers, numItems, u, i, v, t, userIds, itemIds);
    }

    /** Users as rows, items as columns; entries within a row keep input order. */
    public HostCsr byUser() {
        return toCsr(numUsers, numItems, users, items);
    }

    /** Items as rows, users as columns; entries within a row keep input order. */
    public HostCsr byItem() {
        return toCsr(numItems, numUsers, items, users);
    }

    private HostCsr toCsr(int rows, int cols, int[] rowIds, int[] colIds) {
        int[] rowPtr = new int[rows + 1];
        for (int r : rowIds) rowPtr[r + 1]++;
        for (int r = 0; r < rows; r++) rowPtr[r + 1] += rowPtr[r];
        int[] next = Arrays.copyOf(rowPtr, rows);
        int[] colIdx = new int[rowIds.length];
        float[] vals = new float[rowIds.length];
        for (int j = 0; j < rowIds.length; j++) {
            int at = next[rowIds[j]]++;
            colIdx[at] = colIds[j];
            vals[at] = values[j];
        }
        return new HostCsr(rows, cols, rowPtr, colIdx, vals);
    }
}
