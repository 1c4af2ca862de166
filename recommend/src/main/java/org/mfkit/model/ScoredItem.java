package org.mfkit.model;

/**
 * One entry of a recommendation or similarity list.
 *
 * @param index dense item (or user, for similar users) index
 * @param score the ranking score: the predicted value for explicit models (μ + b_u + b_i + p·q),
 *              the preference score p·q (+ item bias) for implicit models, the cosine for similarity
 */
public record ScoredItem(int index, float score) {
}
