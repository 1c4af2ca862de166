package org.mfkit.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.mfkit.bench.BenchRunner;
import org.mfkit.core.BackendInfo;
import org.mfkit.core.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mfkit bench}: the benchmark harness ({@link BenchRunner}), quick profile by default.
 * The options are the harness's own, checked here first so that a bad one stops the run before
 * anything is written; then they are handed to {@link BenchRunner#run} unchanged.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Benchmark every available backend and the peers a JVM user would pick (plain Java loops, "
                + "netlib, EJML, Spark-style ALS), each cross-checked against the scalar reference before it is timed, "
                + "and write results.json, run.json and report.md with charts.",
                "The quick profile takes about 3 minutes on 2 cores; full about 12 (more with more backends)."},
        footer = {"", "Exit codes: 0 every row measured and verified; 3 the report was written but a row failed its "
                + "cross-check or threw (see report.md); 1 the run could not complete; 2 bad options."})
final class BenchCommand implements Callable<Integer> {
    /** The harness's profiles. */
    enum BenchProfile {
        /** One cache-resident size per kernel family. */
        quick,
        /** Every size, the targets included. */
        full,
        /** A tiny in-process run that only checks the harness works. */
        smoke
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--profile", paramLabel = "NAME", defaultValue = "quick",
            description = "quick (default), full or smoke.")
    BenchProfile profile;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR",
            description = "Output directory (default: bench-results/PROFILE-UTCTIME).")
    Path out;

    @Option(names = "--jvm", paramLabel = "JAVA",
            description = "The java executable that runs the measurements (e.g. another JDK's bin/java; default: this one).")
    Path jvm;

    @Option(names = {"-b", "--backends"}, paramLabel = "NAME", split = ",",
            description = "Only these backends (comma-separated; default: every available one).")
    List<String> backends;

    @Option(names = "--include", paramLabel = "REGEX",
            description = "Only benchmark classes whose simple name matches, e.g. 'Gram|Cholesky'.")
    String include;

    @Option(names = "--no-peers", description = "Skip the peers (Java loops, netlib, EJML, Spark-style).")
    boolean noPeers;

    @Option(names = "--quiet", description = "No JMH progress output.")
    boolean quiet;

    @Option(names = "--list", description = "Print the plan and exit without measuring.")
    boolean list;

    @Override
    public Integer call() {
        List<String> args = harnessArguments();
        spec.commandLine().getOut().flush();
        int code = BenchRunner.run(args.toArray(new String[0]));
        System.out.flush();
        switch (code) {
            case BenchRunner.OK:
                return 0;
            case BenchRunner.ROWS_FAILED:
                return Main.EXIT_CHECK_FAILED;
            case BenchRunner.USAGE:
                return Main.EXIT_USAGE;
            default:
                return Main.EXIT_FAILURE;
        }
    }

    /** Validates the options and spells them the way {@link BenchRunner} reads them. */
    List<String> harnessArguments() {
        List<String> args = new ArrayList<>(List.of("--profile", profile.name()));
        if (out != null) {
            if (Files.exists(out) && !Files.isDirectory(out)) {
                throw new IllegalArgumentException("--out " + out + " exists and is not a directory");
            }
            args.add("--out");
            args.add(out.toString());
        }
        if (jvm != null) {
            if (!Files.isRegularFile(jvm) || !Files.isExecutable(jvm)) {
                throw new IllegalArgumentException("--jvm " + jvm + " is not an executable file (give a JDK's bin/java)");
            }
            args.add("--jvm");
            args.add(jvm.toString());
        }
        if (backends != null) {
            List<BackendInfo> known = Backends.list();
            for (String name : backends) {
                BackendInfo info = known.stream().filter(b -> b.name().equals(name)).findFirst().orElse(null);
                if (info == null) {
                    throw new IllegalArgumentException("--backends " + name + " is not a backend; known: "
                            + String.join(", ", known.stream().map(BackendInfo::name).toList()));
                }
                if (!info.available()) {
                    throw new IllegalArgumentException("--backends " + name + " is unavailable here: " + info.detail());
                }
            }
            args.add("--backends");
            args.add(String.join(",", backends));
        }
        if (include != null) {
            try {
                Pattern.compile(include);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("--include '" + include + "' is not a regular expression: "
                        + e.getDescription().toLowerCase(Locale.ROOT));
            }
            args.add("--include");
            args.add(include);
        }
        if (noPeers) args.add("--no-peers");
        if (quiet) args.add("--quiet");
        if (list) args.add("--list");
        return args;
    }
}
