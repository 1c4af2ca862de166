package org.mfkit.cuda;

import org.mfkit.core.BprParams;
import org.mfkit.core.CsrMatrix;
import org.mfkit.core.DenseMatrix;
import org.mfkit.core.ExplicitAlsParams;
import org.mfkit.core.ImplicitAlsParams;
import org.mfkit.core.IndexArray;
import org.mfkit.core.Interactions;
import org.mfkit.core.SgdParams;
import org.mfkit.core.Solver;
import org.mfkit.core.Triples;
import org.mfkit.core.spi.KernelBackend;

/**
 * The JCuda/cuBLAS backend. Handles ({@link CudaMatrix}, {@link CudaIndexArray}) live in the
 * device memory of one GPU (memory space {@code "cuda:<ordinal>"}); factors, biases and rating
 * batches stay there between calls and only explicit uploads/downloads cross the bus, counted
 * by {@link #bytesUploaded()} and friends (including the small transfers kernels make for
 * plans, status words and partial sums). Kernels: cuBLAS for Gram (ssyrk) and score blocks
 * (sgemm), NVRTC-compiled kernels from {@code org/mfkit/cuda/kernels/*.cu} for the rest. Each
 * call synchronizes before returning. {@link #threads()} is 1: one host thread drives the GPU.
 */
public final class CudaBackend implements KernelBackend {
    /** Registry name. */
    public static final String NAME = "gpu-cuda";

    private final CudaDevice device;

    CudaBackend(int ordinal) {
        this.device = new CudaDevice(ordinal);
    }

    /** The device, for tests of allocation failures. */
    CudaDevice device() {
        return device;
    }

    /** The GPU this backend runs on, with its compute capability. */
    public String deviceDescription() {
        return device.describe();
    }

    /** Host → device bytes transferred since opening (or the last reset). */
    public long bytesUploaded() {
        return device.bytesUploaded();
    }

    /** Device → host bytes transferred since opening (or the last reset). */
    public long bytesDownloaded() {
        return device.bytesDownloaded();
    }

    /** Host → device copies since opening (or the last reset). */
    public long uploadCount() {
        return device.uploads();
    }

    /** Device → host copies since opening (or the last reset). */
    public long downloadCount() {
        return device.downloads();
    }

    /** Sets the transfer counters to zero. */
    public void resetTransferCounters() {
        device.resetCounters();
    }

    /** Device memory free now, in bytes. */
    public long freeDeviceBytes() {
        device.enter();
        return device.freeBytes();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String memorySpace() {
        return device.memorySpace();
    }

    @Override
    public int threads() {
        return 1;
    }

    @Override
    public DenseMatrix allocate(int rows, int cols) {
        return new CudaMatrix(device, rows, cols);
    }

    @Override
    public IndexArray indices(int[] ids, int max, int maxPosition, boolean distinct) {
        return new CudaIndexArray(device, ids, max, maxPosition, distinct);
    }

    @Override
    public void copy(DenseMatrix src, DenseMatrix dst) {
        device.enter();
        device.copy(CudaMatrix.of(dst), CudaMatrix.of(src), (long) src.size() * Float.BYTES);
        device.synchronize();
    }

    @Override
    public boolean allFinite(DenseMatrix m) {
        device.enter();
        return device.reduce("count_nonfinite", CudaMatrix.of(m), m.size()) == 0;
    }

    @Override
    public double squaredNorm(DenseMatrix m) {
        device.enter();
        return device.reduce("sum_squares", CudaMatrix.of(m), m.size());
    }

    @Override
    public void dot(DenseMatrix p, DenseMatrix q, Interactions pairs, DenseMatrix out) {
        device.enter();
        CudaDots.dot(device, p, q, pairs, out);
        device.synchronize();
    }

    @Override
    public void predict(float globalMean, DenseMatrix userBias, DenseMatrix itemBias, DenseMatrix p, DenseMatrix q,
                        Interactions pairs, DenseMatrix out) {
        device.enter();
        CudaDots.predict(device, globalMean, userBias, itemBias, p, q, pairs, out);
        device.synchronize();
    }

    @Override
    public void scores(DenseMatrix p, IndexArray rows, DenseMatrix q, DenseMatrix out) {
        device.enter();
        CudaDots.scores(device, p, rows, q, out);
        device.synchronize();
    }

    @Override
    public void topK(DenseMatrix p, IndexArray rows, DenseMatrix q, DenseMatrix itemBias, CsrMatrix exclude, int k,
                     int[] outItems, float[] outScores) {
        device.enter();
        CudaTopK.topK(device, p, rows, q, itemBias, exclude, k, outItems, outScores);
        device.synchronize();
    }

    @Override
    public double sgd(DenseMatrix p, DenseMatrix q, DenseMatrix userBias, DenseMatrix itemBias, Interactions ratings,
                      SgdParams params) {
        device.enter();
        return CudaSgd.sequential(device, p, q, userBias, itemBias, ratings, params);
    }

    @Override
    public double sgdMiniBatch(DenseMatrix p, DenseMatrix q, DenseMatrix userBias, DenseMatrix itemBias,
                               Interactions ratings, SgdParams params) {
        device.enter();
        return CudaSgd.miniBatch(device, p, q, userBias, itemBias, ratings, params);
    }

    @Override
    public double bpr(DenseMatrix p, DenseMatrix q, DenseMatrix itemBias, Triples triples, BprParams params) {
        device.enter();
        return CudaBpr.sequential(device, p, q, itemBias, triples, params);
    }

    @Override
    public void gram(DenseMatrix y, DenseMatrix out) {
        device.enter();
        CudaGram.gram(device, y, out);
        device.synchronize();
    }

    @Override
    public void normalEquationsExplicit(IndexArray rows, CsrMatrix ratings, DenseMatrix y, ExplicitAlsParams params,
                                        DenseMatrix a, DenseMatrix b) {
        device.enter();
        CudaNormalEquations.explicit(device, rows, ratings, y, params, a, b);
        device.synchronize();
    }

    @Override
    public void normalEquationsImplicit(IndexArray rows, CsrMatrix ratings, DenseMatrix y, DenseMatrix gram,
                                        ImplicitAlsParams params, DenseMatrix a, DenseMatrix b) {
        device.enter();
        CudaNormalEquations.implicit(device, rows, ratings, y, gram, params, a, b);
        device.synchronize();
    }

    @Override
    public void choleskySolve(DenseMatrix a, DenseMatrix b, DenseMatrix x) {
        device.enter();
        CudaCholesky.solve(device, a, b, x);
        device.synchronize();
    }

    @Override
    public void solveExplicit(DenseMatrix x, IndexArray rows, CsrMatrix ratings, DenseMatrix y, ExplicitAlsParams params,
                              Solver solver) {
        device.enter();
        CudaAls.solveExplicit(device, x, rows, ratings, y, params, solver);
        device.synchronize();
    }

    @Override
    public void solveImplicit(DenseMatrix x, IndexArray rows, CsrMatrix ratings, DenseMatrix y, DenseMatrix gram,
                              ImplicitAlsParams params, Solver solver) {
        device.enter();
        CudaAls.solveImplicit(device, x, rows, ratings, y, gram, params, solver);
        device.synchronize();
    }

    @Override
    public void close() {
        device.close();
    }
}
