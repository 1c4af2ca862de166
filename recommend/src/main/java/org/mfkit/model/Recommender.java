package org.mfkit.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.mfkit.core.Check;
import org.mfkit.core.CsrMatrix;
import org.mfkit.core.DenseMatrix;
import org.mfkit.core.ExplicitAlsParams;
import org.mfkit.core.ImplicitAlsParams;
import org.mfkit.core.IndexArray;
import org.mfkit.core.Interactions;
import org.mfkit.core.Kernels;
import org.mfkit.core.Solver;
import org.mfkit.data.CountWeighting;
import org.mfkit.data.HostCsr;
import org.mfkit.data.Ratings;

/**
 * Serves a trained {@link FactorModel} from a backend: top-K recommendations for one user or
 * a batch (through the {@code topK} kernel), batch predictions, similar items and similar
 * users by cosine, and fold-in of a new or changed user by one ALS solve against the item
 * factors. Uploads the factors once; close it to free them.
 *
 * <p>Scores: recommendations carry μ + b_u + b_i + p_u·q_i (absent terms are 0; not clipped,
 * so ties stay ordered), similarity lists carry the cosine. Lists are ordered by descending
 * score, ties by lower index, and hold exactly {@code k} entries when at least {@code k}
 * candidates remain after the filters, otherwise all remaining candidates.
 *
 * <p>Not thread-safe: it lazily uploads derived matrices, and a backend runs one kernel call at
 * a time. Use one recommender per thread, each with its own {@link Kernels}.
 */
public final class Recommender implements AutoCloseable {
    /** Query rows per top-K kernel call in batch recommendation. */
    private static final int BATCH = 512;

    private final Kernels kernels;
    private final FactorModel model;
    private final HostCsr seen;
    private final DenseMatrix p;
    private final DenseMatrix q;
    private final DenseMatrix itemBias;
    private DenseMatrix userBiasMatrix;
    private DenseMatrix itemBiasMatrix;
    private DenseMatrix normalizedP;
    private DenseMatrix normalizedQ;
    private DenseMatrix gramQ;
    private DenseMatrix gramP;
    private DenseMatrix userBiasOnly;
    private FoldInMethod foldInMethod;

    /**
     * @param kernels the backend (borrowed, not closed)
     * @param model   the model to serve
     * @param seen    the training interactions to exclude by default, or null for none; same id space as the model
     */
    public Recommender(Kernels kernels, FactorModel model, Ratings seen) {
        this.kernels = Check.notNull("kernels", kernels);
        this.model = Check.notNull("model", model);
        if (seen != null && (seen.numUsers() != model.numUsers() || seen.numItems() != model.numItems())) {
            throw new IllegalArgumentException("seen has " + seen.numUsers() + " users × " + seen.numItems()
                    + " items but the model has " + model.numUsers() + " × " + model.numItems());
        }
        this.seen = seen == null ? null : seen.byUser();
        this.p = kernels.matrix(model.numUsers(), model.k(), model.userFactorsView());
        this.q = kernels.matrix(model.numItems(), model.k(), model.itemFactorsView());
        this.itemBias = model.hasItemBias() ? kernels.vector(model.itemBiasView()) : null;
    }

    /** The served model. */
    public FactorModel model() {
        return model;
    }

    /** Top-{@code k} for {@code user}, training items excluded. */
    public List<ScoredItem> recommend(int user, int k) {
        return recommend(user, k, RecommendOptions.defaults());
    }

    /** Top-{@code k} for {@code user} under {@code options}. */
    public List<ScoredItem> recommend(int user, int k, RecommendOptions options) {
        return recommend(new int[] {user}, k, options).get(0);
    }

    /** Top-{@code k} for each of {@code users}, in the same order. */
    public List<List<ScoredItem>> recommend(int[] users, int k, RecommendOptions options) {
        Check.notNull("users", users);
        Check.positive("k", k);
        Check.notNull("options", options);
        for (int j = 0; j < users.length; j++) {
            if (users[j] < 0 || users[j] >= model.numUsers()) {
                throw new IllegalArgumentException("users[" + j + "] = " + users[j] + " is out of range [0, "
                        + model.numUsers() + ")");
            }
        }
        boolean[] allowed = allowedMask(options);
        List<List<ScoredItem>> out = new ArrayList<>(users.length);
        int numItems = model.numItems();
        if (numItems == 0) {
            for (int j = 0; j < users.length; j++) out.add(List.of());
            return out;
        }
        int kk = Math.min(k, numItems);
        for (int from = 0; from < users.length; from += BATCH) {
            int count = Math.min(BATCH, users.length - from);
            int[] rows = Arrays.copyOfRange(users, from, from + count);
            int[][] excluded = new int[count][];
            for (int r = 0; r < count; r++) {
                excluded[r] = excludedItems(seenItems(rows[r], options), allowed);
            }
            int[] items = new int[count * kk];
            float[] scores = new float[count * kk];
            try (IndexArray rowIds = kernels.indices("users", rows);
                 CsrMatrix exclude = csr(excluded, numItems)) {
                kernels.topK(p, rowIds, q, itemBias, exclude, kk, items, scores);
            }
            for (int r = 0; r < count; r++) {
                int u = rows[r];
                out.add(toList(items, scores, r * kk, kk, model.globalMean() + model.userBias(u)));
            }
        }
        return out;
    }

    /** Predictions for (users[j], items[j]) through the backend's predict kernel, clipped like the model. */
    public float[] predict(int[] users, int[] items) {
        Check.notNull("users", users);
        Check.notNull("items", items);
        Check.sameLength("users", users.length, "items", items.length);
        for (int j = 0; j < users.length; j++) {
            if (users[j] < 0 || users[j] >= model.numUsers()) {
                throw new IllegalArgumentException("users[" + j + "] = " + users[j] + " is out of range [0, " + model.numUsers() + ")");
            }
            if (items[j] < 0 || items[j] >= model.numItems()) {
                throw new IllegalArgumentException("items[" + j + "] = " + items[j] + " is out of range [0, " + model.numItems() + ")");
            }
        }
        if (users.length == 0) return new float[0];
        if (userBiasMatrix == null) {
            userBiasMatrix = model.hasUserBias() ? kernels.vector(model.userBiasView()) : kernels.matrix(model.numUsers(), 1);
            itemBiasMatrix = model.hasItemBias() ? kernels.vector(model.itemBiasView()) : kernels.matrix(model.numItems(), 1);
        }
        float[] result = new float[users.length];
        try (Interactions pairs = kernels.pairs(users, items);
             DenseMatrix out = kernels.matrix(users.length, 1)) {
            kernels.predict(model.globalMean(), userBiasMatrix, itemBiasMatrix, p, q, pairs, out);
            out.downloadRows(0, result, 0, result.length);
        }
        for (int j = 0; j < result.length; j++) result[j] = model.clip(result[j]);
        return result;
    }

    /**
     * The {@code k} items most similar to {@code item} by cosine of their factor rows, the item
     * itself excluded. Items with all-zero factors have cosine 0 to everything.
     */
    public List<ScoredItem> similarItems(int item, int k) {
        return similarItems(item, k, RecommendOptions.defaults());
    }

    /**
     * The {@code k} items most similar to {@code item} by cosine, the item itself excluded, among
     * the items {@code options} allows ({@link RecommendOptions#withAllow}, {@link
     * RecommendOptions#withDeny}; whether seen items are excluded does not apply: there is no user).
     */
    public List<ScoredItem> similarItems(int item, int k, RecommendOptions options) {
        model.checkItem(item);
        Check.positive("k", k);
        Check.notNull("options", options);
        int[] excluded = excludedItems(new int[] {item}, allowedMask(options));
        if (normalizedQ == null) normalizedQ = normalized(q);
        return similar(normalizedQ, item, excluded, k);
    }

    /**
     * The {@code k} items most similar by cosine to an item folded in with {@link #foldInItem},
     * among the items {@code options} allows.
     */
    public List<ScoredItem> similarItems(FoldIn item, int k, RecommendOptions options) {
        Check.notNull("item", item);
        Check.positive("k", k);
        Check.notNull("options", options);
        float[] row = checkedRow(item);
        double norm = 0;
        for (float v : row) norm += (double) v * v;
        float scale = norm > 0 ? (float) (1.0 / Math.sqrt(norm)) : 0f;
        for (int c = 0; c < row.length; c++) row[c] *= scale;
        int[] excluded = excludedItems(new int[0], allowedMask(options));
        if (normalizedQ == null) normalizedQ = normalized(q);
        int kk = Math.min(k, model.numItems());
        if (kk == 0) return List.of();
        int[] items = new int[kk];
        float[] scores = new float[kk];
        try (DenseMatrix one = kernels.matrix(1, model.k(), row);
             IndexArray rows = kernels.indices("rows", new int[] {0});
             CsrMatrix exclude = csr(new int[][] {excluded}, model.numItems())) {
            kernels.topK(one, rows, normalizedQ, null, exclude, kk, items, scores);
        }
        return toList(items, scores, 0, kk, 0f);
    }

    /**
     * The {@code k} users with the highest scores μ + b_u + b_i + p_u·q_i for an item folded in
     * with {@link #foldInItem} (absent terms 0): whom to show a new item first.
     */
    public List<ScoredItem> topUsers(FoldIn item, int k) {
        Check.notNull("item", item);
        Check.positive("k", k);
        float[] row = checkedRow(item);
        int kk = Math.min(k, model.numUsers());
        if (kk == 0) return List.of();
        int[] users = new int[kk];
        float[] scores = new float[kk];
        if (userBiasOnly == null && model.hasUserBias()) userBiasOnly = kernels.vector(model.userBiasView());
        try (DenseMatrix one = kernels.matrix(1, model.k(), row);
             IndexArray rows = kernels.indices("rows", new int[] {0});
             CsrMatrix exclude = csr(new int[][] {{}}, model.numUsers())) {
            kernels.topK(one, rows, p, userBiasOnly, exclude, kk, users, scores);
        }
        return toList(users, scores, 0, kk, model.globalMean() + item.bias());
    }

    private float[] checkedRow(FoldIn row) {
        float[] factors = row.factors();
        if (factors.length != model.k()) {
            throw new IllegalArgumentException("the folded-in row has " + factors.length + " factors, the model has k = " + model.k());
        }
        return factors;
    }

    /** The {@code k} users most similar to {@code user} by cosine, the user excluded. */
    public List<ScoredItem> similarUsers(int user, int k) {
        model.checkUser(user);
        Check.positive("k", k);
        if (normalizedP == null) normalizedP = normalized(p);
        return similar(normalizedP, user, new int[] {user}, k);
    }

    /**
     * Represents a user from their interactions without retraining: one ALS solve against the
     * item factors, as the model type's {@link FoldInMethod} says with the settings the model
     * recorded. Built in: explicit ALS solves against r − μ with the model's λ; biased MF first
     * sets b_u to the shrunk mean residual Σ(r − μ − b_i) / (n·(1 + λ_b)), then solves against
     * r − μ − b_i − b_u with λ_f·n; implicit ALS and BPR solve the HKV system with the model's
     * α and λ (BPR, which has none, uses {@link Bpr#FOLD_IN_ALPHA} and {@link Bpr#FOLD_IN_LAMBDA}),
     * the values weighted by the model's count weighting as in training. Duplicated items: the last wins for explicit
     * models, values add for implicit ones. {@code values} may be null for implicit models
     * (all 1). No items gives zero factors.
     */
    public FoldIn foldIn(int[] items, float[] values) {
        Check.notNull("items", items);
        return foldInRow(false, items, values);
    }

    /**
     * Represents a new (or changed) item from the users who interacted with it, without
     * retraining: the mirror of {@link #foldIn}, one ALS solve against the user factors with
     * the model type's {@link FoldInMethod}. Biased MF first sets b_i to the shrunk mean
     * residual Σ(r − μ − b_u) / (n·(1 + λ_b)); implicit models weigh the values as in training
     * (BM25 with the new item's own value sum as its length); BPR's item bias is left at 0,
     * the prior of its regularization. {@code values} may be null for implicit models (all 1).
     * No users gives zero factors. The result ranks against users with
     * {@link #topUsers} and against items with {@link #similarItems(FoldIn, int, RecommendOptions)}.
     */
    public FoldIn foldInItem(int[] users, float[] values) {
        Check.notNull("users", users);
        return foldInRow(true, users, values);
    }

    /**
     * One row of the side being folded in ({@code itemSide}: an item against P, else a user
     * against Q) from its interactions with rows {@code others} of the other side.
     */
    private FoldIn foldInRow(boolean itemSide, int[] others, float[] values) {
        String name = itemSide ? "users" : "items";
        int otherCount = itemSide ? model.numUsers() : model.numItems();
        FoldInMethod method = foldInMethod();
        boolean implicit = method.implicit();
        if (values == null) {
            if (!implicit) {
                throw new IllegalArgumentException("values must be given to fold in " + (itemSide ? "an item" : "a user")
                        + " of an explicit model");
            }
            values = new float[others.length];
            Arrays.fill(values, 1f);
        }
        Check.sameLength(name, others.length, "values", values.length);
        int k = model.k();
        if (others.length == 0) return new FoldIn(new float[k], 0f);
        for (int j = 0; j < others.length; j++) {
            if (others[j] < 0 || others[j] >= otherCount) {
                throw new IllegalArgumentException(name + "[" + j + "] = " + others[j] + " is out of range [0, " + otherCount + ")");
            }
        }
        Ratings one = new Ratings(1, otherCount, new int[others.length], others, values);
        TrainingData data = implicit ? TrainingData.implicit(one) : TrainingData.explicit(one, TrainOptions.defaults());
        int n = data.size();
        if (method instanceof FoldInMethod.JointBiasSolve) {
            FoldInMethod.JointBiasSolve joint = (FoldInMethod.JointBiasSolve) method;
            if (model.hasUserBias() && model.hasItemBias()) return foldInJoint(itemSide, data, joint);
            // An als model file written before explicit ALS learned biases: its own solve.
            method = FoldInMethod.ExplicitSolve.withoutBias(joint.lambda(), joint.scaleByCount());
        }
        float bias = 0f;
        float[] target = data.values.clone();
        if (method instanceof FoldInMethod.ExplicitSolve) {
            FoldInMethod.ExplicitSolve explicit = (FoldInMethod.ExplicitSolve) method;
            double mu = model.globalMean();
            if (explicit.userBias()) {
                double residual = 0;
                for (int j = 0; j < n; j++) residual += target[j] - mu - otherBias(itemSide, data.items[j]);
                bias = (float) (residual / (n * (1.0 + explicit.biasReg())));
            }
            for (int j = 0; j < n; j++) target[j] = (float) (target[j] - mu - otherBias(itemSide, data.items[j]) - bias);
        } else if (method instanceof FoldInMethod.ImplicitSolve) {
            CountWeighting weighting = ((FoldInMethod.ImplicitSolve) method).weighting();
            CountWeighting.Statistics statistics = model.countStatistics();
            if (weighting.needsStatistics() && statistics == null) {
                throw new IllegalStateException("the model was trained with " + weighting + " weighting but records no "
                        + "count statistics, so a folded-in row cannot be weighed as training was");
            }
            target = itemSide ? weighting.foldInItem(statistics, data.items, target)
                    : weighting.foldInUser(statistics, data.items, target);
        }
        DenseMatrix fixed = itemSide ? p : q;
        float[] x = new float[k];
        try (CsrMatrix row = kernels.csr(1, otherCount, new int[] {0, n}, data.items, target);
             IndexArray rows = kernels.indices("rows", new int[] {0});
             DenseMatrix xm = kernels.matrix(1, k)) {
            if (method instanceof FoldInMethod.ImplicitSolve) {
                FoldInMethod.ImplicitSolve hkv = (FoldInMethod.ImplicitSolve) method;
                kernels.solveImplicit(xm, rows, row, fixed, gram(itemSide), new ImplicitAlsParams(hkv.alpha(), hkv.lambda()),
                        Solver.cholesky());
            } else {
                FoldInMethod.ExplicitSolve explicit = (FoldInMethod.ExplicitSolve) method;
                kernels.solveExplicit(xm, rows, row, fixed, new ExplicitAlsParams(explicit.lambda(), explicit.scaleByCount()),
                        Solver.cholesky());
            }
            xm.downloadRows(0, x, 0, 1);
        }
        return new FoldIn(x, bias);
    }

    /** The bias of row {@code r} of the fixed side: b_u when folding in an item, else b_i. */
    private float otherBias(boolean itemSide, int r) {
        return itemSide ? model.userBias(r) : model.itemBias(r);
    }

    /** YᵀY of the fixed side (PᵀP when folding in an item, else QᵀQ), computed once per recommender. */
    private DenseMatrix gram(boolean itemSide) {
        if (itemSide) {
            if (gramP == null) {
                gramP = kernels.matrix(model.k(), model.k());
                kernels.gram(p, gramP);
            }
            return gramP;
        }
        if (gramQ == null) {
            gramQ = kernels.matrix(model.k(), model.k());
            kernels.gram(q, gramQ);
        }
        return gramQ;
    }

    /** The model type's fold-in with the model's recorded settings; an unknown type is an error naming it. */
    private FoldInMethod foldInMethod() {
        if (foldInMethod == null) foldInMethod = Models.type(model.type()).foldIn(model.hyperParameters());
        return foldInMethod;
    }

    /**
     * Fold-in for biased explicit ALS: [x, b] solved jointly against the fixed side's rows
     * [y, c] and r − μ − c, as in training (a user against the items' [q_i, b_i], an item
     * against the users' [p_u, b_u]).
     */
    private FoldIn foldInJoint(boolean itemSide, TrainingData data, FoldInMethod.JointBiasSolve joint) {
        int k = model.k();
        int[] others = data.items;
        int n = data.size();
        // The row's own partners only, as a 1 × n problem: the fixed rows are their [y, c].
        float[] fixed = new float[n * (k + 1)];
        float[] y = itemSide ? model.userFactorsView() : model.itemFactorsView();
        for (int j = 0; j < n; j++) {
            System.arraycopy(y, others[j] * k, fixed, j * (k + 1), k);
            fixed[j * (k + 1) + k] = otherBias(itemSide, others[j]);
        }
        HostCsr row = new HostCsr(1, n, new int[] {0, n}, Indices.range(n), data.values);
        float[] target = new float[k + 1];
        BiasedAlsSolve.solve(kernels, row, model.globalMean(), fixed, target, k,
                new ExplicitAlsParams(joint.lambda(), joint.scaleByCount()), Solver.cholesky());
        return new FoldIn(Arrays.copyOf(target, k), target[k]);
    }

    /**
     * Top-{@code k} for a folded-in user; {@code seenItems} (may be null) are excluded when
     * {@code options.excludeSeen()}.
     */
    public List<ScoredItem> recommend(FoldIn user, int[] seenItems, int k, RecommendOptions options) {
        Check.notNull("user", user);
        Check.positive("k", k);
        Check.notNull("options", options);
        if (user.factors().length != model.k()) {
            throw new IllegalArgumentException("user has " + user.factors().length + " factors, the model has k = " + model.k());
        }
        if (model.numItems() == 0) return List.of();
        int[] own = options.excludeSeen() && seenItems != null ? seenItems.clone() : new int[0];
        for (int j = 0; j < own.length; j++) model.checkItem(own[j]);
        int[] excluded = excludedItems(own, allowedMask(options));
        int kk = Math.min(k, model.numItems());
        int[] items = new int[kk];
        float[] scores = new float[kk];
        try (DenseMatrix one = kernels.matrix(1, model.k(), user.factors());
             IndexArray rows = kernels.indices("rows", new int[] {0});
             CsrMatrix exclude = csr(new int[][] {excluded}, model.numItems())) {
            kernels.topK(one, rows, q, itemBias, exclude, kk, items, scores);
        }
        return toList(items, scores, 0, kk, model.globalMean() + user.bias());
    }

    @Override
    public void close() {
        p.close();
        q.close();
        if (itemBias != null) itemBias.close();
        if (userBiasMatrix != null) userBiasMatrix.close();
        if (itemBiasMatrix != null) itemBiasMatrix.close();
        if (normalizedP != null) normalizedP.close();
        if (normalizedQ != null) normalizedQ.close();
        if (gramQ != null) gramQ.close();
        if (gramP != null) gramP.close();
        if (userBiasOnly != null) userBiasOnly.close();
    }

    private List<ScoredItem> similar(DenseMatrix normalized, int row, int[] excluded, int k) {
        int candidates = normalized.rows() - excluded.length;
        if (candidates <= 0) return List.of();
        int kk = Math.min(k, candidates);
        int[] items = new int[kk];
        float[] scores = new float[kk];
        try (IndexArray rows = kernels.indices("rows", new int[] {row});
             CsrMatrix exclude = csr(new int[][] {excluded}, normalized.rows())) {
            kernels.topK(normalized, rows, normalized, null, exclude, kk, items, scores);
        }
        return toList(items, scores, 0, kk, 0f);
    }

    /** Rows scaled to unit length; squared norms come from the dot kernel on (r, r) pairs. */
    private DenseMatrix normalized(DenseMatrix m) {
        int rows = m.rows();
        int k = m.cols();
        int[] ids = Indices.range(rows);
        float[] norms = new float[rows];
        if (rows > 0) {
            try (Interactions self = kernels.pairs(ids, ids);
                 DenseMatrix out = kernels.matrix(rows, 1)) {
                kernels.dot(m, m, self, out);
                out.downloadRows(0, norms, 0, rows);
            }
        }
        float[] values = m.toArray();
        for (int r = 0; r < rows; r++) {
            float scale = norms[r] > 0f ? (float) (1.0 / Math.sqrt(norms[r])) : 0f;
            for (int c = 0; c < k; c++) values[r * k + c] *= scale;
        }
        return kernels.matrix(rows, k, values);
    }

    private int[] seenItems(int user, RecommendOptions options) {
        if (!options.excludeSeen() || seen == null) return new int[0];
        return Arrays.copyOfRange(seen.colIdx(), seen.rowPtr()[user], seen.rowPtr()[user + 1]);
    }

    /** Null when every item is allowed, else the mask of allowed items (deny applied). */
    private boolean[] allowedMask(RecommendOptions options) {
        int[] allow = options.allow();
        int[] deny = options.deny();
        if (allow == null && deny == null) return null;
        boolean[] mask = new boolean[model.numItems()];
        if (allow == null) Arrays.fill(mask, true);
        else {
            for (int j = 0; j < allow.length; j++) {
                checkId("allow", j, allow[j]);
                mask[allow[j]] = true;
            }
        }
        if (deny != null) {
            for (int j = 0; j < deny.length; j++) {
                checkId("deny", j, deny[j]);
                mask[deny[j]] = false;
            }
        }
        return mask;
    }

    private void checkId(String name, int j, int id) {
        if (id < 0 || id >= model.numItems()) {
            throw new IllegalArgumentException(name + "[" + j + "] = " + id + " is out of range [0, " + model.numItems() + ")");
        }
    }

    /** The union of the user's own exclusions and the items the mask bars, sorted and distinct. */
    private int[] excludedItems(int[] own, boolean[] allowed) {
        if (allowed == null) return own;
        int[] out = new int[model.numItems()];
        int n = 0;
        boolean[] barred = new boolean[model.numItems()];
        for (int i : own) barred[i] = true;
        for (int i = 0; i < allowed.length; i++) if (!allowed[i] || barred[i]) out[n++] = i;
        return Arrays.copyOf(out, n);
    }

    private CsrMatrix csr(int[][] rows, int numItems) {
        int[] rowPtr = new int[rows.length + 1];
        for (int r = 0; r < rows.length; r++) rowPtr[r + 1] = rowPtr[r] + rows[r].length;
        int[] colIdx = new int[rowPtr[rows.length]];
        for (int r = 0; r < rows.length; r++) System.arraycopy(rows[r], 0, colIdx, rowPtr[r], rows[r].length);
        return kernels.csr(rows.length, numItems, rowPtr, colIdx, new float[colIdx.length]);
    }

    private static List<ScoredItem> toList(int[] items, float[] scores, int from, int k, float offset) {
        List<ScoredItem> list = new ArrayList<>(k);
        for (int j = from; j < from + k; j++) {
            if (items[j] < 0) break;
            list.add(new ScoredItem(items[j], scores[j] + offset));
        }
        return List.copyOf(list);
    }
}
