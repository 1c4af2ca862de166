package org.mfkit.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mfkit.bench.jmh.Harness;

/**
 * The report generator on a recorded run (src/test/resources/recorded-run: the ceilings,
 * Gram, Cholesky and ALS-iteration parts of a real quick-profile run on the development
 * machine, JDK 17, scalar backend and peers), plus two simulated rows the test adds: a
 * backend whose cross-check failed and one whose benchmark threw.
 */
class ReportGeneratorTest {
    private static final String[] FILES = {"results.json", "run.json"};

    @TempDir
    Path dir;

    @BeforeEach
    void copyFixture() throws IOException {
        Files.createDirectories(dir.resolve("checks"));
        for (String f : FILES) copy("recorded-run/" + f, dir.resolve(f));
        for (String check : List.of(
                "CholeskyBench_impl=scalar_k=64_n=1000_.check", "CholeskyBench_impl=ejml_k=64_n=1000_.check",
                "CholeskyBench_impl=netlib_k=64_n=1000_.check", "CholeskyBench_impl=java-loops_k=64_n=1000_.check",
                "GramBench_impl=scalar_k=64_n=100000_.check", "GramBench_impl=netlib-gemm_k=64_n=100000_.check",
                "GramBench_impl=netlib_k=64_n=100000_.check", "GramBench_impl=java-loops_k=64_n=100000_.check",
                "AlsIterationBench_impl=scalar_items=2000_k=64_nnz=150000_solver=cg3_users=6000_.check",
                "AlsIterationBench_impl=scalar_items=2000_k=64_nnz=150000_solver=cholesky_users=6000_.check",
                "AlsIterationBench_impl=spark-dspr-dppsv_items=2000_k=64_nnz=150000_solver=cholesky_users=6000_.check")) {
            copy("recorded-run/checks/" + check, dir.resolve("checks").resolve(check));
        }
    }

    private static void copy(String resource, Path to) throws IOException {
        try (InputStream in = ReportGeneratorTest.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new IOException("missing test resource " + resource);
            Files.copy(in, to);
        }
    }

    @Test
    void tablesCarryTimeRatesCeilingFractionRatiosAndChecks() throws IOException {
        ReportGenerator.Summary summary = ReportGenerator.generate(dir);
        assertEquals(new ReportGenerator.Summary(11, 0, 0), summary);
        String md = Files.readString(dir.resolve("report.md"));

        // Fingerprint and ceilings as recorded.
        assertTrue(md.contains("| CPU | AMD EPYC |"), md);
        assertTrue(md.contains("| Vector API preferred species | Species[float, 16, S_512_BIT] |"));
        // 2 flops × 16 lanes × 8 chains × 65,536 rounds in 0.0846 ms → 198 GFLOP/s.
        assertTrue(md.contains("| FP32 FMA peak (Vector API, Species[float, 16, S_512_BIT]) | 1 | 198 GFLOP/s |"), md);
        // 256 MiB in 7.24 ms → 37.1 GB/s.
        assertTrue(md.contains("| streaming read bandwidth | 1 | 37.1 GB/s |"), md);
        assertTrue(md.contains("not measured: org.mfkit.cuda.CudaCeilings is not in this build"));

        // Gram: 2·64·64·100,000 flops in 26.17 ms → 31.3 GFLOP/s; 31.3 / 198 → 15.8% of the roofline;
        // the scalar reference took 613.6 ms → 23.44× faster.
        assertTrue(md.contains("## Gram YᵀY"));
        assertTrue(md.contains("| size | impl | threads | time/op | rows/s | GFLOP/s | GB/s | % roofline | × scalar | × java-loops | × netlib | × netlib-gemm | check |"), md);
        String gemm = line(md, "| k=64 n=100000 (24 MiB, fits LLC) | netlib-gemm |");
        assertTrue(gemm.contains("| 26.2 ms ± "), gemm);
        assertTrue(gemm.contains("| 31.3 |"), gemm);
        assertTrue(gemm.contains("| 15.8% |"), gemm);
        assertTrue(gemm.contains("| 23.44× |"), gemm);
        assertTrue(gemm.endsWith("| 1.00× | ok 2.0e-05 (tol 1e-04) |"), gemm);
        assertTrue(line(md, "| k=64 n=100000 (24 MiB, fits LLC) | scalar |").endsWith("| reference |"));

        // Cholesky: 1,000 × (64³/3 + 2·64²) flops in 18.46 ms (EJML) → 5.18 GFLOP/s.
        String ejml = line(md, "| k=64 n=1000 (16 MiB, fits LLC) | ejml |");
        assertTrue(ejml.contains("| 54.2 k | 5.18 |"), ejml);

        // The ALS table keeps the two solvers apart and compares Spark only where it ran.
        assertTrue(line(md, "| items=2000 k=64 nnz=150000 solver=cg3 users=6000").contains("| — |"));
        assertTrue(md.contains("- not run: cpu-vector: unavailable: no provider on the class path"));

        for (String chart : new String[] {"gram.png", "cholesky.png", "alsiteration.png"}) {
            assertPng(dir.resolve("charts").resolve(chart));
        }
        assertFalse(Files.exists(dir.resolve("charts").resolve("dot.png")), "no chart for a family not in the run");
        assertFalse(md.contains("## Gathered dot"), "no section for a family not in the run");
    }

    @Test
    void failedChecksAndMissingResultsAreMarkedNotTimed() throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> run = (Map<String, Object>) Json.parse(Files.readString(dir.resolve("run.json")));
        @SuppressWarnings("unchecked")
        List<Object> planned = new ArrayList<>((List<Object>) run.get("planned"));
        planned.add(Map.of("bench", "CholeskyBench", "params", new TreeMap<>(Map.of("impl", "cpu-vector", "k", "64", "n", "1000"))));
        planned.add(Map.of("bench", "GramBench", "params", new TreeMap<>(Map.of("impl", "cpu-vector", "k", "64", "n", "100000"))));
        run.put("planned", planned);
        Files.writeString(dir.resolve("run.json"), Json.write(run));
        String key = Harness.key("CholeskyBench", "impl", "cpu-vector", "k", 64, "n", 1000);
        Properties failed = new Properties();
        failed.setProperty("key", key);
        failed.setProperty("status", "FAILED");
        failed.setProperty("threads", "2");
        failed.setProperty("error", "0.25");
        failed.setProperty("tolerance", "1e-4");
        failed.setProperty("what", "solutions");
        try (OutputStream out = Files.newOutputStream(dir.resolve("checks").resolve(Harness.fileName(key)))) {
            failed.store(out, null);
        }

        ReportGenerator.Summary summary = ReportGenerator.generate(dir);
        assertEquals(new ReportGenerator.Summary(11, 1, 1), summary);
        String md = Files.readString(dir.resolve("report.md"));
        String row = line(md, "| k=64 n=1000 (16 MiB, fits LLC) | cpu-vector |");
        assertTrue(row.contains("| 2 | **FAILED** |"), row);
        assertTrue(row.endsWith("| **FAILED** 2.5e-01 (tol 1e-04) |"), row);
        assertFalse(row.contains("ms"), "a failed row shows no timing: " + row);
        String missing = line(md, "| k=64 n=100000 (24 MiB, fits LLC) | cpu-vector |");
        assertTrue(missing.contains("no result (threw; see the JMH log)"), missing);
        assertTrue(missing.endsWith("| not recorded |"), missing);
    }

    @Test
    void recordedRunWithoutCpuVectorSaysEachTargetWasNotMeasured() throws IOException {
        ReportGenerator.generate(dir);
        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.contains("## Issue-3 targets (cpu-vector)"), md);
        assertEquals("| gathered dot, k = 64: ≥ 8× the scalar reference | not measured in this run | — |",
                line(md, "| gathered dot, k = 64"));
        assertEquals(7, md.split("not measured in this run \\| — \\|", -1).length - 1, md);
    }

    @Test
    void targetsAreComputedFromTheRowsOfTheirExactShapes() throws IOException {
        @SuppressWarnings("unchecked")
        List<Object> results = new ArrayList<>((List<Object>) Json.parse(Files.readString(dir.resolve("results.json"))));
        // Simulated rows on the target shapes (times in ms/op).
        results.add(jmh("DotBench", "dot", 3.0, "impl", "cpu-vector", "k", "64", "rows", "32768", "n", "1048576", "threads", "1"));
        results.add(jmh("DotBench", "dot", 1.5, "impl", "cpu-vector", "k", "64", "rows", "32768", "n", "1048576", "threads", "2"));
        results.add(jmh("DotBench", "dot", 13.5, "impl", "scalar", "k", "64", "rows", "32768", "n", "1048576", "threads", "1"));
        results.add(jmh("DotBench", "dot", 9.0, "impl", "cpu-vector", "k", "16", "rows", "32768", "n", "1048576", "threads", "1"));
        results.add(jmh("GramBench", "gram", 60.0, "impl", "cpu-vector", "k", "64", "n", "1000000"));
        results.add(jmh("CholeskyBench", "solve", 150.0, "impl", "cpu-vector", "k", "64", "n", "10000"));
        results.add(jmh("CholeskyBench", "solve", 600.0, "impl", "ejml", "k", "64", "n", "10000"));
        results.add(jmh("SgdBench", "epoch", 100.0, "impl", "cpu-vector", "k", "64", "rows", "32768", "n", "1000000", "threads", "1"));
        results.add(jmh("SgdBench", "epoch", 62.5, "impl", "cpu-vector", "k", "64", "rows", "32768", "n", "1000000", "threads", "2"));
        results.add(jmh("SgdBench", "epoch", 350.0, "impl", "scalar", "k", "64", "rows", "32768", "n", "1000000", "threads", "1"));
        results.add(jmh("AlsIterationBench", "iteration", 1500.0, "impl", "cpu-vector", "items", "27000", "k", "64",
                "nnz", "10000000", "solver", "cg3", "users", "138000"));
        Files.writeString(dir.resolve("results.json"), Json.write(results));

        ReportGenerator.generate(dir);
        String md = Files.readString(dir.resolve("report.md"));
        // 13.5 / 3.0 = 4.50× on one thread; 13.5 / 1.5 = 9.00× on two; k = 16 is not a target shape.
        assertTrue(md.contains("| gathered dot, k = 64: ≥ 8× the scalar reference | 4.50× (rows = 32768, n = 1048576, "
                + "1 thread vs 1; P and Q 16 MiB) | **missed** |"), md);
        assertTrue(md.contains("| 9.00× (rows = 32768, n = 1048576, 2 threads vs 1; P and Q 16 MiB) | met |"), md);
        assertEquals(2, md.split("\\| gathered dot, k = 64", -1).length - 1);
        // 2·64·64·10⁶ flops in 60 ms → 137 GFLOP/s.
        assertTrue(line(md, "| Gram YᵀY, Y 1,000,000 × 64").endsWith("| 137 GFLOP/s (60.0 ms, default threads) | met |"),
                line(md, "| Gram YᵀY, Y 1,000,000 × 64"));
        assertTrue(line(md, "| batched Cholesky").endsWith("| 4.00× (150 ms vs 600 ms, default threads vs 1) | met |"));
        assertTrue(line(md, "| SGD (biased MF), k = 64, one thread").endsWith("| 3.50× (rows = 32768, n = 1000000) | **missed** |"));
        assertTrue(line(md, "| SGD (biased MF), k = 64: two threads").endsWith("| 1.60× (2 threads vs 1; rows = 32768, n = 1000000) | **missed** |"));
        assertTrue(line(md, "| implicit ALS iteration (both sides), 138,000 × 27,000, 10M nonzeros, k = 64, CG")
                .endsWith("| 1.50 s per iteration (default threads) | **missed** |"));
        assertTrue(line(md, "| implicit ALS iteration (both sides), 138,000 × 27,000, 10M nonzeros, k = 64, Cholesky")
                .endsWith("| not measured in this run | — |"));
    }

    private static Map<String, Object> jmh(String bench, String method, double msPerOp, String... params) {
        Map<String, String> p = new TreeMap<>();
        for (int j = 0; j < params.length; j += 2) p.put(params[j], params[j + 1]);
        return Map.of("benchmark", "org.mfkit.bench.jmh." + bench + "." + method, "mode", "avgt", "threads", 1,
                "forks", 1, "params", p,
                "primaryMetric", Map.of("score", msPerOp, "scoreError", msPerOp / 100, "scoreUnit", "ms/op"));
    }

    @Test
    void cacheSizesParseFromSysfsAndCpuinfo() {
        assertEquals(32 << 20, ReportGenerator.lastLevelCacheBytes("32768K (L3)"));
        assertEquals(107520 * 1024.0, ReportGenerator.lastLevelCacheBytes("107520 KB"));
        assertEquals(32 << 20, ReportGenerator.lastLevelCacheBytes("32M"));
        assertTrue(Double.isNaN(ReportGenerator.lastLevelCacheBytes("(unknown)")));
    }

    private static String line(String md, String prefix) {
        for (String l : md.split("\n")) if (l.startsWith(prefix)) return l;
        throw new AssertionError("no line starting with " + prefix + " in\n" + md);
    }

    private static void assertPng(Path file) throws IOException {
        assertTrue(Files.isRegularFile(file), file + " exists");
        byte[] b = Files.readAllBytes(file);
        assertTrue(b.length > 1000 && b[0] == (byte) 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G', file + " is a PNG");
    }
}
