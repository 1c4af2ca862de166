package org.mfkit.bench.peers;

import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_FDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * EJML (ejml-fdense) Cholesky, one system at a time: what a JVM user solving many small SPD
 * systems would write. The solver and matrices are reused across systems, as EJML's docs
 * recommend for speed.
 */
public final class Ejml {
    private final int k;
    private final LinearSolverDense<FMatrixRMaj> solver;
    private final FMatrixRMaj a;
    private final FMatrixRMaj b;
    private final FMatrixRMaj x;

    /** A solver for k×k systems. */
    public Ejml(int k) {
        this.k = k;
        this.solver = LinearSolverFactory_FDRM.chol(k);
        this.a = new FMatrixRMaj(k, k);
        this.b = new FMatrixRMaj(k, 1);
        this.x = new FMatrixRMaj(k, 1);
    }

    /** Solves every system of the batch (row s of {@code systems} is A_s, row s of {@code rhs} is b_s) into {@code out}. */
    public void solveAll(float[] systems, float[] rhs, int count, float[] out) {
        for (int s = 0; s < count; s++) {
            System.arraycopy(systems, s * k * k, a.data, 0, k * k);
            System.arraycopy(rhs, s * k, b.data, 0, k);
            if (!solver.setA(a)) throw new ArithmeticException("EJML: system " + s + " is not positive definite");
            solver.solve(b, x);
            System.arraycopy(x.data, 0, out, s * k, k);
        }
    }
}
