package org.mfkit.data.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Fetches a {@link MovieLensDataset} into a cache directory: downloads the archive from the
 * base URL (GroupLens by default; any mirror with the same file names works), checks its MD5
 * against the published one, and unpacks it into {@code <cache>/<id>/}. Nothing partial is
 * ever left under that name: the archive goes to a temporary file, the unpacked files to a
 * temporary directory that is renamed into place only once complete, and a failed checksum
 * deletes everything fetched. A set already in the cache is not fetched again.
 */
public final class DatasetDownloader {
    /** Where GroupLens publishes the MovieLens archives. */
    public static final String GROUPLENS_BASE_URL = "https://files.grouplens.org/datasets/movielens/";
    private static final String MARKER = ".mfkit-verified";

    private final URI baseUrl;
    private final Path cacheDir;
    private final Consumer<String> log;
    private final HttpClient client;

    /**
     * @param baseUrl  the folder the archives are in (a trailing slash is added if missing)
     * @param cacheDir where sets are unpacked
     * @param log      receives one line per step (may be a no-op)
     */
    public DatasetDownloader(String baseUrl, Path cacheDir, Consumer<String> log) {
        if (baseUrl == null || baseUrl.isBlank()) throw new IllegalArgumentException("baseUrl must not be blank");
        if (cacheDir == null) throw new IllegalArgumentException("cacheDir must not be null");
        String base = baseUrl.endsWith("/") ? baseUrl : baseUrl + "/";
        URI uri = URI.create(base);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("baseUrl '" + baseUrl + "' must be an http or https URL");
        }
        this.baseUrl = uri;
        this.cacheDir = cacheDir;
        this.log = log == null ? line -> { } : log;
        this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30)).build();
    }

    /** Where the set's ratings file is once fetched. */
    public Path ratingsFile(MovieLensDataset dataset) {
        return cacheDir.resolve(dataset.id()).resolve(dataset.ratingsFile());
    }

    /** Whether the set is already in the cache, verified. */
    public boolean isCached(MovieLensDataset dataset) {
        return Files.isRegularFile(cacheDir.resolve(dataset.id()).resolve(MARKER)) && Files.isRegularFile(ratingsFile(dataset));
    }

    /**
     * Makes the set available and returns its ratings file.
     *
     * @param expectedMd5 the MD5 to check against, or null for the published one
     * @param force       fetch again even when cached
     */
    public Path fetch(MovieLensDataset dataset, String expectedMd5, boolean force) throws IOException, InterruptedException {
        if (dataset == null) throw new IllegalArgumentException("dataset must not be null");
        String md5 = expectedMd5 == null ? dataset.md5() : expectedMd5.trim().toLowerCase(Locale.ROOT);
        if (!md5.matches("[0-9a-f]{32}")) throw new IllegalArgumentException("md5 '" + expectedMd5 + "' is not 32 hex digits");
        Path target = cacheDir.resolve(dataset.id());
        if (!force && isCached(dataset)) {
            log.accept(dataset.id() + " is already in " + target);
            return ratingsFile(dataset);
        }
        Files.createDirectories(cacheDir);
        URI url = baseUrl.resolve(dataset.archive());
        Path archive = Files.createTempFile(cacheDir, "." + dataset.archive() + ".", ".part");
        Path unpacked = null;
        try {
            log.accept("downloading " + url);
            String actual = download(url, archive);
            if (!actual.equals(md5)) {
                throw new IOException("checksum mismatch for " + url + ": expected MD5 " + md5 + ", got " + actual + " ("
                        + Files.size(archive) + " bytes); the download is damaged or not the published file; nothing was kept");
            }
            log.accept("MD5 " + actual + " verified (" + Files.size(archive) + " bytes)");
            unpacked = Files.createTempDirectory(cacheDir, "." + dataset.id() + ".");
            unzip(archive, dataset.archiveFolder(), unpacked);
            if (!Files.isRegularFile(unpacked.resolve(dataset.ratingsFile()))) {
                throw new IOException(url + " has no " + dataset.archiveFolder() + "/" + dataset.ratingsFile()
                        + "; nothing was kept");
            }
            Files.writeString(unpacked.resolve(MARKER), md5 + "  " + dataset.archive() + "\n", StandardCharsets.US_ASCII);
            if (Files.exists(target)) deleteTree(target);
            try {
                Files.move(unpacked, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                throw new IOException(target + " appeared while downloading (another download running?); try again", e);
            }
            unpacked = null;
            log.accept("unpacked into " + target);
            return ratingsFile(dataset);
        } finally {
            Files.deleteIfExists(archive);
            if (unpacked != null) deleteTree(unpacked);
        }
    }

    private String download(URI url, Path to) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(30)).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new IOException("cannot reach " + url + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
        MessageDigest digest = md5();
        try (InputStream in = response.body(); OutputStream out = Files.newOutputStream(to)) {
            if (response.statusCode() != 200) {
                throw new IOException("GET " + url + " answered HTTP " + response.statusCode());
            }
            long total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            byte[] buffer = new byte[1 << 16];
            long done = 0;
            long nextReport = 16L << 20;
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
                out.write(buffer, 0, n);
                done += n;
                if (done >= nextReport) {
                    log.accept("  " + (done >> 20) + " MiB" + (total > 0 ? " of " + (total >> 20) + " MiB" : ""));
                    nextReport += 16L << 20;
                }
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Unpacks entries under {@code folder/} into {@code into}, refusing paths that escape it. */
    private static void unzip(Path archive, String folder, Path into) throws IOException {
        String prefix = folder + "/";
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(archive))) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                String name = entry.getName();
                if (!name.startsWith(prefix)) continue;
                String relative = name.substring(prefix.length());
                if (relative.isEmpty()) continue;
                Path out = into.resolve(relative).normalize();
                if (!out.startsWith(into)) throw new IOException("archive entry '" + name + "' points outside its folder");
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(zip, out, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (java.util.zip.ZipException e) {
            throw new IOException(archive.getFileName() + " is not a valid zip archive: " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
        }
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no MD5", e);
        }
    }
}
