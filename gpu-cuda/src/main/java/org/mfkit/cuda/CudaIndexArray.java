package org.mfkit.cuda;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import org.mfkit.core.IndexArray;

/**
 * An immutable int id array in device memory. Because ids never change, a host mirror is kept
 * as well: the host plans chunk boundaries, conflict-free SGD/BPR segments and mini-batch
 * groupings from it without a download, and {@link #toArray()} costs no transfer.
 */
public final class CudaIndexArray extends IndexArray {
    private final CudaDevice device;
    private final CUdeviceptr ptr;
    private final long bytes;
    private final int[] host;

    CudaIndexArray(CudaDevice device, int[] ids, int max, int maxPosition, boolean distinct) {
        super(ids.length, max, maxPosition, distinct);
        this.device = device;
        this.host = ids.clone();
        this.bytes = (long) ids.length * Integer.BYTES;
        device.enter();
        this.ptr = device.allocate(bytes, "index array of " + ids.length + " ids");
        if (bytes > 0) device.upload(ptr, Pointer.to(host), bytes);
    }

    @Override
    public String memorySpace() {
        return device.memorySpace();
    }

    @Override
    public int[] toArray() {
        return host.clone();
    }

    /** The host mirror; callers must not modify it. */
    int[] host() {
        return host;
    }

    /** The device address of element {@code index}. */
    CUdeviceptr at(long index) {
        return ptr.withByteOffset(index * Integer.BYTES);
    }

    /** The device pointer of {@code ids}. */
    static CUdeviceptr of(IndexArray ids) {
        return ((CudaIndexArray) ids).ptr;
    }

    /** The host mirror of {@code ids}. */
    static int[] hostOf(IndexArray ids) {
        return ((CudaIndexArray) ids).host;
    }

    @Override
    protected void release() {
        if (!device.isClosed()) device.free(ptr, bytes);
    }
}
