package org.mfkit.core.reference;

import org.mfkit.core.Solver;
import org.mfkit.core.spi.SolveFailure;

/**
 * Reference ALS half-steps: for each requested row, assemble A and b
 * ({@link ScalarNormalEquations}), then solve by {@link ScalarCholesky} or
 * {@link ScalarConjugateGradient} warm-started from the row's current value. Rows with no
 * entries become zero. Solutions are staged and written to x only after every row
 * succeeded, so a non-SPD row leaves x unchanged.
 */
final class ScalarAls {
    private ScalarAls() {}

    /** Assembles one row's system into (a, b) at offset 0. */
    interface Assembler {
        void assemble(int row, float[] a, float[] b);
    }

    static void solve(float[] x, int k, int[] rows, int[] rowPtr, Solver solver, Assembler assembler) {
        float[] staged = new float[rows.length * k];
        float[] a = new float[k * k];
        float[] b = new float[k];
        float[] l = new float[k * k];
        float[] r = new float[k];
        float[] p = new float[k];
        float[] ap = new float[k];
        float[] breakdown = new float[1];
        for (int n = 0; n < rows.length; n++) {
            int row = rows[n];
            int off = n * k;
            if (rowPtr[row] == rowPtr[row + 1]) continue; // staged row stays zero
            assembler.assemble(row, a, b);
            if (solver.kind() == Solver.Kind.CHOLESKY) {
                int bad = ScalarCholesky.factor(a, 0, k, l);
                if (bad >= 0) throw SolveFailure.cholesky(n, bad, l[bad * k + bad]).toException("ratings row", row);
                ScalarCholesky.solve(l, k, b, 0, staged, off);
            } else {
                System.arraycopy(x, row * k, staged, off, k);
                if (!ScalarConjugateGradient.solve(a, 0, b, 0, staged, off, k, solver.cgSteps(), r, p, ap, breakdown)) {
                    throw SolveFailure.conjugateGradient(n, breakdown[0]).toException("ratings row", row);
                }
            }
        }
        for (int n = 0; n < rows.length; n++) System.arraycopy(staged, n * k, x, rows[n] * k, k);
    }
}
