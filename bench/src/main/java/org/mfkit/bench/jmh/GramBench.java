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

/**
 * Gram matrix YᵀY of an {@code n × k} factor matrix (2·k·k·n flops counted, the full
 * product). The reference result comes from the scalar backend on the first rows when n is
 * large (the cross-check then runs the implementation on the same rows).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:MaxRAMPercentage=60"})
@Warmup(iterations = 2, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class GramBench {
    private static final int CHECK_ROWS = 100_000;

    /** Implementation: a registry backend or a peer ({@code java-loops}, {@code netlib} ssyrk, {@code netlib-gemm}). */
    @Param("scalar")
    public String impl;
    /** Factor dimension. */
    @Param("64")
    public int k;
    /** Rows of Y. */
    @Param("100000")
    public int n;

    private Kernels kernels;
    private Op op;

    @Setup(Level.Trial)
    public void setup() {
        String key = Harness.key("GramBench", "impl", impl, "k", k, "n", n);
        float[] y = Inputs.factors(n, k, 61);
        int m = Math.min(n, CHECK_ROWS);
        float[] sample = java.util.Arrays.copyOf(y, m * k);
        float[] expected;
        try (Kernels ref = Harness.reference()) {
            DenseMatrix out = ref.matrix(k, k);
            ref.gram(ref.matrix(m, k, sample), out);
            expected = out.toArray();
        }
        if (impl.equals(Harness.REFERENCE)) Harness.reference(key);
        int used = 1;
        float[] got = new float[k * k];
        float[] out = new float[k * k];
        switch (impl) {
            case Harness.JAVA_LOOPS -> {
                JavaLoops.gram(sample, m, k, got);
                op = () -> {
                    JavaLoops.gram(y, n, k, out);
                    return out;
                };
            }
            case Harness.NETLIB -> {
                Netlib.gramSyrk(sample, m, k, got);
                op = () -> {
                    Netlib.gramSyrk(y, n, k, out);
                    return out;
                };
            }
            case Harness.NETLIB_GEMM -> {
                Netlib.gramGemm(sample, m, k, got);
                op = () -> {
                    Netlib.gramGemm(y, n, k, out);
                    return out;
                };
            }
            default -> {
                kernels = Harness.open(impl, 0);
                used = kernels.threads();
                DenseMatrix check = kernels.matrix(k, k);
                kernels.gram(kernels.matrix(m, k, sample), check);
                got = check.toArray();
                DenseMatrix ym = kernels.matrix(n, k, y);
                DenseMatrix gram = kernels.matrix(k, k);
                op = () -> {
                    kernels.unchecked().gram(ym, gram);
                    return gram;
                };
            }
        }
        if (impl.equals(Harness.REFERENCE)) return;
        Harness.verify(key, used, Harness.relativeError(got, expected), 1e-4, "YᵀY");
    }

    @Benchmark
    public Object gram() {
        return op.run();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (kernels != null) kernels.close();
    }
}
