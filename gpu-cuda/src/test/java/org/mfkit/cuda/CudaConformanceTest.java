package org.mfkit.cuda;

import org.junit.jupiter.api.Assumptions;
import org.mfkit.core.Backends;
import org.mfkit.core.Kernels;
import org.mfkit.core.conformance.ConformanceSuite;
import org.mfkit.core.spi.Availability;

/**
 * The gpu-cuda backend against the conformance suite. Skipped, with the probe's reason, on a
 * machine without a usable CUDA device. SGD and BPR run conflict-free waves in parallel, so
 * lists that repeat a user or item are compared loosely; repeat-free lists are held to the
 * sequential oracle.
 */
class CudaConformanceTest extends ConformanceSuite {
    @Override
    protected Kernels openKernels() {
        Availability a = CudaProbe.probe();
        Assumptions.assumeTrue(a.available(), "no usable CUDA device: " + a.detail());
        return Backends.open(CudaBackend.NAME);
    }

    @Override
    protected boolean sequentialOnRepeatedIds() {
        return false;
    }
}
