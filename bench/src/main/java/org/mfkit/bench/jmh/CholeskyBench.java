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
import org.mfkit.bench.peers.Ejml;
import org.mfkit.bench.peers.JavaLoops;
import org.mfkit.bench.peers.Netlib;

/**
 * Batched Cholesky factor + solve of {@code n} SPD k×k systems (row-major, one per row of an
 * {@code n × k·k} matrix), one right-hand side each. Flops counted k³/3 + 2k² per system.
 * Peers solve one system at a time: textbook loops, netlib spotrf + spotrs, EJML.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:MaxRAMPercentage=60"})
@Warmup(iterations = 2, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class CholeskyBench {
    private static final int CHECK_SYSTEMS = 500;

    /** Implementation: a registry backend or a peer ({@code java-loops}, {@code netlib}, {@code ejml}). */
    @Param("scalar")
    public String impl;
    /** System dimension. */
    @Param("64")
    public int k;
    /** Systems per batch. */
    @Param("1000")
    public int n;

    private Kernels kernels;
    private Op op;

    @Setup(Level.Trial)
    public void setup() {
        String key = Harness.key("CholeskyBench", "impl", impl, "k", k, "n", n);
        float[] a = Inputs.spdSystems(n, k, 81);
        float[] b = Inputs.factors(n, k, 82);
        int m = Math.min(n, CHECK_SYSTEMS);
        float[] sa = java.util.Arrays.copyOf(a, m * k * k);
        float[] sb = java.util.Arrays.copyOf(b, m * k);
        float[] expected;
        try (Kernels ref = Harness.reference()) {
            DenseMatrix x = ref.matrix(m, k);
            ref.choleskySolve(ref.matrix(m, k * k, sa), ref.matrix(m, k, sb), x);
            expected = x.toArray();
        }
        if (impl.equals(Harness.REFERENCE)) Harness.reference(key);
        int used = 1;
        float[] got = new float[m * k];
        float[] x = new float[n * k];
        switch (impl) {
            case Harness.JAVA_LOOPS -> {
                float[] l = new float[k * k];
                for (int s = 0; s < m; s++) JavaLoops.choleskySolve(sa, s * k * k, sb, s * k, k, l, got, s * k);
                op = () -> {
                    for (int s = 0; s < n; s++) JavaLoops.choleskySolve(a, s * k * k, b, s * k, k, l, x, s * k);
                    return x;
                };
            }
            case Harness.NETLIB -> {
                float[] work = new float[k * k];
                for (int s = 0; s < m; s++) Netlib.choleskySolve(sa, s * k * k, sb, s * k, k, work, got, s * k);
                op = () -> {
                    for (int s = 0; s < n; s++) Netlib.choleskySolve(a, s * k * k, b, s * k, k, work, x, s * k);
                    return x;
                };
            }
            case Harness.EJML -> {
                Ejml ejml = new Ejml(k);
                ejml.solveAll(sa, sb, m, got);
                op = () -> {
                    ejml.solveAll(a, b, n, x);
                    return x;
                };
            }
            default -> {
                kernels = Harness.open(impl, 0);
                used = kernels.threads();
                DenseMatrix cx = kernels.matrix(m, k);
                kernels.choleskySolve(kernels.matrix(m, k * k, sa), kernels.matrix(m, k, sb), cx);
                got = cx.toArray();
                DenseMatrix am = kernels.matrix(n, k * k, a);
                DenseMatrix bm = kernels.matrix(n, k, b);
                DenseMatrix xm = kernels.matrix(n, k);
                op = () -> {
                    kernels.unchecked().choleskySolve(am, bm, xm);
                    return xm;
                };
            }
        }
        if (impl.equals(Harness.REFERENCE)) return;
        Harness.verify(key, used, Harness.relativeError(got, expected), 1e-4, "solutions of the first " + m + " systems");
    }

    @Benchmark
    public Object solve() {
        return op.run();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (kernels != null) kernels.close();
    }
}
