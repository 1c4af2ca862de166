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
import org.mfkit.core.CsrMatrix;
import org.mfkit.core.IndexArray;

/**
 * Top-10 recommendation: score {@code queries} users against {@code items} items, skip
 * each user's {@value #EXCLUDED} already-seen items, keep the ten best. Query users rotate
 * between operations.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:MaxRAMPercentage=60"})
@Warmup(iterations = 2, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class TopKBench {
    private static final int BATCHES = 4;
    private static final int USERS = 4096;
    private static final int TOP = 10;
    private static final int EXCLUDED = 50;

    /** Implementation: a registry backend or a peer ({@code java-loops}). */
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
        String key = Harness.key("TopKBench", "impl", impl, "k", k, "items", items, "queries", queries);
        float[] p = Inputs.factors(USERS, k, 31);
        float[] q = Inputs.factors(items, k, 32);
        int[][] rows = new int[BATCHES][];
        Inputs.Csr[] seen = new Inputs.Csr[BATCHES];
        for (int b = 0; b < BATCHES; b++) {
            rows[b] = Inputs.uniformIds(queries, USERS, 400 + b);
            int[] r = new int[queries * EXCLUDED];
            for (int j = 0; j < r.length; j++) r[j] = j / EXCLUDED;
            int[] c = Inputs.skewedIds(r.length, items, 500 + b);
            seen[b] = Inputs.Csr.fromTriples(queries, items, r, c, new float[r.length]);
        }
        int[] expectedItems = new int[queries * TOP];
        float[] expectedScores = new float[queries * TOP];
        try (Kernels ref = Harness.reference()) {
            ref.topK(ref.matrix(USERS, k, p), ref.indices("rows", rows[0]), ref.matrix(items, k, q), null,
                    csr(ref, seen[0]), TOP, expectedItems, expectedScores);
        }
        ops = new Op[BATCHES];
        int threads = 1;
        int[] outItems = new int[queries * TOP];
        float[] outScores = new float[queries * TOP];
        DenseMatrix pm = null;
        DenseMatrix qm = null;
        if (!Harness.isPeer(impl)) {
            kernels = Harness.open(impl, 0);
            threads = kernels.threads();
            pm = kernels.matrix(USERS, k, p);
            qm = kernels.matrix(items, k, q);
        }
        for (int b = 0; b < BATCHES; b++) {
            int[] r = rows[b];
            DenseMatrix pmFinal = pm;
            DenseMatrix qmFinal = qm;
            Inputs.Csr s = seen[b];
            if (impl.equals(Harness.JAVA_LOOPS)) {
                ops[b] = () -> {
                    JavaLoops.topK(p, r, q, items, k, s.rowPtr(), s.colIdx(), TOP, outItems, outScores);
                    return outScores;
                };
            } else {
                IndexArray ids = kernels.indices("rows", r);
                CsrMatrix exclude = csr(kernels, s);
                ops[b] = () -> {
                    kernels.unchecked().topK(pmFinal, ids, qmFinal, null, exclude, TOP, outItems, outScores);
                    return outScores;
                };
            }
        }
        if (impl.equals(Harness.REFERENCE)) {
            Harness.reference(key);
            return;
        }
        ops[0].run();
        double error = Harness.relativeError(outScores, expectedScores);
        // Items may differ only where the reference itself has a near-tie at that slot.
        float scale = 0f;
        for (float v : expectedScores) scale = Math.max(scale, Math.abs(v));
        for (int j = 0; j < outItems.length; j++) {
            if (outItems[j] == expectedItems[j]) continue;
            int slot = j % TOP;
            boolean tie = (slot > 0 && expectedScores[j - 1] - expectedScores[j] <= 1e-5f * scale)
                    || (slot < TOP - 1 && expectedScores[j] - expectedScores[j + 1] <= 1e-5f * scale);
            if (!tie) error = Double.POSITIVE_INFINITY;
        }
        Harness.verify(key, threads, error, 1e-5, "top-10 items and scores");
    }

    private static CsrMatrix csr(Kernels kernels, Inputs.Csr s) {
        return kernels.csr(s.rows(), s.cols(), s.rowPtr(), s.colIdx(), s.values());
    }

    @Benchmark
    public Object topK() {
        Op op = ops[next];
        next = (next + 1) & (BATCHES - 1);
        return op.run();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (kernels != null) kernels.close();
    }
}
