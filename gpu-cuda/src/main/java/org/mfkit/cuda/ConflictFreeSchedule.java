package org.mfkit.cuda;

/**
 * Splits a list of updates (SGD ratings, BPR triples) into segments that a GPU can run while
 * keeping exact sequential semantics. Each update touches some rows, in one or more
 * namespaces (users; items). Scanning in list order, a new "wave" starts whenever an update
 * touches a row the current wave already touched, so inside a wave no row occurs twice and
 * its updates commute: running them all at once equals running them in order. Waves shorter
 * than {@code minParallel} are merged into sequential segments, which one GPU thread walks in
 * order (cheaper than a launch per tiny wave). Segments are run in list order.
 *
 * <p>When the whole range is conflict-free this yields one parallel segment.
 */
final class ConflictFreeSchedule {
    private final int[] starts;
    private final int[] counts;
    private final boolean[] parallel;
    private final int size;

    private ConflictFreeSchedule(int[] starts, int[] counts, boolean[] parallel, int size) {
        this.starts = starts;
        this.counts = counts;
        this.parallel = parallel;
        this.size = size;
    }

    /** One namespace of rows: its row count and the id columns (one id per update each) that index it. */
    record Namespace(int rows, int[]... columns) {}

    /**
     * Plans updates {@code [from, to)}.
     *
     * @param minParallel shortest wave run as a parallel segment (&ge; 1)
     */
    static ConflictFreeSchedule plan(int from, int to, int minParallel, Namespace... namespaces) {
        if (minParallel < 1) throw new IllegalArgumentException("minParallel = " + minParallel + " must be >= 1");
        if (from < 0 || to < from) throw new IllegalArgumentException("range [" + from + ", " + to + ") is invalid");
        int[][] stamps = new int[namespaces.length][];
        for (int s = 0; s < namespaces.length; s++) {
            stamps[s] = new int[namespaces[s].rows()];
            java.util.Arrays.fill(stamps[s], -1);
        }
        int[] waveStarts = new int[Math.max(1, to - from)];
        int waves = 0;
        int wave = 0;
        if (to > from) waveStarts[waves++] = from;
        for (int j = from; j < to; j++) {
            boolean conflict = false;
            for (int s = 0; s < namespaces.length && !conflict; s++) {
                for (int[] column : namespaces[s].columns()) {
                    if (stamps[s][column[j]] == wave) {
                        conflict = true;
                        break;
                    }
                }
            }
            if (conflict) {
                wave++;
                waveStarts[waves++] = j;
            }
            for (int s = 0; s < namespaces.length; s++) {
                for (int[] column : namespaces[s].columns()) stamps[s][column[j]] = wave;
            }
        }
        int[] starts = new int[waves];
        int[] counts = new int[waves];
        boolean[] parallel = new boolean[waves];
        int size = 0;
        for (int w = 0; w < waves; w++) {
            int start = waveStarts[w];
            int end = w + 1 < waves ? waveStarts[w + 1] : to;
            boolean isParallel = end - start >= minParallel;
            if (!isParallel && size > 0 && !parallel[size - 1]) {
                counts[size - 1] += end - start;
            } else {
                starts[size] = start;
                counts[size] = end - start;
                parallel[size] = isParallel;
                size++;
            }
        }
        return new ConflictFreeSchedule(starts, counts, parallel, size);
    }

    /** Number of segments. */
    int size() {
        return size;
    }

    /** First update of segment {@code s}. */
    int start(int s) {
        return starts[s];
    }

    /** Updates in segment {@code s}. */
    int count(int s) {
        return counts[s];
    }

    /** Whether segment {@code s} runs one thread per update (else one thread in order). */
    boolean parallel(int s) {
        return parallel[s];
    }
}
