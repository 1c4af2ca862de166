package org.mfkit.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mfkit.bench.report.Family;
import org.mfkit.bench.report.Json;

/**
 * Runs the whole harness end to end with the smoke profile (the quick profile's families
 * at tiny sizes, one tiny in-process measurement each) and checks that it produced a valid
 * report. Says nothing about speed.
 */
class BenchSmokeTest {
    @TempDir
    Path out;

    @Test
    void smokeProfileWritesAValidReport() throws IOException {
        // JMH refuses to start while another JMH run holds /tmp/jmh.lock (to keep timings
        // clean); a smoke run measures nothing, and CI or sibling builds may run JMH meanwhile.
        String previousLock = System.setProperty("jmh.ignoreLock", "true");
        int rc;
        try {
            rc = BenchRunner.run("--profile", "smoke", "--quiet", "--out", out.toString());
        } finally {
            if (previousLock == null) System.clearProperty("jmh.ignoreLock");
            else System.setProperty("jmh.ignoreLock", previousLock);
        }
        assertEquals(BenchRunner.OK, rc, "every row measured and cross-checked");

        Object results = Json.parse(Files.readString(out.resolve("results.json")));
        assertTrue(results instanceof List<?> list && !list.isEmpty(), "results.json is a non-empty JMH array");
        for (Object o : (List<?>) results) {
            Map<?, ?> entry = (Map<?, ?>) o;
            assertTrue(((String) entry.get("benchmark")).startsWith("org.mfkit.bench.jmh."));
            Map<?, ?> metric = (Map<?, ?>) entry.get("primaryMetric");
            assertTrue(((Number) metric.get("score")).doubleValue() > 0, "positive time for " + entry.get("benchmark"));
        }

        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("# mfkit benchmark report"));
        assertTrue(report.contains("| CPU |"));
        assertTrue(report.contains("| Vector API preferred species |"));
        assertTrue(report.contains("## Machine ceilings"));
        assertTrue(report.contains("FP32 FMA peak"));
        assertTrue(report.contains("streaming read bandwidth"));
        assertTrue(report.contains("| scalar | available"));
        for (Family family : Family.values()) {
            assertTrue(report.contains("## " + family.title + "\n"), "section for " + family.title);
            Path chart = out.resolve("charts").resolve(family.bench.replace("Bench", "").toLowerCase() + ".png");
            assertPng(chart);
        }
        assertFalse(report.contains("**FAILED**"), "no cross-check failed");
        assertFalse(report.contains("no result"), "every planned row has a result");

        int checks = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(out.resolve("checks"), "*.check")) {
            for (Path f : files) {
                Properties p = new Properties();
                try (InputStream in = Files.newInputStream(f)) {
                    p.load(in);
                }
                String status = p.getProperty("status");
                assertTrue(status.equals("OK") || status.equals("REFERENCE"), f + ": " + status);
                checks++;
            }
        }
        assertTrue(checks >= Family.values().length, "a cross-check record per row, found " + checks);
    }

    static void assertPng(Path file) throws IOException {
        assertTrue(Files.isRegularFile(file), file + " exists");
        byte[] bytes = Files.readAllBytes(file);
        assertTrue(bytes.length > 1000, file + " is a real image, " + bytes.length + " bytes");
        assertEquals((byte) 0x89, bytes[0]);
        assertEquals('P', bytes[1]);
        assertEquals('N', bytes[2]);
        assertEquals('G', bytes[3]);
    }
}
