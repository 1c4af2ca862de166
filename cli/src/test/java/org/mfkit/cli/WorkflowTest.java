package org.mfkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mfkit.data.io.RatingsFormat;

/** What a newcomer with a network does: download a MovieLens set, train on it, recommend (served locally here). */
class WorkflowTest {
    @TempDir
    Path dir;

    @Test
    void downloadTrainRecommendEvaluate() throws Exception {
        Path data = TestFiles.write(TestFiles.ratings(11), dir, "u.data", RatingsFormat.MOVIELENS_100K);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("ml-100k/u.data"));
            zip.write(Files.readAllBytes(data));
            zip.closeEntry();
        }
        byte[] archive = bytes.toByteArray();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, archive.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(archive);
            }
        });
        server.start();
        Path cache = dir.resolve("cache");
        try {
            String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(archive));
            CliRun download = CliRun.of("download", "ml-100k", "--base-url",
                    "http://127.0.0.1:" + server.getAddress().getPort() + "/", "--md5", md5, "--cache-dir", cache.toString());
            assertEquals(0, download.exitCode(), download.toString());
        } finally {
            server.stop(0);
        }
        Path model = dir.resolve("ml100k.mfm");
        CliRun train = CliRun.of("train", "--dataset", "ml-100k", "--cache-dir", cache.toString(), "-o", model.toString(),
                "--epochs", "3", "-k", "4");
        assertEquals(0, train.exitCode(), train.toString());
        assertTrue(train.out().contains("[movielens-100k]"), train.toString());

        CliRun recommend = CliRun.of("recommend", "-m", model.toString(), "--user", "u1", "-n", "3");
        assertEquals(0, recommend.exitCode(), recommend.toString());
        assertTrue(recommend.out().contains("Seen items from " + cache.resolve("ml-100k/u.data").toAbsolutePath()),
                recommend.toString());
        assertTrue(recommend.out().lines().anyMatch(l -> l.matches("\\s+3\\s+i\\d+\\s+\\d\\.\\d{4}")), recommend.toString());

        CliRun evaluate = CliRun.of("evaluate", "-m", model.toString(), "--dataset", "ml-100k", "--cache-dir", cache.toString(),
                "--include-seen", "--at", "3");
        assertEquals(0, evaluate.exitCode(), evaluate.toString());
        assertTrue(evaluate.out().contains("training items excluded: none"), evaluate.toString());
    }
}
