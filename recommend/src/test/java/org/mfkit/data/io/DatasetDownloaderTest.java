package org.mfkit.data.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The downloader against a local HTTP server that serves a small archive laid out like ml-100k.zip. */
class DatasetDownloaderTest {
    @TempDir
    Path cache;

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private byte[] archive;
    private String base;

    @BeforeEach
    void serve() throws Exception {
        archive = zip("ml-100k/u.data", "1\t10\t5\t881250949\n2\t10\t3\t881250950\n2\t20\t4\t881250951\n",
                "ml-100k/README", "small test copy\n");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/movielens/", exchange -> {
            requests.incrementAndGet();
            byte[] body = exchange.getRequestURI().getPath().endsWith("/ml-100k.zip") ? archive : null;
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort() + "/movielens";
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void fetchesVerifiesUnpacksAndThenUsesTheCache() throws Exception {
        List<String> log = new ArrayList<>();
        DatasetDownloader downloader = new DatasetDownloader(base, cache, log::add);
        Path ratings = downloader.fetch(MovieLensDataset.ML_100K, md5(archive), false);
        assertEquals(cache.resolve("ml-100k").resolve("u.data"), ratings);
        assertEquals(3, RatingsReader.of(MovieLensDataset.ML_100K.format()).read(ratings).ratings().size());
        assertTrue(Files.isRegularFile(cache.resolve("ml-100k/README")));
        assertTrue(log.stream().anyMatch(l -> l.contains("verified")), log.toString());
        assertEquals(1, requests.get());

        downloader.fetch(MovieLensDataset.ML_100K, md5(archive), false);
        assertEquals(1, requests.get(), "a cached set is not fetched again");
        downloader.fetch(MovieLensDataset.ML_100K, md5(archive), true);
        assertEquals(2, requests.get(), "force fetches again");
        assertEquals(List.of("ml-100k"), names(cache));
    }

    @Test
    void aChecksumMismatchKeepsNothing() {
        DatasetDownloader downloader = new DatasetDownloader(base, cache, line -> { });
        IOException e = assertThrows(IOException.class, () -> downloader.fetch(MovieLensDataset.ML_100K, null, false));
        assertTrue(e.getMessage().contains("checksum mismatch") && e.getMessage().contains(MovieLensDataset.ML_100K.md5()),
                e.getMessage());
        assertEquals(List.of(), names(cache));
    }

    @Test
    void httpErrorsAreReportedWithTheUrl() {
        DatasetDownloader downloader = new DatasetDownloader(base, cache, line -> { });
        IOException e = assertThrows(IOException.class, () -> downloader.fetch(MovieLensDataset.ML_1M, null, false));
        assertTrue(e.getMessage().contains("/movielens/ml-1m.zip answered HTTP 404"), e.getMessage());
        assertEquals(List.of(), names(cache));
    }

    @Test
    void anArchiveWithoutTheRatingsFileIsRejected() throws Exception {
        archive = zip("ml-100k/README", "no ratings here\n");
        DatasetDownloader downloader = new DatasetDownloader(base, cache, line -> { });
        IOException e = assertThrows(IOException.class, () -> downloader.fetch(MovieLensDataset.ML_100K, md5(archive), false));
        assertTrue(e.getMessage().contains("has no ml-100k/u.data"), e.getMessage());
        assertEquals(List.of(), names(cache));
    }

    @Test
    void entriesEscapingTheFolderAreRefused() throws Exception {
        archive = zip("ml-100k/u.data", "1\t1\t1\t1\n", "ml-100k/../../evil", "x");
        DatasetDownloader downloader = new DatasetDownloader(base, cache, line -> { });
        IOException e = assertThrows(IOException.class, () -> downloader.fetch(MovieLensDataset.ML_100K, md5(archive), false));
        assertTrue(e.getMessage().contains("points outside"), e.getMessage());
        assertEquals(List.of(), names(cache));
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new DatasetDownloader("ftp://x/", cache, null));
        DatasetDownloader downloader = new DatasetDownloader(base, cache, null);
        assertThrows(IllegalArgumentException.class, () -> downloader.fetch(MovieLensDataset.ML_100K, "abc", false));
        assertEquals(MovieLensDataset.ML_25M, MovieLensDataset.parse("movielens-25m"));
        assertEquals(MovieLensDataset.ML_1M, MovieLensDataset.parse("1m"));
        assertThrows(IllegalArgumentException.class, () -> MovieLensDataset.parse("ml-2k"));
    }

    private static List<String> names(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] zip(String... namesAndContents) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (int j = 0; j < namesAndContents.length; j += 2) {
                zip.putNextEntry(new ZipEntry(namesAndContents[j]));
                zip.write(namesAndContents[j + 1].getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static String md5(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    }
}
