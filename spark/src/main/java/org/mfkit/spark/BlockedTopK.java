package org.mfkit.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.mfkit.core.CsrMatrix;
import org.mfkit.core.DenseMatrix;
import org.mfkit.core.IndexArray;
import org.mfkit.core.Kernels;
import scala.Tuple2;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Distributed top-K with the {@code topK} kernel. When the candidate side's factors fit
 * under the broadcast threshold they are broadcast and every query block is one task (no
 * shuffle; seen items come from the query side's rating blocks, which are co-partitioned
 * with its factor blocks). Otherwise every (query block, candidate block) pair computes its
 * own top-K and the partial lists are merged per query row, best first, ties to the lower
 * candidate id: the kernel's order, so both modes return what {@code Kernels.topK} returns
 * on the whole matrix.
 *
 * <p>Scores: explicit models rank by p·q + b_candidate (the kernel's item-bias term) and
 * report μ + b_query + that; implicit models rank and report p·q.
 */
final class BlockedTopK {
    private BlockedTopK() {}

    /** What a query task produced: for each selected row, k candidates (dense ids, −1 = none) and kernel scores. */
    static final class Partial implements Serializable {
        private static final long serialVersionUID = 1L;

        final int[] rows;
        final float[] offsets;
        final int[] items;
        final float[] scores;

        Partial(int[] rows, float[] offsets, int[] items, float[] scores) {
            this.rows = rows;
            this.offsets = offsets;
            this.items = items;
            this.scores = scores;
        }
    }

    /**
     * Rows (query external id, array of (candidate external id, score)).
     *
     * @param seen    the query side's rating blocks when seen items are excluded, else null
     * @param subset  sorted dense query rows to recommend for, or null for all
     * @param width   floats per factor row (k, or k + 1 with the bias)
     */
    static JavaRDD<Row> recommend(JavaSparkContext sc, BlockedAls.Side query, BlockedAls.Side candidates,
                                  JavaRDD<RatingBlock> seen, int[] subset, int k, int width, boolean explicit,
                                  float mean, String backend, long broadcastThreshold) {
        Broadcast<Layout> queryLayout = query.shared;
        Broadcast<Layout> candidateLayout = candidates.shared;
        Broadcast<int[]> selected = subset == null ? null : sc.broadcast(subset);
        JavaRDD<Tuple2<FactorBlock, RatingBlock>> queries = seen == null
                ? query.factors.map(f -> new Tuple2<>(f, (RatingBlock) null))
                : query.factors.zipPartitions(seen, (fs, rs) -> Collections.singletonList(new Tuple2<>(fs.next(), rs.next())).iterator());
        long candidateBytes = (long) candidates.layout.size() * width * Float.BYTES;
        if (candidateBytes <= broadcastThreshold) {
            FactorBlock all = concatenate(candidates.factors.collect(), candidates.layout.size(), width);
            Broadcast<FactorBlock> shared = sc.broadcast(all);
            return queries.flatMap(q -> toRows(topK(q._1(), q._2(), shared.value(), rowsOf(q._1(), selected), k,
                    explicit, mean, backend), k, queryLayout.value(), candidateLayout.value()).iterator());
        }
        JavaPairRDD<Integer, Partial> partials = queries.cartesian(candidates.factors).mapToPair(pair -> {
            Tuple2<FactorBlock, RatingBlock> q = pair._1();
            return new Tuple2<>(q._1().block, topK(q._1(), q._2(), pair._2(), rowsOf(q._1(), selected), k,
                    explicit, mean, backend));
        }).reduceByKey(new BlockPartitioner(query.layout.numBlocks()), (a, b) -> merge(a, b, k));
        return partials.values().flatMap(p -> toRows(p, k, queryLayout.value(), candidateLayout.value()).iterator());
    }

    private static int[] rowsOf(FactorBlock block, Broadcast<int[]> selected) {
        if (selected == null) return BlockedAls.range(block.numRows);
        int[] subset = selected.value();
        int from = lowerBound(subset, block.firstRow);
        int to = lowerBound(subset, block.firstRow + block.numRows);
        int[] rows = new int[to - from];
        for (int j = from; j < to; j++) rows[j - from] = subset[j] - block.firstRow;
        return rows;
    }

    private static int lowerBound(int[] sorted, int value) {
        int at = Arrays.binarySearch(sorted, value);
        if (at < 0) return -at - 1;
        while (at > 0 && sorted[at - 1] == value) at--;
        return at;
    }

    private static FactorBlock concatenate(List<FactorBlock> blocks, int rows, int width) {
        float[] values = new float[rows * width];
        for (FactorBlock b : blocks) System.arraycopy(b.values, 0, values, b.firstRow * width, b.numRows * width);
        return new FactorBlock(0, 0, rows, width, values, null);
    }

    /** Top-K of the selected query rows (block offsets) against one candidate block, with exclusions. */
    static Partial topK(FactorBlock query, RatingBlock seen, FactorBlock candidates, int[] rows, int k, boolean explicit,
                        float mean, String backend) {
        int rank = explicit ? query.width - 1 : query.width;
        int[] items = new int[rows.length * k];
        float[] scores = new float[rows.length * k];
        if (rows.length > 0 && candidates.numRows > 0) {
            try (ExecutorKernels.Lease lease = ExecutorKernels.borrow(backend)) {
                Kernels kernels = lease.kernels;
                try (DenseMatrix p = kernels.matrix(query.numRows, rank, strip(query.values, query.numRows, query.width, rank));
                     DenseMatrix q = kernels.matrix(candidates.numRows, rank,
                             strip(candidates.values, candidates.numRows, candidates.width, rank));
                     DenseMatrix bias = explicit ? kernels.matrix(candidates.numRows, 1,
                             column(candidates.values, candidates.numRows, candidates.width, rank)) : null;
                     IndexArray queryRows = kernels.indices("rows", rows);
                     CsrMatrix exclude = seen == null ? null : exclusions(kernels, seen, rows, candidates)) {
                    kernels.topK(p, queryRows, q, bias, exclude, k, items, scores);
                }
            }
            for (int j = 0; j < items.length; j++) if (items[j] >= 0) items[j] += candidates.firstRow;
        } else {
            Arrays.fill(items, -1);
            Arrays.fill(scores, Float.NEGATIVE_INFINITY);
        }
        int[] denseRows = new int[rows.length];
        float[] offsets = new float[rows.length];
        for (int r = 0; r < rows.length; r++) {
            denseRows[r] = query.firstRow + rows[r];
            if (explicit) offsets[r] = mean + query.values[rows[r] * query.width + rank];
        }
        return new Partial(denseRows, offsets, items, scores);
    }

    private static CsrMatrix exclusions(Kernels kernels, RatingBlock seen, int[] rows, FactorBlock candidates) {
        int lo = candidates.firstRow;
        int hi = candidates.firstRow + candidates.numRows;
        int[] rowPtr = new int[rows.length + 1];
        int[] cols = new int[seen.nnz()];
        int n = 0;
        for (int r = 0; r < rows.length; r++) {
            for (int e = seen.rowPtr[rows[r]]; e < seen.rowPtr[rows[r] + 1]; e++) {
                int dense = seen.needed[seen.cols[e]];
                if (dense >= lo && dense < hi) cols[n++] = dense - lo;
            }
            rowPtr[r + 1] = n;
        }
        return kernels.csr(rows.length, candidates.numRows, rowPtr, Arrays.copyOf(cols, n), new float[n]);
    }

    private static float[] strip(float[] values, int rows, int width, int rank) {
        if (width == rank) return values;
        float[] out = new float[rows * rank];
        for (int r = 0; r < rows; r++) System.arraycopy(values, r * width, out, r * rank, rank);
        return out;
    }

    private static float[] column(float[] values, int rows, int width, int column) {
        float[] out = new float[rows];
        for (int r = 0; r < rows; r++) out[r] = values[r * width + column];
        return out;
    }

    /** Per row, the best k of both lists (each best first): higher score, then lower id, first. */
    static Partial merge(Partial a, Partial b, int k) {
        int[] items = new int[a.items.length];
        float[] scores = new float[a.scores.length];
        for (int r = 0; r < a.rows.length; r++) {
            int i = r * k;
            int j = r * k;
            int endA = i + k;
            int endB = j + k;
            for (int slot = r * k; slot < r * k + k; slot++) {
                boolean takeA;
                if (i < endA && a.items[i] >= 0) {
                    takeA = j >= endB || b.items[j] < 0 || better(a.scores[i], a.items[i], b.scores[j], b.items[j]);
                } else {
                    takeA = false;
                }
                if (takeA) {
                    items[slot] = a.items[i];
                    scores[slot] = a.scores[i++];
                } else if (j < endB && b.items[j] >= 0) {
                    items[slot] = b.items[j];
                    scores[slot] = b.scores[j++];
                } else {
                    items[slot] = -1;
                    scores[slot] = Float.NEGATIVE_INFINITY;
                }
            }
        }
        return new Partial(a.rows, a.offsets, items, scores);
    }

    private static boolean better(float s, int i, float t, int j) {
        return s > t || (s == t && i < j);
    }

    private static List<Row> toRows(Partial partial, int k, Layout queryLayout, Layout candidateLayout) {
        List<Row> out = new ArrayList<>(partial.rows.length);
        for (int r = 0; r < partial.rows.length; r++) {
            List<Row> list = new ArrayList<>(k);
            for (int slot = r * k; slot < r * k + k && partial.items[slot] >= 0; slot++) {
                list.add(RowFactory.create(candidateLayout.id(partial.items[slot]), partial.scores[slot] + partial.offsets[r]));
            }
            // Array columns of external rows must be Scala sequences.
            out.add(RowFactory.create(queryLayout.id(partial.rows[r]), CollectionConverters.asScala(list).toSeq()));
        }
        return out;
    }
}
