package org.mfkit.model;

import java.util.Arrays;
import org.mfkit.core.CsrMatrix;
import org.mfkit.core.DenseMatrix;
import org.mfkit.core.IndexArray;
import org.mfkit.core.Interactions;
import org.mfkit.core.Kernels;
import org.mfkit.data.HostCsr;
import org.mfkit.data.Ratings;
import org.mfkit.eval.Metrics;

/** Validation metrics computed on the backend from the factors being trained. */
final class Validators {
    private Validators() {}

    /** RMSE of clipped predictions on a held-out set; uploads the pairs once. */
    static final class Rmse implements TrainingLoop.Validator, AutoCloseable {
        private final Kernels kernels;
        private final DeviceFactors factors;
        private final Interactions pairs;
        private final DenseMatrix out;
        private final DenseMatrix zeroUserBias;
        private final DenseMatrix zeroItemBias;
        private final float[] actual;
        private final float[] predicted;
        private final float globalMean;
        private final float clipMin;
        private final float clipMax;

        Rmse(Kernels kernels, DeviceFactors factors, Ratings validation, float globalMean, float clipMin, float clipMax) {
            this.kernels = kernels;
            this.factors = factors;
            this.pairs = kernels.pairs(validation.users(), validation.items());
            this.out = kernels.matrix(validation.size(), 1);
            this.zeroUserBias = factors.userBias == null ? kernels.matrix(factors.p.rows(), 1) : null;
            this.zeroItemBias = factors.itemBias == null ? kernels.matrix(factors.q.rows(), 1) : null;
            this.actual = validation.values();
            this.predicted = new float[validation.size()];
            this.globalMean = globalMean;
            this.clipMin = clipMin;
            this.clipMax = clipMax;
        }

        @Override
        public double evaluate() {
            if (actual.length == 0) return Double.NaN;
            kernels.predict(globalMean, factors.userBias != null ? factors.userBias : zeroUserBias,
                    factors.itemBias != null ? factors.itemBias : zeroItemBias, factors.p, factors.q, pairs, out);
            out.downloadRows(0, predicted, 0, predicted.length);
            if (!Float.isNaN(clipMin)) {
                for (int j = 0; j < predicted.length; j++) predicted[j] = Math.max(clipMin, Math.min(clipMax, predicted[j]));
            }
            return Metrics.rmse(predicted, actual);
        }

        @Override
        public String metricName() {
            return "rmse";
        }

        @Override
        public boolean higherIsBetter() {
            return false;
        }

        @Override
        public void close() {
            pairs.close();
            out.close();
            if (zeroUserBias != null) zeroUserBias.close();
            if (zeroItemBias != null) zeroItemBias.close();
        }
    }

    /** Mean Recall@K over validation users, training items excluded, through the top-K kernel. */
    static final class Recall implements TrainingLoop.Validator, AutoCloseable {
        private final Kernels kernels;
        private final DeviceFactors factors;
        private final IndexArray rows;
        private final CsrMatrix exclude;
        private final int[][] relevant;
        private final int k;
        private final String metricName;
        private final int[] outItems;
        private final float[] outScores;

        Recall(Kernels kernels, DeviceFactors factors, Ratings train, Ratings validation, int k) {
            this.kernels = kernels;
            this.factors = factors;
            HostCsr byUser = validation.byUser();
            HostCsr seen = train.byUser();
            int users = 0;
            for (int u = 0; u < byUser.rows(); u++) if (byUser.rowLength(u) > 0) users++;
            int[] ids = new int[users];
            this.relevant = new int[users][];
            int[] rowPtr = new int[users + 1];
            int n = 0;
            for (int u = 0; u < byUser.rows(); u++) {
                if (byUser.rowLength(u) == 0) continue;
                ids[n] = u;
                relevant[n] = Arrays.copyOfRange(byUser.colIdx(), byUser.rowPtr()[u], byUser.rowPtr()[u + 1]);
                rowPtr[n + 1] = rowPtr[n] + seen.rowLength(u);
                n++;
            }
            int[] colIdx = new int[rowPtr[users]];
            for (int r = 0; r < users; r++) {
                int u = ids[r];
                System.arraycopy(seen.colIdx(), seen.rowPtr()[u], colIdx, rowPtr[r], seen.rowLength(u));
            }
            this.metricName = "recall@" + k;
            this.k = Math.min(k, Math.max(1, factors.q.rows()));
            this.rows = kernels.indices("validation users", ids);
            this.exclude = kernels.csr(users, factors.q.rows(), rowPtr, colIdx, new float[colIdx.length]);
            this.outItems = new int[users * this.k];
            this.outScores = new float[users * this.k];
        }

        @Override
        public double evaluate() {
            if (relevant.length == 0) return Double.NaN;
            kernels.topK(factors.p, rows, factors.q, factors.itemBias, exclude, k, outItems, outScores);
            double sum = 0;
            for (int r = 0; r < relevant.length; r++) {
                sum += Metrics.recallAtK(Arrays.copyOfRange(outItems, r * k, r * k + k), relevant[r], k);
            }
            return sum / relevant.length;
        }

        @Override
        public String metricName() {
            return metricName;
        }

        @Override
        public boolean higherIsBetter() {
            return true;
        }

        @Override
        public void close() {
            rows.close();
            exclude.close();
        }
    }
}
