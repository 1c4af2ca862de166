package org.mfkit.core.conformance;

/**
 * A float64 re-implementation of every kernel's semantics, written from docs/KERNELS.md and
 * not from the scalar backend, together with an absolute error bound for each float32 result
 * a backend may return. Every result is an {@link Approx}: the exact (float64) value of the
 * kernel on the given float32 inputs, and a bound on |backend − exact| that any correct
 * float32 implementation meets whatever its summation order, vector width or FMA use.
 *
 * <p><b>The tolerance rule, all kernels in one place</b> (u = 2⁻²⁴, γ_n = n·u/(1 − n·u), the
 * classic bound for n float32 roundings; every bound is multiplied by {@link #SAFETY}):
 * <ul>
 *   <li>dot, scores, topK scores: |ŝ − s| ≤ γ_k · Σ_t |p_t q_t| (+ |b_i| inside γ_{k+1} with an item bias).</li>
 *   <li>predict: γ_{k+3} · (|μ| + |b_u| + |b_i| + Σ_t |p_t q_t|).</li>
 *   <li>gram: γ_n · Σ_rows |y_a y_b| per element, n = rows of y.</li>
 *   <li>normal equations, explicit: A_st within γ_{m+1}·(Σ|q_s q_t| + λ'), b_s within γ_m·Σ|r q_s|
 *       (m = entries of the row; λ' = λ or λ·m, whose own rounding is inside γ_{m+1}).</li>
 *   <li>normal equations, implicit: A_st within γ_{m+3}·(|G_st| + Σ α|r||q_s q_t| + λ) + Σ u(1 + α|r|)|q_s q_t|
 *       (the last term lets a backend weight by (1 + αr) − 1 computed in float32);
 *       b_s within γ_{m+2}·Σ (1 + αr)|q_s|.</li>
 *   <li>Cholesky solve (and the Cholesky ALS solves): Higham's backward bound — the computed x̂
 *       solves (A + ΔA) x̂ = b with |ΔA| ≤ γ_{3k+1}|L||Lᵀ| ≤ γ_{3k+1}·√(a_ii a_jj) — plus the
 *       assembly bounds above (|E_A|, |E_b|) give a bound ρ on the residual |b − A x̂|, and
 *       x̂ − x = −A⁻¹(b − A x̂) gives the component-wise forward bound |A⁻¹|·ρ, computed here in
 *       float64.</li>
 *   <li>SGD, mini-batch SGD, BPR: a running (first-order) error analysis. Alongside every
 *       parameter the oracle carries a bound on how far a backend's float32 copy may be from the
 *       exact value; each step adds the rounding of its own few operations (γ_5 or γ_6 of the
 *       magnitudes involved) and propagates the incoming bounds through the update formula
 *       with absolute values (e.g. δp' = δp(1 + ηλ) + η(|e|δq + |q|δe + δe δq) + γ_5(|p| + η(|e q| + λ|p|))).
 *       Losses: δΣe² = Σ(2|e|δe + δe²), δΣ softplus(−x) = Σ σ(−x)·δx.</li>
 *   <li>conjugate gradient: finite-precision CG departs from exact CG by an amount that grows
 *       with the condition number and the step count; the bound used is
 *       4·(s + 1)·κ_∞(A)·γ_{2k+m}·(‖x_CG‖_∞ + ‖x_0‖_∞) per component for s steps
 *       (κ_∞ computed here from A⁻¹). This is the one heuristic bound; the suite keeps the
 *       systems well conditioned (λ ≥ 1) so it stays meaningful.</li>
 * </ul>
 * A result is accepted when |ŝ − s| ≤ SAFETY·bound + {@link #FLOOR}. The safety factor covers
 * the second-order terms the first-order bounds drop; the floor only matters for results
 * that are exactly 0 in the oracle. Bounds are never widened to make a backend pass.
 */
public final class Oracle {
    /** Unit roundoff of float32. */
    public static final double U = 0x1p-24;
    /** Multiplier on every bound (second-order terms, the few operations not counted). */
    public static final double SAFETY = 2.0;
    /** Absolute slack for results that are exactly zero (the smallest normal float). */
    public static final double FLOOR = Float.MIN_NORMAL;

    private Oracle() {}

    /** γ_n = n·u / (1 − n·u). */
    public static double gamma(int n) {
        double nu = n * U;
        return nu / (1 - nu);
    }

    /** An exact value and the largest error a correct float32 backend may have, per element. */
    public static final class Approx {
        public final double[] value;
        public final double[] bound;

        Approx(int n) {
            value = new double[n];
            bound = new double[n];
        }

        Approx(double[] value, double[] bound) {
            this.value = value;
            this.bound = bound;
        }

        /** Whether {@code actual} is within the tolerance of element {@code i}. */
        public boolean accepts(int i, double actual) {
            return Math.abs(actual - value[i]) <= SAFETY * bound[i] + FLOOR;
        }

        /** Index of the first element of {@code actual} outside the tolerance, or -1. */
        public int firstRejected(float[] actual) {
            for (int i = 0; i < value.length; i++) if (!accepts(i, actual[i])) return i;
            return -1;
        }
    }

    // ---------------------------------------------------------------- dots

    /** Exact p_u·q_i and its bound γ_k Σ|p_t q_t|. */
    static void dot(float[] p, int pOff, float[] q, int qOff, int k, double[] valueAndAbs) {
        double s = 0;
        double abs = 0;
        for (int t = 0; t < k; t++) {
            double x = (double) p[pOff + t] * q[qOff + t];
            s += x;
            abs += Math.abs(x);
        }
        valueAndAbs[0] = s;
        valueAndAbs[1] = abs;
    }

    public static Approx dot(float[] p, float[] q, int k, int[] users, int[] items) {
        Approx out = new Approx(users.length);
        double[] d = new double[2];
        for (int j = 0; j < users.length; j++) {
            dot(p, users[j] * k, q, items[j] * k, k, d);
            out.value[j] = d[0];
            out.bound[j] = gamma(k) * d[1];
        }
        return out;
    }

    public static Approx predict(float mu, float[] userBias, float[] itemBias, float[] p, float[] q, int k,
                                 int[] users, int[] items) {
        Approx out = new Approx(users.length);
        double[] d = new double[2];
        for (int j = 0; j < users.length; j++) {
            int u = users[j];
            int i = items[j];
            dot(p, u * k, q, i * k, k, d);
            out.value[j] = (double) mu + userBias[u] + itemBias[i] + d[0];
            out.bound[j] = gamma(k + 3) * (Math.abs(mu) + Math.abs(userBias[u]) + Math.abs(itemBias[i]) + d[1]);
        }
        return out;
    }

    /** Scores of query rows against every item, row-major {@code rows.length × nItems}; bias optional. */
    public static Approx scores(float[] p, int[] rows, float[] q, int nItems, int k, float[] itemBias) {
        Approx out = new Approx(rows.length * nItems);
        double[] d = new double[2];
        for (int r = 0; r < rows.length; r++) {
            for (int i = 0; i < nItems; i++) {
                dot(p, rows[r] * k, q, i * k, k, d);
                int at = r * nItems + i;
                if (itemBias == null) {
                    out.value[at] = d[0];
                    out.bound[at] = gamma(k) * d[1];
                } else {
                    out.value[at] = d[0] + itemBias[i];
                    out.bound[at] = gamma(k + 1) * (d[1] + Math.abs(itemBias[i]));
                }
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- SGD and BPR

    /** Parameters with running error bounds (exact value, bound on a float32 backend's copy). */
    public static final class Params {
        public final double[] p;
        public final double[] q;
        public final double[] userBias;
        public final double[] itemBias;
        final double[] dp;
        final double[] dq;
        final double[] dbu;
        final double[] dbi;
        /** The returned loss (Σe² or Σ −ln σ) and its bound. */
        public double loss;
        public double lossBound;

        Params(float[] p, float[] q, float[] userBias, float[] itemBias) {
            this.p = widen(p);
            this.q = widen(q);
            this.userBias = userBias == null ? null : widen(userBias);
            this.itemBias = itemBias == null ? null : widen(itemBias);
            dp = new double[p.length];
            dq = new double[q.length];
            dbu = userBias == null ? null : new double[userBias.length];
            dbi = itemBias == null ? null : new double[itemBias.length];
        }

        public Approx pApprox() {
            return new Approx(p, dp);
        }

        public Approx qApprox() {
            return new Approx(q, dq);
        }

        public Approx userBiasApprox() {
            return new Approx(userBias, dbu);
        }

        public Approx itemBiasApprox() {
            return new Approx(itemBias, dbi);
        }
    }

    /** Per-rating SGD in list order (docs/KERNELS.md, "sgd"); biases both null or both present. */
    public static Params sgd(float[] p0, float[] q0, int k, float[] ub0, float[] ib0, int[] users, int[] items,
                             float[] ratings, float mu, float lr, float regF, float regB) {
        Params s = new Params(p0, q0, ub0, ib0);
        boolean biased = ub0 != null;
        // parts[x]: a bound on |(1 − ηλ)·p_t| + η|e||q_t| from the row's last update (|p_t| before
        // any): a backend may take the next dot of p_u from those parts (docs/KERNELS.md, "sgd").
        double[] parts = new double[p0.length];
        for (int x = 0; x < parts.length; x++) parts[x] = Math.abs(p0[x]);
        double keep = Math.abs(1 - (double) lr * regF);
        for (int j = 0; j < users.length; j++) {
            int u = users[j];
            int i = items[j];
            int pOff = u * k;
            int qOff = i * k;
            double d = 0;
            double abs = 0;
            double prop = 0;
            for (int t = 0; t < k; t++) {
                double pt = s.p[pOff + t];
                double qt = s.q[qOff + t];
                d += pt * qt;
                abs += Math.max(Math.abs(pt), parts[pOff + t]) * Math.abs(qt);
                prop += Math.abs(qt) * s.dp[pOff + t] + Math.abs(pt) * s.dq[qOff + t] + s.dp[pOff + t] * s.dq[qOff + t];
            }
            double bu = biased ? s.userBias[u] : 0;
            double bi = biased ? s.itemBias[i] : 0;
            double e = ratings[j] - (mu + d + bu + bi);
            double de = prop + (biased ? s.dbu[u] + s.dbi[i] : 0)
                    + gamma(k + 4) * (abs + Math.abs(mu) + Math.abs(bu) + Math.abs(bi) + Math.abs(ratings[j]));
            s.loss += e * e;
            s.lossBound += 2 * Math.abs(e) * de + de * de;
            if (biased) {
                s.userBias[u] = bu + lr * (e - regB * bu);
                s.dbu[u] = s.dbu[u] * (1 + lr * regB) + lr * de + gamma(5) * (Math.abs(bu) + lr * (Math.abs(e) + regB * Math.abs(bu)));
                s.itemBias[i] = bi + lr * (e - regB * bi);
                s.dbi[i] = s.dbi[i] * (1 + lr * regB) + lr * de + gamma(5) * (Math.abs(bi) + lr * (Math.abs(e) + regB * Math.abs(bi)));
            }
            for (int t = 0; t < k; t++) {
                double pt = s.p[pOff + t];
                double qt = s.q[qOff + t];
                double dpt = s.dp[pOff + t];
                double dqt = s.dq[qOff + t];
                s.p[pOff + t] = pt + lr * (e * qt - regF * pt);
                s.q[qOff + t] = qt + lr * (e * pt - regF * qt);
                parts[pOff + t] = keep * Math.abs(pt) + lr * Math.abs(e * qt);
                s.dp[pOff + t] = dpt * (1 + lr * regF) + lr * (Math.abs(e) * dqt + Math.abs(qt) * de + de * dqt)
                        + gamma(5) * (Math.abs(pt) + lr * (Math.abs(e * qt) + regF * Math.abs(pt)));
                s.dq[qOff + t] = dqt * (1 + lr * regF) + lr * (Math.abs(e) * dpt + Math.abs(pt) * de + de * dpt)
                        + gamma(5) * (Math.abs(qt) + lr * (Math.abs(e * pt) + regF * Math.abs(qt)));
            }
        }
        s.lossBound += gamma(users.length) * s.loss;
        return s;
    }

    /**
     * Mini-batch step (docs/KERNELS.md, "sgdMiniBatch"): every error from the entry values,
     * per-row sums G, then x ← x + η(G − c·λ·x) for each row with c &gt; 0 ratings in the batch.
     */
    public static Params sgdMiniBatch(float[] p0, float[] q0, int k, float[] ub0, float[] ib0, int[] users,
                                      int[] items, float[] ratings, float mu, float lr, float regF, float regB) {
        Params s = new Params(p0, q0, ub0, ib0);
        boolean biased = ub0 != null;
        int n = users.length;
        double[] e = new double[n];
        double[] de = new double[n];
        double[] gp = new double[p0.length];
        double[] gq = new double[q0.length];
        double[] gpAbs = new double[p0.length];
        double[] gqAbs = new double[q0.length];
        double[] gpErr = new double[p0.length];
        double[] gqErr = new double[q0.length];
        int nu = p0.length / k;
        int ni = q0.length / k;
        double[] gbu = new double[nu];
        double[] gbi = new double[ni];
        double[] gbuAbs = new double[nu];
        double[] gbiAbs = new double[ni];
        double[] gbuErr = new double[nu];
        double[] gbiErr = new double[ni];
        int[] cu = new int[nu];
        int[] ci = new int[ni];
        for (int j = 0; j < n; j++) {
            int u = users[j];
            int i = items[j];
            double d = 0;
            double abs = 0;
            for (int t = 0; t < k; t++) {
                double x = (double) p0[u * k + t] * q0[i * k + t];
                d += x;
                abs += Math.abs(x);
            }
            double bu = biased ? ub0[u] : 0;
            double bi = biased ? ib0[i] : 0;
            e[j] = ratings[j] - (mu + d + bu + bi);
            de[j] = gamma(k + 4) * (abs + Math.abs(mu) + Math.abs(bu) + Math.abs(bi) + Math.abs(ratings[j]));
            s.loss += e[j] * e[j];
            s.lossBound += 2 * Math.abs(e[j]) * de[j] + de[j] * de[j];
            cu[u]++;
            ci[i]++;
            gbu[u] += e[j];
            gbi[i] += e[j];
            gbuAbs[u] += Math.abs(e[j]);
            gbiAbs[i] += Math.abs(e[j]);
            gbuErr[u] += de[j];
            gbiErr[i] += de[j];
            for (int t = 0; t < k; t++) {
                gp[u * k + t] += e[j] * q0[i * k + t];
                gq[i * k + t] += e[j] * p0[u * k + t];
                gpAbs[u * k + t] += Math.abs(e[j] * q0[i * k + t]);
                gqAbs[i * k + t] += Math.abs(e[j] * p0[u * k + t]);
                gpErr[u * k + t] += de[j] * Math.abs(q0[i * k + t]);
                gqErr[i * k + t] += de[j] * Math.abs(p0[u * k + t]);
            }
        }
        s.lossBound += gamma(n) * s.loss;
        applyMiniBatch(s.p, s.dp, gp, gpAbs, gpErr, cu, k, lr, regF);
        applyMiniBatch(s.q, s.dq, gq, gqAbs, gqErr, ci, k, lr, regF);
        if (biased) {
            applyMiniBatch(s.userBias, s.dbu, gbu, gbuAbs, gbuErr, cu, 1, lr, regB);
            applyMiniBatch(s.itemBias, s.dbi, gbi, gbiAbs, gbiErr, ci, 1, lr, regB);
        }
        return s;
    }

    private static void applyMiniBatch(double[] x, double[] dx, double[] g, double[] gAbs, double[] gErr,
                                       int[] count, int k, float lr, float reg) {
        for (int row = 0; row < count.length; row++) {
            int c = count[row];
            if (c == 0) continue;
            for (int t = 0; t < k; t++) {
                int at = row * k + t;
                double old = x[at];
                x[at] = old + lr * (g[at] - c * (double) reg * old);
                dx[at] = lr * (gErr[at] + gamma(c) * gAbs[at])
                        + gamma(6) * (Math.abs(old) + lr * (gAbs[at] + c * (double) reg * Math.abs(old)));
            }
        }
    }

    /** BPR in list order (docs/KERNELS.md, "bpr"); item bias optional. */
    public static Params bpr(float[] p0, float[] q0, int k, float[] ib0, int[] users, int[] positives,
                             int[] negatives, float lr, float reg, float regB) {
        Params s = new Params(p0, q0, null, ib0);
        boolean biased = ib0 != null;
        for (int n = 0; n < users.length; n++) {
            int pOff = users[n] * k;
            int iOff = positives[n] * k;
            int jOff = negatives[n] * k;
            double x = 0;
            double abs = 0;
            double prop = 0;
            for (int t = 0; t < k; t++) {
                double pt = s.p[pOff + t];
                double qi = s.q[iOff + t];
                double qj = s.q[jOff + t];
                x += pt * (qi - qj);
                abs += Math.abs(pt) * (Math.abs(qi) + Math.abs(qj));
                prop += Math.abs(qi - qj) * s.dp[pOff + t] + (Math.abs(pt) + s.dp[pOff + t]) * (s.dq[iOff + t] + s.dq[jOff + t]);
            }
            double bi = biased ? s.itemBias[positives[n]] : 0;
            double bj = biased ? s.itemBias[negatives[n]] : 0;
            x += bi - bj;
            double dx = prop + (biased ? s.dbi[positives[n]] + s.dbi[negatives[n]] : 0)
                    + gamma(k + 3) * (abs + Math.abs(bi) + Math.abs(bj));
            double g = 1.0 / (1.0 + Math.exp(x));
            // σ is 1-Lipschitz/4 in x; evaluating it in float32 costs a few more roundings.
            double dg = g * (1 - g) * dx + 8 * U * g;
            s.loss += softplus(-x);
            s.lossBound += g * dx + 4 * U * softplus(-x);
            if (biased) {
                int i = positives[n];
                int j = negatives[n];
                s.itemBias[i] = bi + lr * (g - regB * bi);
                s.dbi[i] = s.dbi[i] * (1 + lr * regB) + lr * dg + gamma(5) * (Math.abs(bi) + lr * (g + regB * Math.abs(bi)));
                s.itemBias[j] = bj + lr * (-g - regB * bj);
                s.dbi[j] = s.dbi[j] * (1 + lr * regB) + lr * dg + gamma(5) * (Math.abs(bj) + lr * (g + regB * Math.abs(bj)));
            }
            for (int t = 0; t < k; t++) {
                double pt = s.p[pOff + t];
                double qi = s.q[iOff + t];
                double qj = s.q[jOff + t];
                double dpt = s.dp[pOff + t];
                double dqi = s.dq[iOff + t];
                double dqj = s.dq[jOff + t];
                s.p[pOff + t] = pt + lr * (g * (qi - qj) - reg * pt);
                s.q[iOff + t] = qi + lr * (g * pt - reg * qi);
                s.q[jOff + t] = qj + lr * (-g * pt - reg * qj);
                s.dp[pOff + t] = dpt * (1 + lr * reg) + lr * (dg * (Math.abs(qi - qj) + dqi + dqj) + g * (dqi + dqj))
                        + gamma(6) * (Math.abs(pt) + lr * (g * (Math.abs(qi) + Math.abs(qj)) + reg * Math.abs(pt)));
                s.dq[iOff + t] = dqi * (1 + lr * reg) + lr * (dg * (Math.abs(pt) + dpt) + g * dpt)
                        + gamma(5) * (Math.abs(qi) + lr * (g * Math.abs(pt) + reg * Math.abs(qi)));
                s.dq[jOff + t] = dqj * (1 + lr * reg) + lr * (dg * (Math.abs(pt) + dpt) + g * dpt)
                        + gamma(5) * (Math.abs(qj) + lr * (g * Math.abs(pt) + reg * Math.abs(qj)));
            }
        }
        s.lossBound += gamma(users.length) * s.loss;
        return s;
    }

    /** ln(1 + eᶻ) without overflow. */
    public static double softplus(double z) {
        return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
    }

    // ---------------------------------------------------------------- ALS

    /** YᵀY, k×k row-major. */
    public static Approx gram(float[] y, int n, int k) {
        Approx out = new Approx(k * k);
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                double s = 0;
                double abs = 0;
                for (int r = 0; r < n; r++) {
                    double x = (double) y[r * k + a] * y[r * k + b];
                    s += x;
                    abs += Math.abs(x);
                }
                out.value[a * k + b] = s;
                out.bound[a * k + b] = gamma(n) * abs;
            }
        }
        return out;
    }

    /** One row's normal equations: A (k×k) and b (k), each with its assembly bound. */
    public static final class NormalSystem {
        public final int k;
        public final Approx a;
        public final Approx b;
        /** Entries in the row (m in the bounds). */
        public final int entries;

        NormalSystem(int k, int entries) {
            this.k = k;
            this.entries = entries;
            a = new Approx(k * k);
            b = new Approx(k);
        }
    }

    /** Explicit: A = Σ q qᵀ + λ'I (λ' = λ or λ·m), b = Σ r q over the row's entries in CSR order. */
    public static NormalSystem explicit(int row, int[] rowPtr, int[] cols, float[] vals, float[] y, int k, float lambda,
                                  boolean scaleByCount) {
        int start = rowPtr[row];
        int end = rowPtr[row + 1];
        int m = end - start;
        NormalSystem sys = new NormalSystem(k, m);
        double[] aAbs = new double[k * k];
        double[] bAbs = new double[k];
        for (int e = start; e < end; e++) {
            int off = cols[e] * k;
            for (int s = 0; s < k; s++) {
                double qs = y[off + s];
                for (int t = 0; t < k; t++) {
                    double x = qs * y[off + t];
                    sys.a.value[s * k + t] += x;
                    aAbs[s * k + t] += Math.abs(x);
                }
                sys.b.value[s] += vals[e] * qs;
                bAbs[s] += Math.abs(vals[e] * qs);
            }
        }
        double reg = scaleByCount ? (double) lambda * m : lambda;
        for (int s = 0; s < k; s++) {
            sys.a.value[s * k + s] += reg;
            aAbs[s * k + s] += reg;
        }
        for (int t = 0; t < k * k; t++) sys.a.bound[t] = gamma(m + 1) * aAbs[t];
        for (int s = 0; s < k; s++) sys.b.bound[s] = gamma(m) * bAbs[s];
        return sys;
    }

    /** Implicit (HKV): A = G + Σ αr q qᵀ + λI, b = Σ_{r&gt;0} (1 + αr) q. */
    public static NormalSystem implicit(int row, int[] rowPtr, int[] cols, float[] vals, float[] y, int k, float[] gram,
                                  float alpha, float lambda) {
        int start = rowPtr[row];
        int end = rowPtr[row + 1];
        int m = end - start;
        NormalSystem sys = new NormalSystem(k, m);
        double[] aAbs = new double[k * k];
        double[] aExtra = new double[k * k];
        double[] bAbs = new double[k];
        for (int t = 0; t < k * k; t++) {
            sys.a.value[t] = gram[t];
            aAbs[t] = Math.abs(gram[t]);
        }
        for (int e = start; e < end; e++) {
            int off = cols[e] * k;
            double r = vals[e];
            double w = (double) alpha * r;
            double c = 1 + w;
            for (int s = 0; s < k; s++) {
                double qs = y[off + s];
                for (int t = 0; t < k; t++) {
                    double x = qs * y[off + t];
                    sys.a.value[s * k + t] += w * x;
                    aAbs[s * k + t] += Math.abs(w * x);
                    aExtra[s * k + t] += U * c * Math.abs(x);
                }
                if (r > 0) {
                    sys.b.value[s] += c * qs;
                    bAbs[s] += c * Math.abs(qs);
                }
            }
        }
        for (int s = 0; s < k; s++) {
            sys.a.value[s * k + s] += lambda;
            aAbs[s * k + s] += lambda;
        }
        for (int t = 0; t < k * k; t++) sys.a.bound[t] = gamma(m + 3) * aAbs[t] + aExtra[t];
        for (int s = 0; s < k; s++) sys.b.bound[s] = gamma(m + 2) * bAbs[s];
        return sys;
    }

    /** A system given exactly (no assembly error): for the plain Cholesky kernel. */
    public static NormalSystem exact(float[] a, int aOff, float[] b, int bOff, int k) {
        NormalSystem sys = new NormalSystem(k, 0);
        for (int t = 0; t < k * k; t++) sys.a.value[t] = a[aOff + t];
        for (int s = 0; s < k; s++) sys.b.value[s] = b[bOff + s];
        return sys;
    }

    /** A⁻¹ by float64 Cholesky, or null when A is not positive definite. */
    public static double[] inverse(double[] a, int k) {
        double[] l = new double[k * k];
        for (int j = 0; j < k; j++) {
            double d = a[j * k + j];
            for (int t = 0; t < j; t++) d -= l[j * k + t] * l[j * k + t];
            if (!(d > 0)) return null;
            double ljj = Math.sqrt(d);
            l[j * k + j] = ljj;
            for (int i = j + 1; i < k; i++) {
                double s = a[i * k + j];
                for (int t = 0; t < j; t++) s -= l[i * k + t] * l[j * k + t];
                l[i * k + j] = s / ljj;
            }
        }
        double[] inv = new double[k * k];
        double[] col = new double[k];
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < k; i++) {
                double s = i == c ? 1 : 0;
                for (int t = 0; t < i; t++) s -= l[i * k + t] * col[t];
                col[i] = s / l[i * k + i];
            }
            for (int i = k - 1; i >= 0; i--) {
                double s = col[i];
                for (int t = i + 1; t < k; t++) s -= l[t * k + i] * col[t];
                col[i] = s / l[i * k + i];
            }
            for (int i = 0; i < k; i++) inv[i * k + c] = col[i];
        }
        return inv;
    }

    /**
     * The exact solution of a system and the forward bound for a backend's Cholesky answer
     * {@code xHat}: |x̂ − x| ≤ |A⁻¹|·ρ with ρ_i = Σ_j |E_A|_ij |x̂_j| + |E_b|_i + γ_{3k+1} √a_ii Σ_j √a_jj |x̂_j|.
     */
    public static Approx choleskySolution(NormalSystem sys, float[] xHat, int xOff) {
        int k = sys.k;
        double[] inv = inverse(sys.a.value, k);
        if (inv == null) throw new IllegalArgumentException("the oracle's system is not positive definite");
        Approx out = new Approx(k);
        double[] rho = new double[k];
        double g = gamma(3 * k + 1);
        for (int i = 0; i < k; i++) {
            double sqrtAii = Math.sqrt(sys.a.value[i * k + i] + sys.a.bound[i * k + i]);
            double backward = 0;
            double assembly = sys.b.bound[i];
            for (int j = 0; j < k; j++) {
                double xj = Math.abs(xHat[xOff + j]);
                backward += Math.sqrt(sys.a.value[j * k + j] + sys.a.bound[j * k + j]) * xj;
                assembly += sys.a.bound[i * k + j] * xj;
            }
            rho[i] = assembly + g * sqrtAii * backward;
        }
        for (int i = 0; i < k; i++) {
            double x = 0;
            double bound = 0;
            for (int j = 0; j < k; j++) {
                x += inv[i * k + j] * sys.b.value[j];
                bound += Math.abs(inv[i * k + j]) * rho[j];
            }
            out.value[i] = x;
            out.bound[i] = bound;
        }
        return out;
    }

    /** Squared residual norm below which CG stops (docs/KERNELS.md). */
    public static final double CG_RESIDUAL_FLOOR = 1e-20;

    /**
     * {@code steps} CG steps on the exact system from {@code x0}, with the heuristic bound
     * 4(s + 1)·κ_∞·γ_{2k+m}·(‖x‖_∞ + ‖x_0‖_∞).
     */
    public static Approx conjugateGradient(NormalSystem sys, float[] x0, int x0Off, int steps) {
        int k = sys.k;
        double[] a = sys.a.value;
        double[] x = new double[k];
        double[] r = new double[k];
        double[] p = new double[k];
        double[] ap = new double[k];
        double x0Norm = 0;
        for (int i = 0; i < k; i++) {
            x[i] = x0[x0Off + i];
            x0Norm = Math.max(x0Norm, Math.abs(x[i]));
        }
        for (int i = 0; i < k; i++) {
            double s = sys.b.value[i];
            for (int j = 0; j < k; j++) s -= a[i * k + j] * x[j];
            r[i] = s;
            p[i] = s;
        }
        double rs = 0;
        for (int i = 0; i < k; i++) rs += r[i] * r[i];
        for (int step = 0; step < steps && rs > CG_RESIDUAL_FLOOR; step++) {
            double pAp = 0;
            for (int i = 0; i < k; i++) {
                double s = 0;
                for (int j = 0; j < k; j++) s += a[i * k + j] * p[j];
                ap[i] = s;
                pAp += p[i] * s;
            }
            double alpha = rs / pAp;
            double rsNew = 0;
            for (int i = 0; i < k; i++) {
                x[i] += alpha * p[i];
                r[i] -= alpha * ap[i];
                rsNew += r[i] * r[i];
            }
            double beta = rsNew / rs;
            for (int i = 0; i < k; i++) p[i] = r[i] + beta * p[i];
            rs = rsNew;
        }
        return iterative(sys, x, x0Norm, steps);
    }

    /**
     * The result x of an iterative solve with the heuristic bound 4(steps + 1)·κ_∞(A)·γ_{2k+m}·
     * (‖x‖_∞ + ‖x_0‖_∞) on every element (CG steps, or subspace blocks).
     */
    private static Approx iterative(NormalSystem sys, double[] x, double x0Norm, int steps) {
        int k = sys.k;
        double[] a = sys.a.value;
        double[] inv = inverse(a, k);
        if (inv == null) throw new IllegalArgumentException("the oracle's system is not positive definite");
        double kappa = normInf(a, k) * normInf(inv, k);
        double xNorm = 0;
        for (double v : x) xNorm = Math.max(xNorm, Math.abs(v));
        double bound = 4.0 * (steps + 1) * kappa * gamma(2 * k + sys.entries) * (xNorm + x0Norm);
        Approx out = new Approx(k);
        for (int i = 0; i < k; i++) {
            out.value[i] = x[i];
            out.bound[i] = bound;
        }
        return out;
    }

    /**
     * One subspace sweep (block coordinate descent over the blocks [0, s), [s, 2s), … of
     * docs/KERNELS.md) on the exact system from {@code x0}: for each block in order,
     * x_B += A_BB⁻¹ (b − A x)_B, in float64. The bound is heuristic, of CG's form with one
     * "step" per block: 4(blocks + 1)·κ_∞·γ_{2k+m}·(‖x‖_∞ + ‖x_0‖_∞). With s ≥ k the sweep is
     * one exact solve (see {@link #exactSolution}).
     */
    public static Approx subspace(NormalSystem sys, float[] x0, int x0Off, int blockSize) {
        int k = sys.k;
        double[] a = sys.a.value;
        double[] x = new double[k];
        double x0Norm = 0;
        for (int i = 0; i < k; i++) {
            x[i] = x0[x0Off + i];
            x0Norm = Math.max(x0Norm, Math.abs(x[i]));
        }
        int blocks = 0;
        for (int start = 0; start < k; start += blockSize) {
            int size = Math.min(blockSize, k - start);
            double[] block = new double[size * size];
            double[] residual = new double[size];
            for (int i = 0; i < size; i++) {
                double s = sys.b.value[start + i];
                for (int j = 0; j < k; j++) s -= a[(start + i) * k + j] * x[j];
                residual[i] = s;
                for (int j = 0; j < size; j++) block[i * size + j] = a[(start + i) * k + start + j];
            }
            double[] inv = inverse(block, size);
            if (inv == null) throw new IllegalArgumentException("the oracle's block at " + start + " is not positive definite");
            for (int i = 0; i < size; i++) {
                double d = 0;
                for (int j = 0; j < size; j++) d += inv[i * size + j] * residual[j];
                x[start + i] += d;
            }
            blocks++;
        }
        return iterative(sys, x, x0Norm, blocks);
    }

    /** A⁻¹b in float64 (no bound): what a sweep with one block covering all k coordinates must reach. */
    public static double[] exactSolution(NormalSystem sys) {
        int k = sys.k;
        double[] inv = inverse(sys.a.value, k);
        if (inv == null) throw new IllegalArgumentException("the oracle's system is not positive definite");
        double[] x = new double[k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) x[i] += inv[i * k + j] * sys.b.value[j];
        }
        return x;
    }

    /** The quadratic ½xᵀAx − bᵀx that an ALS row solve minimizes, in float64 at a float32 point. */
    public static double objective(NormalSystem sys, float[] x, int xOff) {
        int k = sys.k;
        double f = 0;
        for (int i = 0; i < k; i++) {
            double ax = 0;
            for (int j = 0; j < k; j++) ax += sys.a.value[i * k + j] * x[xOff + j];
            f += x[xOff + i] * (0.5 * ax - sys.b.value[i]);
        }
        return f;
    }

    /**
     * How much the objective at a point may differ from its value at a point within
     * {@code bound} of it (element-wise): Σ|Ax − b|_i δ_i + ½ Σ|a_ij| δ_i δ_j, with x the
     * centre. Used to compare objectives of results known only within their bounds.
     */
    public static double objectiveSlack(NormalSystem sys, float[] x, int xOff, double[] bound) {
        int k = sys.k;
        double slack = 0;
        for (int i = 0; i < k; i++) {
            double g = -sys.b.value[i];
            double quad = 0;
            for (int j = 0; j < k; j++) {
                g += sys.a.value[i * k + j] * x[xOff + j];
                quad += Math.abs(sys.a.value[i * k + j]) * bound[j];
            }
            slack += Math.abs(g) * bound[i] + 0.5 * quad * bound[i];
        }
        return slack;
    }

    static double normInf(double[] a, int k) {
        double max = 0;
        for (int i = 0; i < k; i++) {
            double s = 0;
            for (int j = 0; j < k; j++) s += Math.abs(a[i * k + j]);
            max = Math.max(max, s);
        }
        return max;
    }

    static double[] widen(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) out[i] = v[i];
        return out;
    }
}
