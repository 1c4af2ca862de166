package org.mfkit.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mfkit.bench.jmh.TrainData;
import org.mfkit.bench.report.Family;

/** The command line and the profiles' contents. */
class BenchRunnerTest {

    @Test
    void helpPrintsUsageAndSucceeds() {
        String text = captureOut(() -> assertEquals(BenchRunner.OK, BenchRunner.run("--help")));
        assertTrue(text.contains("--profile quick|full|train|smoke"));
        assertTrue(text.contains("--jvm PATH"));
    }

    @Test
    void badArgumentsAreUsageErrors() {
        String err = captureErr(() -> {
            assertEquals(BenchRunner.USAGE, BenchRunner.run("--profile", "huge"));
            assertEquals(BenchRunner.USAGE, BenchRunner.run("--frobnicate"));
            assertEquals(BenchRunner.USAGE, BenchRunner.run("--out"));
            assertEquals(BenchRunner.USAGE, BenchRunner.run("--jvm", "/nonexistent/bin/java"));
        });
        assertTrue(err.contains("profile = huge"), err);
        assertTrue(err.contains("unknown option '--frobnicate'"), err);
        assertTrue(err.contains("--out needs a value"), err);
        assertTrue(err.contains("/nonexistent/bin/java is not an executable file"), err);
    }

    @Test
    void unknownProfileNameIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Profile.named("slow"));
        assertTrue(e.getMessage().contains("expected quick, full, train or smoke"));
    }

    @Test
    void everyProfileCoversEveryFamilyAndTheCeilings() {
        for (String name : new String[] {"smoke", "quick", "full"}) {
            Profile profile = Profile.named(name);
            Set<Family> covered = EnumSet.noneOf(Family.class);
            boolean fma = false;
            boolean stream = false;
            for (Profile.Case c : profile.cases()) {
                if (c.family() != null) covered.add(c.family());
                else if ("fma".equals(c.method())) fma = true;
                else if ("stream".equals(c.method())) stream = true;
            }
            assertEquals(EnumSet.allOf(Family.class), covered, name);
            assertTrue(fma && stream, name + " measures both ceilings");
        }
    }

    @Test
    void fullProfileHasTheTargetShapes() {
        Profile full = Profile.named("full");
        assertTrue(has(full, Family.GRAM, "k", "64", "n", "1000000"), "Gram 1,000,000 × 64");
        assertTrue(has(full, Family.CHOLESKY, "k", "64", "n", "10000"), "10,000 Cholesky systems of 64");
        assertTrue(has(full, Family.DOT, "k", "64"), "gathered dot k = 64");
        assertTrue(has(full, Family.SGD, "k", "64", "threads", "1"), "SGD k = 64 on one thread");
        assertTrue(has(full, Family.SGD, "k", "64", "threads", "all"), "SGD k = 64 on all threads");
        for (String solver : new String[] {"cg3", "cholesky"}) {
            assertTrue(has(full, Family.ALS_ITERATION, "users", "138000", "items", "27000", "nnz", "10000000", "k", "64",
                    "solver", solver), "ML-20M-shaped ALS with " + solver);
        }
        for (String k : new String[] {"16", "64", "128", "256"}) {
            assertTrue(has(full, Family.GRAM, "k", k), "Gram at k = " + k);
            assertTrue(has(full, Family.CHOLESKY, "k", k), "Cholesky at k = " + k);
            assertTrue(has(full, Family.DOT, "k", k), "dot at k = " + k);
        }
    }

    @Test
    void trainProfileHasEveryTrainerOnBothSets() {
        Profile train = Profile.named("train");
        for (String data : new String[] {"ml1m", "synth10m"}) {
            for (String threads : new String[] {"1", "all"}) {
                assertTrue(has(train, Family.TRAIN_EPOCH, "data", data, "trainer", "biased-mf", "k", "64", "threads", threads));
                assertTrue(has(train, Family.TRAIN_EPOCH, "data", data, "trainer", "bpr", "k", "64", "threads", threads));
                assertTrue(has(train, Family.TRAIN_EPOCH, "data", data, "trainer", "als", "k", "64", "threads", threads));
                for (String solver : new String[] {"cg3", "cholesky"}) {
                    assertTrue(has(train, Family.TRAIN_EPOCH, "data", data, "trainer", "implicit-als", "solver", solver,
                            "k", "64", "threads", threads), data + " implicit ALS " + solver + " on " + threads);
                }
            }
        }
    }

    @Test
    void missingTenMillionSetIsSkippedWithHowToGetIt(@TempDir Path empty) {
        String text = captureOut(() -> assertEquals(BenchRunner.OK,
                BenchRunner.run("--profile", "train", "--data-dir", empty.toString(), "--list")));
        assertTrue(text.contains("data=ml1m"), text);
        assertTrue(!text.contains("data=synth10m"), "the 10M rows are not planned without the file:\n" + text);
    }

    @Test
    void writeDataWritesOneBasedCsvAndLibmfText(@TempDir Path dir)
            throws IOException {
        assertEquals(BenchRunner.OK, BenchRunner.run("--write-data", "tiny", dir.toString()));
        List<String> csv = Files.readAllLines(dir.resolve("ratings.csv"));
        List<String> txt = Files.readAllLines(dir.resolve("ratings.txt"));
        assertEquals("user,item,rating", csv.get(0));
        assertEquals(6000, txt.size());
        assertEquals(6001, csv.size());
        assertEquals(csv.get(1).replace(',', ' '), txt.get(0));
        int minUser = Integer.MAX_VALUE;
        for (String line : txt) minUser = Math.min(minUser, Integer.parseInt(line.split(" ")[0]));
        assertEquals(1, minUser, "ids are 1-based");
        var read = TrainData.load("tiny");
        assertEquals(read.size(), txt.size());
    }

    private static boolean has(Profile profile, Family family, String... nameValue) {
        outer:
        for (Profile.Case c : profile.cases()) {
            if (c.family() != family) continue;
            for (int j = 0; j < nameValue.length; j += 2) {
                if (!nameValue[j + 1].equals(c.params().get(nameValue[j]))) continue outer;
            }
            return true;
        }
        return false;
    }

    private static String captureOut(Runnable body) {
        PrintStream old = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setOut(old);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    private static String captureErr(Runnable body) {
        PrintStream old = System.err;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setErr(old);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
