package org.mfkit.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.Callable;
import org.mfkit.data.io.DatasetDownloader;
import org.mfkit.data.io.MovieLensDataset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mfkit download}: fetches a MovieLens set into the cache, checksum-verified. */
@Command(name = "download", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Download a MovieLens rating set from GroupLens into the cache and verify its published MD5.",
                "Sets: ml-100k, ml-1m, ml-10m, ml-20m, ml-25m (also written movielens-100k, ...).",
                "Then train on it with: mfkit train --dataset ml-100k ..."})
final class DownloadCommand implements Callable<Integer> {
    /** Environment variable overriding the download base URL (a mirror). */
    static final String BASE_URL_ENV = "MFKIT_DATASET_URL";

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DATASET", arity = "0..1", description = "The set to fetch, e.g. ml-100k. Without it: list the sets.")
    String dataset;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "Where sets are kept (default: $MFKIT_CACHE, else ~/.cache/mfkit/datasets).")
    Path cacheDir;

    @Option(names = "--base-url", paramLabel = "URL",
            description = "Folder the archives are fetched from (default: $" + BASE_URL_ENV + ", else "
                    + DatasetDownloader.GROUPLENS_BASE_URL + ").")
    String baseUrl;

    @Option(names = "--md5", paramLabel = "HEX",
            description = "Check the archive against this MD5 instead of the published one (for a mirror that repackages).")
    String md5;

    @Option(names = "--force", description = "Fetch again even if the set is in the cache.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        DatasetDownloader downloader = new DatasetDownloader(baseUrl(), cacheDir(cacheDir), line -> {
            out.println(line);
            out.flush();
        });
        if (dataset == null) {
            Table table = new Table("", "set", "cached", "contents");
            for (MovieLensDataset d : MovieLensDataset.values()) {
                table.row(d.id(), downloader.isCached(d) ? "yes" : "no", d.summary());
            }
            table.print(out);
            return 0;
        }
        MovieLensDataset set = MovieLensDataset.parse(dataset);
        Path ratings = downloader.fetch(set, md5, force);
        out.println("ratings: " + ratings + " (" + set.format().id() + ")");
        out.println("next:    mfkit train --dataset " + set.id() + " --output " + set.id() + ".mfm");
        out.flush();
        return 0;
    }

    private String baseUrl() {
        if (baseUrl != null) return baseUrl;
        String env = System.getenv(BASE_URL_ENV);
        return env != null && !env.isBlank() ? env : DatasetDownloader.GROUPLENS_BASE_URL;
    }

    /** The cache directory: the option, $MFKIT_CACHE, or ~/.cache/mfkit/datasets. */
    static Path cacheDir(Path option) {
        if (option != null) return option;
        String env = System.getenv("MFKIT_CACHE");
        if (env != null && !env.isBlank()) return Paths.get(env);
        return Paths.get(System.getProperty("user.home"), ".cache", "mfkit", "datasets");
    }
}
