package org.mfkit.model;

/** Index arrays the trainers and the recommender share. */
final class Indices {
    private Indices() {}

    /** 0, 1, …, n − 1: every row of a side, for the kernels that take a row list. */
    static int[] range(int n) {
        int[] ids = new int[n];
        for (int j = 0; j < n; j++) ids[j] = j;
        return ids;
    }
}
