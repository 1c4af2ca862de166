package org.mfkit.cuda;

import jcuda.driver.CUdeviceptr;
import org.mfkit.core.CsrMatrix;
import org.mfkit.core.DenseMatrix;
import org.mfkit.core.ExplicitAlsParams;
import org.mfkit.core.ImplicitAlsParams;
import org.mfkit.core.IndexArray;

/**
 * Normal-equation assembly, one thread block per requested row ({@code normal_equations.cu}):
 * each thread owns lower-triangle elements and sums over the row's ratings in entry order.
 * An own kernel rather than a batched GEMM because rows have different lengths: a strided
 * batched sgemm would need every row padded to the longest one, and the per-element kernel
 * keeps the reference's summation order.
 */
final class CudaNormalEquations {
    private CudaNormalEquations() {}

    static void explicit(CudaDevice device, IndexArray rows, CsrMatrix ratings, DenseMatrix y, ExplicitAlsParams params,
                         DenseMatrix a, DenseMatrix b) {
        explicit(device, ((CudaIndexArray) rows).at(0), rows.length(), ratings, y, params, CudaMatrix.of(a),
                CudaMatrix.of(b));
    }

    static void implicit(CudaDevice device, IndexArray rows, CsrMatrix ratings, DenseMatrix y, DenseMatrix gram,
                         ImplicitAlsParams params, DenseMatrix a, DenseMatrix b) {
        implicit(device, ((CudaIndexArray) rows).at(0), rows.length(), ratings, y, gram, params, CudaMatrix.of(a),
                CudaMatrix.of(b));
    }

    /** Assembles {@code count} systems for the row ids at {@code rows} into {@code a}, {@code b}. */
    static void explicit(CudaDevice device, CUdeviceptr rows, int count, CsrMatrix ratings, DenseMatrix y,
                         ExplicitAlsParams params, CUdeviceptr a, CUdeviceptr b) {
        if (count == 0 || y.cols() == 0) return;
        device.launch("normal_equations_explicit", count, LaunchConfig.SYSTEM_BLOCK, rows,
                CudaIndexArray.of(ratings.rowPtr()), CudaIndexArray.of(ratings.colIdx()),
                CudaMatrix.of(ratings.values()), CudaMatrix.of(y), y.cols(), params.lambda(),
                params.scaleByCount() ? 1 : 0, a, b);
    }

    /** Assembles {@code count} implicit systems for the row ids at {@code rows} into {@code a}, {@code b}. */
    static void implicit(CudaDevice device, CUdeviceptr rows, int count, CsrMatrix ratings, DenseMatrix y,
                         DenseMatrix gram, ImplicitAlsParams params, CUdeviceptr a, CUdeviceptr b) {
        if (count == 0 || y.cols() == 0) return;
        device.launch("normal_equations_implicit", count, LaunchConfig.SYSTEM_BLOCK, rows,
                CudaIndexArray.of(ratings.rowPtr()), CudaIndexArray.of(ratings.colIdx()),
                CudaMatrix.of(ratings.values()), CudaMatrix.of(y), y.cols(), CudaMatrix.of(gram), params.alpha(),
                params.lambda(), a, b);
    }
}
