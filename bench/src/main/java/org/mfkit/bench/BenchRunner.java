package org.mfkit.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.mfkit.bench.jmh.Harness;
import org.mfkit.bench.jmh.TrainData;
import org.mfkit.bench.report.Json;
import org.mfkit.bench.report.ReportGenerator;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * The benchmark command: fingerprints the machine, runs a profile's JMH benchmarks on every
 * available backend and the peers (each cross-checked against the scalar reference before it
 * is timed), and writes {@code results.json} (JMH JSON), {@code run.json} (fingerprint,
 * plan, skipped rows), {@code checks/} and the human report {@code report.md} with charts.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar --profile quick
 * java -jar bench/target/benchmarks.jar --profile full --jvm /usr/lib/jvm/temurin-25-jdk-amd64/bin/java
 * </pre>
 *
 * Exit codes: 0 all rows measured and cross-checked; 1 the report was written but some row
 * failed its cross-check or threw; 2 bad arguments; 3 the run itself could not complete.
 */
public final class BenchRunner {
    /** Exit code: every planned row measured and verified. */
    public static final int OK = 0;
    /** Exit code: report written, but some row FAILED its cross-check or errored. */
    public static final int ROWS_FAILED = 1;
    /** Exit code: bad command line. */
    public static final int USAGE = 2;
    /** Exit code: the run could not complete (I/O, JMH, probe failure). */
    public static final int RUN_ERROR = 3;

    private static final String VECTOR_FLAG = "--add-modules=jdk.incubator.vector";
    private static final String USAGE_TEXT = String.join("\n",
            "Usage: java -jar bench/target/benchmarks.jar [options]",
            "",
            "Runs mfkit's JMH benchmarks on every available backend and the peers (plain Java loops,",
            "dev.ludovic.netlib, EJML, Spark-style dspr + dppsv), measures the machine's ceilings, and",
            "writes results.json (JMH JSON), run.json, checks/ and report.md with charts/*.png.",
            "",
            "Options:",
            "  --profile quick|full|train|smoke",
            "                              quick: one size per kernel (~3 min on 2 cores, default);",
            "                              full: k in {16,64,128,256}, cache-overflowing and target sizes",
            "                              (~25 min on 2 cores, more with more backends); train: one epoch of",
            "                              every trainer end to end (TrainEpoch) on the ML-1M-shaped set and",
            "                              the 10M set; smoke: tiny in-process run that only checks the harness",
            "  --out DIR                   output directory (default bench-results/<profile>-<UTC time>)",
            "  --jvm PATH                  java executable for the probe and JMH forks (e.g. another JDK;",
            "                              the smoke profile then forks too)",
            "  --backends a,b              only these registry backends (default: every available one)",
            "  --include REGEX             only benchmark classes whose simple name matches (e.g. Gram|Cholesky)",
            "  --no-peers                  skip the peers (java-loops, netlib, ejml, spark)",
            "  --data-dir DIR              folder with the 10M set's ratings.csv (from shared/data/gen_synth.py;",
            "                              default " + TrainData.DEFAULT_DIR + "); its rows are skipped, with how to",
            "                              get it, when it is missing",
            "  --write-data NAME DIR       write a generated TrainEpoch data set (ml1m, tiny) to DIR as",
            "                              ratings.csv and ratings.txt (1-based ids) for peer tools, and exit",
            "  --ingest FILE               time reading FILE to the first epoch (parse, remap, dedupe, both CSR",
            "                              orientations; median of --repeat runs, default 5) and the peak heap,",
            "                              then exit; with --train NAME (biased-mf, bpr, als, implicit-als) also",
            "                              --epochs N (default 3) epochs at k = 64 on the first of --backends",
            "                              (default cpu-vector)",
            "  --quality sgd|bpr           the schedules' quality checks and exit: sgd = biased MF k = 64,",
            "                              10 epochs on the 10M set, training RMSE; bpr = BPR k = 64, 20",
            "                              epochs on the ML-1M-shaped set, Recall@10 on a per-user 20 %",
            "                              hold-out; on the first of --backends (default cpu-vector),",
            "                              --threads N (default: all)",
            "  --quiet                     no JMH progress output",
            "  --list                      print the plan and exit without running",
            "  --help                      this text",
            "",
            "Exit codes: 0 ok; 1 some row failed its cross-check or threw (see report.md); 2 usage; 3 run error.");

    private BenchRunner() {}

    /** Set in a JVM this class started on itself, so it never relaunches twice. */
    private static final String RELAUNCHED_PROPERTY = "mfkit.bench.relaunched";

    /**
     * Command-line entry point; exits with {@link #run}'s code. {@code java -jar} cannot load
     * jdk.incubator.vector (a jar manifest has no Add-Modules), and without it the in-process
     * smoke profile would find the Vector API backend and the FMA ceiling unavailable; so a JVM
     * started without the module reruns this command on the same java with the flag added.
     */
    public static void main(String[] args) {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()
                && System.getProperty(RELAUNCHED_PROPERTY) == null) {
            Integer code = relaunchWithVectorModule(args);
            if (code != null) System.exit(code);
        }
        System.exit(run(args));
    }

    /** Runs this command in a child JVM with the Vector API module; null if it cannot start. */
    private static Integer relaunchWithVectorModule(String[] args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add(VECTOR_FLAG);
        command.add("-D" + RELAUNCHED_PROPERTY + "=true");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(BenchRunner.class.getName());
        command.addAll(List.of(args));
        try {
            Process child = new ProcessBuilder(command).inheritIO().start();
            return child.waitFor();
        } catch (IOException e) {
            System.err.println("mfkit bench: could not restart with " + VECTOR_FLAG + " (" + e.getMessage()
                    + "); running without the Vector API");
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return RUN_ERROR;
        }
    }

    /** Runs the command and returns its exit code (never calls {@link System#exit}). */
    public static int run(String... args) {
        Arguments a;
        try {
            a = Arguments.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("mfkit bench: " + e.getMessage());
            System.err.println(USAGE_TEXT);
            return USAGE;
        }
        if (a.help) {
            System.out.println(USAGE_TEXT);
            return OK;
        }
        if (a.quality != null) {
            return Quality.run(a.quality, a.backends == null ? "cpu-vector" : a.backends.get(0), a.threads, System.out);
        }
        if (a.ingest != null) {
            String backend = a.backends == null ? "cpu-vector" : a.backends.get(0);
            return Ingest.run(a.ingest, a.repeat, a.train, a.epochs, backend, System.out);
        }
        if (a.writeData != null) {
            try {
                for (Path f : TrainData.write(a.writeData, a.writeDir)) System.out.println("wrote " + f);
                return OK;
            } catch (IOException | IllegalArgumentException e) {
                System.err.println("mfkit bench: cannot write " + a.writeData + ": " + e.getMessage());
                return RUN_ERROR;
            }
        }
        try {
            return execute(a);
        } catch (IOException | UncheckedIOException | RunnerException | IllegalStateException e) {
            System.err.println("mfkit bench: the run failed: " + e);
            return RUN_ERROR;
        }
    }

    private static int execute(Arguments a) throws IOException, RunnerException {
        Profile profile = Profile.named(a.profile);
        // The smoke profile runs in this JVM, unless --jvm names another: then it forks there too.
        boolean inProcess = profile.timing().forks() == 0 && a.jvm == null;
        Instant started = Instant.now();
        Path out = a.out != null ? a.out
                : Path.of("bench-results", profile.name() + "-"
                        + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(started));
        Path jvm = a.jvm != null ? a.jvm : Path.of(System.getProperty("java.home"), "bin", "java");
        int cores = Runtime.getRuntime().availableProcessors();

        Map<String, String> probe = new LinkedHashMap<>(inProcess ? Probe.collect() : probe(jvm));
        List<String> backends = new ArrayList<>();
        for (Map.Entry<String, String> e : probe.entrySet()) {
            if (!e.getKey().startsWith("backend.") || !e.getValue().startsWith("available")) continue;
            String name = e.getKey().substring("backend.".length());
            if (a.backends == null || a.backends.contains(name)) backends.add(name);
        }
        List<Map<String, Object>> planned = new ArrayList<>();
        List<Map<String, Object>> skipped = new ArrayList<>();
        List<Planned> runs = plan(profile, a, backends, probe, cores, planned, skipped);
        if (a.list) {
            for (Planned p : runs) System.out.println(p.describe());
            System.out.println(runs.size() + " JMH runs, " + planned.size() + " benchmark rows");
            return OK;
        }

        Files.createDirectories(out);
        Path checks = out.resolve("checks");
        Path parts = out.resolve("jmh");
        Files.createDirectories(checks);
        Files.createDirectories(parts);
        String previousChecks = System.getProperty(Harness.CHECKS_PROPERTY);
        String previousData = System.getProperty(TrainData.DIR_PROPERTY);
        if (inProcess) {
            System.setProperty(Harness.CHECKS_PROPERTY, checks.toAbsolutePath().toString());
            if (a.dataDir != null) System.setProperty(TrainData.DIR_PROPERTY, a.dataDir.toString());
        }
        List<String> partFiles = new ArrayList<>();
        try {
            for (int j = 0; j < runs.size(); j++) {
                Planned p = runs.get(j);
                if (!a.quiet) System.out.printf(Locale.ROOT, "%n[%d/%d] %s%n", j + 1, runs.size(), p.describe());
                Path part = parts.resolve(String.format(Locale.ROOT, "%03d-%s.json", j, p.c.bench()));
                new Runner(options(profile, p, a, jvm, checks, part, cores, inProcess)).run();
                if (Files.exists(part)) partFiles.add(part.toString());
            }
        } finally {
            if (inProcess) {
                restore(Harness.CHECKS_PROPERTY, previousChecks);
                restore(TrainData.DIR_PROPERTY, previousData);
            }
        }
        Files.writeString(out.resolve("results.json"), mergeJmhJson(partFiles), StandardCharsets.UTF_8);

        Instant finished = Instant.now();
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("profile", profile.name());
        run.put("command", String.join(" ", a.raw));
        run.put("started", started.toString());
        run.put("finished", finished.toString());
        run.put("seconds", (double) Duration.between(started, finished).toSeconds());
        run.put("forkJvm", inProcess ? "(in-process)" : jvm.toString());
        run.put("mfkitVersion", version());
        run.put("gitCommit", gitCommit());
        run.put("probe", probe);
        run.put("planned", planned);
        run.put("skipped", skipped);
        Files.writeString(out.resolve("run.json"), Json.write(run), StandardCharsets.UTF_8);

        ReportGenerator.Summary summary = ReportGenerator.generate(out);
        System.out.println();
        System.out.println("mfkit bench: " + summary.measured() + " rows measured, " + summary.failed()
                + " failed their cross-check, " + summary.missing() + " produced no result; "
                + Duration.between(started, finished).toSeconds() + " s");
        System.out.println("report: " + out.resolve("report.md").toAbsolutePath());
        return summary.failed() + summary.missing() > 0 ? ROWS_FAILED : OK;
    }

    private static void restore(String property, String previous) {
        if (previous == null) System.clearProperty(property);
        else System.setProperty(property, previous);
    }

    /** One JMH run to do. */
    private record Planned(Profile.Case c, List<String> impls, Map<String, String> params, boolean heavy, int threads) {
        String describe() {
            String method = c.method() != null ? "." + c.method() : "";
            return c.bench() + method + " " + params + (threads != 1 ? " threads=" + threads : "") + (impls.isEmpty() ? "" : " impl=" + impls);
        }
    }

    private static List<Planned> plan(Profile profile, Arguments a, List<String> backends, Map<String, String> probe,
                                      int cores, List<Map<String, Object>> planned, List<Map<String, Object>> skipped) {
        List<Planned> runs = new ArrayList<>();
        for (Profile.Case c : profile.cases()) {
            if (a.include != null && !a.include.matcher(c.bench()).find()) continue;
            Map<String, String> params = new LinkedHashMap<>(c.params());
            params.replaceAll((name, value) -> value.equals("all") ? Integer.toString(cores) : value);
            if (c.family() == null) {
                int threads = c.threads() == 0 ? cores : 1;
                if (c.threads() == 0 && cores == 1) continue;
                runs.add(new Planned(c, List.of(), params, false, threads));
                continue;
            }
            String noData = missingData(params, a);
            if (noData != null) {
                for (String backend : backends) skipped.add(row(c, params, backend, noData));
                continue;
            }
            List<String> impls = new ArrayList<>();
            for (String backend : backends) {
                boolean isReference = backend.equals(Harness.REFERENCE);
                if (isReference && c.backends() != Profile.Backends.ALL) {
                    if (c.why() != null) skipped.add(row(c, params, backend, c.why()));
                    continue;
                }
                impls.add(backend);
            }
            if (!a.noPeers) impls.addAll(c.peers());
            if (c.backends() == Profile.Backends.PARALLEL && "1".equals(params.get("threads"))) continue;
            for (Map.Entry<String, String> e : probe.entrySet()) {
                if (!e.getKey().startsWith("backend.") || e.getValue().startsWith("available")) continue;
                skipped.add(row(c, params, e.getKey().substring("backend.".length()), e.getValue()));
            }
            if (impls.isEmpty()) continue;
            for (String impl : impls) planned.add(row(c, params, impl, null));
            runs.add(new Planned(c, impls, params, c.heavy(), 1));
        }
        return runs;
    }

    /** Why a row's data set cannot be loaded here (see {@link TrainData#missing}), or null. */
    private static String missingData(Map<String, String> params, Arguments a) {
        String data = params.get("data");
        if (data == null || data.equals("none")) return null;
        String previous = System.getProperty(TrainData.DIR_PROPERTY);
        if (a.dataDir != null) System.setProperty(TrainData.DIR_PROPERTY, a.dataDir.toString());
        try {
            return TrainData.missing(data);
        } finally {
            if (a.dataDir != null) restore(TrainData.DIR_PROPERTY, previous);
        }
    }

    private static Map<String, Object> row(Profile.Case c, Map<String, String> params, String impl, String reason) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("bench", c.bench());
        Map<String, String> all = new TreeMap<>(params);
        all.put("impl", impl);
        row.put("params", all);
        if (reason != null) row.put("reason", reason);
        return row;
    }

    private static org.openjdk.jmh.runner.options.Options options(Profile profile, Planned p, Arguments a, Path jvm,
                                                                 Path checks, Path part, int cores, boolean inProcess) {
        Profile.Timing t = p.heavy() ? profile.heavy() : profile.timing();
        String method = p.c().method() != null ? Pattern.quote(p.c().method()) : "\\w+";
        ChainedOptionsBuilder o = new OptionsBuilder()
                .include("^" + Pattern.quote("org.mfkit.bench.jmh." + p.c().bench() + ".") + method + "$")
                .forks(inProcess ? 0 : Math.max(1, t.forks()))
                .warmupIterations(t.warmups())
                .warmupTime(TimeValue.milliseconds(t.warmupMillis()))
                .measurementIterations(t.measurements())
                .measurementTime(TimeValue.milliseconds(t.measureMillis()))
                .threads(p.threads())
                .shouldFailOnError(false)
                .resultFormat(ResultFormatType.JSON)
                .result(part.toString())
                .verbosity(a.quiet || inProcess ? VerboseMode.SILENT : VerboseMode.NORMAL)
                .timeUnit(TimeUnit.MILLISECONDS);
        if (!inProcess) {
            List<String> jvmArgs = new ArrayList<>(List.of(VECTOR_FLAG, "-XX:MaxRAMPercentage=60",
                    "-D" + Harness.CHECKS_PROPERTY + "=" + checks.toAbsolutePath()));
            // Forks run with transparent huge pages, as the mfkit launcher does (random row gathers);
            // the flag exists only on Linux JVMs.
            if (System.getProperty("os.name", "").startsWith("Linux")) jvmArgs.add("-XX:+UseTransparentHugePages");
            if (a.dataDir != null) jvmArgs.add("-D" + TrainData.DIR_PROPERTY + "=" + a.dataDir.toAbsolutePath());
            o = o.jvm(jvm.toString()).jvmArgsAppend(jvmArgs.toArray(new String[0]));
        }
        if (!p.impls().isEmpty()) o = o.param("impl", p.impls().toArray(new String[0]));
        for (Map.Entry<String, String> e : p.params().entrySet()) o = o.param(e.getKey(), e.getValue());
        return o.build();
    }

    /** Runs {@link Probe} on the target JVM and reads its properties. */
    private static Map<String, String> probe(Path jvm) throws IOException {
        List<String> command = List.of(jvm.toString(), VECTOR_FLAG, "-cp", System.getProperty("java.class.path"),
                Probe.class.getName());
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String text;
        try (InputStream in = process.getInputStream()) {
            text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
        int rc;
        try {
            rc = process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while probing " + jvm, e);
        }
        if (rc != 0) {
            throw new IOException("the probe failed on " + jvm + " (exit " + rc + "); run: " + String.join(" ", command));
        }
        Properties properties = new Properties();
        properties.load(new StringReader(text));
        Map<String, String> m = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) m.put(key, properties.getProperty(key));
        return m;
    }

    /** Concatenates the JMH JSON arrays of every part into one array. */
    static String mergeJmhJson(List<String> partFiles) throws IOException {
        List<Object> all = new ArrayList<>();
        for (String file : partFiles) {
            String text = Files.readString(Path.of(file), StandardCharsets.UTF_8).trim();
            if (text.isEmpty()) continue;
            Object parsed = Json.parse(text);
            if (parsed instanceof List<?> list) all.addAll(list);
        }
        return Json.write(all);
    }

    static String version() {
        try (InputStream in = BenchRunner.class.getResourceAsStream("/mfkit-bench.properties")) {
            if (in == null) return "(unknown)";
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "(unknown)");
        } catch (IOException e) {
            return "(unknown)";
        }
    }

    /** The current directory's git commit (short, "-dirty" with local changes), or why unknown. */
    static String gitCommit() {
        try {
            String head = command("git", "rev-parse", "--short=12", "HEAD");
            if (head == null) return "(not a git checkout)";
            String status = command("git", "status", "--porcelain", "--untracked-files=no");
            return status != null && !status.isBlank() ? head + "-dirty" : head;
        } catch (IOException e) {
            return "(git not found)";
        }
    }

    private static String command(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String text;
        try (InputStream in = process.getInputStream()) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        try {
            return process.waitFor() == 0 ? text : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Parsed command line. */
    private static final class Arguments {
        List<String> raw;
        String profile = "quick";
        Path out;
        Path jvm;
        List<String> backends;
        Pattern include;
        String quality;
        int threads;
        Path ingest;
        int repeat = 5;
        String train;
        int epochs = 3;
        Path dataDir;
        String writeData;
        Path writeDir;
        boolean noPeers;
        boolean quiet;
        boolean list;
        boolean help;

        static Arguments parse(String[] args) {
            Arguments a = new Arguments();
            a.raw = List.of(args);
            for (int j = 0; j < args.length; j++) {
                String arg = args[j];
                switch (arg) {
                    case "--profile" -> a.profile = value(args, ++j, arg);
                    case "--out" -> a.out = Path.of(value(args, ++j, arg));
                    case "--jvm" -> {
                        a.jvm = Path.of(value(args, ++j, arg));
                        if (!Files.isExecutable(a.jvm)) throw new IllegalArgumentException("--jvm " + a.jvm + " is not an executable file");
                    }
                    case "--backends" -> a.backends = List.of(value(args, ++j, arg).split(","));
                    case "--include" -> a.include = Pattern.compile(value(args, ++j, arg));
                    case "--quality" -> a.quality = value(args, ++j, arg);
                    case "--threads" -> a.threads = positive(value(args, ++j, arg), arg);
                    case "--ingest" -> a.ingest = Path.of(value(args, ++j, arg));
                    case "--repeat" -> a.repeat = positive(value(args, ++j, arg), arg);
                    case "--train" -> a.train = value(args, ++j, arg);
                    case "--epochs" -> a.epochs = positive(value(args, ++j, arg), arg);
                    case "--data-dir" -> a.dataDir = Path.of(value(args, ++j, arg));
                    case "--write-data" -> {
                        a.writeData = value(args, ++j, arg);
                        a.writeDir = Path.of(value(args, ++j, arg));
                    }
                    case "--no-peers" -> a.noPeers = true;
                    case "--quiet" -> a.quiet = true;
                    case "--list" -> a.list = true;
                    case "--help", "-h" -> a.help = true;
                    default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
                }
            }
            Profile.named(a.profile);
            return a;
        }

        private static int positive(String text, String option) {
            try {
                int v = Integer.parseInt(text);
                if (v >= 1) return v;
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(option + " " + text + " must be a whole number >= 1");
        }

        private static String value(String[] args, int at, String option) {
            if (at >= args.length) throw new IllegalArgumentException(option + " needs a value");
            return args[at];
        }
    }
}
