package org.mfkit.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.mfkit.core.CsrMatrix;
import org.mfkit.core.DenseMatrix;
import org.mfkit.core.IndexArray;
import org.mfkit.core.Kernels;
import org.mfkit.data.CountWeighting;
import org.mfkit.data.HostCsr;
import org.mfkit.model.BiasedAlsSolve;
import org.mfkit.model.FactorInit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;
import scala.Tuple4;

/**
 * Blocked ALS on Spark with mfkit kernels (the algorithm behind {@link MfAls}).
 *
 * <p>Once per fit: the distinct user and item ids are collected and sorted (a row's dense
 * index is its position), each side is cut into contiguous blocks ({@link Layout}), and the
 * ratings are shuffled once into {@link RatingBlock}s, one per user block and one per item
 * block (one RDD, split into the two sides without a job), co-partitioned with the factor
 * blocks of that side. Each half-step's action runs on one task per core ({@link #tasks}).
 *
 * <p>Per half-step (users, then items, as mfkit's single-machine trainers): the fixed side is
 * broadcast when its factors fit under the threshold (its blocks are collected to the driver
 * right after they are solved; no shuffle), otherwise each fixed block sends every target
 * block exactly the rows it needs (one shuffle, as Spark's ALS). Each task gathers its
 * needed rows into a local matrix and solves its block with mfkit kernels on the executor's
 * backend: biased explicit ALS ({@link BiasedAlsSolve}) or HKV implicit ALS with YᵀY summed
 * exactly from per-chunk parts ({@link ExactSums}). Implicit strengths are count-weighted
 * ({@link CountWeighting}) once, after the blocks are built, with BM25's per-user and per-item
 * statistics gathered from the blocks first.
 *
 * <p>Deterministic: initial rows depend on (seed, side, external id) only ({@link FactorInit}),
 * each row's entries are summed in ascending id order, and the Gram sum is exact, so the same
 * ratings give the same bits in any input order and for any block count or mode.
 */
final class BlockedAls {
    private static final Logger LOG = LoggerFactory.getLogger(BlockedAls.class);

    private BlockedAls() {}

    /** One side's state during a fit. */
    static final class Side {
        final Layout layout;
        final Broadcast<Layout> shared;
        final JavaRDD<RatingBlock> ratings;
        final boolean broadcastable;
        JavaRDD<FactorBlock> factors;
        /** All factor rows in dense order (when broadcastable), else null. */
        float[] dense;
        /** YᵀY of the current factors (implicit), else null. */
        float[] gram;
        /** Which rows each block of the other side needs (shuffle mode only), built on first use. */
        JavaRDD<OutBlock> outBlocks;

        Side(Layout layout, Broadcast<Layout> shared, JavaRDD<RatingBlock> ratings, boolean broadcastable) {
            this.layout = layout;
            this.shared = shared;
            this.ratings = ratings;
            this.broadcastable = broadcastable;
        }
    }

    /** The outcome of a fit. */
    static final class Result {
        final Side users;
        final Side items;
        final float mean;
        final float clipMin;
        final float clipMax;
        /** What BM25 weighting took from the training interactions (dense order), else null. */
        final CountWeighting.Statistics countStatistics;

        Result(Side users, Side items, float mean, float clipMin, float clipMax,
               CountWeighting.Statistics countStatistics) {
            this.users = users;
            this.items = items;
            this.mean = mean;
            this.clipMin = clipMin;
            this.clipMax = clipMax;
            this.countStatistics = countStatistics;
        }
    }

    /**
     * Trains on {@code input} (raw external ids in {@code rows}/{@code cols}: users and items).
     *
     * @param broadcastThreshold a side whose factors take at most this many bytes is broadcast
     */
    static Result fit(JavaSparkContext sc, JavaRDD<RatingChunk> input, AlsSettings s, int numUserBlocks,
                      int numItemBlocks, int maxIter, int checkpointInterval, long broadcastThreshold) {
        List<int[][]> distinct = input.map(BlockedAls::distinctIds).collect();
        Layout users = Layout.of(mergeSorted(distinct, 0), numUserBlocks);
        Layout items = Layout.of(mergeSorted(distinct, 1), numItemBlocks);
        if (users.size() == 0) throw new IllegalArgumentException("dataset has no ratings");
        Broadcast<Layout> usersShared = sc.broadcast(users);
        Broadcast<Layout> itemsShared = sc.broadcast(items);
        int width = s.width();
        JavaRDD<RatingBlock> bothSides = ratingBlocks(input, usersShared, itemsShared, s.implicit);
        JavaRDD<RatingBlock> userRatings = partitions(bothSides, 0, numUserBlocks);
        JavaRDD<RatingBlock> itemRatings = partitions(bothSides, numUserBlocks, numItemBlocks);
        CountWeighting.Statistics statistics = null;
        if (s.implicit && s.weighting != CountWeighting.Scheme.NONE) {
            Broadcast<float[][]> shared = null;
            if (s.weighting().needsStatistics()) {
                statistics = countStatistics(userRatings, itemRatings, users.size(), items.size());
                shared = sc.broadcast(new float[][] {statistics.userCounts(), statistics.itemSums()});
            }
            JavaRDD<RatingBlock> weighedUsers = weighed(userRatings, shared, s, true);
            JavaRDD<RatingBlock> weighedItems = weighed(itemRatings, shared, s, false);
            weighedUsers.count();
            weighedItems.count();
            bothSides.unpersist(false);
            if (shared != null) shared.unpersist(false);
            userRatings = weighedUsers;
            itemRatings = weighedItems;
        }
        Side u = new Side(users, usersShared, userRatings,
                (long) users.size() * width * Float.BYTES <= broadcastThreshold);
        Side i = new Side(items, itemsShared, itemRatings,
                (long) items.size() * width * Float.BYTES <= broadcastThreshold);

        float mean = 0f;
        float clipMin = Float.NaN;
        float clipMax = Float.NaN;
        if (!s.implicit) {
            List<Tuple4<ExactSums, Long, Float, Float>> stats = u.ratings.map(BlockedAls::ratingStats).collect();
            ExactSums sum = new ExactSums(1);
            long count = 0;
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            for (Tuple4<ExactSums, Long, Float, Float> st : stats) {
                sum.merge(st._1());
                count += st._2();
                min = Math.min(min, st._3());
                max = Math.max(max, st._4());
            }
            mean = (float) (sum.toDoubles()[0] / count);
            if (min < max) {
                clipMin = min;
                clipMax = max;
            }
        }
        LOG.info("MfAls: {} users in {} blocks ({}), {} items in {} blocks ({})", users.size(), numUserBlocks,
                u.broadcastable ? "broadcast" : "shuffled", items.size(), numItemBlocks,
                i.broadcastable ? "broadcast" : "shuffled");

        initialize(i, FactorInit.ITEMS, s);
        if (s.implicit) {
            initialize(u, FactorInit.USERS, s);
        } else {
            u.factors = zeroFactors(u.ratings, width);
            u.factors.persist(StorageLevel.MEMORY_AND_DISK());
        }
        boolean reliable = sc.getCheckpointDir().isPresent();
        if (!reliable && checkpointInterval > 0 && maxIter >= checkpointInterval) {
            LOG.warn("MfAls: no checkpoint directory is set (SparkContext.setCheckpointDir); the factors are "
                    + "checkpointed locally every {} iterations instead, so losing an executor fails the fit",
                    checkpointInterval);
        }
        for (int iter = 1; iter <= maxIter; iter++) {
            boolean checkpoint = checkpointInterval > 0 && iter % checkpointInterval == 0;
            halfStep(sc, u, i, s, mean, checkpoint, reliable);
            halfStep(sc, i, u, s, mean, checkpoint, reliable);
        }
        return new Result(u, i, mean, clipMin, clipMax, statistics);
    }

    // ------------------------------------------------------------------ count weighting

    /**
     * BM25's statistics of the merged interactions, as {@link CountWeighting.Statistics#of} takes
     * them on one machine: n_u from the user blocks' row lengths, S_i summed in float64 over each
     * item block's row in ascending user order (the single-machine order), one part per block
     * placed by its first row, so the numbers do not depend on the block count.
     */
    static CountWeighting.Statistics countStatistics(JavaRDD<RatingBlock> userRatings, JavaRDD<RatingBlock> itemRatings,
                                                     int numUsers, int numItems) {
        float[] userCounts = new float[numUsers];
        for (Tuple2<Integer, float[]> part : userRatings.map(b -> {
            float[] counts = new float[b.numRows];
            for (int r = 0; r < b.numRows; r++) counts[r] = b.rowPtr[r + 1] - b.rowPtr[r];
            return new Tuple2<>(b.firstRow, counts);
        }).collect()) {
            System.arraycopy(part._2(), 0, userCounts, part._1(), part._2().length);
        }
        float[] itemSums = new float[numItems];
        for (Tuple2<Integer, float[]> part : itemRatings.map(b -> {
            float[] sums = new float[b.numRows];
            for (int r = 0; r < b.numRows; r++) {
                double sum = 0;
                for (int e = b.rowPtr[r]; e < b.rowPtr[r + 1]; e++) sum += b.values[e];
                sums[r] = (float) sum;
            }
            return new Tuple2<>(b.firstRow, sums);
        }).collect()) {
            System.arraycopy(part._2(), 0, itemSums, part._1(), part._2().length);
        }
        return new CountWeighting.Statistics(userCounts, itemSums);
    }

    /**
     * The blocks with their values replaced by the count weighting's w, computed by
     * {@link CountWeighting#apply(CountWeighting.Statistics, int[], int[], float[])} on dense
     * indices, so each pair gets the same weight in its user block and its item block as on
     * one machine. {@code statistics} holds (n_u, S_i) for BM25, else it is null.
     */
    private static JavaRDD<RatingBlock> weighed(JavaRDD<RatingBlock> blocks, Broadcast<float[][]> statistics,
                                                AlsSettings s, boolean rowsAreUsers) {
        JavaRDD<RatingBlock> out = blocks.mapPartitions(it -> {
            RatingBlock b = it.next();
            int n = b.nnz();
            int[] rows = new int[n];
            int[] cols = new int[n];
            for (int r = 0; r < b.numRows; r++) {
                for (int e = b.rowPtr[r]; e < b.rowPtr[r + 1]; e++) {
                    rows[e] = b.firstRow + r;
                    cols[e] = b.needed[b.cols[e]];
                }
            }
            CountWeighting.Statistics stats = statistics == null ? null
                    : new CountWeighting.Statistics(statistics.value()[0], statistics.value()[1]);
            float[] w = s.weighting().apply(stats, rowsAreUsers ? rows : cols, rowsAreUsers ? cols : rows, b.values);
            return Collections.singletonList(new RatingBlock(b.block, b.firstRow, b.numRows, b.rowPtr, b.cols, w,
                    b.needed)).iterator();
        }, true);
        out.persist(StorageLevel.MEMORY_AND_DISK());
        return out;
    }

    // ------------------------------------------------------------------ building blocks

    private static int[][] distinctIds(RatingChunk chunk) {
        return new int[][] {sortedDistinct(chunk.rows, chunk.size), sortedDistinct(chunk.cols, chunk.size)};
    }

    static int[] sortedDistinct(int[] values, int size) {
        int[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        int n = 0;
        for (int j = 0; j < sorted.length; j++) {
            if (n == 0 || sorted[j] != sorted[n - 1]) sorted[n++] = sorted[j];
        }
        return Arrays.copyOf(sorted, n);
    }

    private static int[] mergeSorted(List<int[][]> parts, int which) {
        int total = 0;
        for (int[][] p : parts) total += p[which].length;
        int[] all = new int[total];
        int at = 0;
        for (int[][] p : parts) {
            System.arraycopy(p[which], 0, all, at, p[which].length);
            at += p[which].length;
        }
        return sortedDistinct(all, total);
    }

    /**
     * One {@link RatingBlock} per block of {@code rowSide}: the ratings are sent to their row's
     * block as primitive chunks, then sorted by (row, column, value). Duplicated pairs are
     * merged in that order: summed (implicit: repeated events add up) or averaged (explicit:
     * a distributed data set has no order that would say which one is the last).
     */
    static JavaRDD<RatingBlock> ratingBlocks(JavaRDD<RatingChunk> input, Broadcast<Layout> rowSide,
                                             Broadcast<Layout> colSide, boolean rowsAreUsers, boolean implicit) {
        int blocks = rowSide.value().numBlocks();
        JavaPairRDD<Integer, RatingChunk> keyed = input.flatMapToPair(chunk -> {
            Layout rows = rowSide.value();
            Layout cols = colSide.value();
            RatingChunk[] out = new RatingChunk[rows.numBlocks()];
            for (int j = 0; j < chunk.size; j++) {
                int row = rows.dense(rowsAreUsers ? chunk.rows[j] : chunk.cols[j]);
                int col = cols.dense(rowsAreUsers ? chunk.cols[j] : chunk.rows[j]);
                if (row < 0 || col < 0) continue; // an id the layout lacks (seen data given to a model)
                int b = rows.blockOf(row);
                if (out[b] == null) out[b] = new RatingChunk(Math.max(16, chunk.size / out.length));
                out[b].add(row - rows.blockStart(b), col, chunk.values[j]);
            }
            List<Tuple2<Integer, RatingChunk>> emitted = new ArrayList<>();
            for (int b = 0; b < out.length; b++) if (out[b] != null) emitted.add(new Tuple2<>(b, out[b].trimmed()));
            return emitted.iterator();
        });
        JavaRDD<RatingBlock> built = keyed.partitionBy(new BlockPartitioner(blocks)).mapPartitionsWithIndex(
                (b, it) -> Collections.singletonList(buildBlock(b, rowSide.value(), it, implicit)).iterator(), true);
        built.persist(StorageLevel.MEMORY_AND_DISK());
        return built;
    }

    /**
     * The user blocks (partitions 0 … U − 1) and the item blocks (U … U + I − 1) of the ratings
     * from one shuffle: each input chunk is read once and sent to its user block and its item
     * block in the same pass, so building both sides takes one job instead of two. Each block
     * is the one {@link #ratingBlocks(JavaRDD, Broadcast, Broadcast, boolean, boolean)} builds
     * for its side; {@link #partitions} splits the sides.
     */
    static JavaRDD<RatingBlock> ratingBlocks(JavaRDD<RatingChunk> input, Broadcast<Layout> users,
                                             Broadcast<Layout> items, boolean implicit) {
        int userBlocks = users.value().numBlocks();
        int blocks = userBlocks + items.value().numBlocks();
        JavaPairRDD<Integer, RatingChunk> keyed = input.flatMapToPair(chunk -> {
            Layout u = users.value();
            Layout i = items.value();
            int ub = u.numBlocks();
            RatingChunk[] out = new RatingChunk[ub + i.numBlocks()];
            int chunkSize = Math.max(16, chunk.size / out.length);
            for (int j = 0; j < chunk.size; j++) {
                int user = u.dense(chunk.rows[j]);
                int item = i.dense(chunk.cols[j]);
                if (user < 0 || item < 0) continue; // an id the layout lacks
                int b = u.blockOf(user);
                if (out[b] == null) out[b] = new RatingChunk(chunkSize);
                out[b].add(user - u.blockStart(b), item, chunk.values[j]);
                b = i.blockOf(item);
                if (out[ub + b] == null) out[ub + b] = new RatingChunk(chunkSize);
                out[ub + b].add(item - i.blockStart(b), user, chunk.values[j]);
            }
            List<Tuple2<Integer, RatingChunk>> emitted = new ArrayList<>();
            for (int b = 0; b < out.length; b++) if (out[b] != null) emitted.add(new Tuple2<>(b, out[b].trimmed()));
            return emitted.iterator();
        });
        JavaRDD<RatingBlock> built = keyed.partitionBy(new BlockPartitioner(blocks)).mapPartitionsWithIndex(
                (p, it) -> Collections.singletonList(p < userBlocks ? buildBlock(p, users.value(), it, implicit)
                        : buildBlock(p - userBlocks, items.value(), it, implicit)).iterator(), true);
        built.persist(StorageLevel.MEMORY_AND_DISK());
        return built;
    }

    /** Partitions {@code from … from + count − 1} of {@code rdd}, renumbered from 0 (no job, no copy). */
    static JavaRDD<RatingBlock> partitions(JavaRDD<RatingBlock> rdd, int from, int count) {
        scala.Function1<Object, Object> keep = (scala.Function1<Object, Object> & java.io.Serializable)
                p -> (Integer) p >= from && (Integer) p < from + count;
        return JavaRDD.fromRDD(org.apache.spark.rdd.PartitionPruningRDD.create(rdd.rdd(), keep),
                scala.reflect.ClassTag$.MODULE$.apply(RatingBlock.class));
    }

    private static RatingBlock buildBlock(int block, Layout layout, Iterator<Tuple2<Integer, RatingChunk>> chunks,
                                          boolean implicit) {
        int numRows = layout.blockRows(block);
        List<RatingChunk> list = new ArrayList<>();
        int total = 0;
        while (chunks.hasNext()) {
            RatingChunk c = chunks.next()._2();
            list.add(c);
            total += c.size;
        }
        int[] rowPtr = new int[numRows + 1];
        for (RatingChunk c : list) for (int j = 0; j < c.size; j++) rowPtr[c.rows[j] + 1]++;
        for (int r = 0; r < numRows; r++) rowPtr[r + 1] += rowPtr[r];
        // Key = column in the high half, the value's bits in the low half: sorting a row's keys
        // orders it by column, and duplicates by value, whatever order they arrived in.
        long[] keys = new long[total];
        int[] next = Arrays.copyOf(rowPtr, numRows);
        for (RatingChunk c : list) {
            for (int j = 0; j < c.size; j++) {
                keys[next[c.rows[j]]++] = ((long) c.cols[j] << 32) | (Float.floatToIntBits(c.values[j]) & 0xFFFFFFFFL);
            }
        }
        int[] outPtr = new int[numRows + 1];
        int[] cols = new int[total];
        float[] values = new float[total];
        int n = 0;
        for (int r = 0; r < numRows; r++) {
            Arrays.sort(keys, rowPtr[r], rowPtr[r + 1]);
            int e = rowPtr[r];
            while (e < rowPtr[r + 1]) {
                int col = (int) (keys[e] >>> 32);
                double sum = 0;
                int count = 0;
                while (e < rowPtr[r + 1] && (int) (keys[e] >>> 32) == col) {
                    sum += Float.intBitsToFloat((int) keys[e]);
                    count++;
                    e++;
                }
                cols[n] = col;
                values[n] = (float) (implicit ? sum : sum / count);
                n++;
            }
            outPtr[r + 1] = n;
        }
        int[] needed = sortedDistinct(cols, n);
        int[] compact = new int[n];
        for (int e = 0; e < n; e++) compact[e] = Arrays.binarySearch(needed, cols[e]);
        return new RatingBlock(block, layout.blockStart(block), numRows, outPtr, compact, Arrays.copyOf(values, n),
                needed);
    }

    /** (exact sum, count, min, max) of a block's values. */
    private static Tuple4<ExactSums, Long, Float, Float> ratingStats(RatingBlock b) {
        ExactSums sum = new ExactSums(1);
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : b.values) {
            sum.add(0, v);
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return new Tuple4<>(sum, (long) b.values.length, min, max);
    }

    // ------------------------------------------------------------------ factors

    private static JavaRDD<FactorBlock> zeroFactors(JavaRDD<RatingBlock> ratings, int width) {
        return ratings.map(b -> new FactorBlock(b.block, b.firstRow, b.numRows, width, new float[b.numRows * width], null));
    }

    private static void initialize(Side side, int sideNumber, AlsSettings s) {
        Broadcast<Layout> shared = side.shared;
        side.factors = side.ratings.map(b -> {
            int width = s.width();
            float[] values = new float[b.numRows * width];
            Layout layout = shared.value();
            for (int r = 0; r < b.numRows; r++) {
                FactorInit.gaussianRow(s.seed, sideNumber, layout.id(b.firstRow + r), s.initStd, values, r * width,
                        s.rank);
            }
            ExactSums gram = null;
            if (s.implicit) {
                try (ExecutorKernels.Lease lease = ExecutorKernels.borrow(s.backend)) {
                    gram = chunkGram(lease.kernels, layout.chunkRows(), b.numRows, values, s.rank);
                }
            }
            return new FactorBlock(b.block, b.firstRow, b.numRows, width, values, gram);
        });
        side.factors.persist(StorageLevel.MEMORY_AND_DISK());
        materialize(side, s);
    }

    /**
     * Runs the side's pending factors and brings what the next half-step needs to the driver.
     * The action runs on a no-shuffle coalesce of the persisted blocks to at most one task per
     * core ({@link #tasks}): each task computes and caches several blocks, so a half-step costs
     * the cluster's core count in task launches instead of the block count, while the factor
     * RDD keeps its blocks (co-partitioned with the rating blocks) for the next half-step.
     */
    private static void materialize(Side side, AlsSettings s) {
        JavaRDD<FactorBlock> factors = side.factors.coalesce(tasks(side.factors), false);
        if (side.broadcastable) {
            List<FactorBlock> blocks = factors.collect();
            int width = s.width();
            float[] dense = new float[side.layout.size() * width];
            ExactSums gram = s.implicit ? new ExactSums(s.rank * s.rank) : null;
            for (FactorBlock b : blocks) {
                System.arraycopy(b.values, 0, dense, b.firstRow * width, b.numRows * width);
                if (gram != null) gram.merge(b.gram);
            }
            side.dense = dense;
            side.gram = gram == null ? null : gram.toFloats();
        } else if (s.implicit) {
            ExactSums gram = new ExactSums(s.rank * s.rank);
            for (ExactSums part : factors.map(b -> b.gram).collect()) gram.merge(part);
            side.dense = null;
            side.gram = gram.toFloats();
        } else {
            factors.count();
            side.dense = null;
        }
    }

    /**
     * Tasks for an action over all blocks of {@code blocks}: the blocks, but at most the
     * context's default parallelism (its cores), since more tasks than cores only add
     * launches. The partitions are grouped in order, and each block's result does not depend
     * on its task, so the grouping changes no bits.
     */
    static int tasks(JavaRDD<?> blocks) {
        return Math.max(1, Math.min(blocks.getNumPartitions(), blocks.context().defaultParallelism()));
    }

    /**
     * The exact sum of the Gram matrices of the block's chunks: rows are taken in chunks of
     * {@code chunkRows} dense rows counted from 0 (block starts are chunk multiples), so every
     * chunk, and hence the total, is the same for any block count.
     */
    static ExactSums chunkGram(Kernels kernels, int chunkRows, int numRows, float[] values, int k) {
        ExactSums sums = new ExactSums(k * k);
        try (DenseMatrix g = kernels.matrix(k, k)) {
            for (int from = 0; from < numRows; from += chunkRows) {
                int rows = Math.min(chunkRows, numRows - from);
                try (DenseMatrix y = kernels.matrix(rows, k, Arrays.copyOfRange(values, from * k, (from + rows) * k))) {
                    kernels.gram(y, g);
                }
                sums.addAll(g.toArray());
            }
        }
        return sums;
    }

    // ------------------------------------------------------------------ half-steps

    /** Solves every block of {@code target} against the current factors of {@code fixed}. */
    private static void halfStep(JavaSparkContext sc, Side target, Side fixed, AlsSettings s, float mean,
                                 boolean checkpoint, boolean reliable) {
        JavaRDD<FactorBlock> previous = target.factors;
        float[] gram = fixed.gram;
        Broadcast<Layout> targetLayout = target.shared;
        JavaRDD<FactorBlock> next;
        Broadcast<float[]> all = fixed.broadcastable ? sc.broadcast(fixed.dense) : null;
        if (all != null) {
            next = target.ratings.zipPartitions(previous, (ratings, current) -> {
                RatingBlock rb = ratings.next();
                FactorBlock cur = current.next();
                float[] local = gather(all.value(), rb.needed, s.width());
                return Collections.singletonList(solveBlock(rb, cur, local, gram, mean, s,
                        targetLayout.value().chunkRows())).iterator();
            });
        } else {
            if (fixed.outBlocks == null) fixed.outBlocks = outBlocks(target, fixed);
            int targetBlocks = target.layout.numBlocks();
            JavaRDD<Tuple2<Integer, FactorPart>> sent = fixed.outBlocks.zipPartitions(fixed.factors, (outs, factors) -> {
                OutBlock out = outs.next();
                FactorBlock f = factors.next();
                List<Tuple2<Integer, FactorPart>> parts = new ArrayList<>();
                for (int b = 0; b < out.rowsFor.length; b++) {
                    int[] rows = out.rowsFor[b];
                    if (rows.length > 0) parts.add(new Tuple2<>(b, new FactorPart(f.block, gather(f.values, rows, f.width))));
                }
                return parts.iterator();
            });
            JavaRDD<FactorPart> received = JavaPairRDD.fromJavaRDD(sent)
                    .partitionBy(new BlockPartitioner(targetBlocks)).values();
            JavaRDD<Tuple2<RatingBlock, FactorBlock>> paired = target.ratings.zipPartitions(previous,
                    (ratings, current) -> Collections.singletonList(new Tuple2<>(ratings.next(), current.next())).iterator());
            next = paired.zipPartitions(received, (pairs, parts) -> {
                Tuple2<RatingBlock, FactorBlock> p = pairs.next();
                RatingBlock rb = p._1();
                List<FactorPart> list = new ArrayList<>();
                parts.forEachRemaining(list::add);
                list.sort((a, b) -> Integer.compare(a.sourceBlock, b.sourceBlock));
                int width = s.width();
                float[] local = new float[rb.needed.length * width];
                int at = 0;
                for (FactorPart part : list) {
                    System.arraycopy(part.rows, 0, local, at, part.rows.length);
                    at += part.rows.length;
                }
                if (at != local.length) {
                    throw new IllegalStateException("block " + rb.block + " received " + at / width + " rows, expected "
                            + rb.needed.length);
                }
                return Collections.singletonList(solveBlock(rb, p._2(), local, gram, mean, s,
                        targetLayout.value().chunkRows())).iterator();
            });
        }
        next.persist(StorageLevel.MEMORY_AND_DISK());
        if (checkpoint) {
            if (reliable) next.rdd().checkpoint();
            else next.rdd().localCheckpoint();
        }
        target.factors = next;
        materialize(target, s);
        previous.unpersist(false);
        // Executors drop their copies; the driver keeps one in case a lost block is recomputed.
        if (all != null) all.unpersist(false);
    }

    /** Rows {@code rows} of {@code all} (row-major, {@code width} floats each), in that order. */
    private static float[] gather(float[] all, int[] rows, int width) {
        float[] out = new float[rows.length * width];
        for (int j = 0; j < rows.length; j++) System.arraycopy(all, rows[j] * width, out, j * width, width);
        return out;
    }

    /** Solves one block on this executor's backend. */
    private static FactorBlock solveBlock(RatingBlock rb, FactorBlock current, float[] local, float[] gram, float mean,
                                          AlsSettings s, int chunkRows) {
        int k = s.rank;
        int width = s.width();
        float[] solved = current.values.clone();
        try (ExecutorKernels.Lease lease = ExecutorKernels.borrow(s.backend)) {
            Kernels kernels = lease.kernels;
            HostCsr csr = new HostCsr(rb.numRows, rb.needed.length, rb.rowPtr, rb.cols, rb.values);
            if (!s.implicit) {
                BiasedAlsSolve.solve(kernels, csr, mean, local, solved, k, s.explicitParams(), s.solver());
                return new FactorBlock(rb.block, rb.firstRow, rb.numRows, width, solved, null);
            }
            try (DenseMatrix y = kernels.matrix(rb.needed.length, k, local);
                 DenseMatrix g = kernels.matrix(k, k, gram);
                 DenseMatrix x = kernels.matrix(rb.numRows, k, solved);
                 CsrMatrix ratings = csr.upload(kernels);
                 IndexArray rows = kernels.indices("rows", range(rb.numRows))) {
                kernels.solveImplicit(x, rows, ratings, y, g, s.implicitParams(), s.solver());
                x.downloadRows(0, solved, 0, rb.numRows);
            }
            ExactSums parts = chunkGram(kernels, chunkRows, rb.numRows, solved, k);
            return new FactorBlock(rb.block, rb.firstRow, rb.numRows, width, solved, parts);
        }
    }

    static int[] range(int n) {
        int[] ids = new int[n];
        for (int j = 0; j < n; j++) ids[j] = j;
        return ids;
    }

    /** For each block of {@code fixed}: the row offsets each block of {@code target} needs (one shuffle). */
    private static JavaRDD<OutBlock> outBlocks(Side target, Side fixed) {
        Broadcast<Layout> fixedLayout = fixed.shared;
        int fixedBlocks = fixed.layout.numBlocks();
        int targetBlocks = target.layout.numBlocks();
        JavaPairRDD<Integer, Tuple2<Integer, int[]>> requests = target.ratings.flatMapToPair(rb -> {
            Layout layout = fixedLayout.value();
            List<Tuple2<Integer, Tuple2<Integer, int[]>>> out = new ArrayList<>();
            int from = 0;
            while (from < rb.needed.length) {
                int j = layout.blockOf(rb.needed[from]);
                int end = layout.blockStart(j) + layout.blockRows(j);
                int to = from;
                while (to < rb.needed.length && rb.needed[to] < end) to++;
                int[] offsets = new int[to - from];
                for (int t = from; t < to; t++) offsets[t - from] = rb.needed[t] - layout.blockStart(j);
                out.add(new Tuple2<>(j, new Tuple2<>(rb.block, offsets)));
                from = to;
            }
            return out.iterator();
        });
        JavaRDD<OutBlock> built = requests.partitionBy(new BlockPartitioner(fixedBlocks)).mapPartitionsWithIndex((j, it) -> {
            int[][] rowsFor = new int[targetBlocks][];
            Arrays.fill(rowsFor, new int[0]);
            while (it.hasNext()) {
                Tuple2<Integer, int[]> request = it.next()._2();
                rowsFor[request._1()] = request._2();
            }
            return Collections.singletonList(new OutBlock(j, rowsFor)).iterator();
        }, true);
        built.persist(StorageLevel.MEMORY_AND_DISK());
        return built;
    }
}
