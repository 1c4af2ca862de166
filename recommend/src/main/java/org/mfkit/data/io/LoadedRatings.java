package org.mfkit.data.io;

import java.nio.file.Path;
import java.util.List;
import org.mfkit.data.Ratings;

/**
 * What {@link RatingsReader} read from one file.
 *
 * @param ratings         the interactions, with external id maps
 * @param file            where they came from
 * @param format          the layout used
 * @param lines           lines read, header and blank lines included
 * @param skipped         malformed lines skipped (0 unless skipping was asked for)
 * @param skippedExamples the first few skipped lines, as "file:line: problem: 'content'"
 * @param timings         how long the read took, by phase
 */
public record LoadedRatings(Ratings ratings, Path file, RatingsFormat format, long lines, long skipped,
                            List<String> skippedExamples, Timings timings) {
    /**
     * How long a read took.
     *
     * @param parseNanos parsing the text (the line-by-line reader maps ids while it parses, so for it
     *                   this is the whole read)
     * @param remapNanos mapping the ids to dense indices in first-seen order, when done as a phase of
     *                   its own (the parallel reader); 0 otherwise
     * @param threads    threads that parsed
     */
    public record Timings(long parseNanos, long remapNanos, int threads) {}

    /** Copies the examples. */
    public LoadedRatings {
        skippedExamples = List.copyOf(skippedExamples);
    }
}
