package org.mfkit.core;

import java.util.Arrays;

/**
 * A square grid over the id spaces, the structure parallel SGD and BPR run on (in the spirit of
 * LibMF's FPSGD): users are cut into G contiguous id ranges (user blocks), items into G
 * contiguous id ranges (item blocks), and a rating (u, i) lies in cell (user block of u, item
 * block of i).
 *
 * <p><b>Schedule.</b> An epoch visits the G² cells in G rounds; round r holds the G cells
 * (b, (b + r) mod G), b = 0..G−1, in that order. The cells of one round share no user block and
 * no item block, so they touch disjoint rows of P, Q and the biases and can run at the same
 * time on any number of threads with the result of running them one after the other. A list
 * arranged by {@link #arrange} ({@link Kernels#interactions(int[], int[], float[], BlockGrid)},
 * {@link Kernels#triples(int[], int[], int[], BlockGrid)}) is in schedule order: cells in round
 * order, inside a cell by user, equal users in their input order. Every backend runs such a
 * list in list order (sequential semantics); a parallel backend runs each round's cells
 * concurrently, which gives the same result, so results do not depend on the thread count.
 *
 * <p><b>Layout.</b> Contiguous ranges keep a block's rows of P and Q, and its biases,
 * contiguous in memory (no false sharing between blocks at small k, unlike ids mod G), and
 * sorting by user inside a cell walks P in address order, touching each user's row once per
 * cell. {@link #balanced} cuts the ranges where the rating counts reach equal shares, so
 * popular items do not pile up in one block.
 */
public final class BlockGrid {
    /** The largest side {@link #defaultSide} chooses. */
    public static final int MAX_DEFAULT_SIDE = 64;
    /** The side {@link #defaultSide} starts from when the data allows it: rounds of 8 cells keep up to 4 threads busy. */
    static final int BASE_SIDE = 8;
    /** Bytes of item rows (k floats each) that one item block should hold at most, so it stays in a core's L2. */
    static final long ITEM_BLOCK_BYTES = 1 << 20;
    /** Largest G × users for which {@link #arrange} sorts in one pass on (cell, user) keys (a 128 MiB count table). */
    static final long ONE_PASS_KEYS = 1L << 25;
    /** Ratings a cell should hold on average at least, so a cell amortizes its start. */
    static final long MIN_CELL_RATINGS = 2048;

    private final int side;
    private final int[] userBounds;
    private final int[] itemBounds;

    private BlockGrid(int[] userBounds, int[] itemBounds) {
        this.side = userBounds.length - 1;
        this.userBounds = userBounds;
        this.itemBounds = itemBounds;
    }

    /**
     * A grid with the given block bounds: {@code userBounds} has G + 1 entries, starts at 0, never
     * decreases and ends at the number of users (block b is ids {@code [userBounds[b],
     * userBounds[b+1])}, possibly empty); {@code itemBounds} likewise with the same G.
     */
    public static BlockGrid of(int[] userBounds, int[] itemBounds) {
        Check.notNull("userBounds", userBounds);
        Check.notNull("itemBounds", itemBounds);
        if (userBounds.length < 2) {
            throw new IllegalArgumentException("userBounds has " + userBounds.length + " entries; a grid needs at least 2");
        }
        Check.sameLength("userBounds", userBounds.length, "itemBounds", itemBounds.length);
        checkBounds("userBounds", userBounds);
        checkBounds("itemBounds", itemBounds);
        return new BlockGrid(userBounds.clone(), itemBounds.clone());
    }

    private static void checkBounds(String name, int[] bounds) {
        if (bounds[0] != 0) throw new IllegalArgumentException(name + "[0] = " + bounds[0] + " must be 0");
        for (int b = 1; b < bounds.length; b++) {
            if (bounds[b] < bounds[b - 1]) {
                throw new IllegalArgumentException(name + "[" + b + "] = " + bounds[b] + " is below " + name + "["
                        + (b - 1) + "] = " + bounds[b - 1]);
            }
        }
    }

    /**
     * A G × G grid over {@code numUsers} users and {@code numItems} items whose blocks hold about
     * equal numbers of the given ratings: user block b ends at the first id where the ratings of
     * users below it reach b·n/G (likewise for items). Ids must lie in range.
     */
    public static BlockGrid balanced(int side, int numUsers, int numItems, int[] users, int[] items) {
        Check.positive("side", side);
        Check.nonNegative("numUsers", numUsers);
        Check.nonNegative("numItems", numItems);
        Check.notNull("users", users);
        Check.notNull("items", items);
        Check.sameLength("users", users.length, "items", items.length);
        return new BlockGrid(cuts(side, numUsers, users, "users"), cuts(side, numItems, items, "items"));
    }

    private static int[] cuts(int side, int n, int[] ids, String name) {
        long[] count = new long[n];
        for (int j = 0; j < ids.length; j++) {
            int id = ids[j];
            if (id < 0 || id >= n) {
                throw new IllegalArgumentException(name + "[" + j + "] = " + id + " is out of range [0, " + n + ")");
            }
            count[id]++;
        }
        int[] bounds = new int[side + 1];
        bounds[side] = n;
        long total = ids.length;
        long seen = 0;
        int id = 0;
        for (int b = 1; b < side; b++) {
            // With no ratings at all, cut the ids evenly instead.
            long target = total * b / side;
            if (total == 0) {
                bounds[b] = (int) ((long) n * b / side);
                continue;
            }
            while (id < n && seen < target) seen += count[id++];
            bounds[b] = id;
        }
        return bounds;
    }

    /**
     * The side this library picks for n ratings over the given id spaces at k factors on
     * {@code threads} threads: {@value #BASE_SIDE}, or more when one item block's rows
     * (numItems/G · k floats) would not fit in {@value #ITEM_BLOCK_BYTES} bytes (a core's L2 on
     * the machines this was tuned on); fewer when cells would hold fewer than about
     * {@value #MIN_CELL_RATINGS} ratings; 2·threads when that is larger and cells of 256 ratings
     * remain; at most {@value #MAX_DEFAULT_SIDE}. Only the last rule involves the thread count,
     * so data big enough for the base side gets the same grid, and the same results, on 1 to 4
     * threads (and on more when its item rows need a larger side).
     *
     * <p>Measured on the 10M-rating set at k = 64 (138,000 × 27,000; Q = 6.9 MB), one thread,
     * updates per CPU-second: G = 4: 25 M, 6: 26 M, 8: 27–29 M, 16: 23 M, 27: 21 M, 48: 17–18 M.
     * Smaller G means longer runs of one user per cell and fewer passes over P (each cell
     * streams its users' rows once); larger G, item blocks that fit in L2.
     */
    public static int defaultSide(int numUsers, int numItems, int k, long n, int threads) {
        Check.nonNegative("numUsers", numUsers);
        Check.nonNegative("numItems", numItems);
        Check.positive("k", k);
        Check.positive("threads", threads);
        long itemBytes = (long) numItems * k * Float.BYTES;
        long byCache = (itemBytes + ITEM_BLOCK_BYTES - 1) / ITEM_BLOCK_BYTES;
        long byCells = Math.max(1, (long) Math.sqrt((double) n / MIN_CELL_RATINGS));
        long side = Math.max(1, Math.min(Math.max(BASE_SIDE, byCache), byCells));
        if (threads > 1 && 2L * threads > side && n / (4L * threads * threads) >= 256) side = 2L * threads;
        return (int) Math.min(side, MAX_DEFAULT_SIDE);
    }

    /** G, the number of user blocks, of item blocks and of rounds. */
    public int side() {
        return side;
    }

    /** Users the grid covers (ids below this). */
    public int numUsers() {
        return userBounds[side];
    }

    /** Items the grid covers (ids below this). */
    public int numItems() {
        return itemBounds[side];
    }

    /** First user id of user block b. */
    public int userStart(int b) {
        return userBounds[b];
    }

    /** First item id of item block b. */
    public int itemStart(int b) {
        return itemBounds[b];
    }

    /** A copy of the user block bounds (G + 1 entries). */
    public int[] userBounds() {
        return userBounds.clone();
    }

    /** A copy of the item block bounds (G + 1 entries). */
    public int[] itemBounds() {
        return itemBounds.clone();
    }

    /** The user block of cell {@code cell} (in schedule order: cell = round·G + b). */
    public int cellUserBlock(int cell) {
        return cell % side;
    }

    /** The item block of cell {@code cell} (in schedule order: (b + round) mod G). */
    public int cellItemBlock(int cell) {
        return (cell % side + cell / side) % side;
    }

    private int[] blockOf(int[] bounds) {
        int[] block = new int[bounds[side]];
        for (int b = 0; b < side; b++) Arrays.fill(block, bounds[b], bounds[b + 1], b);
        return block;
    }

    /** The user block of every user id, as a new table. */
    public int[] userBlocks() {
        return blockOf(userBounds);
    }

    /** The item block of every item id, as a new table. */
    public int[] itemBlocks() {
        return blockOf(itemBounds);
    }

    /** The schedule position of cell (user block ub, item block ib): round (ib − ub) mod G, then ub. */
    int cellOf(int userBlock, int itemBlock) {
        int round = itemBlock - userBlock;
        if (round < 0) round += side;
        return round * side + userBlock;
    }

    /**
     * A list arranged into schedule order.
     *
     * @param order    {@code order[x]} is the input position of the x-th entry in schedule order
     * @param schedule where each cell's entries lie in that order
     * @param identity whether the list already was in schedule order ({@code order[x] == x})
     */
    public record Arrangement(int[] order, BlockSchedule schedule, boolean identity) {}

    /**
     * The schedule order of a list of (user, item) pairs (for BPR: (user, positive)): cells in
     * round order, users ascending inside a cell, equal users in input order. Costs one counting
     * sort on (cell, user) (two, by user then by cell, when G × users is very large), or one pass
     * when the list already is in that order.
     */
    public Arrangement arrange(int[] users, int[] items) {
        return arrange(users, items, ONE_PASS_KEYS);
    }

    /** {@link #arrange(int[], int[])}, sorting in one pass when G × users ≤ {@code onePassKeys}. */
    Arrangement arrange(int[] users, int[] items, long onePassKeys) {
        Check.notNull("users", users);
        Check.notNull("items", items);
        Check.sameLength("users", users.length, "items", items.length);
        int n = users.length;
        int numUsers = numUsers();
        int numItems = numItems();
        for (int j = 0; j < n; j++) {
            if (users[j] < 0 || users[j] >= numUsers) {
                throw new IllegalArgumentException("users[" + j + "] = " + users[j] + " is outside the grid's "
                        + numUsers + " users");
            }
            if (items[j] < 0 || items[j] >= numItems) {
                throw new IllegalArgumentException("items[" + j + "] = " + items[j] + " is outside the grid's "
                        + numItems + " items");
            }
        }
        int[] userBlock = userBlocks();
        int[] itemBlock = itemBlocks();
        int cells = side * side;
        int[] cellStart = new int[cells + 1];
        int[] order = new int[n];
        boolean sorted = true;
        int previousCell = -1;
        int previousUser = -1;
        for (int j = 0; j < n; j++) {
            int u = users[j];
            int c = cellOf(userBlock[u], itemBlock[items[j]]);
            cellStart[c + 1]++;
            if (c < previousCell || (c == previousCell && u < previousUser)) sorted = false;
            previousCell = c;
            previousUser = u;
        }
        for (int c = 0; c < cells; c++) cellStart[c + 1] += cellStart[c];
        BlockSchedule schedule = new BlockSchedule(this, cellStart);
        if (sorted) {
            for (int j = 0; j < n; j++) order[j] = j;
            return new Arrangement(order, schedule, true);
        }
        if ((long) side * numUsers <= onePassKeys) {
            // One stable counting sort on the key (cell, user): a cell's users are the ids of its
            // user block, so cell c's key range starts where the previous cells' user blocks end.
            int[] keyStart = new int[side * numUsers + 1];
            int[] cellKeys = new int[cells];
            for (int c = 1; c < cells; c++) {
                int b = cellUserBlock(c - 1);
                cellKeys[c] = cellKeys[c - 1] + userBounds[b + 1] - userBounds[b];
            }
            int[] key = new int[n];
            for (int j = 0; j < n; j++) {
                int u = users[j];
                int b = userBlock[u];
                int c = cellOf(b, itemBlock[items[j]]);
                key[j] = cellKeys[c] + u - userBounds[b];
                keyStart[key[j] + 1]++;
            }
            for (int x = 0; x < keyStart.length - 1; x++) keyStart[x + 1] += keyStart[x];
            for (int j = 0; j < n; j++) order[keyStart[key[j]]++] = j;
            return new Arrangement(order, schedule, false);
        }
        // Stable counting sort by user, then a stable counting sort of that order by cell.
        int[] userStart = new int[numUsers + 1];
        for (int u : users) userStart[u + 1]++;
        for (int u = 0; u < numUsers; u++) userStart[u + 1] += userStart[u];
        int[] byUser = new int[n];
        for (int j = 0; j < n; j++) byUser[userStart[users[j]]++] = j;
        int[] next = Arrays.copyOf(cellStart, cells);
        for (int x = 0; x < n; x++) {
            int j = byUser[x];
            order[next[cellOf(userBlock[users[j]], itemBlock[items[j]])]++] = j;
        }
        return new Arrangement(order, schedule, false);
    }

    @Override
    public String toString() {
        return "BlockGrid[" + side + " × " + side + " over " + numUsers() + " users × " + numItems() + " items]";
    }
}
