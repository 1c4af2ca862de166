package org.mfkit.cuda;

import jcuda.Pointer;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasOperation;
import org.mfkit.core.DenseMatrix;
import org.mfkit.core.IndexArray;
import org.mfkit.core.Interactions;

/**
 * Gathered dot, biased predict (own kernels, one thread per pair, reference summation order)
 * and score blocks (cuBLAS sgemm on the gathered query rows, chunked by free memory).
 */
final class CudaDots {
    private static final Pointer ONE = Pointer.to(new float[] {1f});
    private static final Pointer ZERO = Pointer.to(new float[] {0f});

    private CudaDots() {}

    static void dot(CudaDevice device, DenseMatrix p, DenseMatrix q, Interactions pairs, DenseMatrix out) {
        int n = pairs.size();
        device.launch("gathered_dot", LaunchConfig.blocks(n, LaunchConfig.BLOCK), LaunchConfig.BLOCK,
                CudaMatrix.of(p), CudaMatrix.of(q), p.cols(), CudaIndexArray.of(pairs.users()),
                CudaIndexArray.of(pairs.items()), n, CudaMatrix.of(out));
    }

    static void predict(CudaDevice device, float globalMean, DenseMatrix userBias, DenseMatrix itemBias,
                        DenseMatrix p, DenseMatrix q, Interactions pairs, DenseMatrix out) {
        int n = pairs.size();
        device.launch("biased_predict", LaunchConfig.blocks(n, LaunchConfig.BLOCK), LaunchConfig.BLOCK,
                globalMean, CudaMatrix.of(userBias), CudaMatrix.of(itemBias), CudaMatrix.of(p), CudaMatrix.of(q),
                p.cols(), CudaIndexArray.of(pairs.users()), CudaIndexArray.of(pairs.items()), n, CudaMatrix.of(out));
    }

    /** out (rows × items) = P[rows] · Qᵀ, in chunks of query rows so the gathered rows fit in free memory. */
    static void scores(CudaDevice device, DenseMatrix p, IndexArray rows, DenseMatrix q, DenseMatrix out) {
        int n = rows.length();
        int k = p.cols();
        int items = q.rows();
        if (n == 0 || items == 0) return;
        CudaMatrix result = (CudaMatrix) out;
        if (k == 0) {
            device.zero(result.ptr(), (long) n * items * Float.BYTES);
            return;
        }
        int chunk = ChunkPlanner.itemsPerChunk(device.freeBytes(), 0, (long) k * Float.BYTES, n,
                Integer.MAX_VALUE, "gathered query rows of scores (k = " + k + ")");
        try (CudaDevice.Buffer gathered = device.buffer((long) chunk * k * Float.BYTES, "gathered query rows")) {
            for (int r0 = 0; r0 < n; r0 += chunk) {
                int c = Math.min(chunk, n - r0);
                gather(device, p, rows, r0, c, gathered);
                scoreTile(device, q, 0, items, k, gathered, c, result.row(r0), items);
            }
        }
    }

    /** Gathers rows {@code ids[first .. first+count)} of {@code src} into {@code dst}. */
    static void gather(CudaDevice device, DenseMatrix src, IndexArray ids, int first, int count, CudaDevice.Buffer dst) {
        int k = src.cols();
        device.launch("gather_rows", LaunchConfig.blocks((long) count * k, LaunchConfig.BLOCK), LaunchConfig.BLOCK,
                CudaMatrix.of(src), k, ((CudaIndexArray) ids).at(first), count, dst.ptr());
    }

    /**
     * C (queries × tileItems, row-major, leading dimension ldc) = G · Q[itemStart ..]ᵀ with G
     * the gathered query rows. In cuBLAS's column-major terms: Cᵀ = op(Q)ᵀ·G, i.e.
     * sgemm(T, N, m = tileItems, n = queries, k, Q, k, G, k, C, ldc).
     */
    static void scoreTile(CudaDevice device, DenseMatrix q, int itemStart, int tileItems, int k,
                          CudaDevice.Buffer gathered, int queries, jcuda.driver.CUdeviceptr c, int ldc) {
        CudaDevice.checkBlas(JCublas2.cublasSgemm(device.cublas(), cublasOperation.CUBLAS_OP_T,
                cublasOperation.CUBLAS_OP_N, tileItems, queries, k, ONE, ((CudaMatrix) q).row(itemStart), k,
                gathered.ptr(), k, ZERO, c, ldc), "cublasSgemm");
    }
}
