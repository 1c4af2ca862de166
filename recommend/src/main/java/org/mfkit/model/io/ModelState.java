package org.mfkit.model.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.mfkit.core.Check;
import org.mfkit.data.CountWeighting;
import org.mfkit.data.IdMap;

/**
 * Everything a model file holds, as plain host arrays: what {@link ModelFile} writes and
 * reads back. Arrays are not copied; the caller hands them over.
 *
 * @param type            model type, e.g. {@code "biased-mf"}, {@code "als"}, {@code "implicit-als"}, {@code "bpr"}
 * @param k               factor dimension, &ge; 1
 * @param numUsers        users (rows of the user factors)
 * @param numItems        items (rows of the item factors)
 * @param globalMean      μ added to predictions (0 for models without one)
 * @param hyperParameters named settings the model was trained with (and training facts such as
 *                        the seed or the backend), in insertion order
 * @param userFactors     numUsers × k, row-major
 * @param itemFactors     numItems × k, row-major
 * @param userBias        numUsers biases, or null
 * @param itemBias        numItems biases, or null
 * @param userIds         external user ids, or null
 * @param itemIds         external item ids, or null
 * @param countStatistics what the model's count weighting (BM25) needs of its training
 *                        interactions to weigh a folded-in user or item as training did, or null
 */
public record ModelState(String type, int k, int numUsers, int numItems, float globalMean,
                         Map<String, String> hyperParameters, float[] userFactors, float[] itemFactors,
                         float[] userBias, float[] itemBias, IdMap userIds, IdMap itemIds,
                         CountWeighting.Statistics countStatistics) {
    /** Validates shapes and values. */
    public ModelState {
        Check.notNull("type", type);
        if (type.isBlank()) throw new IllegalArgumentException("type must not be blank");
        Check.positive("k", k);
        Check.nonNegative("numUsers", numUsers);
        Check.nonNegative("numItems", numItems);
        Check.finite("globalMean", globalMean);
        Check.notNull("hyperParameters", hyperParameters);
        Check.notNull("userFactors", userFactors);
        Check.notNull("itemFactors", itemFactors);
        Check.sameLength("userFactors", userFactors.length, "numUsers × k", Math.multiplyExact(numUsers, k));
        Check.sameLength("itemFactors", itemFactors.length, "numItems × k", Math.multiplyExact(numItems, k));
        if (userBias != null) Check.sameLength("userBias", userBias.length, "numUsers", numUsers);
        if (itemBias != null) Check.sameLength("itemBias", itemBias.length, "numItems", numItems);
        if (userIds != null) Check.sameLength("userIds", userIds.size(), "numUsers", numUsers);
        if (itemIds != null) Check.sameLength("itemIds", itemIds.size(), "numItems", numItems);
        if (countStatistics != null) {
            Check.sameLength("countStatistics.userCounts", countStatistics.numUsers(), "numUsers", numUsers);
            Check.sameLength("countStatistics.itemSums", countStatistics.numItems(), "numItems", numItems);
        }
        for (Map.Entry<String, String> e : hyperParameters.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException("hyperParameters must not hold null keys or values");
            }
        }
        hyperParameters = Collections.unmodifiableMap(new LinkedHashMap<>(hyperParameters));
    }

    /** A state without count statistics (every model type except those trained with BM25 weighting). */
    public ModelState(String type, int k, int numUsers, int numItems, float globalMean,
                      Map<String, String> hyperParameters, float[] userFactors, float[] itemFactors,
                      float[] userBias, float[] itemBias, IdMap userIds, IdMap itemIds) {
        this(type, k, numUsers, numItems, globalMean, hyperParameters, userFactors, itemFactors, userBias, itemBias,
                userIds, itemIds, null);
    }
}
