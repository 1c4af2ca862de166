package org.mfkit.cuda;

import org.mfkit.core.BprParams;
import org.mfkit.core.DenseMatrix;
import org.mfkit.core.Triples;

/**
 * BPR updates with exact sequential semantics, on the same wave schedule as
 * {@link CudaSgd#sequential}: a wave never touches a user twice, nor an item twice counting
 * positives and negatives together. The pre-update margins x_uij go to a device buffer whose
 * loss Σ softplus(−x) is reduced in float64 when {@link BprParams#computeLoss()} asks for it
 * (otherwise the result is NaN).
 */
final class CudaBpr {
    private CudaBpr() {}

    static double sequential(CudaDevice device, DenseMatrix p, DenseMatrix q, DenseMatrix itemBias, Triples triples,
                             BprParams params) {
        int n = triples.size();
        if (n == 0) return params.computeLoss() ? 0 : Double.NaN;
        int[] users = CudaIndexArray.hostOf(triples.users());
        int[] positives = CudaIndexArray.hostOf(triples.positives());
        int[] negatives = CudaIndexArray.hostOf(triples.negatives());
        long partials = (long) LaunchConfig.MAX_REDUCE_BLOCKS * Double.BYTES;
        int window = ChunkPlanner.itemsPerChunk(device.freeBytes(), partials, Float.BYTES, n, Integer.MAX_VALUE,
                "BPR margin buffer");
        double loss = 0;
        try (CudaDevice.Buffer margins = device.buffer((long) window * Float.BYTES, "BPR margin buffer")) {
            for (int w0 = 0; w0 < n; w0 += window) {
                int w1 = Math.min(n, w0 + window);
                ConflictFreeSchedule schedule = triples.conflictFree()
                        ? ConflictFreeSchedule.plan(w0, w1, 1)
                        : ConflictFreeSchedule.plan(w0, w1, CudaSgd.MIN_PARALLEL,
                                new ConflictFreeSchedule.Namespace(p.rows(), users),
                                new ConflictFreeSchedule.Namespace(q.rows(), positives, negatives));
                for (int s = 0; s < schedule.size(); s++) {
                    boolean parallel = schedule.parallel(s);
                    int count = schedule.count(s);
                    device.launch("bpr_segment", parallel ? LaunchConfig.blocks(count, LaunchConfig.BLOCK) : 1,
                            parallel ? LaunchConfig.BLOCK : 1, CudaMatrix.of(p), CudaMatrix.of(q), p.cols(),
                            CudaMatrix.of(itemBias), CudaIndexArray.of(triples.users()),
                            CudaIndexArray.of(triples.positives()), CudaIndexArray.of(triples.negatives()),
                            params.learningRate(), params.factorReg(), params.biasReg(), schedule.start(s), count,
                            parallel ? 1 : 0, w0, margins.ptr());
                }
                if (params.computeLoss()) loss += device.reduce("sum_bpr_loss", margins.ptr(), w1 - w0);
            }
        }
        return params.computeLoss() ? loss : Double.NaN;
    }
}
