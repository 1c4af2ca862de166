package org.mfkit.data.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.mfkit.data.IdMap;
import org.mfkit.data.Ratings;

/**
 * Reads a ratings file into {@link Ratings}, streaming: one line at a time into growable
 * primitive arrays, so memory is the arrays plus one line, never the whole file as text.
 * External ids (numbers or any other strings) become dense indices in first-seen order; the
 * {@link IdMap}s travel with the ratings (and later with the model).
 *
 * <p>A malformed line (wrong number of fields, a rating that is not a finite number, an empty
 * id, a timestamp that is not an integer, a broken quote) stops the read with a
 * {@link MalformedLineException} naming the file, the line number and the line, unless
 * {@link #skipMalformed(boolean)} asked to skip such lines; then they are counted in
 * {@link LoadedRatings#skipped()}. Blank lines are ignored. Files ending in {@code .gz} are
 * decompressed on the fly. Text must be UTF-8 (ASCII included); a line with bytes that are
 * not is malformed.
 *
 * <p>For formats with a header ({@link RatingsFormat#CSV}, {@link RatingsFormat#TSV}) the
 * columns are found by name (case-insensitive): by default the first header column named
 * {@code user}, {@code userId}, {@code user_id}, {@code uid} is the user,
 * {@code item}, {@code itemId}, {@code item_id}, {@code movieId}, {@code movie_id},
 * {@code iid} the item, {@code rating}, {@code value}, {@code score}, {@code weight},
 * {@code count} the value and {@code timestamp}, {@code time}, {@code ts} the optional
 * timestamp (integer seconds). {@link #columns} overrides any of them; the rating column
 * {@value #NONE} reads implicit data where every listed pair has value 1.
 *
 * <p>Instances are immutable; the {@code with}-style methods return changed copies.
 */
public final class RatingsReader {
    /** Column name meaning "this file has no such column". */
    public static final String NONE = "none";

    private static final List<String> USER_NAMES = List.of("user", "userid", "user_id", "uid");
    private static final List<String> ITEM_NAMES = List.of("item", "itemid", "item_id", "movieid", "movie_id", "iid");
    private static final List<String> VALUE_NAMES = List.of("rating", "value", "score", "weight", "count");
    private static final List<String> TIME_NAMES = List.of("timestamp", "time", "ts");
    private static final int MAX_EXAMPLES = 5;
    private static final double[] POWERS_OF_TEN = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
            1e13, 1e14, 1e15};

    private final RatingsFormat format;
    private final String userColumn;
    private final String itemColumn;
    private final String valueColumn;
    private final String timeColumn;
    private final boolean skipMalformed;

    private RatingsReader(RatingsFormat format, String userColumn, String itemColumn, String valueColumn,
                          String timeColumn, boolean skipMalformed) {
        this.format = format;
        this.userColumn = userColumn;
        this.itemColumn = itemColumn;
        this.valueColumn = valueColumn;
        this.timeColumn = timeColumn;
        this.skipMalformed = skipMalformed;
    }

    /** A reader that detects the format from the file name and stops at the first malformed line. */
    public static RatingsReader detecting() {
        return new RatingsReader(null, null, null, null, null, false);
    }

    /** A reader for the given format that stops at the first malformed line. */
    public static RatingsReader of(RatingsFormat format) {
        if (format == null) throw new IllegalArgumentException("format must not be null");
        return new RatingsReader(format, null, null, null, null, false);
    }

    /** This reader with malformed lines skipped and counted ({@code true}) or fatal ({@code false}). */
    public RatingsReader skipMalformed(boolean skip) {
        return new RatingsReader(format, userColumn, itemColumn, valueColumn, timeColumn, skip);
    }

    /**
     * This reader with the named header columns (CSV/TSV only); a null name keeps the default
     * search. {@code value} or {@code time} may be {@value #NONE}.
     */
    public RatingsReader columns(String user, String item, String value, String time) {
        return new RatingsReader(format, user, item, value, time, skipMalformed);
    }

    /** Reads {@code file}. */
    public LoadedRatings read(Path file) throws IOException {
        if (file == null) throw new IllegalArgumentException("file must not be null");
        RatingsFormat used = format != null ? format : RatingsFormat.detect(file);
        if (!used.hasHeader() && (userColumn != null || itemColumn != null || valueColumn != null || timeColumn != null)) {
            throw new IllegalArgumentException("format " + used + " has fixed columns (user, item, rating, timestamp); "
                    + "column names apply to csv and tsv only");
        }
        if (!Files.isRegularFile(file)) throw new java.nio.file.NoSuchFileException(file.toString(), null, "no such file");
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.toString().toLowerCase(Locale.ROOT).endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                     .onMalformedInput(CodingErrorAction.REPLACE)
                     .onUnmappableCharacter(CodingErrorAction.REPLACE)), 1 << 16)) {
            return new Parse(file, used, reader).run();
        }
    }

    /** The state of one read. */
    private final class Parse {
        private final Path file;
        private final RatingsFormat format;
        private final BufferedReader reader;
        private final String delimiter;
        private final boolean quoting;
        private final ExternalIds userIds = new ExternalIds();
        private final ExternalIds itemIds = new ExternalIds();
        private int userField = 0;
        private int itemField = 1;
        private int valueField = 2;
        private int timeField = 3;
        private int fieldCount = 4;
        private int[] starts = new int[4];
        private int[] ends = new int[4];
        private String[] unquoted = new String[4];
        private int[] users = new int[1 << 12];
        private int[] items = new int[1 << 12];
        private float[] values = new float[1 << 12];
        private long[] times = new long[1 << 12];
        private int size;
        private long lineNumber;
        private long skipped;
        private final List<String> examples = new ArrayList<>();

        Parse(Path file, RatingsFormat format, BufferedReader reader) {
            this.file = file;
            this.format = format;
            this.reader = reader;
            this.delimiter = format.delimiter();
            this.quoting = format.hasHeader();
        }

        LoadedRatings run() throws IOException {
            if (format.hasHeader()) readHeader();
            String line;
            while ((line = nextLine()) != null) {
                if (line.isBlank()) continue;
                String problem = parseLine(line);
                if (problem != null) {
                    MalformedLineException bad = new MalformedLineException(file, lineNumber, line, problem);
                    if (!skipMalformed) throw bad;
                    skipped++;
                    if (examples.size() < MAX_EXAMPLES) examples.add(bad.getMessage());
                }
            }
            Ratings ratings = new Ratings(userIds.size(), itemIds.size(), Arrays.copyOf(users, size),
                    Arrays.copyOf(items, size), Arrays.copyOf(values, size),
                    timeField >= 0 ? Arrays.copyOf(times, size) : null, userIds.toIdMap(), itemIds.toIdMap());
            return new LoadedRatings(ratings, file, format, lineNumber, skipped, examples);
        }

        /**
         * The next line. Bytes that are not UTF-8 were decoded to U+FFFD; such a line is
         * malformed (the decoder reads ahead in blocks, so only here is its line known).
         */
        private String nextLine() throws IOException {
            String line = reader.readLine();
            if (line == null) return null;
            lineNumber++;
            if (line.indexOf('\uFFFD') >= 0) {
                MalformedLineException bad = new MalformedLineException(file, lineNumber, line,
                        "not UTF-8 text (invalid bytes, shown as \uFFFD)");
                if (!skipMalformed || lineNumber == 1 && format.hasHeader()) throw bad;
                skipped++;
                if (examples.size() < MAX_EXAMPLES) examples.add(bad.getMessage());
                return "";
            }
            return line;
        }

        private void readHeader() throws IOException {
            String header = nextLine();
            while (header != null && header.isBlank()) header = nextLine();
            if (header == null) {
                throw new MalformedLineException(file, Math.max(1, lineNumber), "", "empty file: expected a header line naming the columns");
            }
            if (header.startsWith("\uFEFF")) header = header.substring(1);
            int n = split(header, new int[1], new int[1], new String[1]);
            if (n < 0) throw new MalformedLineException(file, lineNumber, header, "unterminated quote in the header");
            grow(n);
            split(header, starts, ends, unquoted);
            List<String> names = new ArrayList<>(n);
            for (int f = 0; f < n; f++) names.add(field(header, f).trim());
            fieldCount = n;
            userField = column(names, userColumn, USER_NAMES, "user", true, header);
            itemField = column(names, itemColumn, ITEM_NAMES, "item", true, header);
            valueField = column(names, valueColumn, VALUE_NAMES, "rating", true, header);
            timeField = column(names, timeColumn, TIME_NAMES, "timestamp", false, header);
        }

        private int column(List<String> names, String wanted, List<String> defaults, String role, boolean required,
                           String header) {
            if (wanted != null) {
                if (wanted.equalsIgnoreCase(NONE)) {
                    if (role.equals("user") || role.equals("item")) {
                        throw new IllegalArgumentException("the " + role + " column cannot be '" + NONE + "'");
                    }
                    return -1;
                }
                for (int f = 0; f < names.size(); f++) if (names.get(f).equalsIgnoreCase(wanted)) return f;
                throw new IllegalArgumentException(file + " has no column '" + wanted + "' for the " + role
                        + "; its header is: " + String.join(", ", names));
            }
            for (String candidate : defaults) {
                for (int f = 0; f < names.size(); f++) if (names.get(f).equalsIgnoreCase(candidate)) return f;
            }
            if (!required) return -1;
            String hint = role.equals("rating")
                    ? "; name it, or use '" + NONE + "' for implicit data (every listed pair gets value 1)"
                    : "; name it";
            throw new IllegalArgumentException(file + " has no " + role + " column (looked for "
                    + String.join(", ", defaults) + ")" + hint + "; its header is: " + String.join(", ", names));
        }

        private void grow(int n) {
            if (starts.length < n) {
                starts = new int[n];
                ends = new int[n];
                unquoted = new String[n];
            }
        }

        /** Parses one data line into the arrays; returns what is wrong, or null. */
        private String parseLine(String line) {
            int n = split(line, starts, ends, unquoted);
            if (n < 0) return "unterminated or misplaced quote";
            if (n != fieldCount) {
                return "expected " + fieldCount + " fields separated by '" + delimiter.replace("\t", "\\t")
                        + "' but found " + n;
            }
            int user = idOf(userIds, line, userField);
            if (user < 0) return "empty user id";
            int item = idOf(itemIds, line, itemField);
            if (item < 0) return "empty item id";
            float value = 1f;
            if (valueField >= 0) {
                value = unquoted[valueField] == null ? simpleDecimal(line, starts[valueField], ends[valueField]) : Float.NaN;
                if (Float.isNaN(value)) {
                    String text = field(line, valueField).trim();
                    try {
                        value = Float.parseFloat(text);
                    } catch (NumberFormatException e) {
                        return "rating '" + text + "' is not a number";
                    }
                    if (!Float.isFinite(value)) return "rating '" + text + "' is not finite";
                }
            }
            long time = 0;
            if (timeField >= 0) {
                time = unquoted[timeField] == null ? plainLong(line, starts[timeField], ends[timeField]) : -1;
                if (time < 0) {
                    String text = field(line, timeField).trim();
                    try {
                        time = Long.parseLong(text);
                    } catch (NumberFormatException e) {
                        return "timestamp '" + text + "' is not an integer number of seconds";
                    }
                }
            }
            if (size == users.length) {
                int capacity = size + (size >> 1);
                users = Arrays.copyOf(users, capacity);
                items = Arrays.copyOf(items, capacity);
                values = Arrays.copyOf(values, capacity);
                times = Arrays.copyOf(times, capacity);
            }
            users[size] = user;
            items[size] = item;
            values[size] = value;
            times[size] = time;
            size++;
            return null;
        }

        private int idOf(ExternalIds ids, String line, int f) {
            if (unquoted[f] != null) return ids.indexOf(unquoted[f].trim());
            int start = starts[f];
            int end = ends[f];
            while (start < end && line.charAt(start) == ' ') start++;
            while (end > start && line.charAt(end - 1) == ' ') end--;
            return ids.indexOf(line, start, end);
        }

        /**
         * The value of {@code digits[.digits]} when it is exactly a float (every rating scale
         * in practice: 4, 3.5, 0.25), else NaN so that the caller falls back to
         * {@link Float#parseFloat}. The quotient of two exact doubles is correctly rounded,
         * and when it is exactly a float no second rounding happens, so the fast path gives
         * the same bits as {@code Float.parseFloat}.
         */
        private float simpleDecimal(String s, int start, int end) {
            long mantissa = 0;
            int digits = 0;
            int fraction = -1;
            for (int j = start; j < end; j++) {
                char c = s.charAt(j);
                if (c >= '0' && c <= '9') {
                    mantissa = mantissa * 10 + (c - '0');
                    if (++digits > 15) return Float.NaN;
                    if (fraction >= 0) fraction++;
                } else if (c == '.' && fraction < 0) {
                    fraction = 0;
                } else {
                    return Float.NaN;
                }
            }
            if (digits == 0) return Float.NaN;
            double value = fraction > 0 ? mantissa / POWERS_OF_TEN[fraction] : mantissa;
            float narrow = (float) value;
            return narrow == value ? narrow : Float.NaN;
        }

        /** The value of a plain run of up to 18 digits, else -1 (the caller then parses properly). */
        private long plainLong(String s, int start, int end) {
            if (start >= end || end - start > 18) return -1;
            long value = 0;
            for (int j = start; j < end; j++) {
                int digit = s.charAt(j) - '0';
                if (digit < 0 || digit > 9) return -1;
                value = value * 10 + digit;
            }
            return value;
        }

        private String field(String line, int f) {
            return unquoted[f] != null ? unquoted[f] : line.substring(starts[f], ends[f]);
        }

        /**
         * Splits {@code line} on the delimiter, recording up to {@code starts.length} field
         * spans (and the text of quoted fields in {@code text}); returns the number of fields,
         * all counted, or -1 for a broken quote.
         */
        private int split(String line, int[] starts, int[] ends, String[] text) {
            int n = 0;
            int at = 0;
            int length = line.length();
            while (true) {
                if (quoting && at < length && line.charAt(at) == '"') {
                    StringBuilder value = new StringBuilder();
                    int j = at + 1;
                    while (true) {
                        if (j >= length) return -1;
                        char c = line.charAt(j);
                        if (c == '"') {
                            if (j + 1 < length && line.charAt(j + 1) == '"') {
                                value.append('"');
                                j += 2;
                                continue;
                            }
                            break;
                        }
                        value.append(c);
                        j++;
                    }
                    int after = j + 1;
                    if (after < length && !line.startsWith(delimiter, after)) return -1;
                    if (n < starts.length) {
                        starts[n] = at;
                        ends[n] = after;
                        text[n] = value.toString();
                    }
                    n++;
                    if (after >= length) return n;
                    at = after + delimiter.length();
                    continue;
                }
                int next = line.indexOf(delimiter, at);
                int end = next < 0 ? length : next;
                if (n < starts.length) {
                    starts[n] = at;
                    ends[n] = end;
                    text[n] = null;
                }
                n++;
                if (next < 0) return n;
                at = next + delimiter.length();
            }
        }
    }
}
