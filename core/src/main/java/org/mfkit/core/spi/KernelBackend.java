package org.mfkit.core.spi;

import org.mfkit.core.BprParams;
import org.mfkit.core.CsrMatrix;
import org.mfkit.core.DenseMatrix;
import org.mfkit.core.ExplicitAlsParams;
import org.mfkit.core.ImplicitAlsParams;
import org.mfkit.core.IndexArray;
import org.mfkit.core.Interactions;
import org.mfkit.core.Kernels;
import org.mfkit.core.Solver;
import org.mfkit.core.SgdParams;
import org.mfkit.core.Triples;

/**
 * The kernels a backend implements. Callers never use this directly: {@link Kernels}
 * validates every argument (shapes, ids, values, handle ownership, aliasing) and only then
 * calls in here, the way dev.ludovic.netlib's AbstractBLAS checks and then calls an unchecked
 * implementation. Implementations may therefore assume valid arguments and must not
 * re-validate in hot loops.
 *
 * <p>The precise semantics, accumulation precision and error bounds of every kernel are in
 * {@code docs/KERNELS.md}; the conformance suite checks them. Summary of the contracts every
 * backend keeps:
 * <ul>
 *   <li>All matrices are row-major float32; a factor matrix has one row per user/item and
 *       k columns. Bias vectors are {@code n × 1}.</li>
 *   <li>Outputs are fully written (every element, including tails).</li>
 *   <li>A kernel that throws {@link org.mfkit.core.NotPositiveDefiniteException} leaves every
 *       output unchanged.</li>
 *   <li>Same inputs, same backend, same thread count → bit-identical outputs.</li>
 * </ul>
 */
public interface KernelBackend extends AutoCloseable {

    /** Registry name, e.g. {@code "scalar"}, {@code "cpu-vector"}, {@code "gpu-cuda"}. */
    String name();

    /** Memory space of handles this backend creates and accepts (e.g. {@code "heap"}). */
    String memorySpace();

    /** Number of worker threads (1 for sequential backends). */
    int threads();

    // ---------------------------------------------------------------- memory

    /** A new zero-filled {@code rows × cols} matrix. */
    DenseMatrix allocate(int rows, int cols);

    /**
     * A new immutable id array holding a copy of {@code ids} (already validated: all
     * &ge; 0, and the summary computed by the caller).
     */
    IndexArray indices(int[] ids, int max, int maxPosition, boolean distinct);

    /** {@code dst ← src}, same shape. */
    void copy(DenseMatrix src, DenseMatrix dst);

    /** Whether every element is finite. */
    boolean allFinite(DenseMatrix m);

    /** Σ m_ij², accumulated in float64. */
    double squaredNorm(DenseMatrix m);

    // ---------------------------------------------------------------- family 1: dots

    /** {@code out[j] = p[users[j]] · q[items[j]]}; out is {@code n × 1}. */
    void dot(DenseMatrix p, DenseMatrix q, Interactions pairs, DenseMatrix out);

    /**
     * {@code out[j] = μ + userBias[u_j] + itemBias[i_j] + p[u_j] · q[i_j]}; out is {@code n × 1}.
     */
    void predict(float globalMean, DenseMatrix userBias, DenseMatrix itemBias,
                 DenseMatrix p, DenseMatrix q, Interactions pairs, DenseMatrix out);

    /** {@code out[r][i] = p[rows[r]] · q[i]} for every item i; out is {@code rows.length × q.rows}. */
    void scores(DenseMatrix p, IndexArray rows, DenseMatrix q, DenseMatrix out);

    /**
     * Top-K items per query row: score(r, i) = p[rows[r]]·q[i] (+ itemBias[i] when not null),
     * over items not listed in row r of {@code exclude} (when not null). Row r of the result,
     * {@code outItems/outScores[r*k .. r*k+k-1]}, holds the K best by descending score, ties
     * broken by lower item id; slots beyond the candidates get item -1 and score -∞.
     */
    void topK(DenseMatrix p, IndexArray rows, DenseMatrix q, DenseMatrix itemBias, CsrMatrix exclude,
              int k, int[] outItems, float[] outScores);

    // ---------------------------------------------------------------- family 2: gradient updates

    /**
     * Per-rating SGD over biased MF in list order (sequential semantics), biases optional
     * (both null or both present). Returns Σ e_j² of the pre-update errors, in float64. A
     * parallel backend must match sequential order whenever {@code ratings.conflictFree()};
     * otherwise it may use any documented schedule that never updates a row concurrently.
     */
    double sgd(DenseMatrix p, DenseMatrix q, DenseMatrix userBias, DenseMatrix itemBias,
               Interactions ratings, SgdParams params);

    /**
     * Deterministic mini-batch gradient step: all errors from the parameters at entry, the
     * per-row gradient sums accumulated, then applied once. Returns Σ e_j².
     */
    double sgdMiniBatch(DenseMatrix p, DenseMatrix q, DenseMatrix userBias, DenseMatrix itemBias,
                        Interactions ratings, SgdParams params);

    /**
     * BPR updates for triples (u, i, j) in list order, item bias optional. Returns
     * Σ −ln σ(x_uij) of the pre-update margins, in float64, or NaN when
     * {@link BprParams#computeLoss()} is false.
     */
    double bpr(DenseMatrix p, DenseMatrix q, DenseMatrix itemBias, Triples triples, BprParams params);

    // ---------------------------------------------------------------- family 3: ALS

    /** {@code out = yᵀy}, k×k, exactly symmetric. */
    void gram(DenseMatrix y, DenseMatrix out);

    /**
     * Explicit normal equations for each requested row: {@code a[r]} (row r of a, k·k long,
     * full symmetric) and {@code b[r]} for row {@code rows[r]} of {@code ratings}.
     */
    void normalEquationsExplicit(IndexArray rows, CsrMatrix ratings, DenseMatrix y, ExplicitAlsParams params,
                                 DenseMatrix a, DenseMatrix b);

    /** Implicit (HKV) normal equations for each requested row, given {@code gram = yᵀy}. */
    void normalEquationsImplicit(IndexArray rows, CsrMatrix ratings, DenseMatrix y, DenseMatrix gram,
                                 ImplicitAlsParams params, DenseMatrix a, DenseMatrix b);

    /**
     * Batched Cholesky factor and solve: for each system s, {@code x[s] = A_s⁻¹ b[s]} with
     * {@code A_s} the k×k matrix in row s of {@code a} (only its lower triangle is read).
     * {@code a} and {@code b} are not modified; {@code x} may be {@code b}.
     */
    void choleskySolve(DenseMatrix a, DenseMatrix b, DenseMatrix x);

    /** Explicit ALS half-step: rows {@code rows} of x solved against y (empty rows become 0). */
    void solveExplicit(DenseMatrix x, IndexArray rows, CsrMatrix ratings, DenseMatrix y,
                       ExplicitAlsParams params, Solver solver);

    /** Implicit ALS half-step: rows {@code rows} of x solved against y and {@code gram = yᵀy}. */
    void solveImplicit(DenseMatrix x, IndexArray rows, CsrMatrix ratings, DenseMatrix y, DenseMatrix gram,
                       ImplicitAlsParams params, Solver solver);

    /**
     * A hint that ALS half-steps with factor dimension {@code k} and {@code solver} follow
     * (trainers give it before their setup). A backend whose kernels are compiled at run time
     * may compile them now, in the background, on data of its own; nothing observable changes.
     * The default does nothing.
     */
    default void prepareAls(int k, Solver solver) {}

    /** Releases threads and device resources. Idempotent. */
    @Override
    void close();
}
