package org.mfkit.vector;

import java.lang.ref.SoftReference;
import org.mfkit.core.BprParams;
import org.mfkit.core.CsrMatrix;
import org.mfkit.core.DenseMatrix;
import org.mfkit.core.ExplicitAlsParams;
import org.mfkit.core.ImplicitAlsParams;
import org.mfkit.core.IndexArray;
import org.mfkit.core.Interactions;
import org.mfkit.core.SgdParams;
import org.mfkit.core.Solver;
import org.mfkit.core.Triples;
import org.mfkit.core.spi.HeapBackend;
import org.mfkit.core.spi.SolveFailure;

/**
 * The cpu-vector backend: jdk.incubator.vector kernels on a fixed pool of threads, on the
 * shared heap storage of {@link HeapBackend} (allocation, copies, finiteness and norms come
 * from there) so its matrices also work with the scalar reference. One class per kernel family, mirroring the reference:
 * {@code VectorDots}, {@code VectorScoreBlock}, {@code VectorTopK}, {@code VectorSgd}, {@code VectorBpr},
 * {@code VectorGram}, {@code VectorNormalEquations}, {@code VectorCholesky} (the batch driver of
 * {@code VectorCholeskyRows} and {@code VectorCholeskyCompact}),
 * {@code VectorConjugateGradient}, {@code VectorSubspace}, {@code VectorAls}.
 *
 * <p>Threading: {@code threads} workers (the caller is worker 0), work split by static
 * bounds that depend only on the input and the thread count, partial sums combined in
 * worker order, so results are bit-identical run to run for a given thread count.
 * {@link #close()} stops the workers.
 */
public final class VectorBackend extends HeapBackend {
    /** Registry name. */
    public static final String NAME = "cpu-vector";

    private final VectorPool pool;
    private final VectorAls als;
    private volatile VectorWarmUp warmUp;
    private SoftReference<VectorSgd.Arranged> lastArranged = new SoftReference<>(null);
    private SoftReference<VectorBpr.Waves> lastWaves = new SoftReference<>(null);
    /** BPR's margins of the last pass (see {@link VectorBpr#bpr}); one call at a time per backend. */
    private float[] bprMargins = new float[0];

    /** A backend with {@code threads} workers (&ge; 1). */
    public VectorBackend(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads = " + threads + " must be >= 1");
        this.pool = new VectorPool(threads);
        this.als = new VectorAls(pool);
    }

    /** The species and lane count this JVM uses, for listings. */
    static String describeHardware() {
        return "Vector API, " + VectorDots.S.vectorBitSize() + "-bit species (" + VectorDots.L + " floats), "
                + Runtime.getRuntime().availableProcessors() + " processors";
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int threads() {
        return pool.threads();
    }

    @Override
    public void dot(DenseMatrix p, DenseMatrix q, Interactions pairs, DenseMatrix out) {
        stopWarmUp();
        VectorDots.gathered(pool, h(p), h(q), p.cols(), ids(pairs.users()), ids(pairs.items()), h(out));
    }

    @Override
    public void predict(float globalMean, DenseMatrix userBias, DenseMatrix itemBias, DenseMatrix p, DenseMatrix q,
                        Interactions pairs, DenseMatrix out) {
        VectorDots.predict(pool, globalMean, h(userBias), h(itemBias), h(p), h(q), p.cols(),
                ids(pairs.users()), ids(pairs.items()), h(out));
    }

    @Override
    public void scores(DenseMatrix p, IndexArray rows, DenseMatrix q, DenseMatrix out) {
        VectorScoreBlock.scores(pool, h(p), ids(rows), h(q), q.rows(), p.cols(), h(out));
    }

    @Override
    public void topK(DenseMatrix p, IndexArray rows, DenseMatrix q, DenseMatrix itemBias, CsrMatrix exclude, int k,
                     int[] outItems, float[] outScores) {
        VectorTopK.topK(pool, h(p), ids(rows), h(q), q.rows(), p.cols(), itemBias == null ? null : h(itemBias),
                exclude == null ? null : ids(exclude.rowPtr()), exclude == null ? null : ids(exclude.colIdx()),
                k, outItems, outScores);
    }

    @Override
    public double sgd(DenseMatrix p, DenseMatrix q, DenseMatrix userBias, DenseMatrix itemBias, Interactions ratings,
                      SgdParams params) {
        int[] users = ids(ratings.users());
        int[] items = ids(ratings.items());
        float[] values = h(ratings.values());
        return VectorSgd.sgd(pool, ratings.schedule(), ratings.conflictFree(),
                () -> arranged(ratings, users, items, values, p.rows(), q.rows(), p.cols()),
                h(p), h(q), p.cols(), hOrNull(userBias), hOrNull(itemBias), users, items, values,
                params.globalMean(), params.learningRate(), params.factorReg(), params.biasReg());
    }

    private VectorSgd.Arranged arranged(Interactions ratings, int[] users, int[] items, float[] values, int numUsers,
                                        int numItems, int k) {
        VectorSgd.Arranged a = lastArranged.get();
        if (a != null && a.usersKey() == ratings.users() && a.itemsKey() == ratings.items() && a.k() == k
                && a.schedule().grid().numUsers() == numUsers && a.schedule().grid().numItems() == numItems) {
            return a;
        }
        a = VectorSgd.arrange(ratings.users(), ratings.items(), users, items, values, numUsers, numItems, k,
                pool.threads());
        lastArranged = new SoftReference<>(a);
        return a;
    }

    @Override
    public double sgdMiniBatch(DenseMatrix p, DenseMatrix q, DenseMatrix userBias, DenseMatrix itemBias,
                               Interactions ratings, SgdParams params) {
        return VectorSgd.miniBatch(pool, h(p), h(q), p.cols(), hOrNull(userBias), hOrNull(itemBias),
                ids(ratings.users()), ids(ratings.items()), h(ratings.values()),
                params.globalMean(), params.learningRate(), params.factorReg(), params.biasReg());
    }

    @Override
    public double bpr(DenseMatrix p, DenseMatrix q, DenseMatrix itemBias, Triples triples, BprParams params) {
        int[] users = ids(triples.users());
        int[] positives = ids(triples.positives());
        int[] negatives = ids(triples.negatives());
        return VectorBpr.bpr(pool, triples.schedule(), triples.conflictFree(), () -> waves(triples, users, positives, negatives,
                        p.rows(), q.rows()),
                h(p), h(q), p.cols(), hOrNull(itemBias), users, positives, negatives,
                params.learningRate(), params.factorReg(), params.biasReg(), params.computeLoss(),
                bprMargins(users.length));
    }

    /** The margin buffer of {@code bpr}, grown to at least {@code n} (kept: BPR runs it every epoch). */
    private float[] bprMargins(int n) {
        if (bprMargins.length < n) bprMargins = new float[n];
        return bprMargins;
    }

    private VectorBpr.Waves waves(Triples triples, int[] users, int[] positives, int[] negatives, int nUsers,
                                  int nItems) {
        VectorBpr.Waves w = lastWaves.get();
        if (w != null && w.key == triples) return w;
        w = VectorBpr.waves(triples, users, positives, negatives, nUsers, nItems);
        lastWaves = new SoftReference<>(w);
        return w;
    }

    @Override
    public void gram(DenseMatrix y, DenseMatrix out) {
        stopWarmUp();
        VectorGram.gram(pool, h(y), y.rows(), y.cols(), h(out));
    }

    @Override
    public void normalEquationsExplicit(IndexArray rows, CsrMatrix ratings, DenseMatrix y, ExplicitAlsParams params,
                                        DenseMatrix a, DenseMatrix b) {
        int k = y.cols();
        int[] r = ids(rows);
        int[] rowPtr = ids(ratings.rowPtr());
        int[] cols = ids(ratings.colIdx());
        float[] vals = h(ratings.values());
        float[] yv = h(y);
        float[] av = h(a);
        float[] bv = h(b);
        pool.run(r.length, (w, from, to) -> {
            VectorNormalEquations.Scratch s = new VectorNormalEquations.Scratch(k);
            for (int n = from; n < to; n++) {
                VectorNormalEquations.explicit(r[n], rowPtr, cols, vals, yv, k, params.lambda(), params.scaleByCount(),
                        av, n * k * k, bv, n * k, s);
            }
        });
    }

    @Override
    public void normalEquationsImplicit(IndexArray rows, CsrMatrix ratings, DenseMatrix y, DenseMatrix gram,
                                        ImplicitAlsParams params, DenseMatrix a, DenseMatrix b) {
        int k = y.cols();
        int[] r = ids(rows);
        int[] rowPtr = ids(ratings.rowPtr());
        int[] cols = ids(ratings.colIdx());
        float[] vals = h(ratings.values());
        float[] yv = h(y);
        float[] g = h(gram);
        float[] av = h(a);
        float[] bv = h(b);
        pool.run(r.length, (w, from, to) -> {
            VectorNormalEquations.Scratch s = new VectorNormalEquations.Scratch(k);
            for (int n = from; n < to; n++) {
                VectorNormalEquations.implicit(r[n], rowPtr, cols, vals, yv, k, g, params.alpha(), params.lambda(),
                        av, n * k * k, bv, n * k, s);
            }
        });
    }

    @Override
    public void choleskySolve(DenseMatrix a, DenseMatrix b, DenseMatrix x) {
        SolveFailure failure = VectorCholesky.batch(pool, h(a), h(b), b.rows(), b.cols(), h(x));
        if (failure != null) throw failure.toException("a");
    }

    @Override
    public void solveExplicit(DenseMatrix x, IndexArray rows, CsrMatrix ratings, DenseMatrix y,
                              ExplicitAlsParams params, Solver solver) {
        stopWarmUp();
        als.solve(h(x), y.cols(), ids(rows), ids(ratings.rowPtr()), ids(ratings.colIdx()), h(ratings.values()), h(y),
                new VectorAls.Problem(false, params.lambda(), params.scaleByCount(), 0f, null), solver);
    }

    @Override
    public void solveImplicit(DenseMatrix x, IndexArray rows, CsrMatrix ratings, DenseMatrix y, DenseMatrix gram,
                              ImplicitAlsParams params, Solver solver) {
        stopWarmUp();
        als.solve(h(x), y.cols(), ids(rows), ids(ratings.rowPtr()), ids(ratings.colIdx()), h(ratings.values()), h(y),
                new VectorAls.Problem(true, params.lambda(), false, params.alpha(), h(gram)), solver);
    }

    /** Compiles the ALS kernels in the background until the first real call ({@link VectorWarmUp}). */
    @Override
    public void prepareAls(int k, Solver solver) {
        VectorWarmUp started = VectorWarmUp.start(k, solver);
        if (started != null) warmUp = started;
    }

    private void stopWarmUp() {
        VectorWarmUp running = warmUp;
        if (running != null) {
            running.stop();
            warmUp = null;
        }
    }

    @Override
    public void close() {
        stopWarmUp();
        pool.close();
    }
}
