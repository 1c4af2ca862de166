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
import org.mfkit.bench.peers.SparkAls;
import org.mfkit.core.Solver;

/**
 * One full implicit-ALS iteration, both sides: YᵀY of Q, all users solved, PᵀP, all items
 * solved, with {@code solver} {@code cgN} (N CG steps, warm-started), {@code cholesky} or
 * {@code subspaceB}. The problem is synthetic ({@code users × items}, {@code nnz} skewed
 * interactions) or, with {@code data} set, a {@link TrainData} set exactly as
 * {@code implicit-als} trains on it (the kernels' share of a {@code TrainEpochBench} epoch on the
 * same data). The Spark peer (packed float64, dspr per interaction, dppsv) supports only
 * {@code cholesky}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:MaxRAMPercentage=60"})
@Warmup(iterations = 2, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class AlsIterationBench {
    /** Implementation: a registry backend or the peer {@code spark-dspr-dppsv}. */
    @Param("scalar")
    public String impl;
    /** Factor dimension. */
    @Param("64")
    public int k;
    /** Users. */
    @Param("20000")
    public int users;
    /** Items. */
    @Param("5000")
    public int items;
    /** Interactions. */
    @Param("1000000")
    public int nnz;
    /** Solver: {@code cgN}, {@code cholesky} or {@code subspaceB}. */
    @Param("cg3")
    public String solver;
    /** A {@link TrainData} set instead of the synthetic problem ({@code none}: users, items and nnz above). */
    @Param("none")
    public String data;

    private Kernels kernels;
    private Op op;

    @Setup(Level.Trial)
    public void setup() {
        String key = Harness.key("AlsIterationBench", "impl", impl, "k", k, "users", users, "items", items, "nnz", nnz,
                "solver", solver, "data", data);
        AlsProblem problem = data.equals("none") ? new AlsProblem(users, items, nnz, k) : new AlsProblem(data, k);
        Solver how = AlsProblem.solver(solver);
        if (impl.equals(Harness.SPARK)) {
            if (how.kind() != Solver.Kind.CHOLESKY) {
                throw new IllegalArgumentException("the Spark peer solves with Cholesky only, not " + solver);
            }
            SparkAls spark = new SparkAls(k);
            float[] p = problem.p.clone();
            float[] q = problem.q.clone();
            Inputs.Csr u = problem.byUser;
            Inputs.Csr i = problem.byItem;
            op = () -> {
                spark.halfStep(p, u.rowPtr(), u.colIdx(), u.values(), problem.users, q, problem.items, problem.params.alpha(),
                        problem.params.lambda());
                spark.halfStep(q, i.rowPtr(), i.colIdx(), i.values(), problem.items, p, problem.users, problem.params.alpha(),
                        problem.params.lambda());
                return q;
            };
            // Check the Spark half-step on the start factors against the reference's sampled rows.
            float[] p0 = problem.p.clone();
            spark.halfStep(p0, u.rowPtr(), u.colIdx(), u.values(), problem.users, problem.q, problem.items,
                    problem.params.alpha(), problem.params.lambda());
            float[] q0 = problem.q.clone();
            spark.halfStep(q0, i.rowPtr(), i.colIdx(), i.values(), problem.items, problem.p, problem.users,
                    problem.params.alpha(), problem.params.lambda());
            float[] gram = new float[k * k];
            org.mfkit.bench.peers.JavaLoops.gram(problem.q, problem.items, k, gram);
            float[][] got = {gram, problem.sampledRows(p0, problem.users), problem.sampledRows(q0, problem.items)};
            Harness.verify(key, 1, problem.check(got, how), 1e-3, "Gram and solutions of sampled user and item rows");
            return;
        }
        kernels = Harness.open(impl, 0);
        AlsProblem.OnBackend onBackend = problem.new OnBackend(kernels);
        var allUsers = kernels.indices("rows", AlsProblem.range(problem.users));
        var allItems = kernels.indices("rows", AlsProblem.range(problem.items));
        op = () -> onBackend.iteration(how, allUsers, allItems);
        if (impl.equals(Harness.REFERENCE)) {
            Harness.reference(key);
            return;
        }
        Harness.verify(key, kernels.threads(), problem.check(onBackend.checkRun(how), how), 1e-3,
                "Gram and solutions of sampled user and item rows");
    }

    @Benchmark
    public Object iteration() {
        return op.run();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (kernels != null) kernels.close();
    }
}
