package org.mfkit.core.conformance;

import org.mfkit.core.Backends;
import org.mfkit.core.Kernels;

/** The scalar reference backend against the conformance suite. */
class ScalarConformanceTest extends ConformanceSuite {
    @Override
    protected Kernels openKernels() {
        return Backends.open("scalar");
    }
}
