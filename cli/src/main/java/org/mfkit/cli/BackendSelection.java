package org.mfkit.cli;

import org.mfkit.core.Backends;
import org.mfkit.core.Kernels;
import org.mfkit.core.spi.BackendOptions;
import picocli.CommandLine.Option;

/** The {@code --backend} and {@code --threads} options shared by the commands that compute. */
final class BackendSelection {
    @Option(names = {"-b", "--backend"}, paramLabel = "NAME",
            description = "Backend: scalar, cpu-vector, gpu-cuda or best (default: $MFKIT_BACKEND, else best available). "
                    + "'mfkit backends' lists them.")
    String backend;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", defaultValue = "0",
            description = "Worker threads for CPU backends; 0 = all processors (default: ${DEFAULT-VALUE}).")
    int threads;

    /** Opens the chosen backend. */
    Kernels open() {
        if (threads < 0) throw new IllegalArgumentException("--threads = " + threads + " must be >= 0");
        String name = backend != null ? backend : Backends.defaultName();
        return Backends.open(name, BackendOptions.threads(threads));
    }
}
