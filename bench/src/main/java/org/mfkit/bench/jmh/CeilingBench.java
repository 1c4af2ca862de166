package org.mfkit.bench.jmh;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The machine's ceilings, measured by the harness itself on the JVM under test: peak FP32
 * FMA rate through the Vector API's preferred species (register-resident, {@value #CHAINS}
 * independent FMA chains, enough to cover FMA latency × ports on current x86 and ARM cores)
 * and streaming read bandwidth (a vectorised sum over {@code mib} MiB per thread). The runner
 * runs each on one thread and on all cores (JMH threads); each thread has its own state.
 *
 * <p>The report computes rates from the species length the probe printed for the same JVM:
 * flops per {@link #fma} call = 2 · lanes · {@value #CHAINS} · {@value #ROUNDS}; bytes per
 * {@link #stream} call = 4 · floats.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:MaxRAMPercentage=60"})
@Warmup(iterations = 2, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class CeilingBench {
    /** Independent accumulator chains; more than 8 made C2 box the vectors (KNOWLEDGE.md). */
    public static final int CHAINS = 8;
    /** FMA rounds per call. */
    public static final int ROUNDS = 1 << 16;
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private float[] coefficients;

    /** The streamed array, one per thread; apart from the FMA state so fma() allocates nothing big. */
    @State(Scope.Thread)
    public static class StreamData {
        /** Streamed array size per thread, in MiB (must overflow the last-level cache). */
        @Param("256")
        public int mib;
        float[] data;

        @Setup(Level.Trial)
        public void setup() {
            data = Inputs.factors(mib << 18, 1, 7 + Thread.currentThread().getId());
        }
    }

    @Setup(Level.Trial)
    public void setup() {
        coefficients = new float[SPECIES.length() * 2];
        for (int j = 0; j < SPECIES.length(); j++) {
            coefficients[j] = 0.999f;
            coefficients[SPECIES.length() + j] = 1e-3f;
        }
    }

    /** {@code ROUNDS} rounds of {@code CHAINS} dependent-chain FMAs (acc = acc·x + y, which converges). */
    @Benchmark
    public float fma() {
        FloatVector x = FloatVector.fromArray(SPECIES, coefficients, 0);
        FloatVector y = FloatVector.fromArray(SPECIES, coefficients, SPECIES.length());
        FloatVector a0 = y;
        FloatVector a1 = y.mul(2f);
        FloatVector a2 = y.mul(3f);
        FloatVector a3 = y.mul(4f);
        FloatVector a4 = y.mul(5f);
        FloatVector a5 = y.mul(6f);
        FloatVector a6 = y.mul(7f);
        FloatVector a7 = y.mul(8f);
        for (int r = 0; r < ROUNDS; r++) {
            a0 = a0.fma(x, y);
            a1 = a1.fma(x, y);
            a2 = a2.fma(x, y);
            a3 = a3.fma(x, y);
            a4 = a4.fma(x, y);
            a5 = a5.fma(x, y);
            a6 = a6.fma(x, y);
            a7 = a7.fma(x, y);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).reduceLanes(VectorOperators.ADD);
    }

    /** A vectorised sum over the whole array (4 accumulators so the adds never bound the loads). */
    @Benchmark
    public float stream(StreamData streamData) {
        float[] data = streamData.data;
        int step = SPECIES.length();
        FloatVector s0 = FloatVector.zero(SPECIES);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        int j = 0;
        for (; j + 4 * step <= data.length; j += 4 * step) {
            s0 = s0.add(FloatVector.fromArray(SPECIES, data, j));
            s1 = s1.add(FloatVector.fromArray(SPECIES, data, j + step));
            s2 = s2.add(FloatVector.fromArray(SPECIES, data, j + 2 * step));
            s3 = s3.add(FloatVector.fromArray(SPECIES, data, j + 3 * step));
        }
        float sum = s0.add(s1).add(s2).add(s3).reduceLanes(VectorOperators.ADD);
        for (; j < data.length; j++) sum += data[j];
        return sum;
    }
}
