package org.mfkit.cuda;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import org.mfkit.core.DenseMatrix;

/**
 * A row-major float32 matrix in the device memory of one {@link CudaDevice}. Kernels read and
 * write it in place; only {@link #uploadRows} and {@link #downloadRows} move data, and each is
 * counted by the device ({@link CudaBackend#bytesUploaded()} and friends).
 */
public final class CudaMatrix extends DenseMatrix {
    private final CudaDevice device;
    private final CUdeviceptr ptr;
    private final long bytes;

    CudaMatrix(CudaDevice device, int rows, int cols) {
        super(rows, cols);
        this.device = device;
        this.bytes = (long) rows * cols * Float.BYTES;
        device.enter();
        this.ptr = device.allocate(bytes, "matrix " + rows + "×" + cols);
        device.zero(ptr, bytes);
    }

    @Override
    public String memorySpace() {
        return device.memorySpace();
    }

    /** The device address of the first element. */
    CUdeviceptr ptr() {
        return ptr;
    }

    /** The device address of row {@code row}. */
    CUdeviceptr row(long row) {
        return ptr.withByteOffset(row * cols() * Float.BYTES);
    }

    /** The device pointer of {@code m}, or {@link CudaDevice#NULL} for null (optional arguments). */
    static CUdeviceptr of(DenseMatrix m) {
        return m == null ? CudaDevice.NULL : ((CudaMatrix) m).ptr;
    }

    @Override
    protected void copyIn(int firstRow, float[] src, int srcOffset, int rowCount) {
        device.enter();
        device.upload(row(firstRow), Pointer.to(src).withByteOffset((long) srcOffset * Float.BYTES),
                (long) rowCount * cols() * Float.BYTES);
    }

    @Override
    protected void copyOut(int firstRow, float[] dst, int dstOffset, int rowCount) {
        device.enter();
        device.download(Pointer.to(dst).withByteOffset((long) dstOffset * Float.BYTES), row(firstRow),
                (long) rowCount * cols() * Float.BYTES);
    }

    @Override
    protected void release() {
        // After the backend closed, its context (and with it this memory) is gone already.
        if (!device.isClosed()) device.free(ptr, bytes);
    }
}
