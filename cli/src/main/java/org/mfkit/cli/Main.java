package org.mfkit.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.Callable;
import org.mfkit.core.BackendUnavailableException;
import org.mfkit.model.TrainingFailedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code mfkit} command. Without a subcommand it runs the demo; see {@code docs/CLI.md}.
 *
 * <p>Exit codes: 0 success, 1 a failure the user can fix (a missing or malformed file, an
 * unavailable backend, a bad value), 2 a usage error (unknown option, bad flag value),
 * 3 a cross-check failure in the demo, 70 an internal error (with a stack trace).
 */
@Command(name = "mfkit", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"Fast, verified matrix-factorization kernels for the JVM.",
                "",
                "Without a command: the demo. It prints this machine and its backends, cross-checks every "
                        + "available backend against the scalar reference, and trains biased MF and implicit ALS on "
                        + "the embedded data with each backend."},
        subcommands = {DemoCommand.class,
                BackendsCommand.class, DownloadCommand.class,
                TrainCommand.class, EvaluateCommand.class, RecommendCommand.class, SimilarCommand.class, ExportCommand.class,
                BenchCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Run 'mfkit COMMAND --help' for a command's options."})
public final class Main implements Callable<Integer> {
    /** Exit code for a failure the user can fix. */
    public static final int EXIT_FAILURE = 1;
    /** Exit code for a usage error. */
    public static final int EXIT_USAGE = 2;
    /** Exit code for a failed cross-check. */
    public static final int EXIT_CHECK_FAILED = 3;
    /** Exit code for an internal error. */
    public static final int EXIT_INTERNAL = 70;

    @Spec
    CommandSpec spec;

    @Mixin
    DemoCommand.Settings demo;

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with mfkit's error handling; tests set its out/err writers. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setUsageHelpAutoWidth(true);
        cl.setParameterExceptionHandler(Main::usageError);
        cl.setExecutionExceptionHandler(Main::failure);
        return cl;
    }

    @Override
    public Integer call() {
        return new DemoRun(demo, spec.commandLine().getOut()).run();
    }

    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println(cl.getCommandSpec().qualifiedName() + ": " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for the options.");
        err.flush();
        return EXIT_USAGE;
    }

    private static int failure(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        String name = cl.getCommandSpec().qualifiedName();
        Throwable cause = e instanceof UncheckedIOException && e.getCause() != null ? e.getCause() : e;
        String message = userMessage(cause);
        if (message != null) {
            err.println(name + ": " + message);
            err.flush();
            return EXIT_FAILURE;
        }
        err.println(name + ": internal error: " + cause);
        cause.printStackTrace(err);
        err.flush();
        return EXIT_INTERNAL;
    }

    /** A message for failures the user can act on, or null for internal errors. */
    static String userMessage(Throwable e) {
        if (e instanceof NoSuchFileException) {
            NoSuchFileException missing = (NoSuchFileException) e;
            return "no such file: " + missing.getFile();
        }
        if (e instanceof AccessDeniedException) return "permission denied: " + ((AccessDeniedException) e).getFile();
        if (e instanceof TrainingFailedException) {
            // The trainer's message names the model, the epoch and the side that failed.
            return "training failed: " + e.getMessage() + "; nothing was saved";
        }
        if (e instanceof IOException || e instanceof IllegalArgumentException || e instanceof BackendUnavailableException) {
            return e.getMessage() == null ? e.toString() : e.getMessage();
        }
        return null;
    }

    /** The version line. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"mfkit " + (version == null ? "0.1.0" : version),
                    "JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")};
        }
    }
}
