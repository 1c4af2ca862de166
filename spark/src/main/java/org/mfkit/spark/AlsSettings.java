package org.mfkit.spark;

import java.io.Serializable;
import org.mfkit.core.ExplicitAlsParams;
import org.mfkit.core.ImplicitAlsParams;
import org.mfkit.core.Solver;
import org.mfkit.data.CountWeighting;

/**
 * What every ALS task needs to know, resolved from the estimator's params on the driver
 * (kernel parameter, solver and weighting records are not serializable, so tasks rebuild them
 * from these fields).
 */
final class AlsSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    final int rank;
    final boolean implicit;
    final float regParam;
    final boolean scaleRegByCount;
    final float alpha;
    final Solver.Kind solverKind;
    final int cgSteps;
    final int blockSize;
    final CountWeighting.Scheme weighting;
    final float logEpsilon;
    final float bm25K1;
    final float bm25B;
    final String backend;
    final long seed;
    final float initStd;

    AlsSettings(int rank, boolean implicit, float regParam, boolean scaleRegByCount, float alpha, Solver solver,
                CountWeighting weighting, String backend, long seed, float initStd) {
        this.rank = rank;
        this.implicit = implicit;
        this.regParam = regParam;
        this.scaleRegByCount = scaleRegByCount;
        this.alpha = alpha;
        this.solverKind = solver.kind();
        this.cgSteps = solver.cgSteps();
        this.blockSize = solver.blockSize();
        this.weighting = weighting.scheme();
        this.logEpsilon = weighting.epsilon();
        this.bm25K1 = weighting.k1();
        this.bm25B = weighting.b();
        this.backend = backend;
        this.seed = seed;
        this.initStd = initStd;
    }

    /** Floats per factor row: k, plus the bias of explicit models. */
    int width() {
        return implicit ? rank : rank + 1;
    }

    Solver solver() {
        return new Solver(solverKind, cgSteps, blockSize);
    }

    CountWeighting weighting() {
        return new CountWeighting(weighting, logEpsilon, bm25K1, bm25B);
    }

    ExplicitAlsParams explicitParams() {
        return new ExplicitAlsParams(regParam, scaleRegByCount);
    }

    ImplicitAlsParams implicitParams() {
        return new ImplicitAlsParams(alpha, regParam);
    }
}
