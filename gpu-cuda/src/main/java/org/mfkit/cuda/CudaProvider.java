package org.mfkit.cuda;

import org.mfkit.core.BackendUnavailableException;
import org.mfkit.core.spi.Availability;
import org.mfkit.core.spi.BackendOptions;
import org.mfkit.core.spi.BackendProvider;
import org.mfkit.core.spi.KernelBackend;

/**
 * Registers the gpu-cuda backend (priority 300). The probe never throws: a missing driver,
 * no device, a too old compute capability or missing NVRTC/cuBLAS libraries become
 * "unavailable: reason" ({@link CudaProbe}, run once per JVM and cached).
 */
public final class CudaProvider implements BackendProvider {
    @Override
    public String name() {
        return CudaBackend.NAME;
    }

    @Override
    public String description() {
        return "NVIDIA GPU via JCuda 12.6: cuBLAS for Gram and score blocks, NVRTC-compiled kernels for the rest";
    }

    @Override
    public int priority() {
        return 300;
    }

    @Override
    public Availability probe() {
        return CudaProbe.probe();
    }

    @Override
    public KernelBackend open(BackendOptions options) {
        Availability availability = probe();
        if (!availability.available()) {
            throw new BackendUnavailableException(CudaBackend.NAME + " is unavailable: " + availability.detail());
        }
        return new CudaBackend(options.device());
    }
}
