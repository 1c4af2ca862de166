package org.mfkit.spark;

import java.io.Serializable;
import org.mfkit.core.ExplicitAlsParams;
import org.mfkit.core.ImplicitAlsParams;
import org.mfkit.core.Solver;

/**
 * What every ALS task needs to know, resolved from the estimator's params on the driver
 * (kernel parameter records are not serializable, so tasks rebuild them from these fields).
 */
final class AlsSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    final int rank;
    final boolean implicit;
    final float regParam;
    final boolean scaleRegByCount;
    final float alpha;
    final boolean cg;
    final int cgSteps;
    final String backend;
    final long seed;
    final float initStd;

    AlsSettings(int rank, boolean implicit, float regParam, boolean scaleRegByCount, float alpha, Solver solver,
                String backend, long seed, float initStd) {
        this.rank = rank;
        this.implicit = implicit;
        this.regParam = regParam;
        this.scaleRegByCount = scaleRegByCount;
        this.alpha = alpha;
        this.cg = solver.kind() == Solver.Kind.CG;
        this.cgSteps = solver.cgSteps();
        this.backend = backend;
        this.seed = seed;
        this.initStd = initStd;
    }

    /** Floats per factor row: k, plus the bias of explicit models. */
    int width() {
        return implicit ? rank : rank + 1;
    }

    Solver solver() {
        return cg ? Solver.cg(cgSteps) : Solver.cholesky();
    }

    ExplicitAlsParams explicitParams() {
        return new ExplicitAlsParams(regParam, scaleRegByCount);
    }

    ImplicitAlsParams implicitParams() {
        return new ImplicitAlsParams(alpha, regParam);
    }
}
