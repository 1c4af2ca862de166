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
import org.mfkit.core.BprParams;
import org.mfkit.core.Triples;

/**
 * One BPR epoch over {@code n} (user, positive, negative) triples, P and Q {@code rows × k},
 * no item bias. Cross-checked on the first triples like {@link SgdBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:MaxRAMPercentage=60"})
@Warmup(iterations = 2, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class BprBench {
    private static final BprParams PARAMS = new BprParams(0.01f, 0.01f, 0f);
    private static final int CHECK_TRIPLES = 50_000;

    /** Implementation: a registry backend or a peer ({@code java-loops}). */
    @Param("scalar")
    public String impl;
    /** Factor dimension. */
    @Param("64")
    public int k;
    /** Rows of P and of Q. */
    @Param("32768")
    public int rows;
    /** Triples per epoch. */
    @Param("1000000")
    public int n;
    /** Backend threads (0: the backend's default). */
    @Param("1")
    public int threads;

    private Kernels kernels;
    private Op op;

    @Setup(Level.Trial)
    public void setup() {
        String key = Harness.key("BprBench", "impl", impl, "k", k, "rows", rows, "n", n, "threads", threads);
        float[] p = Inputs.factors(rows, k, 51);
        float[] q = Inputs.factors(rows, k, 52);
        int[] users = Inputs.uniformIds(n, rows, 53);
        int[] pos = Inputs.skewedIds(n, rows, 54);
        int[] neg = Inputs.uniformIds(n, rows, 55);
        for (int j = 0; j < n; j++) if (neg[j] == pos[j]) neg[j] = (neg[j] + 1) % rows;
        int m = Math.min(n, CHECK_TRIPLES);
        int[] su = java.util.Arrays.copyOf(users, m);
        int[] sp = java.util.Arrays.copyOf(pos, m);
        int[] sn = java.util.Arrays.copyOf(neg, m);
        float[][] expected = new float[2][];
        double expectedLoss;
        try (Kernels ref = Harness.reference()) {
            DenseMatrix pm = ref.matrix(rows, k, p);
            DenseMatrix qm = ref.matrix(rows, k, q);
            expectedLoss = ref.bpr(pm, qm, null, ref.triples(su, sp, sn), PARAMS);
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
            gotLoss = JavaLoops.bpr(cp, cq, k, su, sp, sn, PARAMS.learningRate(), PARAMS.factorReg());
            got[0] = cp;
            got[1] = cq;
            op = () -> JavaLoops.bpr(p, q, k, users, pos, neg, PARAMS.learningRate(), PARAMS.factorReg());
        } else {
            kernels = Harness.open(impl, threads);
            used = kernels.threads();
            DenseMatrix pm = kernels.matrix(rows, k, p);
            DenseMatrix qm = kernels.matrix(rows, k, q);
            Triples sample = kernels.triples(su, sp, sn);
            sequentialSchedule = used == 1 || sample.conflictFree();
            gotLoss = kernels.bpr(pm, qm, null, sample, PARAMS);
            got[0] = pm.toArray();
            got[1] = qm.toArray();
            DenseMatrix pRun = kernels.matrix(rows, k, p);
            DenseMatrix qRun = kernels.matrix(rows, k, q);
            Triples all = kernels.triples(users, pos, neg);
            op = () -> kernels.unchecked().bpr(pRun, qRun, null, all, PARAMS);
        }
        if (impl.equals(Harness.REFERENCE)) return;
        double lossError = Harness.relativeError(gotLoss, expectedLoss);
        double updatesError = Math.max(SgdBench.updateError(got[0], expected[0], p),
                SgdBench.updateError(got[1], expected[1], q));
        if (sequentialSchedule) {
            Harness.verify(key, used, Math.max(lossError, updatesError), 1e-3, "loss and factor updates");
        } else {
            // As in SgdBench: the parallel schedule reorders updates of shared rows, so the
            // updates are held to 25% and the loss to 5% (error = max(loss, updates / 5)).
            Harness.verify(key, used, Math.max(lossError, updatesError / 5), 5e-2,
                    "loss, and factor updates / 5 (parallel schedule)");
        }
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
