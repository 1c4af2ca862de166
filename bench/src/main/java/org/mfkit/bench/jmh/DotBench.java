package org.mfkit.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.mfkit.bench.peers.JavaLoops;
import org.mfkit.bench.peers.Netlib;
import org.mfkit.core.DenseMatrix;
import org.mfkit.core.Interactions;
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

/**
 * Gathered dot products {@code out[j] = p[u_j]·q[i_j]} over {@code n} random pairs, P and Q
 * {@code rows × k} each (working set 2·rows·k·4 bytes: the profile picks rows that fit in the
 * last-level cache and rows that overflow it). Four pair batches rotate between operations so
 * no operation replays the previous one's gathers from a warm cache.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:MaxRAMPercentage=60"})
@Warmup(iterations = 2, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class DotBench {
    private static final int BATCHES = 4;

    /** Implementation: a registry backend or a peer ({@code java-loops}, {@code netlib}). */
    @Param("scalar")
    public String impl;
    /** Factor dimension. */
    @Param("64")
    public int k;
    /** Rows of P and of Q. */
    @Param("32768")
    public int rows;
    /** Pairs per operation. */
    @Param("262144")
    public int n;
    /** Backend threads (0: the backend's default); peers and the scalar reference use one. */
    @Param("0")
    public int threads;

    private Kernels kernels;
    private Op[] ops;
    private int next;

    @Setup(Level.Trial)
    public void setup() {
        String key = Harness.key("DotBench", "impl", impl, "k", k, "rows", rows, "n", n, "threads", threads);
        float[] p = Inputs.factors(rows, k, 11);
        float[] q = Inputs.factors(rows, k, 12);
        int[][] users = new int[BATCHES][];
        int[][] items = new int[BATCHES][];
        for (int b = 0; b < BATCHES; b++) {
            users[b] = Inputs.uniformIds(n, rows, 100 + b);
            items[b] = Inputs.uniformIds(n, rows, 200 + b);
        }
        float[] expected;
        try (Kernels ref = Harness.reference()) {
            DenseMatrix out = ref.matrix(n, 1);
            ref.dot(ref.matrix(rows, k, p), ref.matrix(rows, k, q), ref.pairs(users[0], items[0]), out);
            expected = out.toArray();
        }
        ops = new Op[BATCHES];
        int used = 1;
        float[] peerOut = new float[n];
        if (impl.equals(Harness.JAVA_LOOPS)) {
            for (int b = 0; b < BATCHES; b++) {
                int[] u = users[b];
                int[] i = items[b];
                ops[b] = () -> {
                    JavaLoops.dot(p, q, k, u, i, peerOut);
                    return peerOut;
                };
            }
        } else if (impl.equals(Harness.NETLIB)) {
            for (int b = 0; b < BATCHES; b++) {
                int[] u = users[b];
                int[] i = items[b];
                ops[b] = () -> {
                    Netlib.dot(p, q, k, u, i, peerOut);
                    return peerOut;
                };
            }
        } else {
            kernels = Harness.open(impl, threads);
            used = kernels.threads();
            DenseMatrix pm = kernels.matrix(rows, k, p);
            DenseMatrix qm = kernels.matrix(rows, k, q);
            DenseMatrix out = kernels.matrix(n, 1);
            for (int b = 0; b < BATCHES; b++) {
                Interactions pairs = kernels.pairs(users[b], items[b]);
                ops[b] = () -> {
                    kernels.unchecked().dot(pm, qm, pairs, out);
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
        Harness.verify(key, used, Harness.relativeError(got, expected), 1e-5, "dot products");
    }

    @Benchmark
    public Object dot() {
        Op op = ops[next];
        next = (next + 1) & (BATCHES - 1);
        return op.run();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (kernels != null) kernels.close();
    }
}
