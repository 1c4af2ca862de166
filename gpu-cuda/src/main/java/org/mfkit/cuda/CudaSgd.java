package org.mfkit.cuda;

import org.mfkit.core.DenseMatrix;
import org.mfkit.core.Interactions;
import org.mfkit.core.SgdParams;

/**
 * SGD over biased MF on the GPU.
 *
 * <p>Sequential SGD keeps exact sequential semantics for every list, conflict-free or not:
 * {@link ConflictFreeSchedule} cuts the list into waves in which no user and no item repeats
 * (run one thread per rating) and merges short waves into segments one thread walks in order.
 * A conflict-free list is a single parallel wave. The pre-update errors go to a device buffer
 * reduced in float64; the list is processed in windows so that buffer fits in free memory.
 *
 * <p>Mini-batch SGD: errors from the entry parameters, then per-row gradient sums over each
 * row's ratings in list order ({@link RowGroups}, no atomics, deterministic), applied once.
 * It is not chunked (every error must exist before any row moves); a batch whose working set
 * ({@link #miniBatchBytes}) does not fit throws {@link DeviceMemoryException} before any work.
 */
final class CudaSgd {
    /** Waves shorter than this run as sequential segments instead of a launch each. */
    static final int MIN_PARALLEL = 32;

    private CudaSgd() {}

    static double sequential(CudaDevice device, DenseMatrix p, DenseMatrix q, DenseMatrix userBias,
                             DenseMatrix itemBias, Interactions ratings, SgdParams params) {
        int n = ratings.size();
        if (n == 0) return 0;
        int[] users = CudaIndexArray.hostOf(ratings.users());
        int[] items = CudaIndexArray.hostOf(ratings.items());
        long partials = (long) LaunchConfig.MAX_REDUCE_BLOCKS * Double.BYTES;
        int window = ChunkPlanner.itemsPerChunk(device.freeBytes(), partials, Float.BYTES, n, Integer.MAX_VALUE,
                "SGD error buffer");
        double squaredErrors = 0;
        try (CudaDevice.Buffer errors = device.buffer((long) window * Float.BYTES, "SGD error buffer")) {
            for (int w0 = 0; w0 < n; w0 += window) {
                int w1 = Math.min(n, w0 + window);
                ConflictFreeSchedule schedule = ratings.conflictFree()
                        ? ConflictFreeSchedule.plan(w0, w1, 1)
                        : ConflictFreeSchedule.plan(w0, w1, MIN_PARALLEL,
                                new ConflictFreeSchedule.Namespace(p.rows(), users),
                                new ConflictFreeSchedule.Namespace(q.rows(), items));
                for (int s = 0; s < schedule.size(); s++) {
                    boolean parallel = schedule.parallel(s);
                    int count = schedule.count(s);
                    device.launch("sgd_segment", parallel ? LaunchConfig.blocks(count, LaunchConfig.BLOCK) : 1,
                            parallel ? LaunchConfig.BLOCK : 1, CudaMatrix.of(p), CudaMatrix.of(q), p.cols(),
                            CudaMatrix.of(userBias), CudaMatrix.of(itemBias), CudaIndexArray.of(ratings.users()),
                            CudaIndexArray.of(ratings.items()), CudaMatrix.of(ratings.values()), params.globalMean(),
                            params.learningRate(), params.factorReg(), params.biasReg(), schedule.start(s), count,
                            parallel ? 1 : 0, w0, errors.ptr());
                }
                squaredErrors += device.reduce("sum_squares", errors.ptr(), w1 - w0);
            }
        }
        return squaredErrors;
    }

    static double miniBatch(CudaDevice device, DenseMatrix p, DenseMatrix q, DenseMatrix userBias,
                            DenseMatrix itemBias, Interactions ratings, SgdParams params) {
        int n = ratings.size();
        if (n == 0) return 0;
        int k = p.cols();
        RowGroups byUser = RowGroups.of(CudaIndexArray.hostOf(ratings.users()), p.rows());
        RowGroups byItem = RowGroups.of(CudaIndexArray.hostOf(ratings.items()), q.rows());
        // Every error must exist before any row moves, so the batch is not chunked: check the
        // whole working set up front and name it when it does not fit.
        long needed = miniBatchBytes(n, byUser.size(), byItem.size(), k);
        long free = device.freeBytes();
        if (needed > (long) (free * ChunkPlanner.USABLE_FRACTION)) {
            throw new DeviceMemoryException("the SGD mini-batch working set (" + n + " ratings, k = " + k + ")", needed,
                    free);
        }
        try (CudaDevice.Buffer errors = device.buffer((long) n * Float.BYTES, "mini-batch errors");
             CudaDevice.Buffer userRows = device.upload(byUser.rows(), "mini-batch user groups");
             CudaDevice.Buffer userPtr = device.upload(byUser.ptr(), "mini-batch user groups");
             CudaDevice.Buffer userOrder = device.upload(byUser.order(), "mini-batch user groups");
             CudaDevice.Buffer itemRows = device.upload(byItem.rows(), "mini-batch item groups");
             CudaDevice.Buffer itemPtr = device.upload(byItem.ptr(), "mini-batch item groups");
             CudaDevice.Buffer itemOrder = device.upload(byItem.order(), "mini-batch item groups");
             CudaDevice.Buffer gradP = device.buffer((long) byUser.size() * k * Float.BYTES, "mini-batch user gradients");
             CudaDevice.Buffer gradQ = device.buffer((long) byItem.size() * k * Float.BYTES, "mini-batch item gradients")) {
            device.launch("minibatch_errors", LaunchConfig.blocks(n, LaunchConfig.BLOCK), LaunchConfig.BLOCK,
                    CudaMatrix.of(p), CudaMatrix.of(q), k, CudaMatrix.of(userBias), CudaMatrix.of(itemBias),
                    CudaIndexArray.of(ratings.users()), CudaIndexArray.of(ratings.items()),
                    CudaMatrix.of(ratings.values()), params.globalMean(), n, errors.ptr());
            // Both gradients from the entry parameters, then both applied.
            gradient(device, byUser, userPtr, userOrder, errors, CudaIndexArray.of(ratings.items()), q, k, gradP);
            gradient(device, byItem, itemPtr, itemOrder, errors, CudaIndexArray.of(ratings.users()), p, k, gradQ);
            apply(device, p, k, byUser, userRows, userPtr, gradP, params.learningRate(), params.factorReg());
            apply(device, q, k, byItem, itemRows, itemPtr, gradQ, params.learningRate(), params.factorReg());
            if (userBias != null) {
                bias(device, userBias, byUser, userRows, userPtr, userOrder, errors, params);
                bias(device, itemBias, byItem, itemRows, itemPtr, itemOrder, errors, params);
            }
            return device.reduce("sum_squares", errors.ptr(), n);
        }
    }

    /** Device bytes a mini-batch needs: errors, both groupings, both gradient buffers. */
    static long miniBatchBytes(int ratings, int userGroups, int itemGroups, int k) {
        long errors = (long) ratings * Float.BYTES;
        long groupings = 2L * ratings * Integer.BYTES + 2L * (userGroups + itemGroups + 1) * Integer.BYTES;
        long gradients = ((long) userGroups + itemGroups) * k * Float.BYTES;
        return errors + groupings + gradients;
    }

    private static void gradient(CudaDevice device, RowGroups groups, CudaDevice.Buffer ptr, CudaDevice.Buffer order,
                                 CudaDevice.Buffer errors, jcuda.driver.CUdeviceptr otherIds, DenseMatrix other, int k,
                                 CudaDevice.Buffer grad) {
        device.launch("minibatch_gradient", LaunchConfig.blocks((long) groups.size() * k, LaunchConfig.BLOCK),
                LaunchConfig.BLOCK, ptr.ptr(), order.ptr(), groups.size(), errors.ptr(), otherIds, CudaMatrix.of(other),
                k, grad.ptr());
    }

    private static void apply(CudaDevice device, DenseMatrix x, int k, RowGroups groups, CudaDevice.Buffer rows,
                              CudaDevice.Buffer ptr, CudaDevice.Buffer grad, float lr, float reg) {
        device.launch("minibatch_apply", LaunchConfig.blocks((long) groups.size() * k, LaunchConfig.BLOCK),
                LaunchConfig.BLOCK, CudaMatrix.of(x), k, rows.ptr(), ptr.ptr(), groups.size(), grad.ptr(), lr, reg);
    }

    private static void bias(CudaDevice device, DenseMatrix bias, RowGroups groups, CudaDevice.Buffer rows,
                             CudaDevice.Buffer ptr, CudaDevice.Buffer order, CudaDevice.Buffer errors, SgdParams params) {
        device.launch("minibatch_bias", LaunchConfig.blocks(groups.size(), LaunchConfig.BLOCK), LaunchConfig.BLOCK,
                CudaMatrix.of(bias), rows.ptr(), ptr.ptr(), order.ptr(), groups.size(), errors.ptr(),
                params.learningRate(), params.biasReg());
    }
}
