package org.mfkit.data.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.mfkit.data.IdMap;
import org.mfkit.data.Ratings;

/**
 * {@link RatingsReader}'s fast path for the files that matter for speed: uncompressed, one-byte
 * delimiter, plain ASCII, canonical decimal ids, ratings {@code digits[.digits]} that are exact
 * floats, integer timestamps, no quotes. The file is memory-mapped (no copy on the heap) and cut
 * at line starts into one piece per core; each piece is parsed on its own thread straight into
 * its slice of the result arrays (sized by counting newlines first, so nothing grows or is
 * copied), ids kept as their numeric values. Then the ids are remapped to dense indices in
 * first-seen order in one pass in file order (a lookup table indexed by the id when ids are
 * small, else the hash table of {@link ExternalIds}).
 *
 * <p>Anything else — a quote, a byte that is not ASCII, a lone carriage return, a blank-looking
 * line of spaces, a wrong field count, an id like {@code 007} or {@code u17}, a rating
 * {@code Float.parseFloat} would have to parse, a malformed line — makes this path give up
 * (return null) and the line-by-line reader read the file instead, so every error keeps naming
 * the file, line and bad value, and results are exactly the line-by-line reader's.
 */
final class ParallelRatingsParse {
    /** Files below this size are parsed on one thread (threads cost more than they save). */
    static final long PARALLEL_BYTES = 4L << 20;
    /** Largest piece mapped at once (a mapping holds at most 2 GiB). */
    static final long MAX_PIECE = 1L << 30;
    /** Ids up to this value are remapped through a direct lookup table (also when below the entry count). */
    static final int DIRECT_TABLE_IDS = 1 << 22;

    private ParallelRatingsParse() {}

    /**
     * The ratings of {@code file} (a plain file of a one-byte-delimited {@code format}), or null
     * when the file is not in the shape this path handles.
     */
    static LoadedRatings read(RatingsReader reader, Path file, RatingsFormat format, int threads) throws IOException {
        return read(reader, file, format, threads, PARALLEL_BYTES);
    }

    /** As {@link #read(RatingsReader, Path, RatingsFormat, int)}, in pieces once the file has {@code parallelBytes}. */
    static LoadedRatings read(RatingsReader reader, Path file, RatingsFormat format, int threads, long parallelBytes)
            throws IOException {
        long started = System.nanoTime();
        byte delimiter = (byte) format.delimiter().charAt(0);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            long dataStart = 0;
            int fieldCount = 4;
            int[] fields = {0, 1, 2, 3};
            if (format.hasHeader()) {
                ByteBuffer head = ByteBuffer.allocate((int) Math.min(size, 1 << 16));
                channel.read(head, 0);
                int end = 0;
                while (end < head.position() && head.get(end) != '\n') end++;
                if (end == head.position()) return null;
                String header = ascii(head, 0, end > 0 && head.get(end - 1) == '\r' ? end - 1 : end);
                if (header == null || header.isBlank() || header.indexOf('"') >= 0) return null;
                List<String> names = new ArrayList<>();
                for (String name : header.split(java.util.regex.Pattern.quote(String.valueOf((char) delimiter)), -1)) {
                    names.add(name.trim());
                }
                fieldCount = names.size();
                fields = reader.columns(file, names);
                dataStart = end + 1;
            }
            long[] bounds = pieces(channel, dataStart, size, size >= parallelBytes ? threads : 1);
            int pieces = bounds.length - 1;
            MappedByteBuffer[] maps = new MappedByteBuffer[pieces];
            for (int p = 0; p < pieces; p++) {
                maps[p] = channel.map(FileChannel.MapMode.READ_ONLY, bounds[p], bounds[p + 1] - bounds[p]);
            }
            Piece[] parsed = new Piece[pieces];
            for (int p = 0; p < pieces; p++) parsed[p] = new Piece(maps[p], delimiter, fieldCount, fields);
            runAll(parsed, Piece::countLines);
            int capacity = 0;
            for (Piece piece : parsed) {
                if ((long) capacity + piece.lines > Integer.MAX_VALUE - 8) {
                    throw new IOException(file + " has more than " + (Integer.MAX_VALUE - 8) + " lines");
                }
                piece.offset = capacity;
                capacity += piece.lines;
            }
            boolean timed = fields[3] >= 0;
            int[] users = new int[capacity];
            int[] items = new int[capacity];
            float[] values = new float[capacity];
            long[] times = timed ? new long[capacity] : null;
            for (Piece piece : parsed) piece.into(users, items, values, times);
            runAll(parsed, Piece::parse);
            int n = 0;
            long lines = format.hasHeader() ? 1 : 0;
            for (Piece piece : parsed) {
                if (piece.failed) return null;
                // Blank lines leave gaps at the end of a piece's slice: close them.
                if (piece.offset != n) {
                    System.arraycopy(users, piece.offset, users, n, piece.entries);
                    System.arraycopy(items, piece.offset, items, n, piece.entries);
                    System.arraycopy(values, piece.offset, values, n, piece.entries);
                    if (timed) System.arraycopy(times, piece.offset, times, n, piece.entries);
                }
                n += piece.entries;
                lines += piece.lines;
            }
            long parsedAt = System.nanoTime();
            IdMap userIds = remap(users, n);
            IdMap itemIds = remap(items, n);
            if (n < capacity) {
                users = Arrays.copyOf(users, n);
                items = Arrays.copyOf(items, n);
                values = Arrays.copyOf(values, n);
                if (timed) times = Arrays.copyOf(times, n);
            }
            Ratings ratings = new Ratings(userIds.size(), itemIds.size(), users, items, values, times, userIds, itemIds);
            long done = System.nanoTime();
            return new LoadedRatings(ratings, file, format, lines, 0, List.of(),
                    new LoadedRatings.Timings(parsedAt - started, done - parsedAt, pieces));
        }
    }

    /** The text of ASCII bytes [from, to), or null when one is not ASCII. */
    private static String ascii(ByteBuffer b, int from, int to) {
        char[] c = new char[to - from];
        for (int j = from; j < to; j++) {
            byte v = b.get(j);
            if (v < 0) return null;
            c[j - from] = (char) v;
        }
        return new String(c);
    }

    /** Piece bounds: [dataStart, size) cut after a newline near every equal share (and at most MAX_PIECE long). */
    private static long[] pieces(FileChannel channel, long dataStart, long size, int threads) throws IOException {
        long length = size - dataStart;
        int count = (int) Math.max(Math.max(1, threads), (length + MAX_PIECE - 1) / MAX_PIECE);
        long[] bounds = new long[count + 1];
        bounds[count] = size;
        bounds[0] = dataStart;
        ByteBuffer probe = ByteBuffer.allocate(1 << 16);
        for (int p = 1; p < count; p++) {
            long at = Math.max(bounds[p - 1], dataStart + length * p / count);
            bounds[p] = size;
            while (at < size) {
                probe.clear();
                int read = channel.read(probe, at);
                if (read <= 0) break;
                int j = 0;
                while (j < read && probe.get(j) != '\n') j++;
                if (j < read) {
                    bounds[p] = at + j + 1;
                    break;
                }
                at += read;
            }
        }
        return bounds;
    }

    private interface Step {
        void run(Piece piece);
    }

    /** Runs {@code step} on every piece, one thread per piece beyond the first (which runs here). */
    private static void runAll(Piece[] pieces, Step step) throws IOException {
        Thread[] threads = new Thread[pieces.length];
        Throwable[] failure = new Throwable[pieces.length];
        for (int p = 1; p < pieces.length; p++) {
            int at = p;
            threads[p] = new Thread(() -> {
                try {
                    step.run(pieces[at]);
                } catch (Throwable t) {
                    failure[at] = t;
                }
            }, "mfkit-ratings-parse-" + p);
            threads[p].setDaemon(true);
            threads[p].start();
        }
        try {
            step.run(pieces[0]);
        } catch (RuntimeException | Error e) {
            failure[0] = e;
        }
        boolean interrupted = false;
        for (int p = 1; p < pieces.length; p++) {
            while (true) {
                try {
                    threads[p].join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        for (Throwable t : failure) {
            if (t instanceof RuntimeException re) throw re;
            if (t instanceof Error err) throw err;
            if (t != null) throw new IOException("parsing failed", t);
        }
    }

    /**
     * Dense ids in first-seen order, written over the numeric ids {@code ids[0, n)}; returns the
     * map whose index d is the decimal text of the id that became d.
     */
    static IdMap remap(int[] ids, int n) {
        int max = -1;
        for (int j = 0; j < n; j++) max = Math.max(max, ids[j]);
        int[] inOrder = new int[16];
        int count = 0;
        if (max < Math.max(DIRECT_TABLE_IDS, n)) {
            int[] dense = new int[max + 1];
            Arrays.fill(dense, -1);
            for (int j = 0; j < n; j++) {
                int id = ids[j];
                int d = dense[id];
                if (d < 0) {
                    d = count++;
                    dense[id] = d;
                    if (d == inOrder.length) inOrder = Arrays.copyOf(inOrder, d * 2);
                    inOrder[d] = id;
                }
                ids[j] = d;
            }
        } else {
            ExternalIds table = new ExternalIds();
            for (int j = 0; j < n; j++) ids[j] = table.indexOfNumber(ids[j]);
            return table.toIdMap();
        }
        List<String> text = new ArrayList<>(count);
        for (int d = 0; d < count; d++) text.add(Integer.toString(inOrder[d]));
        return IdMap.of(text);
    }

    /** One piece of the file and its slice of the result. */
    private static final class Piece {
        private final ByteBuffer bytes;
        private final byte delimiter;
        private final int fieldCount;
        private final int userField;
        private final int itemField;
        private final int valueField;
        private final int timeField;
        int lines;
        int offset;
        int entries;
        boolean failed;
        private int[] users;
        private int[] items;
        private float[] values;
        private long[] times;

        Piece(ByteBuffer bytes, byte delimiter, int fieldCount, int[] fields) {
            this.bytes = bytes;
            this.delimiter = delimiter;
            this.fieldCount = fieldCount;
            this.userField = fields[0];
            this.itemField = fields[1];
            this.valueField = fields[2];
            this.timeField = fields[3];
        }

        void into(int[] users, int[] items, float[] values, long[] times) {
            this.users = users;
            this.items = items;
            this.values = values;
            this.times = times;
        }

        /** Lines, as BufferedReader counts them: every newline, plus a last line without one. */
        void countLines() {
            int size = bytes.limit();
            int count = 0;
            for (int j = 0; j < size; j++) if (bytes.get(j) == '\n') count++;
            if (size > 0 && bytes.get(size - 1) != '\n') count++;
            lines = count;
        }

        /** Parses every line; on anything this path does not handle, sets {@link #failed} and stops. */
        void parse() {
            ByteBuffer b = bytes;
            int size = b.limit();
            int at = 0;
            int out = offset;
            while (at < size) {
                byte c = b.get(at);
                if (c == '\n') { // blank line
                    at++;
                    continue;
                }
                if (c == '\r' && at + 1 < size && b.get(at + 1) == '\n') {
                    at += 2;
                    continue;
                }
                long user = -1;
                long item = -1;
                float value = 1f;
                long time = 0;
                for (int f = 0; f < fieldCount; f++) {
                    int start = at;
                    long number = 0;
                    int digits = 0;
                    int fraction = -1;
                    boolean plain = true;
                    while (at < size) {
                        c = b.get(at);
                        if (c == delimiter || c == '\n' || c == '\r') break;
                        if (c >= '0' && c <= '9') {
                            if (digits < 18) number = number * 10 + (c - '0');
                            digits++;
                            if (fraction >= 0) fraction++;
                        } else if (c == '.' && fraction < 0) {
                            fraction = 0;
                        } else if (c < 0 || c == '"') {
                            failed = true; // not ASCII, or quoting: the line-by-line reader decides
                            return;
                        } else {
                            plain = false;
                        }
                        at++;
                    }
                    boolean last = f == fieldCount - 1;
                    // The field must end where the line structure says: a delimiter inside the
                    // line, the line's end after the last field.
                    if (last == (at < size && c == delimiter)) {
                        failed = true;
                        return;
                    }
                    int length = at - start;
                    if (f == userField || f == itemField) {
                        if (!plain || fraction >= 0 || digits == 0 || digits > 10 || (digits > 1 && b.get(start) == '0')
                                || number > Integer.MAX_VALUE) {
                            failed = true;
                            return;
                        }
                        if (f == userField) user = number;
                        else item = number;
                    } else if (f == valueField) {
                        value = plain && digits <= 15 ? RatingsReader.exactDecimal(number, digits, fraction) : Float.NaN;
                        if (Float.isNaN(value)) {
                            failed = true;
                            return;
                        }
                    } else if (f == timeField) {
                        if (!plain || fraction >= 0 || digits == 0 || digits > 18 || length != digits) {
                            failed = true;
                            return;
                        }
                        time = number;
                    }
                    if (!last) at++; // past the delimiter
                }
                // Line end: \n, \r\n, or the end of the file; a lone \r is a line break to
                // BufferedReader, which this path leaves to it.
                if (at < size) {
                    if (b.get(at) == '\r') {
                        if (at + 1 >= size || b.get(at + 1) != '\n') {
                            failed = true;
                            return;
                        }
                        at++;
                    }
                    at++;
                }
                users[out] = (int) user;
                items[out] = (int) item;
                values[out] = value;
                if (times != null) times[out] = time;
                out++;
            }
            entries = out - offset;
        }
    }
}
