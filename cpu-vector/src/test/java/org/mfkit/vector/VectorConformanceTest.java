package org.mfkit.vector;

import org.junit.jupiter.api.Nested;
import org.mfkit.core.Backends;
import org.mfkit.core.Kernels;
import org.mfkit.core.conformance.ConformanceSuite;
import org.mfkit.core.spi.BackendOptions;

/**
 * The cpu-vector backend against the conformance suite, on one worker and on three (three
 * divides few batch sizes, so work ranges are uneven). Parallel SGD and BPR reorder updates
 * when a list repeats a user or item, so such lists are compared loosely; repeat-free lists
 * are held to the sequential oracle.
 */
class VectorConformanceTest {

    /** One worker thread. */
    @Nested
    class OneThread extends ConformanceSuite {
        @Override
        protected Kernels openKernels() {
            return Backends.open(VectorBackend.NAME, BackendOptions.threads(1));
        }

        @Override
        protected boolean sequentialOnRepeatedIds() {
            return false;
        }
    }

    /** Three worker threads. */
    @Nested
    class ThreeThreads extends ConformanceSuite {
        @Override
        protected Kernels openKernels() {
            return Backends.open(VectorBackend.NAME, BackendOptions.threads(3));
        }

        @Override
        protected boolean sequentialOnRepeatedIds() {
            return false;
        }
    }
}
