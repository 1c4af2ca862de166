package org.mfkit.model;

import org.mfkit.core.Kernels;
import org.mfkit.data.Ratings;

/** Fits one kind of factor model on a backend. Implementations are stateless and reusable. */
public interface Trainer {
    /** The model type this trainer produces ({@code "biased-mf"}, {@code "als"}, {@code "implicit-als"}, {@code "bpr"}). */
    String type();

    /**
     * Trains on {@code train}. The kernels are borrowed, not closed. Throws
     * {@link TrainingFailedException} when training becomes non-finite or diverges.
     */
    TrainingResult fit(Kernels kernels, Ratings train, TrainOptions options);
}
