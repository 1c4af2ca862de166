package org.mfkit.bench;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;

/**
 * The one place that asks the gpu-cuda module for the GPU's ceilings (a large cuBLAS sgemm
 * and a device-to-device copy, {@code org.mfkit.cuda.CudaCeilings}). Looked up by name so
 * the harness still builds and runs where the gpu-cuda module is absent or older; without a
 * GPU the call throws BackendUnavailableException and the reason goes into the report.
 */
final class GpuCeilings {
    static final String CLASS = "org.mfkit.cuda.CudaCeilings";
    /** sgemm size (n × n × n): large enough to reach cuBLAS's peak on current GPUs. */
    static final int SGEMM_N = 8192;
    /** Bytes copied device to device: 1 GiB, far beyond any GPU cache. */
    static final long COPY_BYTES = 1L << 30;

    private GpuCeilings() {}

    /** Puts gpu.sgemm.gflops and gpu.copy.gbps, or gpu.ceilings.unavailable with the reason. */
    static void measure(Map<String, String> into) {
        try {
            Class<?> ceilings = Class.forName(CLASS);
            Method sgemm = ceilings.getMethod("sgemmGflops", int.class);
            Method copy = ceilings.getMethod("deviceCopyGBps", long.class);
            into.put("gpu.sgemm.gflops", String.valueOf(sgemm.invoke(null, SGEMM_N)));
            into.put("gpu.copy.gbps", String.valueOf(copy.invoke(null, COPY_BYTES)));
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            into.put("gpu.ceilings.unavailable", CLASS + " is not in this build (gpu-cuda module absent or older)");
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            into.put("gpu.ceilings.unavailable", cause.getClass().getSimpleName() + ": " + cause.getMessage());
        } catch (IllegalAccessException | LinkageError | RuntimeException e) {
            into.put("gpu.ceilings.unavailable", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
