package org.mfkit.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mfkit demo} (also plain {@code mfkit}): machine, backends, cross-check, training on the embedded data. */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The demo (what plain 'mfkit' runs): this machine and its backends, a cross-check of every "
                + "available backend against the scalar reference, then biased MF and implicit ALS trained on the "
                + "embedded data with each backend, best first, with quality and time per epoch."})
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Settings settings;

    @Override
    public Integer call() {
        return new DemoRun(settings, spec.commandLine().getOut()).run();
    }

    /** The demo's options, shared by {@code mfkit} and {@code mfkit demo}. */
    static final class Settings {
        @Option(names = {"-b", "--backend"}, paramLabel = "NAME", split = ",",
                description = "Only these backends (comma-separated; default: every available one).")
        List<String> backends;

        @Option(names = {"-t", "--threads"}, paramLabel = "N", defaultValue = "0",
                description = "Worker threads for CPU backends; 0 = all processors (default: ${DEFAULT-VALUE}).")
        int threads;

        @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
                description = "Seed of the data, the initialization and the shuffles (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--epochs", paramLabel = "N", defaultValue = "40",
                description = "SGD epochs of biased MF (default: ${DEFAULT-VALUE}).")
        int epochs;

        @Option(names = "--sweeps", paramLabel = "N", defaultValue = "10",
                description = "Sweeps of implicit ALS (default: ${DEFAULT-VALUE}).")
        int sweeps;
    }
}
