package org.mfkit.core.reference;

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
 * The scalar reference backend: plain sequential float32 loops with no tricks, the truth the
 * other backends are compared with. One class per kernel family
 * ({@code ScalarDots}, {@code ScalarTopK}, {@code ScalarSgd}, {@code ScalarBpr},
 * {@code ScalarGram}, {@code ScalarNormalEquations}, {@code ScalarCholesky},
 * {@code ScalarConjugateGradient}, {@code ScalarAls}); the cpu-vector and gpu-cuda backends
 * mirror these names. Storage, copies, finiteness and norms come from {@link HeapBackend}.
 */
public final class ScalarBackend extends HeapBackend {
    /** Registry name. */
    public static final String NAME = "scalar";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int threads() {
        return 1;
    }

    @Override
    public void dot(DenseMatrix p, DenseMatrix q, Interactions pairs, DenseMatrix out) {
        ScalarDots.gathered(h(p), h(q), p.cols(), ids(pairs.users()), ids(pairs.items()), h(out));
    }

    @Override
    public void predict(float globalMean, DenseMatrix userBias, DenseMatrix itemBias, DenseMatrix p, DenseMatrix q,
                        Interactions pairs, DenseMatrix out) {
        ScalarDots.predict(globalMean, h(userBias), h(itemBias), h(p), h(q), p.cols(),
                ids(pairs.users()), ids(pairs.items()), h(out));
    }

    @Override
    public void scores(DenseMatrix p, IndexArray rows, DenseMatrix q, DenseMatrix out) {
        ScalarDots.scores(h(p), ids(rows), h(q), q.rows(), p.cols(), h(out));
    }

    @Override
    public void topK(DenseMatrix p, IndexArray rows, DenseMatrix q, DenseMatrix itemBias, CsrMatrix exclude, int k,
                     int[] outItems, float[] outScores) {
        ScalarTopK.topK(h(p), ids(rows), h(q), q.rows(), p.cols(), itemBias == null ? null : h(itemBias),
                exclude == null ? null : ids(exclude.rowPtr()), exclude == null ? null : ids(exclude.colIdx()),
                k, outItems, outScores);
    }

    @Override
    public double sgd(DenseMatrix p, DenseMatrix q, DenseMatrix userBias, DenseMatrix itemBias, Interactions ratings,
                      SgdParams params) {
        return ScalarSgd.sequential(h(p), h(q), p.cols(), hOrNull(userBias), hOrNull(itemBias),
                ids(ratings.users()), ids(ratings.items()), h(ratings.values()),
                params.globalMean(), params.learningRate(), params.factorReg(), params.biasReg());
    }

    @Override
    public double sgdMiniBatch(DenseMatrix p, DenseMatrix q, DenseMatrix userBias, DenseMatrix itemBias,
                               Interactions ratings, SgdParams params) {
        return ScalarSgd.miniBatch(h(p), h(q), p.cols(), hOrNull(userBias), hOrNull(itemBias),
                ids(ratings.users()), ids(ratings.items()), h(ratings.values()),
                params.globalMean(), params.learningRate(), params.factorReg(), params.biasReg());
    }

    @Override
    public double bpr(DenseMatrix p, DenseMatrix q, DenseMatrix itemBias, Triples triples, BprParams params) {
        return ScalarBpr.sequential(h(p), h(q), p.cols(), hOrNull(itemBias),
                ids(triples.users()), ids(triples.positives()), ids(triples.negatives()),
                params.learningRate(), params.factorReg(), params.biasReg(), params.computeLoss());
    }

    @Override
    public void gram(DenseMatrix y, DenseMatrix out) {
        ScalarGram.gram(h(y), y.rows(), y.cols(), h(out));
    }

    @Override
    public void normalEquationsExplicit(IndexArray rows, CsrMatrix ratings, DenseMatrix y, ExplicitAlsParams params,
                                        DenseMatrix a, DenseMatrix b) {
        int k = y.cols();
        int[] r = ids(rows);
        for (int n = 0; n < r.length; n++) {
            ScalarNormalEquations.explicit(r[n], ids(ratings.rowPtr()), ids(ratings.colIdx()), h(ratings.values()),
                    h(y), k, params.lambda(), params.scaleByCount(), h(a), n * k * k, h(b), n * k);
        }
    }

    @Override
    public void normalEquationsImplicit(IndexArray rows, CsrMatrix ratings, DenseMatrix y, DenseMatrix gram,
                                        ImplicitAlsParams params, DenseMatrix a, DenseMatrix b) {
        int k = y.cols();
        int[] r = ids(rows);
        for (int n = 0; n < r.length; n++) {
            ScalarNormalEquations.implicit(r[n], ids(ratings.rowPtr()), ids(ratings.colIdx()), h(ratings.values()),
                    h(y), k, h(gram), params.alpha(), params.lambda(), h(a), n * k * k, h(b), n * k);
        }
    }

    @Override
    public void choleskySolve(DenseMatrix a, DenseMatrix b, DenseMatrix x) {
        int k = b.cols();
        int count = b.rows();
        float[] av = h(a);
        float[] bv = h(b);
        float[] staged = new float[count * k];
        float[] l = new float[k * k];
        for (int s = 0; s < count; s++) {
            int bad = ScalarCholesky.factor(av, s * k * k, k, l);
            if (bad >= 0) throw SolveFailure.cholesky(s, bad, l[bad * k + bad]).toException("a");
            ScalarCholesky.solve(l, k, bv, s * k, staged, s * k);
        }
        System.arraycopy(staged, 0, h(x), 0, staged.length);
    }

    @Override
    public void solveExplicit(DenseMatrix x, IndexArray rows, CsrMatrix ratings, DenseMatrix y,
                              ExplicitAlsParams params, Solver solver) {
        int k = y.cols();
        int[] rowPtr = ids(ratings.rowPtr());
        int[] cols = ids(ratings.colIdx());
        float[] vals = h(ratings.values());
        float[] yv = h(y);
        ScalarAls.solve(h(x), k, ids(rows), rowPtr, solver, (row, a, b) ->
                ScalarNormalEquations.explicit(row, rowPtr, cols, vals, yv, k, params.lambda(), params.scaleByCount(),
                        a, 0, b, 0));
    }

    @Override
    public void solveImplicit(DenseMatrix x, IndexArray rows, CsrMatrix ratings, DenseMatrix y, DenseMatrix gram,
                              ImplicitAlsParams params, Solver solver) {
        int k = y.cols();
        int[] rowPtr = ids(ratings.rowPtr());
        int[] cols = ids(ratings.colIdx());
        float[] vals = h(ratings.values());
        float[] yv = h(y);
        float[] g = h(gram);
        ScalarAls.solve(h(x), k, ids(rows), rowPtr, solver, (row, a, b) ->
                ScalarNormalEquations.implicit(row, rowPtr, cols, vals, yv, k, g, params.alpha(), params.lambda(),
                        a, 0, b, 0));
    }

    @Override
    public void close() {
        // No threads or native resources.
    }
}
