package org.mfkit.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.mfkit.core.Kernels;
import org.mfkit.core.Solver;
import org.mfkit.data.Ratings;
import org.mfkit.model.AlsConfig;
import org.mfkit.model.BiasedMfConfig;
import org.mfkit.model.BiasedMfSgd;
import org.mfkit.model.Bpr;
import org.mfkit.model.BprConfig;
import org.mfkit.model.ExplicitAls;
import org.mfkit.model.ImplicitAls;
import org.mfkit.model.ImplicitAlsConfig;
import org.mfkit.model.Trainer;
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
 * One epoch of a trainer, end to end, as a user runs it: the trainer's own {@code fit} on a
 * data set ({@link TrainData}), stepped one epoch per operation by {@link EpochStepper}, so an
 * operation is everything an epoch costs (per-epoch host work such as BPR's sampling and the
 * loss, every kernel call, the training loop's guard and last-good copy) and nothing of the
 * one-time setup. Trainers: {@code biased-mf} (SGD), {@code bpr}, {@code als} (explicit) and
 * {@code implicit-als}, k = {@code k}, default hyper-parameters otherwise; ALS solves with
 * {@code solver} ({@code cholesky}, {@code cgN}); SGD and BPR take {@code solver = none}.
 *
 * <p>Cross-check: the first epoch's training loss against the scalar reference's first epoch
 * on the same data and seed (relative difference ≤ 1e-2: a wrong update is off by order one).
 * Where the reference would need minutes (ALS on the 10M set) the row is recorded as not
 * checked, with the reason; the same trainer is checked on the smaller sets.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:MaxRAMPercentage=60"})
@Warmup(iterations = 1, time = 1, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 1, timeUnit = TimeUnit.MILLISECONDS)
public class TrainEpochBench {
    /** Seed of every trainer's random choices. */
    static final long SEED = 42L;
    /** Relative difference of the first epoch's loss allowed against the scalar reference. */
    static final double LOSS_TOLERANCE = 1e-2;
    /** Epochs the fit may run before it stops on its own; far more than any JMH run asks for. */
    private static final int MAX_EPOCHS = 100_000;

    /** Implementation: a registry backend. */
    @Param("scalar")
    public String impl;
    /** Data set: {@code synth10m}, {@code ml1m}, {@code tiny} ({@link TrainData}). */
    @Param("ml1m")
    public String data;
    /** Trainer: {@code biased-mf}, {@code bpr}, {@code als}, {@code implicit-als}. */
    @Param("bpr")
    public String trainer;
    /** ALS solver ({@code cholesky}, {@code cgN}); {@code none} for SGD and BPR. */
    @Param("none")
    public String solver;
    /** Factor dimension. */
    @Param("64")
    public int k;
    /** Backend threads (0: the backend's default). */
    @Param("0")
    public int threads;

    private Kernels kernels;
    private EpochStepper stepper;

    @Setup(Level.Trial)
    public void setup() {
        String key = Harness.key("TrainEpochBench", "impl", impl, "data", data, "trainer", trainer, "solver", solver,
                "k", k, "threads", threads);
        Trainer t = trainer(trainer, solver, k);
        Ratings train = TrainData.load(data);
        kernels = Harness.open(impl, threads);
        stepper = new EpochStepper(kernels, t, train, SEED, MAX_EPOCHS);
        double loss = stepper.last().loss();
        if (impl.equals(Harness.REFERENCE)) {
            Harness.reference(key);
            return;
        }
        String why = referenceTooSlow(data, trainer);
        if (why != null) {
            Harness.unchecked(key, kernels.threads(), why);
            return;
        }
        double expected;
        try (Kernels ref = Harness.reference();
             EpochStepper reference = new EpochStepper(ref, t, train, SEED, 1)) {
            expected = reference.last().loss();
        }
        Harness.verify(key, kernels.threads(), Harness.relativeError(loss, expected), LOSS_TOLERANCE,
                "first epoch's training loss");
    }

    /** Why the scalar reference is not run for a cross-check of this row, or null. */
    static String referenceTooSlow(String data, String trainer) {
        if (data.equals("synth10m") && trainer.endsWith("als")) {
            return "the scalar reference needs minutes per ALS epoch on the 10M set; the ml1m rows check this trainer";
        }
        return null;
    }

    /** The named trainer with default hyper-parameters, k factors and (for ALS) the named solver. */
    public static Trainer trainer(String name, String solver, int k) {
        boolean als = name.equals("als") || name.equals("implicit-als");
        if (als == solver.equals("none")) {
            throw new IllegalArgumentException("solver = " + solver + " for trainer " + name
                    + (als ? ": ALS needs cholesky or cgN" : ": SGD and BPR take solver = none"));
        }
        return switch (name) {
            case "biased-mf" -> new BiasedMfSgd(BiasedMfConfig.defaults().withFactors(k));
            case "bpr" -> new Bpr(BprConfig.defaults().withFactors(k));
            case "als" -> new ExplicitAls(alsConfig(k, AlsProblem.solver(solver)));
            case "implicit-als" -> new ImplicitAls(ImplicitAlsConfig.defaults().withFactors(k)
                    .withSolver(AlsProblem.solver(solver)));
            default -> throw new IllegalArgumentException("trainer = " + name
                    + ": expected biased-mf, bpr, als or implicit-als");
        };
    }

    private static AlsConfig alsConfig(int k, Solver solver) {
        AlsConfig d = AlsConfig.defaults().withFactors(k);
        return new AlsConfig(d.factors(), d.lambda(), d.scaleByCount(), solver, d.initStd(), d.clipPredictions());
    }

    @Benchmark
    public Object epoch() {
        return stepper.next();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (stepper != null) stepper.close();
        if (kernels != null) kernels.close();
    }
}
