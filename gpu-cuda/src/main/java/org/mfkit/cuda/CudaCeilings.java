package org.mfkit.cuda;

import jcuda.Pointer;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasOperation;
import org.mfkit.core.BackendUnavailableException;
import org.mfkit.core.spi.Availability;

/**
 * Machine ceilings of the GPU for the benchmark report: what cuBLAS sgemm reaches on a large
 * square product, and device-to-device copy bandwidth. Both use device 0 and take the best of
 * a few timed repetitions after a warm-up.
 */
public final class CudaCeilings {
    private static final int REPETITIONS = 5;

    private CudaCeilings() {}

    /**
     * GFLOP/s (2n³ flops per product) of cuBLAS sgemm on n × n matrices.
     *
     * @throws BackendUnavailableException with the reason when no usable GPU is present
     */
    public static double sgemmGflops(int n) {
        if (n <= 0) throw new IllegalArgumentException("n = " + n + " must be > 0");
        try (CudaDevice device = open()) {
            long bytes = (long) n * n * Float.BYTES;
            try (CudaDevice.Buffer a = device.buffer(bytes, "sgemm ceiling A");
                 CudaDevice.Buffer b = device.buffer(bytes, "sgemm ceiling B");
                 CudaDevice.Buffer c = device.buffer(bytes, "sgemm ceiling C")) {
                device.zero(a.ptr(), bytes);
                device.zero(b.ptr(), bytes);
                Pointer one = Pointer.to(new float[] {1f});
                Pointer zero = Pointer.to(new float[] {0f});
                long best = Long.MAX_VALUE;
                for (int rep = 0; rep <= REPETITIONS; rep++) {
                    device.synchronize();
                    long start = System.nanoTime();
                    CudaDevice.checkBlas(JCublas2.cublasSgemm(device.cublas(), cublasOperation.CUBLAS_OP_N,
                            cublasOperation.CUBLAS_OP_N, n, n, n, one, a.ptr(), n, b.ptr(), n, zero, c.ptr(), n),
                            "cublasSgemm");
                    device.synchronize();
                    long elapsed = System.nanoTime() - start;
                    if (rep > 0) best = Math.min(best, elapsed);
                }
                return 2.0 * n * n * (double) n / best;
            }
        }
    }

    /**
     * GB/s of a device-to-device copy of {@code bytes} bytes, counting the bytes read plus the
     * bytes written (2 × bytes per copy), the convention of STREAM-like copy benchmarks.
     *
     * @throws BackendUnavailableException with the reason when no usable GPU is present
     */
    public static double deviceCopyGBps(long bytes) {
        if (bytes <= 0) throw new IllegalArgumentException("bytes = " + bytes + " must be > 0");
        try (CudaDevice device = open();
             CudaDevice.Buffer src = device.buffer(bytes, "copy ceiling source");
             CudaDevice.Buffer dst = device.buffer(bytes, "copy ceiling destination")) {
            device.zero(src.ptr(), bytes);
            long best = Long.MAX_VALUE;
            for (int rep = 0; rep <= REPETITIONS; rep++) {
                device.synchronize();
                long start = System.nanoTime();
                device.copy(dst.ptr(), src.ptr(), bytes);
                device.synchronize();
                long elapsed = System.nanoTime() - start;
                if (rep > 0) best = Math.min(best, elapsed);
            }
            return 2.0 * bytes / best;
        }
    }

    private static CudaDevice open() {
        Availability availability = CudaProbe.probe();
        if (!availability.available()) {
            throw new BackendUnavailableException(CudaBackend.NAME + " is unavailable: " + availability.detail());
        }
        return new CudaDevice(0);
    }
}
