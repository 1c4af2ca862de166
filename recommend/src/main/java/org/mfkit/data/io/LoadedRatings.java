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
 */
public record LoadedRatings(Ratings ratings, Path file, RatingsFormat format, long lines, long skipped,
                            List<String> skippedExamples) {
    /** Copies the examples. */
    public LoadedRatings {
        skippedExamples = List.copyOf(skippedExamples);
    }
}
