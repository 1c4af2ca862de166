package org.mfkit.model;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.mfkit.core.BlockGrid;
import org.mfkit.core.BlockSchedule;
import org.mfkit.data.Cumulative;

/**
 * Draws one epoch of BPR triples on a {@link BlockGrid}, already in the grid's schedule order,
 * so the backend can run the cells of a round in parallel with the result of list order.
 *
 * <p>Per cell (user block, item block), in schedule order: the cell gets its share of the
 * epoch's samples (exactly its number of positives when an epoch has as many samples as
 * interactions, otherwise in proportion, by cumulative rounding); that many of its positives
 * (u, i) are drawn uniformly with replacement and taken in the cell's order (by user), and each
 * gets a negative j drawn inside the cell's item block, uniformly or by popularity, and
 * verified: never a positive of u. A user whose positives fill the whole item block gets no
 * triple from that cell. Drawing negatives inside the positive's block is what keeps the cells
 * of a round independent; over an epoch every user meets every block in which it has positives.
 * Everything comes from one seeded stream consumed in schedule order, so an epoch's triples
 * depend on the seed only (not on threads or backend).
 *
 * <p>With positive weights (a count weighting), a cell's share is in proportion to its weight
 * instead of its number of positives, and its positives are drawn in proportion to their
 * weights (a weight of 0 is never drawn), even when an epoch has as many samples as
 * interactions. Every weight 0 falls back to the unweighted draw.
 */
final class BprSampler {
    /** Popularity draws (or, uniform: random draws) that may land on positives before the exact fallback. */
    static final int TRIES = 64;
    /** Largest users × items for which verification uses a bit per pair instead of a binary search. */
    static final long BITSET_LIMIT = 1L << 28;

    private final BlockGrid grid;
    private final BlockSchedule schedule;
    private final int[] cellUsers;
    private final int[] cellItems;
    private final int[] userStart;
    private final int[] userItems;
    private final long[] bits;
    private final int numItems;
    private final double[] cdf;
    private final int samples;
    private final int[] hits;
    /** Running sums of the positives' weights in schedule order, or null for unweighted draws. */
    private final double[] weightSums;
    /**
     * Whether {@link #users} and {@link #positives} hold every positive in schedule order, as the
     * default epoch draws them: then an epoch rewrites only the negatives (until a skipped
     * positive shifts the list).
     */
    private boolean pairsInPlace;
    final int[] users;
    final int[] positives;
    final int[] negatives;

    /**
     * @param users     user of each positive (distinct pairs)
     * @param items     item of each positive
     * @param cdf       running interaction counts per item for popularity negatives, or null for uniform
     * @param samples   triples per epoch
     * @param bitsetLimit largest users × items verified with a bit per pair ({@link #BITSET_LIMIT}); above it,
     *                  a binary search in the user's sorted positives
     * @param weights   weight of each positive (&ge; 0) to draw positives in proportion to, or null for unweighted draws
     */
    BprSampler(BlockGrid grid, int numUsers, int numItems, int[] users, int[] items, double[] cdf, int samples,
               long bitsetLimit, float[] weights) {
        this.grid = grid;
        this.numItems = numItems;
        this.cdf = cdf;
        this.samples = samples;
        BlockGrid.Arrangement a = grid.arrange(users, items);
        this.schedule = a.schedule();
        int n = users.length;
        int[] order = a.order();
        cellUsers = new int[n];
        cellItems = new int[n];
        for (int x = 0; x < n; x++) {
            cellUsers[x] = users[order[x]];
            cellItems[x] = items[order[x]];
        }
        double[] sums = null;
        if (weights != null) {
            sums = new double[n];
            double running = 0;
            for (int x = 0; x < n; x++) {
                running += weights[order[x]];
                sums[x] = running;
            }
            if (!(running > 0)) sums = null;
        }
        this.weightSums = sums;
        // Each user's positives sorted by item: a counting sort by item, then a stable one by user.
        int[] itemStart = new int[numItems + 1];
        for (int i : items) itemStart[i + 1]++;
        for (int i = 0; i < numItems; i++) itemStart[i + 1] += itemStart[i];
        int[] byItem = new int[n];
        for (int j = 0; j < n; j++) byItem[itemStart[items[j]]++] = j;
        userStart = new int[numUsers + 1];
        for (int u : users) userStart[u + 1]++;
        for (int u = 0; u < numUsers; u++) userStart[u + 1] += userStart[u];
        int[] next = Arrays.copyOf(userStart, numUsers);
        userItems = new int[n];
        for (int x = 0; x < n; x++) {
            int j = byItem[x];
            userItems[next[users[j]]++] = items[j];
        }
        if ((long) numUsers * numItems <= bitsetLimit) {
            bits = new long[(int) (((long) numUsers * numItems + 63) >>> 6)];
            for (int j = 0; j < n; j++) {
                long bit = (long) users[j] * numItems + items[j];
                bits[(int) (bit >>> 6)] |= 1L << bit;
            }
        } else {
            bits = null;
        }
        int largest = 0;
        for (int c = 0; c < grid.side() * grid.side(); c++) largest = Math.max(largest, schedule.size(c));
        hits = new int[largest];
        this.users = new int[samples];
        this.positives = new int[samples];
        this.negatives = new int[samples];
    }

    /** An unweighted sampler (positives drawn uniformly within each cell). */
    BprSampler(BlockGrid grid, int numUsers, int numItems, int[] users, int[] items, double[] cdf, int samples,
               long bitsetLimit) {
        this(grid, numUsers, numItems, users, items, cdf, samples, bitsetLimit, null);
    }

    /** Fills {@link #users}, {@link #positives}, {@link #negatives} with one epoch; returns how many were drawn. */
    int draw(SplittableRandom random) {
        int cells = grid.side() * grid.side();
        long total = cellUsers.length;
        if (weightSums == null && samples == total && cdf == null && bits != null) return drawEveryPositiveOnce(random);
        pairsInPlace = false;
        int drawn = 0;
        for (int c = 0; c < cells; c++) {
            int from = schedule.start(c);
            int size = schedule.size(c);
            if (size == 0) continue;
            int share = weightSums == null
                    ? (int) (samples * (long) schedule.end(c) / total - samples * (long) from / total)
                    : weightedShare(from, schedule.end(c));
            int itemBlock = grid.cellItemBlock(c);
            int lo = grid.itemStart(itemBlock);
            int hi = grid.itemStart(itemBlock + 1);
            if (weightSums != null) {
                Arrays.fill(hits, 0, size, 0);
                double base = from == 0 ? 0 : weightSums[from - 1];
                double mass = weightSums[from + size - 1] - base;
                for (int s = 0; s < share; s++) hits[weighted(from, size, base + random.nextDouble() * mass) - from]++;
            } else if (samples == total) {
                Arrays.fill(hits, 0, size, 1);
            } else {
                Arrays.fill(hits, 0, size, 0);
                for (int s = 0; s < share; s++) hits[random.nextInt(size)]++;
            }
            long width = hi - lo;
            for (int x = 0; x < size; x++) {
                for (int h = hits[x]; h > 0; h--) {
                    int u = cellUsers[from + x];
                    int j = -1;
                    if (cdf == null && bits != null) {
                        // The common case inline: one uniform draw (multiply-shift: no division;
                        // its bias, under width / 2³², is far below sampling noise) and one bit test.
                        int candidate = lo + (int) (((random.nextInt() & 0xFFFFFFFFL) * width) >>> 32);
                        long bit = (long) u * numItems + candidate;
                        if ((bits[(int) (bit >>> 6)] & (1L << bit)) == 0) j = candidate;
                    }
                    if (j < 0) j = negative(random, u, lo, hi);
                    if (j < 0) continue;
                    users[drawn] = u;
                    positives[drawn] = cellItems[from + x];
                    negatives[drawn] = j;
                    drawn++;
                }
            }
        }
        return drawn;
    }

    /**
     * {@link #draw} in the default case (as many samples as positives, unweighted, uniform
     * negatives verified by bits): every positive once, in the cell's order, without the
     * general loop's per-cell tally, every try of a negative drawn by multiply-shift and tested
     * inline (a heavy user's positives can fill much of a block), and the users and positives
     * written only when they are not already in place: they are the same every epoch.
     */
    private int drawEveryPositiveOnce(SplittableRandom random) {
        if (!pairsInPlace) {
            System.arraycopy(cellUsers, 0, users, 0, cellUsers.length);
            System.arraycopy(cellItems, 0, positives, 0, cellItems.length);
            pairsInPlace = true;
        }
        int cells = grid.side() * grid.side();
        int drawn = 0;
        for (int c = 0; c < cells; c++) {
            int from = schedule.start(c);
            int end = schedule.end(c);
            int itemBlock = grid.cellItemBlock(c);
            int lo = grid.itemStart(itemBlock);
            int hi = grid.itemStart(itemBlock + 1);
            long width = hi - lo;
            for (int x = from; x < end; x++) {
                int u = cellUsers[x];
                long row = (long) u * numItems;
                int j = -1;
                for (int t = 0; t < TRIES; t++) {
                    // Uniform draws by multiply-shift (no division; the bias, under width / 2³², is
                    // far below sampling noise), each verified by one bit test.
                    int candidate = lo + (int) (((random.nextInt() & 0xFFFFFFFFL) * width) >>> 32);
                    long bit = row + candidate;
                    if ((bits[(int) (bit >>> 6)] & (1L << bit)) == 0) {
                        j = candidate;
                        break;
                    }
                }
                if (j < 0) j = uniformAmongNegatives(random, u, lo, hi);
                if (j < 0) {
                    pairsInPlace = false;
                    continue;
                }
                if (drawn != x) {
                    users[drawn] = u;
                    positives[drawn] = cellItems[x];
                }
                negatives[drawn] = j;
                drawn++;
            }
        }
        return drawn;
    }

    /** The samples of cell positions [from, end) by cumulative rounding of their share of the weight. */
    private int weightedShare(int from, int end) {
        double total = weightSums[weightSums.length - 1];
        double before = from == 0 ? 0 : weightSums[from - 1];
        return (int) (Math.floor(samples * (weightSums[end - 1] / total)) - Math.floor(samples * (before / total)));
    }

    /** The first position in [from, from + size) whose running weight exceeds x (a weight of 0 is never drawn). */
    private int weighted(int from, int size, double x) {
        int lo = from;
        int hi = from + size - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (weightSums[mid] > x) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }

    /** A verified negative of user u in items [lo, hi), or -1 when every item there is a positive of u. */
    int negative(SplittableRandom random, int u, int lo, int hi) {
        int width = hi - lo;
        double base = cdf == null ? 0 : lo == 0 ? 0 : cdf[lo - 1];
        double mass = cdf == null ? 0 : cdf[hi - 1] - base;
        for (int t = 0; t < TRIES; t++) {
            int candidate;
            if (cdf != null && mass > 0) {
                // Items without interactions have zero width and are never drawn.
                candidate = Math.min(hi - 1, Math.max(lo, Cumulative.firstAbove(cdf, base + random.nextDouble() * mass)));
            } else {
                candidate = lo + random.nextInt(width);
            }
            if (!isPositive(u, candidate)) return candidate;
        }
        return uniformAmongNegatives(random, u, lo, hi);
    }

    /**
     * A negative of user u drawn uniformly among all of u's negatives in items [lo, hi) (a rank
     * among them, then a skip over the positives), or -1 when there is none.
     */
    private int uniformAmongNegatives(SplittableRandom random, int u, int lo, int hi) {
        int width = hi - lo;
        int from = firstAtLeast(u, lo);
        int to = firstAtLeast(u, hi);
        int free = width - (to - from);
        if (free == 0) return -1;
        int j = lo + random.nextInt(free);
        for (int x = from; x < to && userItems[x] <= j; x++) j++;
        return j;
    }

    private boolean isPositive(int u, int item) {
        if (bits != null) {
            long bit = (long) u * numItems + item;
            return (bits[(int) (bit >>> 6)] & (1L << bit)) != 0;
        }
        return Arrays.binarySearch(userItems, userStart[u], userStart[u + 1], item) >= 0;
    }

    /** Position of u's first positive with item id &ge; item. */
    private int firstAtLeast(int u, int item) {
        int lo = userStart[u];
        int hi = userStart[u + 1];
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (userItems[mid] < item) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
