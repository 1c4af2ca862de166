package org.mfkit.cuda;

import jcuda.Pointer;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasFillMode;
import jcuda.jcublas.cublasOperation;
import org.mfkit.core.DenseMatrix;

/**
 * Gram YᵀY with cuBLAS ssyrk. Row-major Y (n × k) is column-major Yᵀ (k × n, leading
 * dimension k), so ssyrk(lower, N) on it yields YᵀY; its column-major lower triangle is the
 * row-major upper one, which a small kernel mirrors onto the lower: exactly symmetric.
 */
final class CudaGram {
    private static final Pointer ONE = Pointer.to(new float[] {1f});
    private static final Pointer ZERO = Pointer.to(new float[] {0f});

    private CudaGram() {}

    static void gram(CudaDevice device, DenseMatrix y, DenseMatrix out) {
        int k = y.cols();
        int n = y.rows();
        if (k == 0) return;
        CudaMatrix result = (CudaMatrix) out;
        if (n == 0) {
            device.zero(result.ptr(), (long) k * k * Float.BYTES);
            return;
        }
        CudaDevice.checkBlas(JCublas2.cublasSsyrk(device.cublas(), cublasFillMode.CUBLAS_FILL_MODE_LOWER,
                cublasOperation.CUBLAS_OP_N, k, n, ONE, CudaMatrix.of(y), k, ZERO, result.ptr(), k), "cublasSsyrk");
        device.launch("symmetrize_from_upper", LaunchConfig.blocks((long) k * k, LaunchConfig.BLOCK), LaunchConfig.BLOCK,
                result.ptr(), k);
    }
}
