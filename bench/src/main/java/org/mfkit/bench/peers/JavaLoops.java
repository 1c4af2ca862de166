package org.mfkit.bench.peers;

/**
 * The kernels as a Java programmer would write them without thinking about performance:
 * straightforward float loops over row-major arrays, one thread. This is the baseline mfkit
 * must beat to be worth a dependency; it is not the scalar reference (which lives in core and
 * defines the semantics), although it computes the same results.
 */
public final class JavaLoops {
    private JavaLoops() {}

    /** out[j] = p[users[j]] · q[items[j]]. */
    public static void dot(float[] p, float[] q, int k, int[] users, int[] items, float[] out) {
        for (int j = 0; j < users.length; j++) {
            float sum = 0f;
            for (int t = 0; t < k; t++) sum += p[users[j] * k + t] * q[items[j] * k + t];
            out[j] = sum;
        }
    }

    /** out[r][i] = p[rows[r]] · q[i] for all items. */
    public static void scores(float[] p, int[] rows, float[] q, int nItems, int k, float[] out) {
        for (int r = 0; r < rows.length; r++) {
            for (int i = 0; i < nItems; i++) {
                float sum = 0f;
                for (int t = 0; t < k; t++) sum += p[rows[r] * k + t] * q[i * k + t];
                out[r * nItems + i] = sum;
            }
        }
    }

    /**
     * Top-{@code topK} items per query row, skipping the excluded items of that row: score
     * every item into a buffer, then keep the best by insertion into a sorted array (ties to
     * the lower item id).
     */
    public static void topK(float[] p, int[] rows, float[] q, int nItems, int k, int[] exclPtr, int[] exclIdx,
                            int topK, int[] outItems, float[] outScores) {
        float[] scores = new float[nItems];
        boolean[] excluded = new boolean[nItems];
        for (int r = 0; r < rows.length; r++) {
            for (int e = exclPtr[r]; e < exclPtr[r + 1]; e++) excluded[exclIdx[e]] = true;
            for (int i = 0; i < nItems; i++) {
                float sum = 0f;
                for (int t = 0; t < k; t++) sum += p[rows[r] * k + t] * q[i * k + t];
                scores[i] = sum;
            }
            int base = r * topK;
            int size = 0;
            for (int i = 0; i < nItems; i++) {
                if (excluded[i]) continue;
                float s = scores[i];
                if (size == topK && s <= outScores[base + topK - 1]) continue;
                int at = Math.min(size, topK - 1);
                while (at > 0 && s > outScores[base + at - 1]) {
                    outScores[base + at] = outScores[base + at - 1];
                    outItems[base + at] = outItems[base + at - 1];
                    at--;
                }
                outScores[base + at] = s;
                outItems[base + at] = i;
                if (size < topK) size++;
            }
            for (int slot = size; slot < topK; slot++) {
                outItems[base + slot] = -1;
                outScores[base + slot] = Float.NEGATIVE_INFINITY;
            }
            for (int e = exclPtr[r]; e < exclPtr[r + 1]; e++) excluded[exclIdx[e]] = false;
        }
    }

    /** One pass of biased-MF SGD in list order; returns Σ e² of the pre-update errors. */
    public static double sgd(float[] p, float[] q, int k, float[] userBias, float[] itemBias, int[] users,
                             int[] items, float[] ratings, float mu, float lr, float regF, float regB) {
        double loss = 0;
        for (int j = 0; j < users.length; j++) {
            int u = users[j];
            int i = items[j];
            float prediction = mu + userBias[u] + itemBias[i];
            for (int t = 0; t < k; t++) prediction += p[u * k + t] * q[i * k + t];
            float e = ratings[j] - prediction;
            loss += (double) e * e;
            userBias[u] += lr * (e - regB * userBias[u]);
            itemBias[i] += lr * (e - regB * itemBias[i]);
            for (int t = 0; t < k; t++) {
                float pu = p[u * k + t];
                float qi = q[i * k + t];
                p[u * k + t] = pu + lr * (e * qi - regF * pu);
                q[i * k + t] = qi + lr * (e * pu - regF * qi);
            }
        }
        return loss;
    }

    /** One BPR pass in list order, no item bias; returns Σ −ln σ(x_uij). */
    public static double bpr(float[] p, float[] q, int k, int[] users, int[] positives, int[] negatives,
                             float lr, float reg) {
        double loss = 0;
        for (int n = 0; n < users.length; n++) {
            int u = users[n] * k;
            int i = positives[n] * k;
            int j = negatives[n] * k;
            float x = 0f;
            for (int t = 0; t < k; t++) x += p[u + t] * (q[i + t] - q[j + t]);
            loss += Math.log1p(Math.exp(-x));
            float g = (float) (1.0 / (1.0 + Math.exp(x)));
            for (int t = 0; t < k; t++) {
                float pu = p[u + t];
                float qi = q[i + t];
                float qj = q[j + t];
                p[u + t] = pu + lr * (g * (qi - qj) - reg * pu);
                q[i + t] = qi + lr * (g * pu - reg * qi);
                q[j + t] = qj + lr * (-g * pu - reg * qj);
            }
        }
        return loss;
    }

    /** out = yᵀy for y n × k row-major, every one of the k² entries summed. */
    public static void gram(float[] y, int n, int k, float[] out) {
        java.util.Arrays.fill(out, 0f);
        for (int r = 0; r < n; r++) {
            for (int s = 0; s < k; s++) {
                for (int t = 0; t < k; t++) out[s * k + t] += y[r * k + s] * y[r * k + t];
            }
        }
    }

    /**
     * Implicit ALS normal equations of row {@code row}: A = G + Σ αr q qᵀ + λI (full k×k),
     * b = Σ_{r&gt;0} (1 + αr) q.
     */
    public static void normalEquationsImplicit(int row, int[] rowPtr, int[] cols, float[] vals, float[] y, int k,
                                               float[] gram, float alpha, float lambda,
                                               float[] a, int aOff, float[] b, int bOff) {
        System.arraycopy(gram, 0, a, aOff, k * k);
        java.util.Arrays.fill(b, bOff, bOff + k, 0f);
        for (int e = rowPtr[row]; e < rowPtr[row + 1]; e++) {
            int qOff = cols[e] * k;
            float w = alpha * vals[e];
            for (int s = 0; s < k; s++) {
                for (int t = 0; t < k; t++) a[aOff + s * k + t] += w * y[qOff + s] * y[qOff + t];
                if (vals[e] > 0f) b[bOff + s] += (1f + w) * y[qOff + s];
            }
        }
        for (int s = 0; s < k; s++) a[aOff + s * k + s] += lambda;
    }

    /**
     * Textbook Cholesky–Banachiewicz factorisation of the k×k system at {@code a[aOff..]}
     * into {@code l} (lower, row-major), then forward and back substitution into x.
     */
    public static void choleskySolve(float[] a, int aOff, float[] b, int bOff, int k, float[] l,
                                     float[] x, int xOff) {
        for (int i = 0; i < k; i++) {
            for (int j = 0; j <= i; j++) {
                float sum = a[aOff + i * k + j];
                for (int t = 0; t < j; t++) sum -= l[i * k + t] * l[j * k + t];
                if (i == j) {
                    if (!(sum > 0f)) throw new ArithmeticException("system is not positive definite at " + i);
                    l[i * k + i] = (float) Math.sqrt(sum);
                } else {
                    l[i * k + j] = sum / l[j * k + j];
                }
            }
        }
        for (int i = 0; i < k; i++) {
            float sum = b[bOff + i];
            for (int t = 0; t < i; t++) sum -= l[i * k + t] * x[xOff + t];
            x[xOff + i] = sum / l[i * k + i];
        }
        for (int i = k - 1; i >= 0; i--) {
            float sum = x[xOff + i];
            for (int t = i + 1; t < k; t++) sum -= l[t * k + i] * x[xOff + t];
            x[xOff + i] = sum / l[i * k + i];
        }
    }
}
