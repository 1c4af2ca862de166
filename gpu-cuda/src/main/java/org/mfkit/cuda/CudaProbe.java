package org.mfkit.cuda;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;
import jcuda.jcublas.JCublas2;
import jcuda.nvrtc.JNvrtc;
import jcuda.nvrtc.nvrtcResult;
import org.mfkit.core.spi.Availability;

/**
 * Finds out, once per JVM, whether the CUDA backend can run: NVIDIA driver present, at least
 * one device, compute capability high enough, NVRTC and cuBLAS libraries loadable. Every
 * failure becomes an {@link Availability#unavailable} with a precise reason; nothing is thrown.
 *
 * <p>JCuda loads its JNI libraries in static initializers: the first touch of a class whose
 * native dependency is missing throws {@link UnsatisfiedLinkError}, every later touch
 * {@link NoClassDefFoundError}. Both are {@link LinkageError}s, caught here; the result is
 * cached so the second, less informative error is never what a user sees.
 */
final class CudaProbe {
    /** Oldest compute capability NVRTC 12 (the CUDA 12 runtime the JCuda 12.6.0 natives use) targets. */
    static final int MIN_MAJOR = 5;
    static final int MIN_MINOR = 0;

    private static final Pattern MISSING_LIBRARY =
            Pattern.compile("(lib[\\w.+-]+\\.so(?:\\.\\d+)*): cannot open shared object file");

    private static volatile Availability cached;

    private CudaProbe() {}

    /** The cached probe result for device 0. */
    static Availability probe() {
        Availability result = cached;
        if (result == null) {
            synchronized (CudaProbe.class) {
                result = cached;
                if (result == null) {
                    result = run();
                    cached = result;
                }
            }
        }
        return result;
    }

    private static Availability run() {
        int[] count = new int[1];
        try {
            int init = JCudaDriver.cuInit(0);
            if (init != CUresult.CUDA_SUCCESS) return Availability.unavailable(initFailure(init));
            int rc = JCudaDriver.cuDeviceGetCount(count);
            if (rc != CUresult.CUDA_SUCCESS) {
                return Availability.unavailable("cuDeviceGetCount failed: " + CUresult.stringFor(rc));
            }
        } catch (LinkageError e) {
            return Availability.unavailable(linkFailure("the CUDA driver binding (JCudaDriver)", e));
        }
        if (count[0] == 0) return Availability.unavailable("no CUDA device: the driver reports 0 devices");
        String device;
        int arch;
        try {
            CUdevice dev = new CUdevice();
            check(JCudaDriver.cuDeviceGet(dev, 0), "cuDeviceGet");
            int[] major = new int[1];
            int[] minor = new int[1];
            check(JCudaDriver.cuDeviceGetAttribute(major,
                    CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, dev), "cuDeviceGetAttribute");
            check(JCudaDriver.cuDeviceGetAttribute(minor,
                    CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, dev), "cuDeviceGetAttribute");
            arch = major[0] * 10 + minor[0];
            String tooOld = computeCapabilityProblem(major[0], minor[0]);
            if (tooOld != null) return Availability.unavailable(tooOld);
            byte[] name = new byte[256];
            check(JCudaDriver.cuDeviceGetName(name, name.length, dev), "cuDeviceGetName");
            int[] driver = new int[1];
            check(JCudaDriver.cuDriverGetVersion(driver), "cuDriverGetVersion");
            device = cString(name) + " (compute capability " + major[0] + "." + minor[0] + ", driver CUDA "
                    + driver[0] / 1000 + "." + (driver[0] % 1000) / 10 + ", " + count[0] + " device"
                    + (count[0] == 1 ? "" : "s") + ")";
        } catch (LinkageError e) {
            return Availability.unavailable(linkFailure("the CUDA driver binding (JCudaDriver)", e));
        } catch (IllegalStateException e) {
            return Availability.unavailable(e.getMessage());
        }
        try {
            int[] major = new int[1];
            int[] minor = new int[1];
            int rc = JNvrtc.nvrtcVersion(major, minor);
            if (rc != nvrtcResult.NVRTC_SUCCESS) {
                return Availability.unavailable("NVRTC does not work: " + nvrtcResult.stringFor(rc));
            }
            NvrtcCompiler.target(arch, NvrtcCompiler.supportedArchitectures());
        } catch (IllegalStateException e) {
            return Availability.unavailable("NVRTC " + e.getMessage());
        } catch (LinkageError e) {
            return Availability.unavailable(linkFailure("the NVRTC runtime compiler (libnvrtc.so.12)", e));
        }
        try {
            JCublas2.setExceptionsEnabled(false);
        } catch (LinkageError e) {
            return Availability.unavailable(linkFailure("cuBLAS (libcublas.so.12)", e));
        }
        return Availability.available(device);
    }

    /** Why cuInit failed, in words a user can act on. */
    static String initFailure(int cuResult) {
        if (cuResult == CUresult.CUDA_ERROR_NO_DEVICE) return "no CUDA device: cuInit reports CUDA_ERROR_NO_DEVICE";
        return "the NVIDIA driver could not be initialized: cuInit returned " + CUresult.stringFor(cuResult);
    }

    /** A reason for a compute capability below the minimum, or null when it is new enough. */
    static String computeCapabilityProblem(int major, int minor) {
        if (major > MIN_MAJOR || (major == MIN_MAJOR && minor >= MIN_MINOR)) return null;
        return "compute capability " + major + "." + minor + " is too old: NVRTC 12 needs at least "
                + MIN_MAJOR + "." + MIN_MINOR;
    }

    /**
     * The reason for a {@link LinkageError} while loading {@code component}: names the missing
     * shared library when the loader says which (libcuda.so.1 means no NVIDIA driver).
     */
    static String linkFailure(String component, LinkageError e) {
        String message = String.valueOf(e.getMessage());
        Matcher m = MISSING_LIBRARY.matcher(message);
        String missing = null;
        while (m.find()) missing = m.group(1);
        if (missing != null && missing.startsWith("libcuda.so")) {
            return "NVIDIA driver not installed: " + missing + " not found (needed by " + component + ")";
        }
        if (missing != null) return missing + " not found: cannot load " + component;
        if (e instanceof NoClassDefFoundError) {
            return "cannot load " + component + ": its native library failed to load earlier in this JVM (" + firstLine(message) + ")";
        }
        return "cannot load " + component + ": " + firstLine(message);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static String cString(byte[] bytes) {
        int n = 0;
        while (n < bytes.length && bytes[n] != 0) n++;
        return new String(bytes, 0, n, java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static void check(int rc, String call) {
        if (rc != CUresult.CUDA_SUCCESS) throw new IllegalStateException(call + " failed: " + CUresult.stringFor(rc));
    }
}
