package org.mfkit.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mfkit.bench.jmh.Harness;
import org.mfkit.bench.report.Family;

/**
 * What a profile measures: the benchmark cases (family, sizes, peers) and the JMH iteration
 * counts. {@code quick} uses one cache-resident size per family (about 3 minutes on 2 cores);
 * {@code full} sweeps k ∈ {16, 64, 128, 256}, adds L2-sized and last-level-cache-overflowing sizes
 * and the target shapes (Gram of 1,000,000 × 64, 10,000 Cholesky systems of 64, SGD at k = 64
 * on 1 and all threads, implicit ALS on an ML-20M-shaped problem); {@code smoke} is the quick
 * profile with one tiny measurement in-process (for CI: checks that everything runs and
 * the report is valid, says nothing about speed). {@code train} is the {@code TrainEpoch} family
 * alone: one epoch of every trainer, end to end, on the MovieLens-1M-shaped set and on the 10M set,
 * plus implicit ALS at k = 256 on the 10M set by CG and by the subspace solver (full has the
 * MovieLens-1M-shaped rows, quick two of them on every core).
 *
 * @param name       profile name
 * @param cases      what to run, in report order
 * @param timing     JMH iterations for ordinary cases
 * @param heavy      JMH iterations for cases whose single operation takes seconds
 */
public record Profile(String name, List<Case> cases, Timing timing, Timing heavy) {

    /** Which registry backends a case runs. */
    public enum Backends {
        /** Every available backend, the scalar reference included. */
        ALL,
        /** Every available backend except the scalar reference (the case is too big for it). */
        FAST,
        /** Backends that can use more than one thread (not the scalar reference). */
        PARALLEL
    }

    /**
     * One JMH run: a family at one size, on the chosen backends plus {@code peers}.
     *
     * @param family   the kernel family
     * @param method   the JMH method (only CeilingBench has more than one)
     * @param params   JMH parameters besides {@code impl} (a value {@code "all"} for
     *                 {@code threads} means every core)
     * @param peers    peer implementations to run too
     * @param backends which registry backends
     * @param why      why backends are restricted (shown in the report), or null
     * @param heavy    whether one operation takes seconds (fewer, one-op iterations)
     * @param threads  JMH threads (ceilings on all cores); 1 otherwise
     */
    public record Case(Family family, String method, Map<String, String> params, List<String> peers, Backends backends,
                       String why, boolean heavy, int threads) {
        /** The JMH class simple name. */
        public String bench() {
            return family == null ? "CeilingBench" : family.bench;
        }
    }

    /**
     * JMH iteration settings.
     *
     * @param forks        forks per benchmark (0 runs in this JVM)
     * @param warmups      warm-up iterations
     * @param warmupMillis warm-up iteration length
     * @param measurements measured iterations
     * @param measureMillis measured iteration length
     */
    public record Timing(int forks, int warmups, int warmupMillis, int measurements, int measureMillis) {}

    private static final String ALL_THREADS = "all";

    /** The named profile; throws {@link IllegalArgumentException} for an unknown name. */
    public static Profile named(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "quick":
                return new Profile("quick", quickCases(), new Timing(1, 2, 200, 3, 200), new Timing(1, 1, 1, 2, 1));
            case "full":
                return new Profile("full", fullCases(), new Timing(1, 2, 300, 3, 300), new Timing(1, 1, 1, 3, 1));
            case "smoke":
                return new Profile("smoke", smokeCases(), new Timing(0, 0, 1, 1, 1), new Timing(0, 0, 1, 1, 1));
            case "train":
                return new Profile("train", trainCases("ml1m", "synth10m"), new Timing(1, 2, 300, 5, 300),
                        new Timing(1, 1, 1, 5, 1));
            default:
                throw new IllegalArgumentException("profile = " + name + ": expected quick, full, train or smoke");
        }
    }

    private static List<Case> quickCases() {
        List<Case> c = new ArrayList<>();
        ceilings(c, 256);
        dots(c, 64, 16384, 262144);
        c.add(all(Family.SCORES, p("k", 64, "items", 32768, "queries", 32), Harness.JAVA_LOOPS, Harness.NETLIB_GEMM));
        c.add(all(Family.TOPK, p("k", 64, "items", 32768, "queries", 32), Harness.JAVA_LOOPS));
        sgdLike(c, Family.SGD, 64, 16384, 500_000);
        sgdLike(c, Family.BPR, 64, 16384, 500_000);
        c.add(all(Family.GRAM, p("k", 64, "n", 100_000), Harness.JAVA_LOOPS, Harness.NETLIB, Harness.NETLIB_GEMM));
        c.add(all(Family.NORMAL_EQUATIONS, p("k", 64, "rows", 2000, "perRow", 50), Harness.JAVA_LOOPS, Harness.SPARK));
        c.add(all(Family.CHOLESKY, p("k", 64, "n", 1000), Harness.JAVA_LOOPS, Harness.NETLIB, Harness.EJML));
        c.add(all(Family.CG_SWEEP, p("k", 64, "users", 10000, "items", 4000, "nnz", 250_000, "steps", 3)));
        c.add(all(Family.ALS_ITERATION, p("data", "none", "k", 64, "users", 6000, "items", 2000, "nnz", 150_000, "solver", "cg3")));
        c.add(all(Family.ALS_ITERATION, p("data", "none", "k", 64, "users", 6000, "items", 2000, "nnz", 150_000, "solver", "cholesky"),
                Harness.SPARK));
        for (String trainer : new String[] {"biased-mf", "bpr"}) {
            c.add(new Case(Family.TRAIN_EPOCH, null, p("data", "ml1m", "trainer", trainer, "solver", "none", "k", 64,
                    "threads", ALL_THREADS), List.of(), Backends.PARALLEL, null, false, 1));
        }
        return c;
    }

    /** The quick profile's cases at sizes small enough for a CI smoke run. */
    private static List<Case> smokeCases() {
        List<Case> c = new ArrayList<>();
        ceilings(c, 8);
        dots(c, 64, 1024, 4096);
        c.add(all(Family.SCORES, p("k", 64, "items", 1024, "queries", 8), Harness.JAVA_LOOPS, Harness.NETLIB_GEMM));
        c.add(all(Family.TOPK, p("k", 64, "items", 1024, "queries", 8), Harness.JAVA_LOOPS));
        sgdLike(c, Family.SGD, 64, 1024, 4096);
        sgdLike(c, Family.BPR, 64, 1024, 4096);
        c.add(all(Family.GRAM, p("k", 64, "n", 4096), Harness.JAVA_LOOPS, Harness.NETLIB, Harness.NETLIB_GEMM));
        c.add(all(Family.NORMAL_EQUATIONS, p("k", 16, "rows", 100, "perRow", 10), Harness.JAVA_LOOPS, Harness.SPARK));
        c.add(all(Family.CHOLESKY, p("k", 16, "n", 100), Harness.JAVA_LOOPS, Harness.NETLIB, Harness.EJML));
        c.add(all(Family.CG_SWEEP, p("k", 16, "users", 300, "items", 200, "nnz", 3000, "steps", 3)));
        c.add(all(Family.ALS_ITERATION, p("data", "none", "k", 16, "users", 300, "items", 200, "nnz", 3000, "solver", "cg3")));
        c.add(all(Family.ALS_ITERATION, p("data", "none", "k", 16, "users", 300, "items", 200, "nnz", 3000, "solver", "cholesky"),
                Harness.SPARK));
        for (String[] t : TRAINERS) {
            if (t[1].equals("cholesky")) continue;
            c.add(all(Family.TRAIN_EPOCH, p("data", "tiny", "trainer", t[0], "solver", t[1], "k", 16, "threads", 1)));
        }
        return c;
    }

    /** Trainer and solver of every TrainEpoch row. */
    private static final String[][] TRAINERS = {
        {"biased-mf", "none"}, {"bpr", "none"}, {"als", "cholesky"}, {"implicit-als", "cg3"}, {"implicit-als", "cholesky"},
        {"implicit-als", "subspace16"}};

    /** Implicit ALS at k = 256 on the 10M set, where the subspace solver is compared with CG (issue 12). */
    private static final String[] WIDE_SOLVERS = {"cg3", "subspace16", "subspace32"};

    /**
     * One epoch of every trainer, end to end, on the MovieLens-1M-shaped set generated in code and
     * on the 10M-rating set of gen_synth.py (rows skipped, with how to get it, when it is missing),
     * k = 64, on one thread next to the scalar reference and on every core. The reference runs ALS
     * on the 10M set for minutes per epoch, so those rows have the fast backends only.
     */
    private static List<Case> trainCases(String... sets) {
        List<Case> c = new ArrayList<>();
        String tooSlow = "the scalar reference needs minutes per ALS epoch on the 10M set; the ml1m rows compare it";
        for (String data : sets) {
            for (String[] t : TRAINERS) {
                boolean slowReference = data.equals("synth10m") && t[0].endsWith("als");
                for (String threads : new String[] {"1", ALL_THREADS}) {
                    Map<String, String> params = p("data", data, "trainer", t[0], "solver", t[1], "k", 64, "threads", threads);
                    Backends which = threads.equals("1") ? (slowReference ? Backends.FAST : Backends.ALL) : Backends.PARALLEL;
                    // A 10M-set epoch takes seconds: one epoch per JMH iteration there.
                    c.add(new Case(Family.TRAIN_EPOCH, null, params, List.of(), which,
                            slowReference && threads.equals("1") ? tooSlow : null, data.equals("synth10m"), 1));
                }
            }
            if (data.equals("synth10m")) {
                for (String solver : WIDE_SOLVERS) {
                    c.add(new Case(Family.TRAIN_EPOCH, null, p("data", data, "trainer", "implicit-als", "solver", solver,
                            "k", 256, "threads", ALL_THREADS), List.of(), Backends.PARALLEL, null, true, 1));
                }
            }
        }
        return c;
    }

    private static List<Case> fullCases() {
        List<Case> c = new ArrayList<>();
        ceilings(c, 256);
        int[] ks = {16, 64, 128, 256};
        // Working sets of about 16 MiB fit in any recent last-level cache; 512 MiB overflow all of them.
        // P and Q in L2 (512 KiB): what the kernel does when rows need no trip to L3 or memory.
        dots(c, 64, 1024, 1 << 20);
        for (int k : ks) dots(c, k, (16 << 20) / (8 * k), 1 << 20);
        for (int k : new int[] {64, 256}) dots(c, k, (512 << 20) / (8 * k), 1 << 20);
        for (int k : ks) {
            c.add(all(Family.SCORES, p("k", k, "items", 32768, "queries", 32), Harness.JAVA_LOOPS, Harness.NETLIB_GEMM));
        }
        c.add(all(Family.SCORES, p("k", 64, "items", 1 << 20, "queries", 32), Harness.JAVA_LOOPS, Harness.NETLIB_GEMM));
        for (int k : new int[] {64, 256}) {
            c.add(all(Family.TOPK, p("k", k, "items", 65536, "queries", 32), Harness.JAVA_LOOPS));
        }
        c.add(all(Family.TOPK, p("k", 64, "items", 1 << 20, "queries", 32), Harness.JAVA_LOOPS));
        sgdLike(c, Family.SGD, 64, 1024, 1_000_000);
        for (int k : ks) sgdLike(c, Family.SGD, k, 32768, 1_000_000);
        sgdLike(c, Family.SGD, 64, 1 << 20, 2_000_000);
        for (int k : new int[] {16, 64, 256}) sgdLike(c, Family.BPR, k, 32768, 1_000_000);
        for (int k : ks) {
            c.add(all(Family.GRAM, p("k", k, "n", (16 << 20) / (4 * k)), Harness.JAVA_LOOPS, Harness.NETLIB,
                    Harness.NETLIB_GEMM));
        }
        c.add(heavy(all(Family.GRAM, p("k", 64, "n", 1_000_000), Harness.JAVA_LOOPS, Harness.NETLIB, Harness.NETLIB_GEMM)));
        for (int k : ks) {
            c.add(all(Family.NORMAL_EQUATIONS, p("k", k, "rows", (32 << 20) / (4 * k * k), "perRow", 50),
                    Harness.JAVA_LOOPS, Harness.SPARK));
        }
        // 16,128 rows of 64 × 65 floats: 256 MiB of normal equations, over any last-level cache.
        c.add(heavy(all(Family.NORMAL_EQUATIONS, p("k", 64, "rows", (256 << 20) / (4 * 64 * 65), "perRow", 50),
                Harness.JAVA_LOOPS, Harness.SPARK)));
        int[][] systems = {{16, 10000}, {64, 1000}, {128, 250}, {256, 60}};
        for (int[] s : systems) {
            c.add(all(Family.CHOLESKY, p("k", s[0], "n", s[1]), Harness.JAVA_LOOPS, Harness.NETLIB, Harness.EJML));
        }
        c.add(all(Family.CHOLESKY, p("k", 64, "n", 10000), Harness.JAVA_LOOPS, Harness.NETLIB, Harness.EJML));
        for (int k : new int[] {16, 64, 128}) {
            c.add(all(Family.CG_SWEEP, p("k", k, "users", 10000, "items", 4000, "nnz", k == 128 ? 100_000 : 250_000,
                    "steps", 3)));
        }
        // 240,000 factor rows of 64 floats plus 2M interactions: ~77 MiB, over the last-level cache.
        c.add(heavy(all(Family.CG_SWEEP, p("k", 64, "users", 200_000, "items", 40_000, "nnz", 2_000_000, "steps", 3))));
        c.add(heavy(all(Family.ALS_ITERATION,
                p("data", "none", "k", 64, "users", 10000, "items", 4000, "nnz", 250_000, "solver", "cg3"))));
        c.add(heavy(all(Family.ALS_ITERATION,
                p("data", "none", "k", 64, "users", 10000, "items", 4000, "nnz", 250_000, "solver", "cholesky"),
                Harness.SPARK)));
        String tooSlow = "the scalar reference and the Spark-style peer need minutes per iteration at this size; "
                + "the 10,000-user rows above compare them";
        for (String solver : new String[] {"cg3", "cholesky"}) {
            c.add(new Case(Family.ALS_ITERATION, "iteration",
                    p("data", "none", "k", 64, "users", 138_000, "items", 27_000, "nnz", 10_000_000, "solver", solver),
                    List.of(),
                    Backends.FAST, tooSlow, true, 1));
        }
        c.addAll(trainCases("ml1m"));
        return c;
    }

    private static void ceilings(List<Case> c, int mib) {
        for (String method : new String[] {"fma", "stream"}) {
            Map<String, String> params = method.equals("stream") ? p("mib", mib) : p();
            c.add(new Case(null, method, params, List.of(), Backends.ALL, null, false, 1));
            c.add(new Case(null, method, params, List.of(), Backends.ALL, null, false, 0));
        }
    }

    /**
     * Gathered dot at one size: every backend and the peers on one thread (the issue-3 ratio to
     * the scalar reference), then the parallel backends on every core.
     */
    private static void dots(List<Case> c, int k, int rows, int n) {
        c.add(all(Family.DOT, p("k", k, "rows", rows, "n", n, "threads", 1), Harness.JAVA_LOOPS, Harness.NETLIB));
        c.add(new Case(Family.DOT, null, p("k", k, "rows", rows, "n", n, "threads", ALL_THREADS), List.of(),
                Backends.PARALLEL, null, false, 1));
    }

    private static void sgdLike(List<Case> c, Family family, int k, int rows, int n) {
        c.add(all(family, p("k", k, "rows", rows, "n", n, "threads", 1), Harness.JAVA_LOOPS));
        c.add(new Case(family, null, p("k", k, "rows", rows, "n", n, "threads", ALL_THREADS), List.of(), Backends.PARALLEL,
                null, false, 1));
    }

    private static Case all(Family family, Map<String, String> params, String... peers) {
        return new Case(family, null, params, List.of(peers), Backends.ALL, null, false, 1);
    }

    private static Case heavy(Case c) {
        return new Case(c.family(), c.method(), c.params(), c.peers(), c.backends(), c.why(), true, c.threads());
    }

    private static Map<String, String> p(Object... nameValue) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int j = 0; j < nameValue.length; j += 2) m.put((String) nameValue[j], String.valueOf(nameValue[j + 1]));
        return m;
    }
}
