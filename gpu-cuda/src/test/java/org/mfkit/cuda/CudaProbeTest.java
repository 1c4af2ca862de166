package org.mfkit.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jcuda.driver.CUresult;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.mfkit.core.BackendInfo;
import org.mfkit.core.BackendUnavailableException;
import org.mfkit.core.Backends;
import org.mfkit.core.Kernels;
import org.mfkit.core.spi.Availability;
import org.mfkit.core.spi.BackendOptions;

class CudaProbeTest {
    /** What JCuda 12.6.0 throws on a machine without the NVIDIA driver (abridged from a real run). */
    private static final String NO_DRIVER = """
            Error while loading native library "JCudaDriver-12.6.0-linux-x86_64"
            Operating system name: Linux
            ---(start of nested stack traces)---
            Stack trace from the attempt to load the library as a file:
            java.lang.UnsatisfiedLinkError: no JCudaDriver-12.6.0-linux-x86_64 in java.library.path: /usr/lib
            Stack trace from the attempt to load the library as a resource:
            java.lang.UnsatisfiedLinkError: /tmp/libJCudaDriver-12.6.0-linux-x86_64.so: libcuda.so.1: cannot open shared object file: No such file or directory
            ---(end of nested stack traces)---
            """;

    @Test
    void missingDriverLibraryIsNamedAsAMissingDriver() {
        String reason = CudaProbe.linkFailure("the CUDA driver binding (JCudaDriver)", new UnsatisfiedLinkError(NO_DRIVER));
        assertEquals("NVIDIA driver not installed: libcuda.so.1 not found (needed by the CUDA driver binding (JCudaDriver))",
                reason);
    }

    @Test
    void missingCublasLibraryIsNamed() {
        String message = NO_DRIVER.replace("JCudaDriver", "JCublas2").replace("libcuda.so.1", "libcublas.so.12");
        String reason = CudaProbe.linkFailure("cuBLAS (libcublas.so.12)", new UnsatisfiedLinkError(message));
        assertEquals("libcublas.so.12 not found: cannot load cuBLAS (libcublas.so.12)", reason);
    }

    @Test
    void laterNoClassDefFoundErrorSaysTheLibraryFailedEarlier() {
        String reason = CudaProbe.linkFailure("the NVRTC runtime compiler (libnvrtc.so.12)",
                new NoClassDefFoundError("Could not initialize class jcuda.nvrtc.JNvrtc"));
        assertTrue(reason.startsWith("cannot load the NVRTC runtime compiler (libnvrtc.so.12): its native library failed"),
                reason);
        assertTrue(reason.contains("jcuda.nvrtc.JNvrtc"), reason);
    }

    @Test
    void unknownLinkErrorKeepsOnlyTheFirstLine() {
        String reason = CudaProbe.linkFailure("X", new UnsatisfiedLinkError("bad ELF header\nsecond line"));
        assertEquals("cannot load X: bad ELF header", reason);
    }

    @Test
    void computeCapabilityBelowTheMinimumIsRejected() {
        assertNull(CudaProbe.computeCapabilityProblem(5, 0));
        assertNull(CudaProbe.computeCapabilityProblem(9, 0));
        assertEquals("compute capability 3.7 is too old: NVRTC 12 needs at least 5.0",
                CudaProbe.computeCapabilityProblem(3, 7));
    }

    @Test
    void initFailuresAreExplained() {
        assertEquals("no CUDA device: cuInit reports CUDA_ERROR_NO_DEVICE",
                CudaProbe.initFailure(CUresult.CUDA_ERROR_NO_DEVICE));
        assertTrue(CudaProbe.initFailure(CUresult.CUDA_ERROR_INVALID_DEVICE).contains("CUDA_ERROR_INVALID_DEVICE"));
    }

    @Test
    void probeNeverThrowsAndIsCached() {
        Availability first = new CudaProvider().probe();
        assertSame(first, new CudaProvider().probe());
        assertFalse(first.detail().isBlank(), "the probe must say what it runs on or why it cannot");
    }

    @Test
    void registryListsTheBackendWithItsReason() {
        BackendInfo info = Backends.list().stream().filter(b -> b.name().equals("gpu-cuda")).findFirst().orElseThrow();
        assertEquals(300, info.priority());
        assertEquals(CudaProbe.probe().available(), info.available());
        assertEquals(CudaProbe.probe().detail(), info.detail());
    }

    @Test
    void withoutAGpuAskingByNameGivesTheReasonAndBestFallsBack() {
        Availability availability = CudaProbe.probe();
        Assumptions.assumeFalse(availability.available(), "a CUDA device is present: " + availability.detail());
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> Backends.open("gpu-cuda", BackendOptions.defaults()));
        assertTrue(e.getMessage().contains(availability.detail()), e.getMessage());
        try (Kernels best = Backends.open("best", BackendOptions.threads(1))) {
            assertFalse(best.backendName().equals("gpu-cuda"));
        }
        BackendUnavailableException direct = assertThrows(BackendUnavailableException.class,
                () -> new CudaProvider().open(BackendOptions.defaults()));
        assertTrue(direct.getMessage().contains(availability.detail()), direct.getMessage());
    }

    @Test
    void ceilingsWithoutAGpuThrowWithTheReason() {
        Availability availability = CudaProbe.probe();
        Assumptions.assumeFalse(availability.available(), "a CUDA device is present: " + availability.detail());
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> CudaCeilings.sgemmGflops(256));
        assertTrue(e.getMessage().contains(availability.detail()), e.getMessage());
        assertThrows(BackendUnavailableException.class, () -> CudaCeilings.deviceCopyGBps(1 << 20));
    }

    @Test
    void ceilingsRejectBadSizes() {
        IllegalArgumentException n = assertThrows(IllegalArgumentException.class, () -> CudaCeilings.sgemmGflops(0));
        assertTrue(n.getMessage().contains("n = 0"), n.getMessage());
        IllegalArgumentException bytes = assertThrows(IllegalArgumentException.class,
                () -> CudaCeilings.deviceCopyGBps(-1));
        assertTrue(bytes.getMessage().contains("bytes = -1"), bytes.getMessage());
    }
}
