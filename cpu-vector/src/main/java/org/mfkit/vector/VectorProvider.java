package org.mfkit.vector;

import org.mfkit.core.spi.Availability;
import org.mfkit.core.spi.BackendOptions;
import org.mfkit.core.spi.BackendProvider;
import org.mfkit.core.spi.KernelBackend;

/**
 * Registers the cpu-vector backend. This class must load and probe in a JVM started without
 * {@code --add-modules jdk.incubator.vector}, so it never mentions a Vector API type: the probe
 * asks the boot module layer for the module first, and only then lets {@link VectorBackend}
 * (which does use the Vector API) describe its species.
 */
public final class VectorProvider implements BackendProvider {
    /** The JDK module the backend needs at run time. */
    static final String MODULE = "jdk.incubator.vector";

    @Override
    public String name() {
        return VectorBackend.NAME;
    }

    @Override
    public String description() {
        return "cpu-vector: jdk.incubator.vector SIMD kernels on a fixed pool of threads";
    }

    @Override
    public int priority() {
        return 200;
    }

    @Override
    public Availability probe() {
        if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
            return Availability.unavailable("JDK module " + MODULE
                    + " is not loaded; start the JVM with --add-modules " + MODULE);
        }
        return Availability.available(VectorBackend.describeHardware());
    }

    @Override
    public KernelBackend open(BackendOptions options) {
        return new VectorBackend(options.resolvedThreads());
    }
}
