package org.mfkit.cuda;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jcuda.nvrtc.JNvrtc;
import jcuda.nvrtc.nvrtcProgram;
import jcuda.nvrtc.nvrtcResult;

/**
 * Compiles the kernel sources at run time with NVRTC (libnvrtc.so.12) for the device in use.
 *
 * <p>When NVRTC supports the device's architecture it emits a CUBIN for exactly that
 * {@code sm_XY}: CUDA 12's minor-version compatibility lets a CUBIN from any 12.x NVRTC load
 * on any driver that supports CUDA 12.0, whereas PTX from a newer NVRTC than the driver fails
 * to JIT. For a device newer than the NVRTC it falls back to PTX for the highest architecture
 * NVRTC knows, which the driver JIT-compiles forward. Images are cached per (file, target) for
 * the life of the JVM.
 */
final class NvrtcCompiler {
    private static final Map<String, byte[]> CACHE = new ConcurrentHashMap<>();

    private NvrtcCompiler() {}

    /**
     * What to compile for.
     *
     * @param arch  architecture number, e.g. 86 for compute capability 8.6
     * @param cubin whether to emit machine code for {@code sm_arch} (else PTX for {@code compute_arch})
     */
    record Target(int arch, boolean cubin) {
        /** The {@code --gpu-architecture} value. */
        String architecture() {
            return (cubin ? "sm_" : "compute_") + arch;
        }
    }

    /**
     * The target for a device of architecture {@code deviceArch} given the architectures NVRTC
     * supports: a CUBIN for the device when supported, else PTX for the highest supported
     * architecture below it.
     *
     * @throws IllegalStateException when NVRTC supports nothing at or below the device
     */
    static Target target(int deviceArch, int[] supported) {
        int best = -1;
        for (int arch : supported) {
            if (arch == deviceArch) return new Target(deviceArch, true);
            if (arch < deviceArch && arch > best) best = arch;
        }
        if (best < 0) {
            throw new IllegalStateException("NVRTC supports architectures " + Arrays.toString(supported)
                    + ", none at or below the device's " + deviceArch);
        }
        return new Target(best, false);
    }

    /**
     * Options for a target. {@code --fmad=false} keeps every multiply and add separately
     * rounded as in Java, so the kernels that sum in the reference order match the scalar
     * backend bit for bit.
     */
    static List<String> options(Target target) {
        return List.of("--gpu-architecture=" + target.architecture(), "--fmad=false", "--std=c++14");
    }

    /** The architectures this NVRTC can compile for. */
    static int[] supportedArchitectures() {
        int[] count = new int[1];
        check(JNvrtc.nvrtcGetNumSupportedArchs(count), "nvrtcGetNumSupportedArchs", "");
        int[] archs = new int[count[0]];
        check(JNvrtc.nvrtcGetSupportedArchs(archs), "nvrtcGetSupportedArchs", "");
        return archs;
    }

    /** A loadable image (CUBIN, or NUL-terminated PTX) of {@code source} for {@code target}. */
    static byte[] image(KernelSources source, Target target) {
        return CACHE.computeIfAbsent(source.file() + "@" + target.architecture(), key -> compile(source, target));
    }

    private static byte[] compile(KernelSources source, Target target) {
        nvrtcProgram program = new nvrtcProgram();
        check(JNvrtc.nvrtcCreateProgram(program, source.source(), source.file(), 0, null, null), "nvrtcCreateProgram",
                source.file());
        try {
            List<String> options = options(target);
            int rc = JNvrtc.nvrtcCompileProgram(program, options.size(), options.toArray(new String[0]));
            if (rc != nvrtcResult.NVRTC_SUCCESS) {
                String[] log = new String[1];
                JNvrtc.nvrtcGetProgramLog(program, log);
                throw new IllegalStateException("NVRTC could not compile " + source.file() + " for "
                        + target.architecture() + " (" + nvrtcResult.stringFor(rc) + "):\n" + log[0]);
            }
            if (target.cubin()) {
                long[] size = new long[1];
                check(JNvrtc.nvrtcGetCUBINSize(program, size), "nvrtcGetCUBINSize", source.file());
                byte[] cubin = new byte[(int) size[0]];
                check(JNvrtc.nvrtcGetCUBIN(program, cubin), "nvrtcGetCUBIN", source.file());
                return cubin;
            }
            String[] ptx = new String[1];
            check(JNvrtc.nvrtcGetPTX(program, ptx), "nvrtcGetPTX", source.file());
            byte[] text = ptx[0].getBytes(StandardCharsets.US_ASCII);
            return Arrays.copyOf(text, text.length + 1);
        } finally {
            JNvrtc.nvrtcDestroyProgram(program);
        }
    }

    private static void check(int rc, String call, String file) {
        if (rc != nvrtcResult.NVRTC_SUCCESS) {
            throw new IllegalStateException(call + " failed" + (file.isEmpty() ? "" : " for " + file) + ": "
                    + nvrtcResult.stringFor(rc));
        }
    }
}
