package org.mfkit.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.mfkit.data.io.DatasetDownloader;
import org.mfkit.data.io.LoadedRatings;
import org.mfkit.data.io.MovieLensDataset;
import org.mfkit.data.io.RatingsFormat;
import org.mfkit.data.io.RatingsReader;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** Where ratings come from: a file (with its format and columns) or a downloaded MovieLens set. */
final class InputOptions {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    /** Exactly one of a file or a data set. */
    static final class Source {
        @Option(names = {"-i", "--input"}, paramLabel = "FILE", required = true,
                description = "Ratings file: MovieLens u.data / ratings.dat / ratings.csv, or CSV/TSV with a header (.gz is fine).")
        Path file;

        @Option(names = "--dataset", paramLabel = "SET", required = true,
                description = "A MovieLens set fetched with 'mfkit download' (ml-100k, ml-1m, ml-10m, ml-20m, ml-25m).")
        String dataset;
    }

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT",
            description = "movielens-100k, movielens-1m (also ml-10m), csv or tsv (default: from the file name).")
    String format;

    @Option(names = "--user-col", paramLabel = "NAME", description = "CSV/TSV: the user column (default: user, userId, ...).")
    String userColumn;

    @Option(names = "--item-col", paramLabel = "NAME", description = "CSV/TSV: the item column (default: item, itemId, movieId, ...).")
    String itemColumn;

    @Option(names = "--rating-col", paramLabel = "NAME",
            description = "CSV/TSV: the value column (default: rating, value, score, ...); 'none' for implicit data (value 1).")
    String ratingColumn;

    @Option(names = "--time-col", paramLabel = "NAME",
            description = "CSV/TSV: the timestamp column (default: timestamp, time, ts if present); 'none' to ignore.")
    String timeColumn;

    @Option(names = "--skip-malformed", description = "Skip malformed lines (and count them) instead of stopping at the first.")
    boolean skipMalformed;

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "Where 'mfkit download' keeps sets (with --dataset).")
    Path cacheDir;

    /** Settings names under which a model records the file it was trained on. */
    static final String RECORDED_FILE = "input.file";
    static final String RECORDED_FORMAT = "input.format";
    static final String RECORDED_USER_COLUMN = "input.user-col";
    static final String RECORDED_ITEM_COLUMN = "input.item-col";
    static final String RECORDED_RATING_COLUMN = "input.rating-col";
    static final String RECORDED_TIME_COLUMN = "input.time-col";
    static final String RECORDED_SKIP = "input.skip-malformed";

    /**
     * How {@code loaded} was read, as name/value settings to keep with a model: the absolute
     * file, the format and the column options. {@link #readRecorded} reads the same
     * interactions again from them (recommend and evaluate use it to exclude what each user
     * has already seen).
     */
    Map<String, String> record(LoadedRatings loaded) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(RECORDED_FILE, loaded.file().toAbsolutePath().normalize().toString());
        settings.put(RECORDED_FORMAT, loaded.format().id());
        if (userColumn != null) settings.put(RECORDED_USER_COLUMN, userColumn);
        if (itemColumn != null) settings.put(RECORDED_ITEM_COLUMN, itemColumn);
        if (ratingColumn != null) settings.put(RECORDED_RATING_COLUMN, ratingColumn);
        if (timeColumn != null) settings.put(RECORDED_TIME_COLUMN, timeColumn);
        if (skipMalformed) settings.put(RECORDED_SKIP, "true");
        return settings;
    }

    /** The file a model recorded with {@link #record}, or null when it recorded none. */
    static Path recordedFile(Map<String, String> settings) {
        String file = settings.get(RECORDED_FILE);
        return file == null ? null : Path.of(file);
    }

    /** Reads the interactions a model recorded with {@link #record}, reporting on {@code out}. */
    static LoadedRatings readRecorded(Map<String, String> settings, PrintWriter out) throws IOException {
        InputOptions input = new InputOptions();
        input.source = new Source();
        input.source.file = recordedFile(settings);
        if (input.source.file == null) throw new IllegalArgumentException("the model records no training file");
        input.format = settings.get(RECORDED_FORMAT);
        input.userColumn = settings.get(RECORDED_USER_COLUMN);
        input.itemColumn = settings.get(RECORDED_ITEM_COLUMN);
        input.ratingColumn = settings.get(RECORDED_RATING_COLUMN);
        input.timeColumn = settings.get(RECORDED_TIME_COLUMN);
        input.skipMalformed = Boolean.parseBoolean(settings.get(RECORDED_SKIP));
        return input.read(out);
    }

    /** The input file named on the command line (not a data set), or null. */
    Path namedFile() {
        return source == null ? null : source.file;
    }

    /** Reads the ratings, reporting what was read (and skipped) on {@code out}. */
    LoadedRatings read(PrintWriter out) throws IOException {
        Path file;
        RatingsFormat chosen = format == null ? null : RatingsFormat.parse(format);
        if (source.dataset != null) {
            MovieLensDataset set = MovieLensDataset.parse(source.dataset);
            DatasetDownloader cache = new DatasetDownloader(DatasetDownloader.GROUPLENS_BASE_URL,
                    DownloadCommand.cacheDir(cacheDir), line -> { });
            if (!cache.isCached(set)) {
                throw new IllegalArgumentException(set.id() + " is not in " + DownloadCommand.cacheDir(cacheDir)
                        + "; fetch it first with: mfkit download " + set.id());
            }
            file = cache.ratingsFile(set);
            if (chosen == null) chosen = set.format();
        } else {
            file = source.file;
        }
        RatingsReader reader = (chosen == null ? RatingsReader.detecting() : RatingsReader.of(chosen))
                .skipMalformed(skipMalformed);
        if (userColumn != null || itemColumn != null || ratingColumn != null || timeColumn != null) {
            reader = reader.columns(userColumn, itemColumn, ratingColumn, timeColumn);
        }
        long start = System.nanoTime();
        LoadedRatings loaded = reader.read(file);
        out.printf(java.util.Locale.ROOT, "Read %,d ratings (%,d users x %,d items) from %s [%s] in %.2f s%n",
                loaded.ratings().size(), loaded.ratings().numUsers(), loaded.ratings().numItems(), file,
                loaded.format().id(), (System.nanoTime() - start) / 1e9);
        if (loaded.skipped() > 0) {
            out.printf(java.util.Locale.ROOT, "Skipped %,d malformed line%s, for example:%n", loaded.skipped(),
                    loaded.skipped() == 1 ? "" : "s");
            for (String example : loaded.skippedExamples()) out.println("  " + example);
        }
        out.flush();
        return loaded;
    }
}
