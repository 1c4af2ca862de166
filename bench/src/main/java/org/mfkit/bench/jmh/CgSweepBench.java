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
import org.mfkit.core.IndexArray;
import org.mfkit.core.Solver;

/**
 * One conjugate-gradient sweep of implicit ALS: every user row re-solved with {@code steps} CG
 * steps warm-started from its current value, Q and YᵀY fixed (the user half of an iteration
 * without its Gram). Registry backends only: no peer has this kernel.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:MaxRAMPercentage=60"})
@Warmup(iterations = 2, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class CgSweepBench {
    /** Implementation: a registry backend. */
    @Param("scalar")
    public String impl;
    /** Factor dimension. */
    @Param("64")
    public int k;
    /** Users (rows solved per operation). */
    @Param("20000")
    public int users;
    /** Items. */
    @Param("5000")
    public int items;
    /** Interactions. */
    @Param("1000000")
    public int nnz;
    /** CG steps per row. */
    @Param("3")
    public int steps;

    private Kernels kernels;
    private Op op;

    @Setup(Level.Trial)
    public void setup() {
        String key = Harness.key("CgSweepBench", "impl", impl, "k", k, "users", users, "items", items, "nnz", nnz,
                "steps", steps);
        AlsProblem problem = new AlsProblem(users, items, nnz, k);
        Solver solver = Solver.cg(steps);
        kernels = Harness.open(impl, 0);
        AlsProblem.OnBackend data = problem.new OnBackend(kernels);
        kernels.gram(data.qm, data.gram);
        IndexArray all = kernels.indices("rows", AlsProblem.range(users));
        op = () -> {
            kernels.unchecked().solveImplicit(data.pm, all, data.userRatings, data.qm, data.gram, AlsProblem.PARAMS,
                    solver);
            return data.pm;
        };
        if (impl.equals(Harness.REFERENCE)) {
            Harness.reference(key);
            return;
        }
        Harness.verify(key, kernels.threads(), problem.check(data.checkRun(solver), solver), 1e-3,
                "Gram and CG solutions of sampled user and item rows");
    }

    @Benchmark
    public Object sweep() {
        return op.run();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (kernels != null) kernels.close();
    }
}
