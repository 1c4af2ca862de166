package org.mfkit.model;

import java.util.Random;
import org.mfkit.core.DenseMatrix;
import org.mfkit.core.Kernels;

/**
 * The factors and biases of a model while it trains, resident in the backend's memory, plus
 * copies of them taken with the backend's copy kernel (last good epoch, best epoch) so a
 * failure or early stop never needs a round trip to the host until the end.
 */
final class DeviceFactors implements AutoCloseable {
    final Kernels kernels;
    final DenseMatrix p;
    final DenseMatrix q;
    final DenseMatrix userBias;
    final DenseMatrix itemBias;

    DeviceFactors(Kernels kernels, int numUsers, int numItems, int k, boolean userBias, boolean itemBias) {
        this.kernels = kernels;
        this.p = kernels.matrix(numUsers, k);
        this.q = kernels.matrix(numItems, k);
        this.userBias = userBias ? kernels.matrix(numUsers, 1) : null;
        this.itemBias = itemBias ? kernels.matrix(numItems, 1) : null;
    }

    /** Gaussian N(0, std²) values from {@code random}, in row-major order. */
    static float[] gaussian(Random random, int count, float std) {
        float[] out = new float[count];
        for (int j = 0; j < count; j++) out[j] = (float) (random.nextGaussian() * std);
        return out;
    }

    DeviceFactors emptyCopy() {
        return new DeviceFactors(kernels, p.rows(), q.rows(), p.cols(), userBias != null, itemBias != null);
    }

    void copyTo(DeviceFactors dst) {
        kernels.copy(p, dst.p);
        kernels.copy(q, dst.q);
        if (userBias != null) kernels.copy(userBias, dst.userBias);
        if (itemBias != null) kernels.copy(itemBias, dst.itemBias);
    }

    /** The side holding a non-finite value ({@code "users"} or {@code "items"}), or null. */
    String nonFiniteSide() {
        if (!kernels.allFinite(p) || (userBias != null && !kernels.allFinite(userBias))) return "users";
        if (!kernels.allFinite(q) || (itemBias != null && !kernels.allFinite(itemBias))) return "items";
        return null;
    }

    /**
     * Which rows of a trained model hold no training data and get zero factors (and zero bias)
     * when downloaded: see the edge cases in docs/MODELS.md.
     *
     * @param userCounts entries per user (rows with 0 are zeroed), or null to keep every user row
     * @param itemCounts entries per item, or null to keep every item row
     */
    record EmptyRows(int[] userCounts, int[] itemCounts) {
        /** Every row kept as trained. */
        static EmptyRows keep() {
            return new EmptyRows(null, null);
        }

        /** Users without entries zeroed. */
        static EmptyRows users(int[] userCounts) {
            return new EmptyRows(userCounts, null);
        }

        /** Users and items without entries zeroed. */
        static EmptyRows usersAndItems(int[] userCounts, int[] itemCounts) {
            return new EmptyRows(userCounts, itemCounts);
        }
    }

    /** Downloads into a host model described by {@code metadata}, zeroing {@code emptyRows}. */
    FactorModel toModel(ModelMetadata metadata, EmptyRows emptyRows) {
        int k = p.cols();
        float[] pf = p.toArray();
        float[] qf = q.toArray();
        float[] ub = userBias == null ? null : userBias.toArray();
        float[] ib = itemBias == null ? null : itemBias.toArray();
        if (emptyRows.userCounts() != null) zeroEmpty(emptyRows.userCounts(), pf, ub, k);
        if (emptyRows.itemCounts() != null) zeroEmpty(emptyRows.itemCounts(), qf, ib, k);
        return new FactorModel(metadata.type(), k, p.rows(), q.rows(), metadata.globalMean(), pf, qf, ub, ib,
                metadata.userIds(), metadata.itemIds(), metadata.hyperParameters(), metadata.clipMin(), metadata.clipMax());
    }

    private static void zeroEmpty(int[] counts, float[] factors, float[] bias, int k) {
        for (int r = 0; r < counts.length; r++) {
            if (counts[r] == 0) {
                java.util.Arrays.fill(factors, r * k, r * k + k, 0f);
                if (bias != null) bias[r] = 0f;
            }
        }
    }

    @Override
    public void close() {
        p.close();
        q.close();
        if (userBias != null) userBias.close();
        if (itemBias != null) itemBias.close();
    }
}
