package org.mfkit.core;

import java.util.Arrays;
import java.util.BitSet;
import org.mfkit.core.spi.KernelBackend;

/**
 * The checked entry point to one backend's kernels. Every method validates all arguments
 * (handle ownership and state, shapes, k agreement, id ranges, values, aliasing) before the
 * backend runs, so a rejected call changes nothing and backends stay free of checks. Error
 * messages name the argument and the bad value.
 *
 * <p>Obtain one from {@link Backends}; close it to release the backend's threads or device.
 * The kernel semantics and error bounds are specified in {@code docs/KERNELS.md}.
 */
public final class Kernels implements AutoCloseable {
    private final KernelBackend backend;

    /** Wraps an opened backend; {@link Backends} is the usual way to get one. */
    public Kernels(KernelBackend backend) {
        this.backend = Check.notNull("backend", backend);
    }

    /** The backend's registry name. */
    public String backendName() {
        return backend.name();
    }

    /** The backend's worker thread count. */
    public int threads() {
        return backend.threads();
    }

    /** The unchecked backend (for benchmarks that time kernels without validation). */
    public KernelBackend unchecked() {
        return backend;
    }

    @Override
    public void close() {
        backend.close();
    }

    @Override
    public String toString() {
        return "Kernels[" + backend.name() + ", " + backend.threads() + " threads]";
    }

    // ================================================================ memory

    /** A zero-filled {@code rows × cols} matrix in this backend's memory. */
    public DenseMatrix matrix(int rows, int cols) {
        Check.nonNegative("rows", rows);
        Check.nonNegative("cols", cols);
        return backend.allocate(rows, cols);
    }

    /** A {@code rows × cols} matrix holding a copy of {@code rowMajor}. */
    public DenseMatrix matrix(int rows, int cols, float[] rowMajor) {
        Check.notNull("rowMajor", rowMajor);
        if ((long) rows * cols != rowMajor.length) {
            throw new IllegalArgumentException("rowMajor has " + rowMajor.length + " elements, expected rows × cols = "
                    + rows + " × " + cols);
        }
        DenseMatrix m = matrix(rows, cols);
        m.upload(rowMajor);
        return m;
    }

    /** An {@code n × 1} matrix holding a copy of {@code values}. */
    public DenseMatrix vector(float[] values) {
        Check.notNull("values", values);
        return matrix(values.length, 1, values);
    }

    /** An immutable id array; every id must be &ge; 0. {@code name} is used in error messages. */
    public IndexArray indices(String name, int[] ids) {
        Check.notNull(name, ids);
        int max = -1;
        int maxPosition = -1;
        for (int j = 0; j < ids.length; j++) {
            int id = ids[j];
            if (id < 0) throw new IllegalArgumentException(name + "[" + j + "] = " + id + " is negative");
            if (id > max) {
                max = id;
                maxPosition = j;
            }
        }
        return backend.indices(ids, max, maxPosition, isDistinct(ids, max));
    }

    /** Plain (user, item) pairs for the dot kernels. */
    public Interactions pairs(int[] users, int[] items) {
        Check.notNull("users", users);
        Check.notNull("items", items);
        Check.sameLength("users", users.length, "items", items.length);
        IndexArray u = indices("users", users);
        IndexArray i = indices("items", items);
        return new Interactions(u, i, null);
    }

    /** (user, item, value) triples for SGD; every value must be finite. */
    public Interactions interactions(int[] users, int[] items, float[] values) {
        checkInteractions(users, items, values);
        IndexArray u = indices("users", users);
        IndexArray i = indices("items", items);
        return new Interactions(u, i, vector(values));
    }

    /**
     * SGD ratings arranged on a {@link BlockGrid}: the same ratings as
     * {@link #interactions(int[], int[], float[])}, reordered into the grid's schedule order
     * (cells in round order, by user inside a cell, equal users in input order) and carrying
     * the cells' extents ({@link Interactions#schedule()}), so a parallel backend runs the
     * cells of a round concurrently with the result of list order. Ids must lie inside the
     * grid. The input arrays are not modified.
     */
    public Interactions interactions(int[] users, int[] items, float[] values, BlockGrid grid) {
        checkInteractions(users, items, values);
        Check.notNull("grid", grid);
        inGrid("users", users, grid.numUsers(), "users");
        inGrid("items", items, grid.numItems(), "items");
        BlockGrid.Arrangement a = grid.arrange(users, items);
        if (a.identity()) {
            return new Interactions(indices("users", users), indices("items", items), vector(values), a.schedule());
        }
        int[] order = a.order();
        float[] v = new float[order.length];
        for (int x = 0; x < order.length; x++) v[x] = values[order[x]];
        return new Interactions(indices("users", permuted(users, order)), indices("items", permuted(items, order)),
                vector(v), a.schedule());
    }

    private static void checkInteractions(int[] users, int[] items, float[] values) {
        Check.notNull("users", users);
        Check.notNull("items", items);
        Check.notNull("values", values);
        Check.sameLength("users", users.length, "items", items.length);
        Check.sameLength("users", users.length, "values", values.length);
        Check.allFinite("values", values);
        checkNonNegative("users", users);
        checkNonNegative("items", items);
    }

    /** BPR triples (user, positive, negative); positive and negative must differ in every triple. */
    public Triples triples(int[] users, int[] positives, int[] negatives) {
        checkTriples(users, positives, negatives);
        return new Triples(indices("users", users), indices("positives", positives), indices("negatives", negatives),
                triplesConflictFree(users, positives, negatives), null);
    }

    /**
     * BPR triples arranged on a {@link BlockGrid} (see
     * {@link #interactions(int[], int[], float[], BlockGrid)}): a triple belongs to the cell of
     * (user, positive), and its negative must lie in the same item block as its positive, so
     * the cells of a round stay independent. Triples already in schedule order (as a sampler
     * that walks the cells produces them) are taken as they are.
     */
    public Triples triples(int[] users, int[] positives, int[] negatives, BlockGrid grid) {
        Triples arranged = arrangedTriples(users, positives, negatives, grid);
        if (arranged != null) return arranged;
        checkTriples(users, positives, negatives);
        Check.notNull("grid", grid);
        inGrid("users", users, grid.numUsers(), "users");
        inGrid("positives", positives, grid.numItems(), "items");
        inGrid("negatives", negatives, grid.numItems(), "items");
        int[] itemBlock = grid.itemBlocks();
        for (int j = 0; j < users.length; j++) {
            int block = itemBlock[positives[j]];
            if (itemBlock[negatives[j]] != block) {
                throw new IllegalArgumentException("negatives[" + j + "] = " + negatives[j] + " is outside the item block ["
                        + grid.itemStart(block) + ", " + grid.itemStart(block + 1) + ") of positives[" + j + "] = "
                        + positives[j] + ": on a grid a negative must share its positive's block");
            }
        }
        boolean conflictFree = triplesConflictFree(users, positives, negatives);
        BlockGrid.Arrangement a = grid.arrange(users, positives);
        if (a.identity()) {
            return new Triples(indices("users", users), indices("positives", positives), indices("negatives", negatives),
                    conflictFree, a.schedule());
        }
        int[] order = a.order();
        return new Triples(indices("users", permuted(users, order)), indices("positives", permuted(positives, order)),
                indices("negatives", permuted(negatives, order)), conflictFree, a.schedule());
    }

    /**
     * The common case of {@link #triples(int[], int[], int[], BlockGrid)} in one pass: valid
     * triples already in schedule order, as a sampler that walks the cells draws them every
     * epoch. Returns null for anything else (bad input included), which the general path then
     * handles and reports with its messages.
     */
    private Triples arrangedTriples(int[] users, int[] positives, int[] negatives, BlockGrid grid) {
        if (users == null || positives == null || negatives == null || grid == null
                || positives.length != users.length || negatives.length != users.length) {
            return null;
        }
        int n = users.length;
        int numUsers = grid.numUsers();
        int numItems = grid.numItems();
        int side = grid.side();
        int[] userBlock = grid.userBlocks();
        int[] itemBlock = grid.itemBlocks();
        int[] cellStart = new int[side * side + 1];
        int previousCell = -1;
        int previousUser = -1;
        int maxUser = -1;
        int maxUserAt = -1;
        int maxPositive = -1;
        int maxPositiveAt = -1;
        int maxNegative = -1;
        int maxNegativeAt = -1;
        for (int x = 0; x < n; x++) {
            int u = users[x];
            int i = positives[x];
            int j = negatives[x];
            // Unsigned compares: a negative id fails them too.
            if (Integer.compareUnsigned(u, numUsers) >= 0 || Integer.compareUnsigned(i, numItems) >= 0
                    || Integer.compareUnsigned(j, numItems) >= 0 || i == j) {
                return null;
            }
            int block = itemBlock[i];
            if (itemBlock[j] != block) return null;
            int cell = grid.cellOf(userBlock[u], block);
            if (cell < previousCell || (cell == previousCell && u < previousUser)) return null;
            previousCell = cell;
            previousUser = u;
            cellStart[cell + 1]++;
            if (u > maxUser) {
                maxUser = u;
                maxUserAt = x;
            }
            if (i > maxPositive) {
                maxPositive = i;
                maxPositiveAt = x;
            }
            if (j > maxNegative) {
                maxNegative = j;
                maxNegativeAt = x;
            }
        }
        for (int c = 0; c < side * side; c++) cellStart[c + 1] += cellStart[c];
        boolean distinctUsers = isDistinct(users, maxUser);
        // Sampled triples repeat users almost at once, so the item check below rarely runs.
        boolean conflictFree = distinctUsers && triplesConflictFree(users, positives, negatives);
        return new Triples(backend.indices(users, maxUser, maxUserAt, distinctUsers),
                backend.indices(positives, maxPositive, maxPositiveAt, isDistinct(positives, maxPositive)),
                backend.indices(negatives, maxNegative, maxNegativeAt, isDistinct(negatives, maxNegative)),
                conflictFree, new BlockSchedule(grid, cellStart));
    }

    private static void checkTriples(int[] users, int[] positives, int[] negatives) {
        Check.notNull("users", users);
        Check.notNull("positives", positives);
        Check.notNull("negatives", negatives);
        Check.sameLength("users", users.length, "positives", positives.length);
        Check.sameLength("users", users.length, "negatives", negatives.length);
        checkNonNegative("users", users);
        checkNonNegative("positives", positives);
        checkNonNegative("negatives", negatives);
        for (int j = 0; j < users.length; j++) {
            if (positives[j] == negatives[j]) {
                throw new IllegalArgumentException("negatives[" + j + "] = positives[" + j + "] = " + positives[j]
                        + ": a BPR negative must differ from its positive");
            }
        }
    }

    private static boolean triplesConflictFree(int[] users, int[] positives, int[] negatives) {
        // Sampled triples repeat users almost at once: settle that before copying the items.
        if (!isDistinct(users, maxOf(users))) return false;
        int[] bothItems = Arrays.copyOf(positives, positives.length * 2);
        System.arraycopy(negatives, 0, bothItems, positives.length, negatives.length);
        return isDistinct(bothItems, maxOf(bothItems));
    }

    private static void inGrid(String name, int[] ids, int size, String what) {
        for (int j = 0; j < ids.length; j++) {
            if (ids[j] >= size) {
                throw new IllegalArgumentException(name + "[" + j + "] = " + ids[j] + " is outside the grid's " + size
                        + " " + what);
            }
        }
    }

    private static int[] permuted(int[] values, int[] order) {
        int[] out = new int[order.length];
        for (int x = 0; x < order.length; x++) out[x] = values[order[x]];
        return out;
    }

    /**
     * A CSR matrix with {@code rows} rows and {@code cols} columns. {@code rowPtr} has
     * {@code rows + 1} entries, starts at 0, never decreases and ends at {@code colIdx.length};
     * column ids are in {@code [0, cols)}; values are finite.
     */
    public CsrMatrix csr(int rows, int cols, int[] rowPtr, int[] colIdx, float[] values) {
        Check.nonNegative("rows", rows);
        Check.nonNegative("cols", cols);
        Check.notNull("rowPtr", rowPtr);
        Check.notNull("colIdx", colIdx);
        Check.notNull("values", values);
        Check.sameLength("rowPtr", rowPtr.length, "rows + 1", rows + 1);
        Check.sameLength("colIdx", colIdx.length, "values", values.length);
        if (rowPtr[0] != 0) throw new IllegalArgumentException("rowPtr[0] = " + rowPtr[0] + " must be 0");
        int maxRowLength = 0;
        for (int r = 0; r < rows; r++) {
            if (rowPtr[r + 1] < rowPtr[r]) {
                throw new IllegalArgumentException("rowPtr[" + (r + 1) + "] = " + rowPtr[r + 1]
                        + " is below rowPtr[" + r + "] = " + rowPtr[r]);
            }
            maxRowLength = Math.max(maxRowLength, rowPtr[r + 1] - rowPtr[r]);
        }
        if (rowPtr[rows] != colIdx.length) {
            throw new IllegalArgumentException("rowPtr[" + rows + "] = " + rowPtr[rows]
                    + " must equal the number of entries " + colIdx.length);
        }
        for (int j = 0; j < colIdx.length; j++) {
            if (colIdx[j] < 0 || colIdx[j] >= cols) {
                throw new IllegalArgumentException("colIdx[" + j + "] = " + colIdx[j] + " is out of range [0, " + cols + ")");
            }
        }
        Check.allFinite("values", values);
        float minValue = Float.POSITIVE_INFINITY;
        for (float v : values) minValue = Math.min(minValue, v);
        return new CsrMatrix(rows, cols, indices("rowPtr", rowPtr), indices("colIdx", colIdx), vector(values),
                minValue, maxRowLength);
    }

    /** {@code dst ← src}; shapes must match. */
    public void copy(DenseMatrix src, DenseMatrix dst) {
        own("src", src);
        own("dst", dst);
        shape("dst", dst, src.rows(), src.cols());
        if (src != dst) backend.copy(src, dst);
    }

    /** Whether every element of {@code m} is finite. */
    public boolean allFinite(DenseMatrix m) {
        own("m", m);
        return backend.allFinite(m);
    }

    /** Σ m_ij², accumulated in float64. */
    public double squaredNorm(DenseMatrix m) {
        own("m", m);
        return backend.squaredNorm(m);
    }

    // ================================================================ family 1: dots

    /** {@code out[j] = p[users[j]] · q[items[j]]}; {@code out} is {@code pairs.size() × 1}. */
    public void dot(DenseMatrix p, DenseMatrix q, Interactions pairs, DenseMatrix out) {
        factors(p, q);
        pairsFit(pairs, p, q);
        own("out", out);
        shape("out", out, pairs.size(), 1);
        distinct("out", out, p, q, pairs.values());
        backend.dot(p, q, pairs, out);
    }

    /** {@code out[j] = μ + userBias[u_j] + itemBias[i_j] + p[u_j]·q[i_j]}. */
    public void predict(float globalMean, DenseMatrix userBias, DenseMatrix itemBias,
                        DenseMatrix p, DenseMatrix q, Interactions pairs, DenseMatrix out) {
        Check.finite("globalMean", globalMean);
        factors(p, q);
        biases(userBias, itemBias, p, q, true);
        pairsFit(pairs, p, q);
        own("out", out);
        shape("out", out, pairs.size(), 1);
        distinct("out", out, p, q, userBias, itemBias, pairs.values());
        backend.predict(globalMean, userBias, itemBias, p, q, pairs, out);
    }

    /** Dense score block {@code out[r][i] = p[rows[r]] · q[i]}; out is {@code rows.length × q.rows}. */
    public void scores(DenseMatrix p, IndexArray rows, DenseMatrix q, DenseMatrix out) {
        factors(p, q);
        ownIds("rows", rows);
        idsBelow("rows", rows, p.rows(), "rows of p");
        own("out", out);
        shape("out", out, rows.length(), q.rows());
        distinct("out", out, p, q);
        backend.scores(p, rows, q, out);
    }

    /**
     * Top-{@code k} items for each query row (see {@link KernelBackend#topK}). {@code itemBias}
     * and {@code exclude} may be null; {@code exclude} row r lists the items barred for query row r.
     * Results go to {@code outItems}/{@code outScores}, {@code rows.length * k} each, row by row.
     */
    public void topK(DenseMatrix p, IndexArray rows, DenseMatrix q, DenseMatrix itemBias, CsrMatrix exclude,
                     int k, int[] outItems, float[] outScores) {
        factors(p, q);
        ownIds("rows", rows);
        idsBelow("rows", rows, p.rows(), "rows of p");
        if (itemBias != null) {
            own("itemBias", itemBias);
            shape("itemBias", itemBias, q.rows(), 1);
        }
        if (exclude != null) {
            ownCsr("exclude", exclude);
            if (exclude.rows() != rows.length() || exclude.cols() != q.rows()) {
                throw new IllegalArgumentException("exclude is " + exclude.rows() + " × " + exclude.cols()
                        + ", expected rows.length × q.rows = " + rows.length() + " × " + q.rows());
            }
        }
        Check.positive("k", k);
        Check.notNull("outItems", outItems);
        Check.notNull("outScores", outScores);
        long needed = (long) rows.length() * k;
        if (outItems.length != needed) {
            throw new IllegalArgumentException("outItems has " + outItems.length + " elements, expected rows.length × k = " + needed);
        }
        if (outScores.length != needed) {
            throw new IllegalArgumentException("outScores has " + outScores.length + " elements, expected rows.length × k = " + needed);
        }
        backend.topK(p, rows, q, itemBias, exclude, k, outItems, outScores);
    }

    // ================================================================ family 2: gradient updates

    /**
     * One SGD pass over {@code ratings} in order (see {@link KernelBackend#sgd}); biases both
     * null (plain MF) or both present. Returns the sum of squared pre-update errors.
     */
    public double sgd(DenseMatrix p, DenseMatrix q, DenseMatrix userBias, DenseMatrix itemBias,
                      Interactions ratings, SgdParams params) {
        checkSgd(p, q, userBias, itemBias, ratings, params);
        return backend.sgd(p, q, userBias, itemBias, ratings, params);
    }

    /** One deterministic mini-batch gradient step (see {@link KernelBackend#sgdMiniBatch}). */
    public double sgdMiniBatch(DenseMatrix p, DenseMatrix q, DenseMatrix userBias, DenseMatrix itemBias,
                               Interactions ratings, SgdParams params) {
        checkSgd(p, q, userBias, itemBias, ratings, params);
        return backend.sgdMiniBatch(p, q, userBias, itemBias, ratings, params);
    }

    /**
     * One BPR pass over {@code triples} in order; {@code itemBias} may be null. Returns Σ −ln σ(x),
     * or NaN when {@link BprParams#computeLoss()} is false.
     */
    public double bpr(DenseMatrix p, DenseMatrix q, DenseMatrix itemBias, Triples triples, BprParams params) {
        factors(p, q);
        Check.notNull("params", params);
        Check.notNull("triples", triples);
        distinct("q", q, p);
        ownIds("triples.users", triples.users());
        ownIds("triples.positives", triples.positives());
        ownIds("triples.negatives", triples.negatives());
        idsBelow("triples.users", triples.users(), p.rows(), "rows of p");
        idsBelow("triples.positives", triples.positives(), q.rows(), "rows of q");
        idsBelow("triples.negatives", triples.negatives(), q.rows(), "rows of q");
        if (itemBias != null) {
            own("itemBias", itemBias);
            shape("itemBias", itemBias, q.rows(), 1);
            distinct("itemBias", itemBias, p, q);
        }
        return backend.bpr(p, q, itemBias, triples, params);
    }

    // ================================================================ family 3: ALS

    /** {@code out = yᵀy} (k×k, exactly symmetric). */
    public void gram(DenseMatrix y, DenseMatrix out) {
        own("y", y);
        kPositive("y", y);
        own("out", out);
        shape("out", out, y.cols(), y.cols());
        distinct("out", out, y);
        backend.gram(y, out);
    }

    /** Explicit normal equations of the requested rows into {@code a} (rows.length × k·k) and {@code b} (rows.length × k). */
    public void normalEquationsExplicit(IndexArray rows, CsrMatrix ratings, DenseMatrix y, ExplicitAlsParams params,
                                        DenseMatrix a, DenseMatrix b) {
        Check.notNull("params", params);
        alsInputs(rows, ratings, y);
        systemsOut(rows, y, a, b);
        systemsFromRatings(ratings, a, b);
        backend.normalEquationsExplicit(rows, ratings, y, params, a, b);
    }

    /** Implicit (HKV) normal equations of the requested rows; {@code gram} must be yᵀy. */
    public void normalEquationsImplicit(IndexArray rows, CsrMatrix ratings, DenseMatrix y, DenseMatrix gram,
                                        ImplicitAlsParams params, DenseMatrix a, DenseMatrix b) {
        Check.notNull("params", params);
        alsInputs(rows, ratings, y);
        implicitInputs(ratings, y, gram);
        systemsOut(rows, y, a, b);
        distinct("a", a, gram);
        distinct("b", b, gram);
        systemsFromRatings(ratings, a, b);
        backend.normalEquationsImplicit(rows, ratings, y, gram, params, a, b);
    }

    /**
     * Batched Cholesky solve: {@code x[s] = A_s⁻¹ b[s]} where row s of {@code a} holds A_s
     * (k×k, row-major, lower triangle read) and k = {@code b.cols()}. {@code x} may be
     * {@code b}. Throws {@link NotPositiveDefiniteException} naming the first failing system,
     * leaving {@code x} unchanged.
     */
    public void choleskySolve(DenseMatrix a, DenseMatrix b, DenseMatrix x) {
        own("a", a);
        own("b", b);
        own("x", x);
        int k = b.cols();
        Check.positive("b.cols (k)", k);
        if ((long) k * k != a.cols()) {
            throw new IllegalArgumentException("a has " + a.cols() + " columns, expected k·k = " + ((long) k * k)
                    + " for k = b.cols = " + k);
        }
        if (a.rows() != b.rows()) {
            throw new IllegalArgumentException("a has " + a.rows() + " systems but b has " + b.rows());
        }
        shape("x", x, b.rows(), k);
        distinct("x", x, a);
        backend.choleskySolve(a, b, x);
    }

    /**
     * Explicit ALS half-step: each row {@code u} in {@code rows} of {@code x} becomes the
     * solution of (Σ q qᵀ + λ'I) x_u = Σ r q over row u of {@code ratings}; rows without
     * entries become zero. {@code rows} must be distinct. On failure nothing is written.
     */
    public void solveExplicit(DenseMatrix x, IndexArray rows, CsrMatrix ratings, DenseMatrix y,
                              ExplicitAlsParams params, Solver solver) {
        Check.notNull("params", params);
        Check.notNull("solver", solver);
        alsInputs(rows, ratings, y);
        alsTarget(x, rows, ratings, y);
        backend.solveExplicit(x, rows, ratings, y, params, solver);
    }

    /** Implicit ALS half-step (HKV); {@code gram} must be yᵀy. Rows without entries become zero. */
    public void solveImplicit(DenseMatrix x, IndexArray rows, CsrMatrix ratings, DenseMatrix y, DenseMatrix gram,
                              ImplicitAlsParams params, Solver solver) {
        Check.notNull("params", params);
        Check.notNull("solver", solver);
        alsInputs(rows, ratings, y);
        implicitInputs(ratings, y, gram);
        alsTarget(x, rows, ratings, y);
        distinct("x", x, gram);
        backend.solveImplicit(x, rows, ratings, y, gram, params, solver);
    }

    /**
     * Tells the backend that ALS half-steps with factor dimension {@code k} and {@code solver}
     * follow, so that a backend compiled at run time (cpu-vector) can compile them in the
     * background while the caller prepares its data. Changes no result; optional.
     */
    public void prepareAls(int k, Solver solver) {
        Check.positive("k", k);
        Check.notNull("solver", solver);
        backend.prepareAls(k, solver);
    }

    // ================================================================ validation helpers

    private void checkSgd(DenseMatrix p, DenseMatrix q, DenseMatrix userBias, DenseMatrix itemBias,
                          Interactions ratings, SgdParams params) {
        factors(p, q);
        Check.notNull("params", params);
        distinct("q", q, p);
        biases(userBias, itemBias, p, q, false);
        pairsFit(ratings, p, q);
        if (ratings.values() == null) {
            throw new IllegalArgumentException("ratings has no values: create it with Kernels.interactions");
        }
        own("ratings.values", ratings.values());
        // The kernel reads the ratings while it writes the factors: they must not share storage.
        distinct("p", p, ratings.values());
        distinct("q", q, ratings.values());
        distinct("userBias", userBias, ratings.values());
        distinct("itemBias", itemBias, ratings.values());
    }

    private void factors(DenseMatrix p, DenseMatrix q) {
        own("p", p);
        own("q", q);
        kPositive("p", p);
        if (p.cols() != q.cols()) {
            throw new IllegalArgumentException("k mismatch: p has k = " + p.cols() + " columns, q has k = " + q.cols());
        }
    }

    private void biases(DenseMatrix userBias, DenseMatrix itemBias, DenseMatrix p, DenseMatrix q, boolean required) {
        if (userBias == null && itemBias == null && !required) return;
        own("userBias", userBias);
        own("itemBias", itemBias);
        shape("userBias", userBias, p.rows(), 1);
        shape("itemBias", itemBias, q.rows(), 1);
        distinct("userBias", userBias, itemBias, p, q);
        distinct("itemBias", itemBias, p, q);
    }

    private void pairsFit(Interactions pairs, DenseMatrix p, DenseMatrix q) {
        Check.notNull("pairs", pairs);
        ownIds("users", pairs.users());
        ownIds("items", pairs.items());
        idsBelow("users", pairs.users(), p.rows(), "rows of p");
        idsBelow("items", pairs.items(), q.rows(), "rows of q");
    }

    private void alsInputs(IndexArray rows, CsrMatrix ratings, DenseMatrix y) {
        own("y", y);
        kPositive("y", y);
        ownCsr("ratings", ratings);
        ownIds("rows", rows);
        if (ratings.cols() != y.rows()) {
            throw new IllegalArgumentException("ratings has " + ratings.cols() + " columns but y has " + y.rows() + " rows");
        }
        idsBelow("rows", rows, ratings.rows(), "rows of ratings");
        if (!rows.distinct()) throw new IllegalArgumentException("rows must not repeat an id");
    }

    private void implicitInputs(CsrMatrix ratings, DenseMatrix y, DenseMatrix gram) {
        own("gram", gram);
        shape("gram", gram, y.cols(), y.cols());
        if (ratings.nnz() > 0 && ratings.minValue() < 0f) {
            throw new IllegalArgumentException("ratings has a negative value " + ratings.minValue()
                    + ": implicit ALS needs interaction strengths >= 0");
        }
    }

    private void alsTarget(DenseMatrix x, IndexArray rows, CsrMatrix ratings, DenseMatrix y) {
        own("x", x);
        if (x.cols() != y.cols()) {
            throw new IllegalArgumentException("k mismatch: x has k = " + x.cols() + " columns, y has k = " + y.cols());
        }
        if (x.rows() != ratings.rows()) {
            throw new IllegalArgumentException("x has " + x.rows() + " rows but ratings has " + ratings.rows());
        }
        distinct("x", x, y, ratings.values());
    }

    private void systemsOut(IndexArray rows, DenseMatrix y, DenseMatrix a, DenseMatrix b) {
        int k = y.cols();
        own("a", a);
        own("b", b);
        shape("a", a, rows.length(), k * k);
        shape("b", b, rows.length(), k);
        distinct("a", a, b, y);
        distinct("b", b, y);
    }

    private static void systemsFromRatings(CsrMatrix ratings, DenseMatrix a, DenseMatrix b) {
        // a and b are written while the ratings are read: they must not share storage.
        distinct("a", a, ratings.values());
        distinct("b", b, ratings.values());
    }

    private void kPositive(String name, DenseMatrix m) {
        if (m.cols() < 1) throw new IllegalArgumentException(name + " has k = " + m.cols() + " columns; k must be >= 1");
    }

    private void own(String name, DenseMatrix m) {
        Check.notNull(name, m);
        m.checkOpen(name);
        if (!m.memorySpace().equals(backend.memorySpace())) {
            throw new IllegalArgumentException(name + " lives in " + m.memorySpace() + " memory but backend "
                    + backend.name() + " works in " + backend.memorySpace());
        }
    }

    private void ownIds(String name, IndexArray ids) {
        Check.notNull(name, ids);
        if (ids.isClosed()) throw new IllegalStateException(name + " is closed");
        if (!ids.memorySpace().equals(backend.memorySpace())) {
            throw new IllegalArgumentException(name + " lives in " + ids.memorySpace() + " memory but backend "
                    + backend.name() + " works in " + backend.memorySpace());
        }
    }

    private void ownCsr(String name, CsrMatrix csr) {
        Check.notNull(name, csr);
        ownIds(name + ".rowPtr", csr.rowPtr());
        ownIds(name + ".colIdx", csr.colIdx());
        own(name + ".values", csr.values());
    }

    private static void shape(String name, DenseMatrix m, int rows, int cols) {
        Check.notNull(name, m);
        if (m.rows() != rows || m.cols() != cols) {
            throw new IllegalArgumentException(name + " is " + m.rows() + " × " + m.cols() + ", expected " + rows + " × " + cols);
        }
    }

    private static void idsBelow(String name, IndexArray ids, int bound, String what) {
        if (ids.max() >= bound) {
            throw new IllegalArgumentException(name + "[" + ids.maxPosition() + "] = " + ids.max()
                    + " is out of range [0, " + bound + ") (" + what + ")");
        }
    }

    private static void distinct(String name, DenseMatrix out, DenseMatrix... others) {
        for (DenseMatrix other : others) {
            if (other != null && other == out) {
                throw new IllegalArgumentException(name + " must not be the same matrix as another argument");
            }
        }
    }

    private static void checkNonNegative(String name, int[] ids) {
        for (int j = 0; j < ids.length; j++) {
            if (ids[j] < 0) throw new IllegalArgumentException(name + "[" + j + "] = " + ids[j] + " is negative");
        }
    }

    private static int maxOf(int[] ids) {
        int max = -1;
        for (int id : ids) max = Math.max(max, id);
        return max;
    }

    private static boolean isDistinct(int[] ids, int max) {
        if (ids.length < 2) return true;
        if (max < (1 << 26)) {
            BitSet seen = new BitSet(max + 1);
            for (int id : ids) {
                if (seen.get(id)) return false;
                seen.set(id);
            }
            return true;
        }
        int[] sorted = ids.clone();
        Arrays.sort(sorted);
        for (int j = 1; j < sorted.length; j++) if (sorted[j] == sorted[j - 1]) return false;
        return true;
    }
}
