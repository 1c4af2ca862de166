package org.mfkit.eval;

/**
 * Top-K quality averaged over the test users that have at least one test item.
 *
 * @param k         list length
 * @param precision mean Precision@K
 * @param recall    mean Recall@K
 * @param ndcg      mean NDCG@K
 * @param map       mean AP@K (MAP@K)
 * @param auc       mean per-user AUC over non-training items (users where it is undefined skipped)
 * @param coverage  catalog coverage of all the lists
 * @param users     number of users evaluated
 */
public record RankingMetrics(int k, double precision, double recall, double ndcg, double map, double auc,
                             double coverage, int users) {
}
