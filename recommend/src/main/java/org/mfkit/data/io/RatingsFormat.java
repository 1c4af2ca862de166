package org.mfkit.data.io;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The layouts {@link RatingsReader} understands.
 *
 * <ul>
 *   <li>{@link #MOVIELENS_100K}: ml-100k {@code u.data}, tab-separated
 *       {@code user item rating timestamp}, no header.</li>
 *   <li>{@link #MOVIELENS_1M}: ml-1m and ml-10m {@code ratings.dat},
 *       {@code user::item::rating::timestamp}, no header.</li>
 *   <li>{@link #CSV}: comma-separated with a header naming the columns (ml-latest, ml-20m and
 *       ml-25m {@code ratings.csv} are this: {@code userId,movieId,rating,timestamp}).
 *       Fields may be double-quoted, with {@code ""} for a quote inside.</li>
 *   <li>{@link #TSV}: tab-separated with a header naming the columns.</li>
 * </ul>
 * Ids are external strings in every format; {@link RatingsReader} maps them to dense indices.
 */
public enum RatingsFormat {
    /** ml-100k {@code u.data}: tab-separated, no header, four fixed columns. */
    MOVIELENS_100K("movielens-100k", "\t", false),
    /** ml-1m / ml-10m {@code ratings.dat}: {@code ::}-separated, no header, four fixed columns. */
    MOVIELENS_1M("movielens-1m", "::", false),
    /** Comma-separated with a header; columns chosen by name. */
    CSV("csv", ",", true),
    /** Tab-separated with a header; columns chosen by name. */
    TSV("tsv", "\t", true);

    private final String id;
    private final String delimiter;
    private final boolean header;

    RatingsFormat(String id, String delimiter, boolean header) {
        this.id = id;
        this.delimiter = delimiter;
        this.header = header;
    }

    /** The name used on the command line, e.g. {@code movielens-100k}. */
    public String id() {
        return id;
    }

    /** The field separator. */
    public String delimiter() {
        return delimiter;
    }

    /** Whether the first line names the columns. */
    public boolean hasHeader() {
        return header;
    }

    /**
     * The format named {@code name}: an {@link #id()}, or one of the aliases {@code ml-100k},
     * {@code u.data}, {@code ml-1m}, {@code ml-10m}, {@code movielens-10m}, {@code dat},
     * {@code ml-csv}, {@code movielens-csv} (case-insensitive).
     */
    public static RatingsFormat parse(String name) {
        if (name == null) throw new IllegalArgumentException("format must not be null");
        switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "movielens-100k": case "ml-100k": case "u.data":
                return MOVIELENS_100K;
            case "movielens-1m": case "ml-1m": case "movielens-10m": case "ml-10m": case "dat":
                return MOVIELENS_1M;
            case "csv": case "ml-csv": case "movielens-csv": case "ml-latest": case "ml-20m": case "ml-25m":
                return CSV;
            case "tsv":
                return TSV;
            default:
                throw new IllegalArgumentException("unknown ratings format '" + name
                        + "'; known: movielens-100k, movielens-1m (also ml-10m), csv (also ml-latest/20m/25m ratings.csv), tsv");
        }
    }

    /**
     * The format a file name implies: {@code *.data} is ml-100k, {@code *.dat} is ml-1m/10m,
     * {@code *.csv} CSV and {@code *.tsv} TSV (a trailing {@code .gz} is ignored).
     *
     * @throws IllegalArgumentException when the name says nothing; the caller should ask for
     *         an explicit format
     */
    public static RatingsFormat detect(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".gz")) name = name.substring(0, name.length() - 3);
        if (name.endsWith(".data")) return MOVIELENS_100K;
        if (name.endsWith(".dat")) return MOVIELENS_1M;
        if (name.endsWith(".csv")) return CSV;
        if (name.endsWith(".tsv") || name.endsWith(".tab")) return TSV;
        throw new IllegalArgumentException("cannot tell the format of '" + file.getFileName()
                + "' from its name; name one (movielens-100k, movielens-1m, csv, tsv)");
    }

    @Override
    public String toString() {
        return id;
    }
}
