package org.mfkit.cuda;

import java.util.HashMap;
import java.util.Map;
import jcuda.NativePointerObject;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasMath;
import jcuda.jcublas.cublasPointerMode;
import jcuda.jcublas.cublasStatus;

/**
 * One CUDA device as the backend uses it: its primary context (shared with cuBLAS, which runs
 * on the runtime API), the NVRTC-compiled kernel modules, a cuBLAS handle, and every
 * allocation and host↔device transfer, counted. All work goes to the default stream of the
 * context, so kernels run in issue order; every public operation ends with a synchronize so
 * an asynchronous fault is reported by the call that caused it.
 */
final class CudaDevice implements AutoCloseable {
    /** A null device pointer, passed for optional kernel arguments. */
    static final CUdeviceptr NULL = new CUdeviceptr();

    private final int ordinal;
    private final CUdevice device = new CUdevice();
    private final CUcontext context = new CUcontext();
    private final Map<String, CUfunction> functions = new HashMap<>();
    private final CUmodule[] modules = new CUmodule[KernelSources.values().length];
    private final cublasHandle cublas = new cublasHandle();
    private final int major;
    private final int minor;
    private final String name;
    private NvrtcCompiler.Target target;
    private boolean cublasCreated;
    private boolean closed;

    private long bytesUploaded;
    private long bytesDownloaded;
    private long uploads;
    private long downloads;

    CudaDevice(int ordinal) {
        this.ordinal = ordinal;
        check(JCudaDriver.cuInit(0), "cuInit");
        int[] count = new int[1];
        check(JCudaDriver.cuDeviceGetCount(count), "cuDeviceGetCount");
        if (ordinal >= count[0]) {
            throw new IllegalArgumentException("device = " + ordinal + " but the driver reports " + count[0]
                    + " CUDA device" + (count[0] == 1 ? "" : "s"));
        }
        check(JCudaDriver.cuDeviceGet(device, ordinal), "cuDeviceGet");
        check(JCudaDriver.cuDevicePrimaryCtxRetain(context, device), "cuDevicePrimaryCtxRetain");
        try {
            enter();
            int[] value = new int[1];
            check(JCudaDriver.cuDeviceGetAttribute(value, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR,
                    device), "cuDeviceGetAttribute");
            major = value[0];
            check(JCudaDriver.cuDeviceGetAttribute(value, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR,
                    device), "cuDeviceGetAttribute");
            minor = value[0];
            String tooOld = CudaProbe.computeCapabilityProblem(major, minor);
            if (tooOld != null) throw new IllegalStateException("device " + ordinal + ": " + tooOld);
            byte[] bytes = new byte[256];
            check(JCudaDriver.cuDeviceGetName(bytes, bytes.length, device), "cuDeviceGetName");
            int n = 0;
            while (n < bytes.length && bytes[n] != 0) n++;
            name = new String(bytes, 0, n, java.nio.charset.StandardCharsets.US_ASCII);
            target = NvrtcCompiler.target(major * 10 + minor, NvrtcCompiler.supportedArchitectures());
            for (KernelSources source : KernelSources.values()) {
                CUmodule module = new CUmodule();
                check(JCudaDriver.cuModuleLoadData(module, NvrtcCompiler.image(source, target)),
                        "cuModuleLoadData(" + source.file() + ", " + target.architecture() + ")");
                modules[source.ordinal()] = module;
                for (String kernel : source.kernels()) {
                    CUfunction function = new CUfunction();
                    check(JCudaDriver.cuModuleGetFunction(function, module, kernel),
                            "cuModuleGetFunction(" + kernel + ")");
                    functions.put(kernel, function);
                }
            }
            checkBlas(JCublas2.cublasCreate(cublas), "cublasCreate");
            cublasCreated = true;
            // Plain FP32 (no TF32 tensor-core rounding) with scalars passed from the host.
            checkBlas(JCublas2.cublasSetMathMode(cublas, cublasMath.CUBLAS_DEFAULT_MATH), "cublasSetMathMode");
            checkBlas(JCublas2.cublasSetPointerMode(cublas, cublasPointerMode.CUBLAS_POINTER_MODE_HOST),
                    "cublasSetPointerMode");
        } catch (RuntimeException | LinkageError e) {
            close();
            throw e;
        }
    }

    /** Memory-space name of this device's handles, {@code "cuda:<ordinal>"}. */
    String memorySpace() {
        return "cuda:" + ordinal;
    }

    /** Device name and compute capability. */
    String describe() {
        return name + " (compute capability " + major + "." + minor + ", kernels built for " + target.architecture() + ")";
    }

    /** The cuBLAS handle. */
    cublasHandle cublas() {
        return cublas;
    }

    /** Makes this device's context current on the calling thread. */
    void enter() {
        if (closed) throw new IllegalStateException("the gpu-cuda backend is closed");
        check(JCudaDriver.cuCtxSetCurrent(context), "cuCtxSetCurrent");
    }

    /** Bytes free on the device now. */
    long freeBytes() {
        long[] free = new long[1];
        long[] total = new long[1];
        check(JCudaDriver.cuMemGetInfo(free, total), "cuMemGetInfo");
        return free[0];
    }

    /** Allocates {@code bytes} (a null pointer for 0); out of memory becomes a {@link DeviceMemoryException}. */
    CUdeviceptr allocate(long bytes, String what) {
        CUdeviceptr ptr = new CUdeviceptr();
        if (bytes == 0) return ptr;
        int rc = JCudaDriver.cuMemAlloc(ptr, bytes);
        if (rc == CUresult.CUDA_ERROR_OUT_OF_MEMORY) throw new DeviceMemoryException(what, bytes, freeBytes());
        check(rc, "cuMemAlloc(" + bytes + " bytes for " + what + ")");
        return ptr;
    }

    /** A scratch buffer, freed when closed. */
    Buffer buffer(long bytes, String what) {
        return new Buffer(this, allocate(bytes, what), bytes);
    }

    /** A scratch buffer holding a copy of {@code ids} (counted as an upload). */
    Buffer upload(int[] ids, String what) {
        Buffer buffer = buffer((long) ids.length * Integer.BYTES, what);
        if (ids.length > 0) upload(buffer.ptr(), Pointer.to(ids), (long) ids.length * Integer.BYTES);
        return buffer;
    }

    /** Frees a pointer from {@link #allocate}; a no-op for null pointers and after close. */
    void free(CUdeviceptr ptr, long bytes) {
        if (bytes == 0 || closed) return;
        enter();
        check(JCudaDriver.cuMemFree(ptr), "cuMemFree");
    }

    /** Host → device copy of {@code bytes}, counted. */
    void upload(CUdeviceptr dst, Pointer src, long bytes) {
        check(JCudaDriver.cuMemcpyHtoD(dst, src, bytes), "cuMemcpyHtoD");
        bytesUploaded += bytes;
        uploads++;
    }

    /** Device → host copy of {@code bytes}, counted. */
    void download(Pointer dst, CUdeviceptr src, long bytes) {
        check(JCudaDriver.cuMemcpyDtoH(dst, src, bytes), "cuMemcpyDtoH");
        bytesDownloaded += bytes;
        downloads++;
    }

    /** Device → device copy (not a host transfer, not counted). */
    void copy(CUdeviceptr dst, CUdeviceptr src, long bytes) {
        if (bytes > 0) check(JCudaDriver.cuMemcpyDtoD(dst, src, bytes), "cuMemcpyDtoD");
    }

    /** Sets {@code bytes} bytes at {@code dst} to zero. */
    void zero(CUdeviceptr dst, long bytes) {
        if (bytes > 0) check(JCudaDriver.cuMemsetD8(dst, (byte) 0, bytes), "cuMemsetD8");
    }

    /**
     * Launches {@code kernel} on a 1-D grid. Arguments: device pointers, or boxed Integer,
     * Float or Double scalars, in the kernel's parameter order.
     */
    void launch(String kernel, int blocks, int threads, Object... args) {
        if (blocks == 0) return;
        CUfunction function = functions.get(kernel);
        if (function == null) throw new IllegalStateException("no kernel named " + kernel + " was loaded");
        NativePointerObject[] params = new NativePointerObject[args.length];
        for (int a = 0; a < args.length; a++) params[a] = parameter(args[a], kernel, a);
        check(JCudaDriver.cuLaunchKernel(function, blocks, 1, 1, threads, 1, 1, 0, null, Pointer.to(params), null),
                "cuLaunchKernel(" + kernel + ")");
    }

    private static Pointer parameter(Object arg, String kernel, int index) {
        // An optional argument left out is a 64-bit zero, the kernel's null pointer.
        if (arg == NULL) return Pointer.to(new long[] {0L});
        if (arg instanceof CUdeviceptr p) return Pointer.to(p);
        if (arg instanceof Integer i) return Pointer.to(new int[] {i});
        if (arg instanceof Float f) return Pointer.to(new float[] {f});
        if (arg instanceof Double d) return Pointer.to(new double[] {d});
        throw new IllegalArgumentException("argument " + index + " of " + kernel + " has unsupported type "
                + (arg == null ? "null" : arg.getClass().getName()));
    }

    /**
     * Runs a reduction kernel {@code (const float* v, int n, double* partials)} over n floats
     * and adds the per-block partials on the host in block order: deterministic.
     */
    double reduce(String kernel, CUdeviceptr values, int n) {
        int blocks = LaunchConfig.reductionBlocks(n);
        try (Buffer partials = buffer((long) blocks * Double.BYTES, kernel + " partial sums")) {
            launch(kernel, blocks, LaunchConfig.REDUCE_THREADS, values, n, partials.ptr());
            double[] host = new double[blocks];
            download(Pointer.to(host), partials.ptr(), (long) blocks * Double.BYTES);
            double sum = 0;
            for (double v : host) sum += v;
            return sum;
        }
    }

    /** Waits for all issued work and reports any asynchronous fault. */
    void synchronize() {
        check(JCudaDriver.cuCtxSynchronize(), "cuCtxSynchronize");
    }

    /** Host → device bytes so far. */
    long bytesUploaded() {
        return bytesUploaded;
    }

    /** Device → host bytes so far. */
    long bytesDownloaded() {
        return bytesDownloaded;
    }

    /** Host → device copies so far. */
    long uploads() {
        return uploads;
    }

    /** Device → host copies so far. */
    long downloads() {
        return downloads;
    }

    /** Sets the transfer counters to zero. */
    void resetCounters() {
        bytesUploaded = 0;
        bytesDownloaded = 0;
        uploads = 0;
        downloads = 0;
    }

    /** Whether {@link #close()} ran. */
    boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (closed) return;
        try {
            JCudaDriver.cuCtxSetCurrent(context);
            if (cublasCreated) JCublas2.cublasDestroy(cublas);
            for (CUmodule module : modules) if (module != null) JCudaDriver.cuModuleUnload(module);
        } finally {
            closed = true;
            JCudaDriver.cuDevicePrimaryCtxRelease(device);
        }
    }

    static void check(int rc, String call) {
        if (rc != CUresult.CUDA_SUCCESS) throw new IllegalStateException(call + " failed: " + CUresult.stringFor(rc));
    }

    static void checkBlas(int rc, String call) {
        if (rc != cublasStatus.CUBLAS_STATUS_SUCCESS) {
            throw new IllegalStateException(call + " failed: " + cublasStatus.stringFor(rc));
        }
    }

    /** A device allocation that frees itself; for per-call scratch memory. */
    static final class Buffer implements AutoCloseable {
        private final CudaDevice device;
        private final CUdeviceptr ptr;
        private final long bytes;
        private boolean freed;

        Buffer(CudaDevice device, CUdeviceptr ptr, long bytes) {
            this.device = device;
            this.ptr = ptr;
            this.bytes = bytes;
        }

        /** The device address. */
        CUdeviceptr ptr() {
            return ptr;
        }

        /** The address {@code byteOffset} bytes in. */
        CUdeviceptr at(long byteOffset) {
            return ptr.withByteOffset(byteOffset);
        }

        @Override
        public void close() {
            if (!freed) {
                freed = true;
                device.free(ptr, bytes);
            }
        }
    }
}
