package org.mfkit.data.io;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.mfkit.data.IdMap;
import org.mfkit.data.Ratings;

/**
 * Writes {@link Ratings} in one of the {@link RatingsFormat}s, atomically (see
 * {@link AtomicFiles}), with external ids where the ratings carry them and dense indices
 * otherwise. Timestamps are written when present (0 otherwise, in the MovieLens layouts
 * that always have the column). What it writes, {@link RatingsReader} reads back to the same
 * ratings.
 */
public final class RatingsWriter {
    private RatingsWriter() {}

    /** Writes {@code ratings} to {@code file} in {@code format}. */
    public static void write(Ratings ratings, Path file, RatingsFormat format) throws IOException {
        if (ratings == null) throw new IllegalArgumentException("ratings must not be null");
        if (format == null) throw new IllegalArgumentException("format must not be null");
        String delimiter = format.delimiter();
        boolean quoting = format.hasHeader();
        boolean times = ratings.hasTimestamps() || !format.hasHeader();
        AtomicFiles.write(file, out -> {
            Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            if (format.hasHeader()) {
                writer.write("user" + delimiter + "item" + delimiter + "rating" + (times ? delimiter + "timestamp" : "") + "\n");
            }
            IdMap users = ratings.userIds();
            IdMap items = ratings.itemIds();
            for (int j = 0; j < ratings.size(); j++) {
                writer.write(id(users, ratings.user(j), delimiter, quoting));
                writer.write(delimiter);
                writer.write(id(items, ratings.item(j), delimiter, quoting));
                writer.write(delimiter);
                writer.write(value(ratings.value(j)));
                if (times) {
                    writer.write(delimiter);
                    writer.write(Long.toString(ratings.hasTimestamps() ? ratings.timestamp(j) : 0L));
                }
                writer.write('\n');
            }
            writer.flush();
        });
    }

    private static String id(IdMap map, int index, String delimiter, boolean quoting) throws IOException {
        String id = map == null ? Integer.toString(index) : map.externalId(index);
        boolean needsQuotes = id.contains(delimiter) || id.contains("\"") || id.contains("\n") || id.contains("\r")
                || (!id.isEmpty() && (id.charAt(0) == ' ' || id.charAt(id.length() - 1) == ' '));
        if (!needsQuotes) return id;
        if (!quoting || id.contains("\n") || id.contains("\r")) {
            throw new IOException("id '" + id + "' cannot be written in this format (it contains the delimiter, a line break or edge spaces)");
        }
        return '"' + id.replace("\"", "\"\"") + '"';
    }

    /** Integral values without a fraction ("4"), others in the shortest form that reads back exactly. */
    private static String value(float v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e7f) return Long.toString((long) v);
        return Float.toString(v);
    }
}
