package org.mfkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.HexFormat;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands that need no trained model: help, version, backends, download, bad flags. */
class BasicCommandsTest {
    @TempDir
    Path dir;

    @Test
    void helpListsEveryCommand() {
        CliRun run = CliRun.of("--help");
        assertEquals(0, run.exitCode(), run.toString());
        for (String command : new String[] {"demo", "backends", "download", "train", "evaluate", "recommend", "similar", "bench"}) {
            assertTrue(run.out().contains("  " + command + " "), command + "\n" + run);
        }
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : Main.commandLine().getSubcommands().keySet()) {
            if (command.equals("help")) continue;
            CliRun run = CliRun.of(command, "--help");
            assertEquals(0, run.exitCode(), command + "\n" + run);
            assertTrue(run.out().startsWith("Usage: mfkit " + command), command + "\n" + run);
        }
    }

    @Test
    void versionNamesTheJvm() {
        CliRun run = CliRun.of("--version");
        assertEquals(0, run.exitCode());
        assertTrue(run.out().startsWith("mfkit "), run.toString());
        assertTrue(run.out().contains("JVM: "), run.toString());
    }

    @Test
    void backendsListsTheScalarReferenceAsAvailable() {
        CliRun run = CliRun.of("backends");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().lines().anyMatch(l -> l.startsWith("scalar") && l.contains("available")), run.toString());
        assertTrue(run.out().contains("Default: "), run.toString());
    }

    @Test
    void unknownOptionsAndCommandsAreUsageErrors() {
        CliRun run = CliRun.of("backends", "--frobnicate");
        assertEquals(Main.EXIT_USAGE, run.exitCode(), run.toString());
        assertTrue(run.err().contains("mfkit backends: Unknown option: '--frobnicate'"), run.toString());
        assertTrue(run.err().contains("Try 'mfkit backends --help'"), run.toString());
        CliRun command = CliRun.of("trian");
        assertEquals(Main.EXIT_USAGE, command.exitCode(), command.toString());
        CliRun value = CliRun.of("--threads", "many");
        assertEquals(Main.EXIT_USAGE, value.exitCode(), value.toString());
        assertTrue(value.err().contains("'many' is not an int"), value.toString());
    }

    @Test
    void demoRejectsNegativeThreadsWithAClearMessage() {
        CliRun run = CliRun.of("demo", "--threads", "-1");
        assertEquals(Main.EXIT_FAILURE, run.exitCode(), run.toString());
        assertEquals("mfkit demo: --threads = -1 must be >= 0", run.err().strip());
        assertEquals("", run.out());
    }

    @Test
    void demoRejectsAnUnknownBackend() {
        CliRun run = CliRun.of("demo", "--backend", "quantum");
        assertEquals(Main.EXIT_FAILURE, run.exitCode(), run.toString());
        assertTrue(run.err().contains("--backend quantum is not an available backend"), run.toString());
    }

    @Test
    void downloadWithoutANameListsTheSets() {
        CliRun run = CliRun.of("download", "--cache-dir", dir.toString());
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("ml-100k") && run.out().contains("ml-25m"), run.toString());
    }

    @Test
    void downloadFetchesFromALocalMirrorAndRejectsABadChecksum() throws Exception {
        byte[] archive = zip("ml-100k/u.data", "1\t10\t5\t881250949\n2\t10\t3\t881250950\n");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, archive.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(archive);
            }
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
            Path cache = dir.resolve("cache");
            CliRun bad = CliRun.of("download", "ml-100k", "--base-url", base, "--cache-dir", cache.toString());
            assertEquals(Main.EXIT_FAILURE, bad.exitCode(), bad.toString());
            assertTrue(bad.err().contains("checksum mismatch"), bad.toString());
            assertEquals(0, count(cache), "nothing kept after a bad checksum");

            String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(archive));
            CliRun good = CliRun.of("download", "movielens-100k", "--base-url", base, "--cache-dir", cache.toString(), "--md5", md5);
            assertEquals(0, good.exitCode(), good.toString());
            assertTrue(Files.isRegularFile(cache.resolve("ml-100k/u.data")), good.toString());
            assertTrue(good.out().contains("ratings: " + cache.resolve("ml-100k/u.data")), good.toString());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void downloadRejectsUnknownSetsAndBadUrls() {
        CliRun unknown = CliRun.of("download", "ml-3m", "--cache-dir", dir.toString());
        assertEquals(Main.EXIT_FAILURE, unknown.exitCode(), unknown.toString());
        assertTrue(unknown.err().contains("unknown dataset 'ml-3m'; known: ml-100k"), unknown.toString());
        CliRun url = CliRun.of("download", "ml-100k", "--cache-dir", dir.toString(), "--base-url", "file:///tmp/");
        assertEquals(Main.EXIT_FAILURE, url.exitCode(), url.toString());
        assertTrue(url.err().contains("must be an http or https URL"), url.toString());
        assertFalse(Files.exists(dir.resolve("ml-100k")));
    }

    private static long count(Path folder) throws IOException {
        if (!Files.exists(folder)) return 0;
        try (Stream<Path> files = Files.list(folder)) {
            return files.count();
        }
    }

    private static byte[] zip(String name, String content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(name));
            zip.write(content.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }
}
