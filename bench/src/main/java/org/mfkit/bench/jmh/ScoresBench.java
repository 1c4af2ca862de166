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
import org.mfkit.bench.peers.Netlib;
import org.mfkit.core.IndexArray;

/**
 * Dense score block {@code out[r][i] = p[rows[r]]·q[i]} for {@code queries} users against
 * all {@code items} items (Q is items × k: the profile picks item counts whose Q fits in the
 * last-level cache and counts that overflow it). Query users rotate between operations.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:MaxRAMPercentage=60"})
@Warmup(iterations = 2, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class ScoresBench {
    private static final int BATCHES = 4;
    private static final int USERS = 4096;

    /** Implementation: a registry backend or a peer ({@code java-loops}, {@code netlib-gemm}). */
    @Param("scalar")
    public String impl;
    /** Factor dimension. */
    @Param("64")
    public int k;
    /** Items scored per query. */
    @Param("65536")
    public int items;
    /** Query users per operation. */
    @Param("32")
    public int queries;

    private Kernels kernels;
    private Op[] ops;
    private int next;

    @Setup(Level.Trial)
    public void setup() {
        String key = Harness.key("ScoresBench", "impl", impl, "k", k, "items", items, "queries", queries);
        float[] p = Inputs.factors(USERS, k, 21);
        float[] q = Inputs.factors(items, k, 22);
        int[][] rows = new int[BATCHES][];
        for (int b = 0; b < BATCHES; b++) rows[b] = Inputs.uniformIds(queries, USERS, 300 + b);
        float[] expected;
        try (Kernels ref = Harness.reference()) {
            DenseMatrix out = ref.matrix(queries, items);
            ref.scores(ref.matrix(USERS, k, p), ref.indices("rows", rows[0]), ref.matrix(items, k, q), out);
            expected = out.toArray();
        }
        ops = new Op[BATCHES];
        int threads = 1;
        float[] peerOut = new float[Harness.isPeer(impl) ? queries * items : 0];
        float[] gathered = new float[queries * k];
        DenseMatrix pm = null;
        DenseMatrix qm = null;
        DenseMatrix block = null;
        if (!Harness.isPeer(impl)) {
            kernels = Harness.open(impl, 0);
            threads = kernels.threads();
            pm = kernels.matrix(USERS, k, p);
            qm = kernels.matrix(items, k, q);
            block = kernels.matrix(queries, items);
        }
        for (int b = 0; b < BATCHES; b++) {
            int[] r = rows[b];
            DenseMatrix pmFinal = pm;
            DenseMatrix qmFinal = qm;
            DenseMatrix out = block;
            if (impl.equals(Harness.JAVA_LOOPS)) {
                ops[b] = () -> {
                    JavaLoops.scores(p, r, q, items, k, peerOut);
                    return peerOut;
                };
            } else if (impl.equals(Harness.NETLIB_GEMM)) {
                ops[b] = () -> {
                    Netlib.scores(p, r, q, items, k, gathered, peerOut);
                    return peerOut;
                };
            } else {
                IndexArray ids = kernels.indices("rows", r);
                ops[b] = () -> {
                    kernels.unchecked().scores(pmFinal, ids, qmFinal, out);
                    return out;
                };
            }
        }
        if (impl.equals(Harness.REFERENCE)) {
            Harness.reference(key);
            return;
        }
        Object result = ops[0].run();
        float[] got = result instanceof DenseMatrix m ? m.toArray() : peerOut.clone();
        Harness.verify(key, threads, Harness.relativeError(got, expected), 1e-5, "scores");
    }

    @Benchmark
    public Object scores() {
        Op op = ops[next];
        next = (next + 1) & (BATCHES - 1);
        return op.run();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (kernels != null) kernels.close();
    }
}
