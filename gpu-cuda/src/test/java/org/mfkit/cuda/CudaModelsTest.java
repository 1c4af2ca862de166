package org.mfkit.cuda;

import org.junit.jupiter.api.Assumptions;
import org.mfkit.core.Backends;
import org.mfkit.core.Kernels;
import org.mfkit.core.spi.Availability;
import org.mfkit.core.spi.BackendOptions;
import org.mfkit.model.AbstractModelsTest;

/** The model suite on the GPU backend; runs only where a CUDA device is present. */
class CudaModelsTest extends AbstractModelsTest {
    @Override
    protected Kernels open() {
        Availability availability = CudaProbe.probe();
        Assumptions.assumeTrue(availability.available(), "no usable CUDA device: " + availability.detail());
        return Backends.open(CudaBackend.NAME, BackendOptions.defaults());
    }
}
