package org.mfkit.cuda;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.mfkit.core.Backends;
import org.mfkit.core.CsrMatrix;
import org.mfkit.core.DenseMatrix;
import org.mfkit.core.ExplicitAlsParams;
import org.mfkit.core.IndexArray;
import org.mfkit.core.Interactions;
import org.mfkit.core.Kernels;
import org.mfkit.core.SgdParams;
import org.mfkit.core.Solver;
import org.mfkit.core.spi.BackendOptions;

/**
 * A short GPU benchmark for {@code verify-on-gpu.sh}: a few kernels at realistic sizes,
 * median of five timed runs after a warm-up, printed as a table next to the device's sgemm
 * and copy ceilings. Not a unit test (no assertions on time); the JMH suite in the bench
 * module is the real benchmark.
 */
public final class CudaSmokeBenchmark {
    private static final int RUNS = 5;

    private CudaSmokeBenchmark() {}

    /** Runs the benchmark on device 0 and prints the table. */
    public static void main(String[] args) {
        Random random = new Random(1);
        try (Kernels gpu = Backends.open("gpu-cuda", BackendOptions.defaults())) {
            CudaBackend backend = (CudaBackend) gpu.unchecked();
            System.out.println("device: " + backend.deviceDescription());
            System.out.printf(Locale.ROOT, "%-44s %12s %14s%n", "kernel", "median ms", "rate");
            int k = 64;
            try (DenseMatrix y = gpu.matrix(1_000_000, k, random(random, 1_000_000 * k)); DenseMatrix g = gpu.matrix(k, k)) {
                double ms = time(() -> gpu.gram(y, g));
                row("gram Y^T Y, Y 1M x 64 (cuBLAS ssyrk)", ms, 2.0 * 1e6 * k * k / (ms * 1e6), "GFLOP/s");
            }
            int items = 100_000;
            int queries = 1000;
            try (DenseMatrix p = gpu.matrix(queries, k, random(random, queries * k));
                 DenseMatrix q = gpu.matrix(items, k, random(random, items * k));
                 IndexArray rows = gpu.indices("rows", sequence(queries));
                 DenseMatrix out = gpu.matrix(queries, items)) {
                double ms = time(() -> gpu.scores(p, rows, q, out));
                row("scores 1000 x 64 . (64 x 100k) (sgemm)", ms, 2.0 * queries * items * k / (ms * 1e6), "GFLOP/s");
                int[] outItems = new int[queries * 10];
                float[] outScores = new float[queries * 10];
                double topMs = time(() -> gpu.topK(p, rows, q, null, null, 10, outItems, outScores));
                row("top-10 of 100k items for 1000 queries", topMs, queries / (topMs / 1e3), "queries/s");
            }
            int users = 138_000;
            int nItems = 27_000;
            int n = 1_000_000;
            try (DenseMatrix p = gpu.matrix(users, k, random(random, users * k, 0.1f));
                 DenseMatrix q = gpu.matrix(nItems, k, random(random, nItems * k, 0.1f));
                 Interactions ratings = gpu.interactions(ids(random, n, users), ids(random, n, nItems),
                         random(random, n, 2f))) {
                SgdParams params = new SgdParams(0f, 0.001f, 0.01f, 0.01f);
                double ms = time(() -> gpu.sgd(p, q, null, null, ratings, params));
                row("SGD 1M ratings, random order (waves)", ms, n / (ms * 1e3), "M upd/s");
                double mb = time(() -> gpu.sgdMiniBatch(p, q, null, null, ratings, params));
                row("SGD mini-batch 1M ratings", mb, n / (mb * 1e3), "M upd/s");
            }
            int rowsCount = 10_000;
            int perRow = 100;
            int[] rowPtr = new int[rowsCount + 1];
            for (int r = 0; r < rowsCount; r++) rowPtr[r + 1] = rowPtr[r] + perRow;
            int nnz = rowsCount * perRow;
            float[] vals = new float[nnz];
            Arrays.fill(vals, 1f);
            try (CsrMatrix ratings = gpu.csr(rowsCount, nItems, rowPtr, ids(random, nnz, nItems), vals);
                 DenseMatrix y = gpu.matrix(nItems, k, random(random, nItems * k, 0.1f));
                 DenseMatrix x = gpu.matrix(rowsCount, k);
                 IndexArray rows = gpu.indices("rows", sequence(rowsCount))) {
                ExplicitAlsParams params = new ExplicitAlsParams(0.1f, true);
                double chol = time(() -> gpu.solveExplicit(x, rows, ratings, y, params, Solver.cholesky()));
                row("ALS explicit half-step 10k rows x 100, Cholesky", chol, rowsCount / (chol / 1e3), "rows/s");
                double cg = time(() -> gpu.solveExplicit(x, rows, ratings, y, params, Solver.cg(3)));
                row("ALS explicit half-step 10k rows x 100, CG(3)", cg, rowsCount / (cg / 1e3), "rows/s");
            }
            System.out.printf(Locale.ROOT, "%-44s %12s %10.0f GFLOP/s%n", "ceiling: cuBLAS sgemm 8192", "",
                    CudaCeilings.sgemmGflops(8192));
            System.out.printf(Locale.ROOT, "%-44s %12s %10.0f GB/s%n", "ceiling: device copy 1 GiB", "",
                    CudaCeilings.deviceCopyGBps(1L << 30));
            System.out.printf(Locale.ROOT, "transfers: %d bytes up in %d copies, %d bytes down in %d copies%n",
                    backend.bytesUploaded(), backend.uploadCount(), backend.bytesDownloaded(), backend.downloadCount());
        }
    }

    private static double time(Runnable kernel) {
        kernel.run();
        double[] ms = new double[RUNS];
        for (int r = 0; r < RUNS; r++) {
            long start = System.nanoTime();
            kernel.run();
            ms[r] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(ms);
        return ms[RUNS / 2];
    }

    private static void row(String name, double ms, double rate, String unit) {
        System.out.printf(Locale.ROOT, "%-44s %12.3f %10.1f %s%n", name, ms, rate, unit);
    }

    private static float[] random(Random random, int n) {
        return random(random, n, 1f);
    }

    private static float[] random(Random random, int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (random.nextFloat() * 2 - 1) * scale;
        return v;
    }

    private static int[] ids(Random random, int n, int bound) {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) v[i] = random.nextInt(bound);
        return v;
    }

    private static int[] sequence(int n) {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) v[i] = i;
        return v;
    }
}
