package org.mfkit.cuda;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jcuda.nvrtc.JNvrtc;
import jcuda.nvrtc.nvrtcProgram;
import jcuda.nvrtc.nvrtcResult;

/**
 * Compiles the kernel sources to PTX at run time with NVRTC (libnvrtc.so.12), for the compute
 * capability of the device in use. PTX made by NVRTC 12 loads on any driver that supports
 * CUDA 12, which the JCuda 12.6.0 natives need anyway; PTX from a newer offline nvcc would
 * demand a newer driver. PTX is cached per (file, architecture) for the life of the JVM.
 */
final class NvrtcCompiler {
    private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

    private NvrtcCompiler() {}

    /**
     * Options for a device of compute capability {@code major.minor}. {@code --fmad=false}
     * keeps every multiply and add separately rounded as in Java, so the kernels that sum in
     * the reference order match the scalar backend bit for bit.
     */
    static List<String> options(int major, int minor) {
        return List.of("--gpu-architecture=compute_" + major + minor, "--fmad=false", "--std=c++14");
    }

    /** PTX for {@code source} on compute capability {@code major.minor}; throws with the compiler log on failure. */
    static String ptx(KernelSources source, int major, int minor) {
        return CACHE.computeIfAbsent(source.file() + "@" + major + minor, key -> compile(source, major, minor));
    }

    private static String compile(KernelSources source, int major, int minor) {
        nvrtcProgram program = new nvrtcProgram();
        check(JNvrtc.nvrtcCreateProgram(program, source.source(), source.file(), 0, null, null), "nvrtcCreateProgram",
                source);
        try {
            List<String> options = options(major, minor);
            int rc = JNvrtc.nvrtcCompileProgram(program, options.size(), options.toArray(new String[0]));
            if (rc != nvrtcResult.NVRTC_SUCCESS) {
                String[] log = new String[1];
                JNvrtc.nvrtcGetProgramLog(program, log);
                throw new IllegalStateException("NVRTC could not compile " + source.file() + " for compute_" + major + minor
                        + " (" + nvrtcResult.stringFor(rc) + "):\n" + log[0]);
            }
            String[] ptx = new String[1];
            check(JNvrtc.nvrtcGetPTX(program, ptx), "nvrtcGetPTX", source);
            return ptx[0];
        } finally {
            JNvrtc.nvrtcDestroyProgram(program);
        }
    }

    private static void check(int rc, String call, KernelSources source) {
        if (rc != nvrtcResult.NVRTC_SUCCESS) {
            throw new IllegalStateException(call + " failed for " + source.file() + ": " + nvrtcResult.stringFor(rc));
        }
    }
}
