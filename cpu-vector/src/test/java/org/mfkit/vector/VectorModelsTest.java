package org.mfkit.vector;

import org.mfkit.core.Backends;
import org.mfkit.core.Kernels;
import org.mfkit.core.spi.BackendOptions;
import org.mfkit.model.AbstractModelsTest;

/** The model suite on the cpu-vector backend with two threads (parallel SGD/BPR schedules). */
class VectorModelsTest extends AbstractModelsTest {
    @Override
    protected Kernels open() {
        return Backends.open(VectorBackend.NAME, BackendOptions.threads(2));
    }
}
