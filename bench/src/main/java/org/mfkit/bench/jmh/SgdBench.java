package org.mfkit.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.mfkit.core.DenseMatrix;
import org.mfkit.core.Kernels;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.mfkit.bench.peers.JavaLoops;
import org.mfkit.core.Interactions;
import org.mfkit.core.SgdParams;

/**
 * One SGD epoch of biased matrix factorisation over {@code n} ratings (users uniform, items
 * skewed to popular ones), P and Q {@code rows × k}. The report turns time into updates per
 * second. {@code threads} is passed to the backend (0: its default); peers and the scalar
 * reference run on one thread.
 *
 * <p>The cross-check runs one epoch over the first ratings from the same start on the
 * backend and the reference and compares the loss and the factor updates ΔP, ΔQ. A parallel
 * backend may use another schedule for ratings that share rows, so it gets a looser tolerance.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:MaxRAMPercentage=60"})
@Warmup(iterations = 2, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class SgdBench {
    private static final SgdParams PARAMS = new SgdParams(3f, 0.005f, 0.02f, 0.02f);
    private static final int CHECK_RATINGS = 50_000;

    /** Implementation: a registry backend or a peer ({@code java-loops}). */
    @Param("scalar")
    public String impl;
    /** Factor dimension. */
    @Param("64")
    public int k;
    /** Rows of P and of Q. */
    @Param("32768")
    public int rows;
    /** Ratings per epoch. */
    @Param("1000000")
    public int n;
    /** Backend threads (0: the backend's default). */
    @Param("1")
    public int threads;

    private Kernels kernels;
    private Op op;

    @Setup(Level.Trial)
    public void setup() {
        String key = Harness.key("SgdBench", "impl", impl, "k", k, "rows", rows, "n", n, "threads", threads);
        float[] p = Inputs.factors(rows, k, 41);
        float[] q = Inputs.factors(rows, k, 42);
        float[] ub = Inputs.factors(rows, 1, 43);
        float[] ib = Inputs.factors(rows, 1, 44);
        int[] users = Inputs.uniformIds(n, rows, 45);
        int[] items = Inputs.skewedIds(n, rows, 46);
        float[] ratings = Inputs.ratings(n, 47);
        int m = Math.min(n, CHECK_RATINGS);
        int[] su = java.util.Arrays.copyOf(users, m);
        int[] si = java.util.Arrays.copyOf(items, m);
        float[] sr = java.util.Arrays.copyOf(ratings, m);
        float[][] expected = new float[2][];
        double expectedLoss;
        try (Kernels ref = Harness.reference()) {
            DenseMatrix pm = ref.matrix(rows, k, p);
            DenseMatrix qm = ref.matrix(rows, k, q);
            expectedLoss = ref.sgd(pm, qm, ref.vector(ub), ref.vector(ib), ref.interactions(su, si, sr), PARAMS);
            expected[0] = pm.toArray();
            expected[1] = qm.toArray();
        }
        if (impl.equals(Harness.REFERENCE)) Harness.reference(key);
        int used = 1;
        float[][] got = new float[2][];
        double gotLoss;
        boolean sequentialSchedule = true;
        if (impl.equals(Harness.JAVA_LOOPS)) {
            float[] cp = p.clone();
            float[] cq = q.clone();
            gotLoss = JavaLoops.sgd(cp, cq, k, ub.clone(), ib.clone(), su, si, sr, PARAMS.globalMean(),
                    PARAMS.learningRate(), PARAMS.factorReg(), PARAMS.biasReg());
            got[0] = cp;
            got[1] = cq;
            float[] ubRun = ub.clone();
            float[] ibRun = ib.clone();
            op = () -> JavaLoops.sgd(p, q, k, ubRun, ibRun, users, items, ratings, PARAMS.globalMean(),
                    PARAMS.learningRate(), PARAMS.factorReg(), PARAMS.biasReg());
        } else {
            kernels = Harness.open(impl, threads);
            used = kernels.threads();
            DenseMatrix pm = kernels.matrix(rows, k, p);
            DenseMatrix qm = kernels.matrix(rows, k, q);
            Interactions sample = kernels.interactions(su, si, sr);
            sequentialSchedule = used == 1 || sample.conflictFree();
            gotLoss = kernels.sgd(pm, qm, kernels.vector(ub), kernels.vector(ib), sample, PARAMS);
            got[0] = pm.toArray();
            got[1] = qm.toArray();
            DenseMatrix pRun = kernels.matrix(rows, k, p);
            DenseMatrix qRun = kernels.matrix(rows, k, q);
            DenseMatrix ubRun = kernels.vector(ub);
            DenseMatrix ibRun = kernels.vector(ib);
            Interactions all = kernels.interactions(users, items, ratings);
            op = () -> kernels.unchecked().sgd(pRun, qRun, ubRun, ibRun, all, PARAMS);
        }
        if (impl.equals(Harness.REFERENCE)) return;
        double lossError = Harness.relativeError(gotLoss, expectedLoss);
        double updatesError = Math.max(updateError(got[0], expected[0], p), updateError(got[1], expected[1], q));
        if (sequentialSchedule) {
            Harness.verify(key, used, Math.max(lossError, updatesError), 1e-3, "loss and factor updates");
        } else {
            // The grid schedule reorders the updates of rows shared between blocks, so a row
            // that many ratings touch follows another path (measured: ~7% relative difference
            // of the updates after one epoch, under 1% of the loss); the loss is held to 5% as
            // the schedule's contract says, the updates to 25% (a wrong update rule is off by
            // order 1). The recorded error is max(loss, updates / 5) against 5e-2.
            Harness.verify(key, used, Math.max(lossError, updatesError / 5), 5e-2,
                    "loss, and factor updates / 5 (parallel schedule)");
        }
    }

    /** Normwise relative difference of the updates (got − start) and (want − start). */
    static double updateError(float[] got, float[] want, float[] start) {
        float[] dg = new float[got.length];
        float[] dw = new float[want.length];
        for (int j = 0; j < got.length; j++) {
            dg[j] = got[j] - start[j];
            dw[j] = want[j] - start[j];
        }
        return Harness.relativeError(dg, dw);
    }

    @Benchmark
    public Object epoch() {
        return op.run();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (kernels != null) kernels.close();
    }
}
