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
import org.mfkit.bench.peers.SparkAls;
import org.mfkit.core.CsrMatrix;
import org.mfkit.core.ImplicitAlsParams;
import org.mfkit.core.IndexArray;

/**
 * Implicit-ALS normal equations A_u = G + Σ αr q qᵀ + λI, b_u = Σ (1+αr) q for {@code rows}
 * users with {@code perRow} interactions each on average (items skewed to popular ones),
 * k×k output per row. The Spark peer builds the packed float64 triangle with dspr.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:MaxRAMPercentage=60"})
@Warmup(iterations = 2, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class NormalEquationsBench {
    private static final ImplicitAlsParams PARAMS = new ImplicitAlsParams(0.5f, 0.1f);
    private static final int ITEMS = 20_000;
    private static final int CHECK_ROWS = 256;

    /** Implementation: a registry backend or a peer ({@code java-loops}, {@code spark-dspr-dppsv}). */
    @Param("scalar")
    public String impl;
    /** Factor dimension. */
    @Param("64")
    public int k;
    /** Rows (users) whose equations are built per operation. */
    @Param("2000")
    public int rows;
    /** Average interactions per row. */
    @Param("50")
    public int perRow;

    private Kernels kernels;
    private Op op;

    @Setup(Level.Trial)
    public void setup() {
        String key = Harness.key("NormalEquationsBench", "impl", impl, "k", k, "rows", rows, "perRow", perRow);
        float[] y = Inputs.factors(ITEMS, k, 71);
        Inputs.Csr csr = Inputs.interactions(rows, ITEMS, rows * perRow, 72);
        float[] gram = new float[k * k];
        JavaLoops.gram(y, ITEMS, k, gram);
        int m = Math.min(rows, CHECK_ROWS);
        int[] sampleRows = new int[m];
        for (int j = 0; j < m; j++) sampleRows[j] = j;
        int[] allRows = new int[rows];
        for (int j = 0; j < rows; j++) allRows[j] = j;
        float[] expectedA;
        float[] expectedB;
        try (Kernels ref = Harness.reference()) {
            DenseMatrix a = ref.matrix(m, k * k);
            DenseMatrix b = ref.matrix(m, k);
            ref.normalEquationsImplicit(ref.indices("rows", sampleRows), csr(ref, csr), ref.matrix(ITEMS, k, y),
                    ref.matrix(k, k, gram), PARAMS, a, b);
            expectedA = a.toArray();
            expectedB = b.toArray();
        }
        if (impl.equals(Harness.REFERENCE)) Harness.reference(key);
        int used = 1;
        float[] gotA = new float[m * k * k];
        float[] gotB = new float[m * k];
        switch (impl) {
            case Harness.JAVA_LOOPS -> {
                for (int r = 0; r < m; r++) {
                    JavaLoops.normalEquationsImplicit(r, csr.rowPtr(), csr.colIdx(), csr.values(), y, k, gram,
                            PARAMS.alpha(), PARAMS.lambda(), gotA, r * k * k, gotB, r * k);
                }
                float[] a = new float[rows * k * k];
                float[] b = new float[rows * k];
                op = () -> {
                    for (int r = 0; r < rows; r++) {
                        JavaLoops.normalEquationsImplicit(r, csr.rowPtr(), csr.colIdx(), csr.values(), y, k, gram,
                                PARAMS.alpha(), PARAMS.lambda(), a, r * k * k, b, r * k);
                    }
                    return a;
                };
            }
            case Harness.SPARK -> {
                SparkAls spark = new SparkAls(k);
                spark.gram(y, ITEMS);
                for (int r = 0; r < m; r++) {
                    spark.build(r, csr.rowPtr(), csr.colIdx(), csr.values(), y, PARAMS.alpha(), PARAMS.lambda());
                    spark.unpack(gotA, r * k * k);
                    spark.rhs(gotB, r * k);
                }
                // Spark keeps one packed system per row until its solve; building them all is its assembly cost.
                op = () -> {
                    for (int r = 0; r < rows; r++) {
                        spark.build(r, csr.rowPtr(), csr.colIdx(), csr.values(), y, PARAMS.alpha(), PARAMS.lambda());
                    }
                    return spark;
                };
            }
            default -> {
                kernels = Harness.open(impl, 0);
                used = kernels.threads();
                CsrMatrix ratings = csr(kernels, csr);
                DenseMatrix ym = kernels.matrix(ITEMS, k, y);
                DenseMatrix gm = kernels.matrix(k, k, gram);
                DenseMatrix ca = kernels.matrix(m, k * k);
                DenseMatrix cb = kernels.matrix(m, k);
                kernels.normalEquationsImplicit(kernels.indices("rows", sampleRows), ratings, ym, gm, PARAMS, ca, cb);
                gotA = ca.toArray();
                gotB = cb.toArray();
                IndexArray ids = kernels.indices("rows", allRows);
                DenseMatrix a = kernels.matrix(rows, k * k);
                DenseMatrix b = kernels.matrix(rows, k);
                op = () -> {
                    kernels.unchecked().normalEquationsImplicit(ids, ratings, ym, gm, PARAMS, a, b);
                    return a;
                };
            }
        }
        if (impl.equals(Harness.REFERENCE)) return;
        double error = Math.max(Harness.relativeError(gotA, expectedA), Harness.relativeError(gotB, expectedB));
        Harness.verify(key, used, error, 1e-4, "A and b of the first " + m + " rows");
    }

    static CsrMatrix csr(Kernels kernels, Inputs.Csr csr) {
        return kernels.csr(csr.rows(), csr.cols(), csr.rowPtr(), csr.colIdx(), csr.values());
    }

    @Benchmark
    public Object build() {
        return op.run();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (kernels != null) kernels.close();
    }
}
