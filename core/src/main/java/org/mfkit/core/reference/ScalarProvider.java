package org.mfkit.core.reference;

import org.mfkit.core.spi.Availability;
import org.mfkit.core.spi.BackendOptions;
import org.mfkit.core.spi.BackendProvider;
import org.mfkit.core.spi.KernelBackend;

/** Registers the scalar reference backend; always available. */
public final class ScalarProvider implements BackendProvider {
    @Override
    public String name() {
        return ScalarBackend.NAME;
    }

    @Override
    public String description() {
        return "scalar reference: plain sequential float32 loops, the truth other backends are checked against";
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Availability probe() {
        return Availability.available("pure Java, 1 thread");
    }

    @Override
    public KernelBackend open(BackendOptions options) {
        return new ScalarBackend();
    }
}
