package org.mfkit.bench.jmh;

import org.mfkit.core.CsrMatrix;
import org.mfkit.core.DenseMatrix;
import org.mfkit.core.ImplicitAlsParams;
import org.mfkit.core.Kernels;
import org.mfkit.core.Solver;
import org.mfkit.data.HostCsr;
import org.mfkit.data.Ratings;
import org.mfkit.model.ImplicitAlsConfig;

/**
 * A synthetic implicit-feedback problem (users × items, nnz interaction counts, items skewed
 * to popular ones) with its starting factors, shared by the ALS benchmarks; and the
 * cross-check they run: the Gram matrix and one solve of sampled user rows and sampled item
 * rows, compared with the scalar reference on the same inputs.
 */
final class AlsProblem {
    static final ImplicitAlsParams PARAMS = new ImplicitAlsParams(1f, 0.1f);
    private static final int CHECK_ROWS = 200;

    final int users;
    final int items;
    final int k;
    final Inputs.Csr byUser;
    final Inputs.Csr byItem;
    final float[] p;
    final float[] q;
    /** α and λ of the half-steps. */
    final ImplicitAlsParams params;

    AlsProblem(int users, int items, int nnz, int k) {
        this.users = users;
        this.items = items;
        this.k = k;
        this.byUser = Inputs.interactions(users, items, nnz, 91);
        this.byItem = byUser.transpose();
        this.p = Inputs.factors(users, k, 92);
        this.q = Inputs.factors(items, k, 93);
        this.params = PARAMS;
    }

    /**
     * The implicit problem of a {@link TrainData} set, as {@code implicit-als} trains on it:
     * repeated pairs summed, the trainer's default α and λ, so that a half-step here is the
     * trainer's half-step on the same data.
     */
    AlsProblem(String data, int k) {
        Ratings ratings = TrainData.load(data).summedPerPair();
        this.users = ratings.numUsers();
        this.items = ratings.numItems();
        this.k = k;
        HostCsr u = ratings.byUser();
        this.byUser = new Inputs.Csr(u.rows(), u.cols(), u.rowPtr(), u.colIdx(), u.values());
        HostCsr i = ratings.byItem();
        this.byItem = new Inputs.Csr(i.rows(), i.cols(), i.rowPtr(), i.colIdx(), i.values());
        this.p = Inputs.factors(users, k, 92);
        this.q = Inputs.factors(items, k, 93);
        ImplicitAlsConfig d = ImplicitAlsConfig.defaults();
        this.params = new ImplicitAlsParams(d.alpha(), d.lambda());
    }

    static Solver solver(String name) {
        return Solver.parse("solver", name);
    }

    /** The backend's data for this problem. */
    final class OnBackend {
        final Kernels kernels;
        final CsrMatrix userRatings;
        final CsrMatrix itemRatings;
        final DenseMatrix pm;
        final DenseMatrix qm;
        final DenseMatrix gram;

        OnBackend(Kernels kernels) {
            this.kernels = kernels;
            this.userRatings = NormalEquationsBench.csr(kernels, byUser);
            this.itemRatings = NormalEquationsBench.csr(kernels, byItem);
            this.pm = kernels.matrix(users, k, p);
            this.qm = kernels.matrix(items, k, q);
            this.gram = kernels.matrix(k, k);
        }

        /** Gram of Q, then the given user rows solved (Q fixed); then the same for items against the start P. */
        float[][] checkRun(Solver solver) {
            DenseMatrix p0 = kernels.matrix(users, k, p);
            DenseMatrix q0 = kernels.matrix(items, k, q);
            DenseMatrix gq = kernels.matrix(k, k);
            kernels.gram(q0, gq);
            kernels.solveImplicit(p0, kernels.indices("rows", sample(users)), userRatings, q0, gq, params, solver);
            DenseMatrix q1 = kernels.matrix(items, k, q);
            DenseMatrix p1 = kernels.matrix(users, k, p);
            DenseMatrix gp = kernels.matrix(k, k);
            kernels.gram(p1, gp);
            kernels.solveImplicit(q1, kernels.indices("rows", sample(items)), itemRatings, p1, gp, params, solver);
            return new float[][] {gq.toArray(), sampledRows(p0.toArray(), users), sampledRows(q1.toArray(), items)};
        }

        /** One full iteration: users against Q, then items against the new P. */
        Object iteration(Solver solver, org.mfkit.core.IndexArray allUsers, org.mfkit.core.IndexArray allItems) {
            var backend = kernels.unchecked();
            backend.gram(qm, gram);
            backend.solveImplicit(pm, allUsers, userRatings, qm, gram, params, solver);
            backend.gram(pm, gram);
            backend.solveImplicit(qm, allItems, itemRatings, pm, gram, params, solver);
            return qm;
        }
    }

    private int[] sample(int n) {
        int m = Math.min(n, CHECK_ROWS);
        int[] ids = new int[m];
        // Spread over the whole range (popular and rare rows alike).
        for (int j = 0; j < m; j++) ids[j] = (int) ((long) j * n / m);
        return ids;
    }

    float[] sampledRows(float[] x, int n) {
        int[] ids = sample(n);
        float[] out = new float[ids.length * k];
        for (int j = 0; j < ids.length; j++) System.arraycopy(x, ids[j] * k, out, j * k, k);
        return out;
    }

    static int[] range(int n) {
        int[] ids = new int[n];
        for (int j = 0; j < n; j++) ids[j] = j;
        return ids;
    }

    /** Cross-check of {@code impl} against the reference on this problem; returns the error. */
    double check(float[][] got, Solver solver) {
        float[][] want;
        try (Kernels ref = Harness.reference()) {
            want = new OnBackend(ref).checkRun(solver);
        }
        double error = 0;
        for (int j = 0; j < want.length; j++) error = Math.max(error, Harness.relativeError(got[j], want[j]));
        return error;
    }
}
