package org.mfkit.model;

import java.util.Map;
import org.mfkit.core.Kernels;
import org.mfkit.data.IdMap;
import org.mfkit.data.Ratings;

/**
 * What a trained model records besides its factors: the type, μ, the external ids, the
 * settings it was trained with, and the clipping range.
 *
 * @param type            the model type's name
 * @param globalMean      μ (0 for implicit models)
 * @param userIds         external user ids, or null
 * @param itemIds         external item ids, or null
 * @param hyperParameters the configuration ({@link ModelType#toMap}) and training facts
 * @param clipMin         lower clipping bound, NaN (with {@code clipMax}) when predictions are not clipped
 * @param clipMax         upper clipping bound
 */
record ModelMetadata(String type, float globalMean, IdMap userIds, IdMap itemIds, Map<String, String> hyperParameters,
                     float clipMin, float clipMax) {
    /** The settings a trained model records: its configuration, then the seed and the backend. */
    static Map<String, String> settings(Map<String, String> config, TrainOptions options, Kernels kernels) {
        config.put("seed", Long.toString(options.seed()));
        config.put("backend", kernels.backendName());
        return config;
    }

    /** An explicit model: μ and the clipping range {@code clip} = {min, max} (both NaN for none). */
    static ModelMetadata explicit(String type, float globalMean, Ratings train, Map<String, String> hyperParameters,
                                  float[] clip) {
        return new ModelMetadata(type, globalMean, train.userIds(), train.itemIds(), hyperParameters, clip[0], clip[1]);
    }

    /** An implicit model: no μ, no clipping (its scores only rank). */
    static ModelMetadata implicit(String type, Ratings train, Map<String, String> hyperParameters) {
        return new ModelMetadata(type, 0f, train.userIds(), train.itemIds(), hyperParameters, Float.NaN, Float.NaN);
    }
}
