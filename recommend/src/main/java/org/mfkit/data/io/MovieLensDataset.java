package org.mfkit.data.io;

import java.util.Locale;

/**
 * The MovieLens rating sets GroupLens publishes at
 * {@value DatasetDownloader#GROUPLENS_BASE_URL}, with the MD5 checksums GroupLens publishes
 * beside each archive ({@code <archive>.md5}). The stable releases never change, so a
 * mismatch means a broken download. (ml-latest changes over time and has no fixed
 * checksum, so it is not listed.)
 */
public enum MovieLensDataset {
    /** 100,000 ratings, 943 users, 1,682 movies (1998). */
    ML_100K("ml-100k", "ml-100k.zip", "ml-100k", "u.data", RatingsFormat.MOVIELENS_100K,
            "0e33842e24a9c977be4e0107933c0723", "100,000 ratings, 943 users x 1,682 movies, 5 MB"),
    /** 1,000,209 ratings, 6,040 users, 3,706 movies (2003). */
    ML_1M("ml-1m", "ml-1m.zip", "ml-1m", "ratings.dat", RatingsFormat.MOVIELENS_1M,
            "c4d9eecfca2ab87c1945afe126590906", "1 million ratings, 6,040 users x 3,706 movies, 6 MB"),
    /** 10,000,054 ratings, 69,878 users, 10,677 movies (2009). */
    ML_10M("ml-10m", "ml-10m.zip", "ml-10M100K", "ratings.dat", RatingsFormat.MOVIELENS_1M,
            "ce571fd55effeba0271552578f2648bd", "10 million ratings, 69,878 users x 10,677 movies, 63 MB"),
    /** 20,000,263 ratings, 138,493 users, 26,744 movies (2015). */
    ML_20M("ml-20m", "ml-20m.zip", "ml-20m", "ratings.csv", RatingsFormat.CSV,
            "cd245b17a1ae2cc31bb14903e1204af3", "20 million ratings, 138,493 users x 26,744 movies, 190 MB"),
    /** 25,000,095 ratings, 162,541 users, 59,047 movies (2019). */
    ML_25M("ml-25m", "ml-25m.zip", "ml-25m", "ratings.csv", RatingsFormat.CSV,
            "6b51fb2759a8657d3bfcbfc42b592ada", "25 million ratings, 162,541 users x 59,047 movies, 250 MB");

    private final String id;
    private final String archive;
    private final String archiveFolder;
    private final String ratingsFile;
    private final RatingsFormat format;
    private final String md5;
    private final String summary;

    MovieLensDataset(String id, String archive, String archiveFolder, String ratingsFile, RatingsFormat format,
                     String md5, String summary) {
        this.id = id;
        this.archive = archive;
        this.archiveFolder = archiveFolder;
        this.ratingsFile = ratingsFile;
        this.format = format;
        this.md5 = md5;
        this.summary = summary;
    }

    /** The name used on the command line, e.g. {@code ml-100k}. */
    public String id() {
        return id;
    }

    /** The archive's file name under the base URL. */
    public String archive() {
        return archive;
    }

    /** The folder every archive entry sits in. */
    public String archiveFolder() {
        return archiveFolder;
    }

    /** The ratings file inside {@link #archiveFolder()}. */
    public String ratingsFile() {
        return ratingsFile;
    }

    /** The layout of the ratings file. */
    public RatingsFormat format() {
        return format;
    }

    /** GroupLens's published MD5 of the archive, lower-case hex. */
    public String md5() {
        return md5;
    }

    /** One line about the set. */
    public String summary() {
        return summary;
    }

    /** The data set named {@code name} ({@code ml-100k}, {@code movielens-100k}, {@code 100k}, ...). */
    public static MovieLensDataset parse(String name) {
        if (name == null) throw new IllegalArgumentException("dataset name must not be null");
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        if (wanted.startsWith("movielens-")) wanted = "ml-" + wanted.substring("movielens-".length());
        if (!wanted.startsWith("ml-")) wanted = "ml-" + wanted;
        for (MovieLensDataset d : values()) if (d.id.equals(wanted)) return d;
        StringBuilder known = new StringBuilder();
        for (MovieLensDataset d : values()) known.append(known.length() == 0 ? "" : ", ").append(d.id);
        throw new IllegalArgumentException("unknown dataset '" + name + "'; known: " + known);
    }

    @Override
    public String toString() {
        return id;
    }
}
