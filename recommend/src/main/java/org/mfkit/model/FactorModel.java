package org.mfkit.model;

import java.util.LinkedHashMap;
import java.util.Map;
import org.mfkit.core.Check;
import org.mfkit.data.CountWeighting;
import org.mfkit.data.IdMap;
import org.mfkit.model.io.ModelState;

/**
 * A trained factor model on the host: user factors P (numUsers × k), item factors Q
 * (numItems × k), optional biases, the global mean μ, the external id maps, and the settings
 * it was trained with. Prediction is μ + b_u + b_i + p_u·q_i (absent biases count as 0),
 * clipped to the rating range when the model clips. Immutable: accessors return copies.
 *
 * <p>Converts to and from {@link ModelState} so {@code ModelFile} can save and load it; the
 * clipping range travels in the hyper-parameters as {@code clip.min} / {@code clip.max}.
 */
public final class FactorModel {
    /** Hyper-parameter key of the lower clipping bound. */
    public static final String CLIP_MIN = "clip.min";
    /** Hyper-parameter key of the upper clipping bound. */
    public static final String CLIP_MAX = "clip.max";

    private final String type;
    private final int k;
    private final int numUsers;
    private final int numItems;
    private final float globalMean;
    private final float[] userFactors;
    private final float[] itemFactors;
    private final float[] userBias;
    private final float[] itemBias;
    private final IdMap userIds;
    private final IdMap itemIds;
    private final Map<String, String> hyperParameters;
    private final float clipMin;
    private final float clipMax;
    private final CountWeighting.Statistics countStatistics;

    /**
     * Builds a model from host arrays (copied). {@code userBias}/{@code itemBias} may be null;
     * {@code clipMin}/{@code clipMax} are both NaN (no clipping) or a range with min &lt; max.
     */
    public FactorModel(String type, int k, int numUsers, int numItems, float globalMean,
                       float[] userFactors, float[] itemFactors, float[] userBias, float[] itemBias,
                       IdMap userIds, IdMap itemIds, Map<String, String> hyperParameters,
                       float clipMin, float clipMax) {
        this(type, k, numUsers, numItems, globalMean, userFactors, itemFactors, userBias, itemBias, userIds, itemIds,
                hyperParameters, clipMin, clipMax, null);
    }

    private FactorModel(String type, int k, int numUsers, int numItems, float globalMean,
                        float[] userFactors, float[] itemFactors, float[] userBias, float[] itemBias,
                        IdMap userIds, IdMap itemIds, Map<String, String> hyperParameters,
                        float clipMin, float clipMax, CountWeighting.Statistics countStatistics) {
        Check.notNull("hyperParameters", hyperParameters);
        if (Float.isNaN(clipMin) != Float.isNaN(clipMax)) {
            throw new IllegalArgumentException("clipMin = " + clipMin + " and clipMax = " + clipMax + " must both be NaN or both set");
        }
        if (!Float.isNaN(clipMin) && !(clipMin < clipMax)) {
            throw new IllegalArgumentException("clipMin = " + clipMin + " must be < clipMax = " + clipMax);
        }
        Map<String, String> hp = new LinkedHashMap<>(hyperParameters);
        if (!Float.isNaN(clipMin)) {
            hp.put(CLIP_MIN, Float.toString(clipMin));
            hp.put(CLIP_MAX, Float.toString(clipMax));
        } else {
            hp.remove(CLIP_MIN);
            hp.remove(CLIP_MAX);
        }
        // ModelState validates shapes, values and maps; building it here gives one set of checks.
        ModelState checked = new ModelState(type, k, numUsers, numItems, globalMean, hp,
                userFactors.clone(), itemFactors.clone(), userBias == null ? null : userBias.clone(),
                itemBias == null ? null : itemBias.clone(), userIds, itemIds, countStatistics);
        Check.allFinite("userFactors", checked.userFactors());
        Check.allFinite("itemFactors", checked.itemFactors());
        if (checked.userBias() != null) Check.allFinite("userBias", checked.userBias());
        if (checked.itemBias() != null) Check.allFinite("itemBias", checked.itemBias());
        this.type = type;
        this.k = k;
        this.numUsers = numUsers;
        this.numItems = numItems;
        this.globalMean = globalMean;
        this.userFactors = checked.userFactors();
        this.itemFactors = checked.itemFactors();
        this.userBias = checked.userBias();
        this.itemBias = checked.itemBias();
        this.userIds = userIds;
        this.itemIds = itemIds;
        this.hyperParameters = checked.hyperParameters();
        this.clipMin = clipMin;
        this.clipMax = clipMax;
        this.countStatistics = countStatistics;
    }

    /** Rebuilds a model from a loaded {@link ModelState}. */
    public static FactorModel fromState(ModelState state) {
        Check.notNull("state", state);
        String min = state.hyperParameters().get(CLIP_MIN);
        String max = state.hyperParameters().get(CLIP_MAX);
        float clipMin = Float.NaN;
        float clipMax = Float.NaN;
        if (min != null && max != null) {
            try {
                clipMin = Float.parseFloat(min);
                clipMax = Float.parseFloat(max);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("state has a malformed clipping range [" + min + ", " + max + "]", e);
            }
        }
        return new FactorModel(state.type(), state.k(), state.numUsers(), state.numItems(), state.globalMean(),
                state.userFactors(), state.itemFactors(), state.userBias(), state.itemBias(), state.userIds(),
                state.itemIds(), state.hyperParameters(), clipMin, clipMax, state.countStatistics());
    }

    /** The state to save with {@code ModelFile.save}; arrays are copies. */
    public ModelState toState() {
        return new ModelState(type, k, numUsers, numItems, globalMean, hyperParameters, userFactors.clone(),
                itemFactors.clone(), userBias == null ? null : userBias.clone(),
                itemBias == null ? null : itemBias.clone(), userIds, itemIds, countStatistics);
    }

    /** Model type, e.g. {@code "biased-mf"}. */
    public String type() { return type; }

    /** Factor dimension. */
    public int k() { return k; }

    /** Number of users. */
    public int numUsers() { return numUsers; }

    /** Number of items. */
    public int numItems() { return numItems; }

    /** μ (0 for implicit models). */
    public float globalMean() { return globalMean; }

    /** A copy of P, row-major numUsers × k. */
    public float[] userFactors() { return userFactors.clone(); }

    /** A copy of Q, row-major numItems × k. */
    public float[] itemFactors() { return itemFactors.clone(); }

    /** A copy of the user biases, or null. */
    public float[] userBias() { return userBias == null ? null : userBias.clone(); }

    /** A copy of the item biases, or null. */
    public float[] itemBias() { return itemBias == null ? null : itemBias.clone(); }

    /** Whether the model has user biases. */
    public boolean hasUserBias() { return userBias != null; }

    /** Whether the model has item biases. */
    public boolean hasItemBias() { return itemBias != null; }

    /** External user ids, or null. */
    public IdMap userIds() { return userIds; }

    /** External item ids, or null. */
    public IdMap itemIds() { return itemIds; }

    /** The settings the model was trained with (read-only). */
    public Map<String, String> hyperParameters() { return hyperParameters; }

    /** Whether predictions are clipped. */
    public boolean clips() { return !Float.isNaN(clipMin); }

    /** Lower clipping bound, NaN when the model does not clip. */
    public float clipMin() { return clipMin; }

    /** Upper clipping bound, NaN when the model does not clip. */
    public float clipMax() { return clipMax; }

    /**
     * What the model's count weighting needs of its training interactions to weigh a folded-in
     * user or item as training did (BM25), or null when it needs nothing.
     */
    public CountWeighting.Statistics countStatistics() { return countStatistics; }

    /** A model identical to this one except for its count statistics (null removes them). */
    public FactorModel withCountStatistics(CountWeighting.Statistics statistics) {
        return new FactorModel(type, k, numUsers, numItems, globalMean, userFactors, itemFactors, userBias, itemBias,
                userIds, itemIds, hyperParameters, clipMin, clipMax, statistics);
    }

    /** User {@code u}'s bias (0 without user biases). */
    public float userBias(int u) {
        checkUser(u);
        return userBias == null ? 0f : userBias[u];
    }

    /** Item {@code i}'s bias (0 without item biases). */
    public float itemBias(int i) {
        checkItem(i);
        return itemBias == null ? 0f : itemBias[i];
    }

    /**
     * The prediction for one (user, item) pair, for single look-ups; batches go through the
     * backend's predict kernel ({@link Recommender#predict}).
     */
    public float predict(int user, int item) {
        checkUser(user);
        checkItem(item);
        double dot = 0;
        for (int c = 0; c < k; c++) dot += (double) userFactors[user * k + c] * itemFactors[item * k + c];
        return clip((float) (globalMean + userBias(user) + itemBias(item) + dot));
    }

    /** {@code value} clipped to the model's range (unchanged when the model does not clip). */
    public float clip(float value) {
        if (Float.isNaN(clipMin)) return value;
        return Math.max(clipMin, Math.min(clipMax, value));
    }

    /** A model identical to this one except for its id maps (both may be null). */
    public FactorModel withIdMaps(IdMap userIds, IdMap itemIds) {
        return new FactorModel(type, k, numUsers, numItems, globalMean, userFactors, itemFactors, userBias, itemBias,
                userIds, itemIds, hyperParameters, clipMin, clipMax, countStatistics);
    }

    void checkUser(int u) {
        if (u < 0 || u >= numUsers) throw new IllegalArgumentException("user = " + u + " is out of range [0, " + numUsers + ")");
    }

    void checkItem(int i) {
        if (i < 0 || i >= numItems) throw new IllegalArgumentException("item = " + i + " is out of range [0, " + numItems + ")");
    }

    /** Package access to P without copying (callers never write it). */
    float[] userFactorsView() { return userFactors; }

    /** Package access to Q without copying (callers never write it). */
    float[] itemFactorsView() { return itemFactors; }

    /** Package access to the item biases without copying, or null. */
    float[] itemBiasView() { return itemBias; }

    /** Package access to the user biases without copying, or null. */
    float[] userBiasView() { return userBias; }

    @Override
    public String toString() {
        return "FactorModel[" + type + ", k=" + k + ", " + numUsers + " users, " + numItems + " items]";
    }
}
