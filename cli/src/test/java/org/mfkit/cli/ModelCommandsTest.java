package org.mfkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code evaluate}, {@code recommend} and {@code similar} on a model trained in the test. */
class ModelCommandsTest {
    @TempDir
    Path dir;

    Path train;
    Path test;
    Path model;

    @BeforeEach
    void trainAModel() throws Exception {
        Path[] files = TestFiles.trainAndTest(dir);
        train = files[0];
        test = files[1];
        model = dir.resolve("m.mfm");
        CliRun run = CliRun.of("train", "-i", train.toString(), "-o", model.toString(), "--epochs", "3", "-k", "4");
        assertEquals(0, run.exitCode(), run.toString());
    }

    @Test
    void evaluateReportsRatingAndRankingMetricsBesideTheBaseline() {
        CliRun run = CliRun.of("evaluate", "-m", model.toString(), "-i", test.toString(), "--at", "5,10");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("Rating accuracy on "), run.toString());
        assertTrue(run.out().matches("(?s).*RMSE \\d\\.\\d{4}  MAE \\d\\.\\d{4}.*"), run.toString());
        assertTrue(run.out().contains("recorded in the model"), run.toString());
        assertTrue(run.out().lines().anyMatch(l -> l.matches("\\s+biased-mf\\s+5\\s.*")), run.toString());
        assertTrue(run.out().lines().anyMatch(l -> l.matches("\\s+popularity\\s+10\\s.*")), run.toString());
    }

    @Test
    void evaluateOfAnImplicitModelSkipsRatingAccuracy() {
        Path implicit = dir.resolve("i.mfm");
        assertEquals(0, CliRun.of("train", "-i", train.toString(), "-o", implicit.toString(), "--type", "implicit-als",
                "--epochs", "2", "-k", "4").exitCode());
        CliRun run = CliRun.of("evaluate", "-m", implicit.toString(), "-i", test.toString(), "--min-relevant", "4",
                "--no-baseline");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("Rating accuracy: not applicable"), run.toString());
        assertTrue(run.out().contains("with value >= 4.0"), run.toString());
        assertFalse(run.out().contains("popularity"), run.toString());
    }

    @Test
    void evaluateRefusesBadModelsAndFiles() throws Exception {
        byte[] bytes = Files.readAllBytes(model);
        Path truncated = Files.write(dir.resolve("truncated.mfm"), Arrays.copyOf(bytes, bytes.length / 2));
        CliRun cut = CliRun.of("evaluate", "-m", truncated.toString(), "-i", test.toString());
        assertEquals(Main.EXIT_FAILURE, cut.exitCode(), cut.toString());
        assertTrue(cut.err().contains("truncated"), cut.toString());

        Path corrupted = dir.resolve("corrupted.mfm");
        byte[] flipped = bytes.clone();
        flipped[bytes.length / 2] ^= 0x40;
        Files.write(corrupted, flipped);
        CliRun crc = CliRun.of("evaluate", "-m", corrupted.toString(), "-i", test.toString());
        assertEquals(Main.EXIT_FAILURE, crc.exitCode(), crc.toString());
        assertTrue(crc.err().contains("checksum"), crc.toString());

        CliRun notAModel = CliRun.of("evaluate", "-m", test.toString(), "-i", test.toString());
        assertEquals(Main.EXIT_FAILURE, notAModel.exitCode(), notAModel.toString());
        assertTrue(notAModel.err().contains("not an mfkit model file"), notAModel.toString());

        Path strangers = Files.writeString(dir.resolve("strangers.csv"), "user,item,rating\nzed,i1,4\nyan,i2,3\n");
        CliRun unknown = CliRun.of("evaluate", "-m", model.toString(), "-i", strangers.toString());
        assertEquals(Main.EXIT_FAILURE, unknown.exitCode(), unknown.toString());
        assertTrue(unknown.err().contains("no test interaction in " + strangers + " names a user and an item the model knows"),
                unknown.toString());

        CliRun badK = CliRun.of("evaluate", "-m", model.toString(), "-i", test.toString(), "--at", "0");
        assertEquals(Main.EXIT_FAILURE, badK.exitCode(), badK.toString());
        assertTrue(badK.err().contains("--at 0 must be >= 1"), badK.toString());
    }

    @Test
    void recommendExcludesWhatEachUserHasSeen() throws Exception {
        Path out = dir.resolve("recs.csv");
        CliRun run = CliRun.of("recommend", "-m", model.toString(), "--all-users", "-n", "5", "-o", out.toString());
        assertEquals(0, run.exitCode(), run.toString());
        List<String> lines = Files.readAllLines(out);
        assertEquals("user,rank,item,score", lines.get(0));
        assertEquals(1 + 60 * 5, lines.size(), "5 for each of the 60 users");
        Set<String> seen = new HashSet<>();
        for (String line : Files.readAllLines(train).subList(1, Files.readAllLines(train).size())) {
            String[] f = line.split(",");
            seen.add(f[0] + "," + f[1]);
        }
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            assertFalse(seen.contains(f[0] + "," + f[2]), "recommended a seen item: " + line);
        }

        CliRun table = CliRun.of("recommend", "-m", model.toString(), "-u", "u3,u5", "-n", "3");
        assertEquals(0, table.exitCode(), table.toString());
        assertTrue(table.out().contains("User u3") && table.out().contains("User u5"), table.toString());

        CliRun withSeen = CliRun.of("recommend", "-m", model.toString(), "-u", "u3", "-n", "80", "--include-seen");
        assertEquals(0, withSeen.exitCode(), withSeen.toString());
        assertTrue(withSeen.out().lines().anyMatch(l -> l.matches("\\s+80\\s+i\\d+\\s+.*")), "all 80 items\n" + withSeen);
    }

    @Test
    void recommendFindsTheTrainingFileElsewhereWhenTold() throws Exception {
        Path moved = Files.move(train, dir.resolve("moved.csv"));
        CliRun gone = CliRun.of("recommend", "-m", model.toString(), "-u", "u1");
        assertEquals(Main.EXIT_FAILURE, gone.exitCode(), gone.toString());
        assertTrue(gone.err().contains("the model's training file " + train + " is gone; give --train FILE"), gone.toString());
        CliRun told = CliRun.of("recommend", "-m", model.toString(), "-u", "u1", "--train", moved.toString());
        assertEquals(0, told.exitCode(), told.toString());
        assertTrue(told.out().contains("Seen items from " + moved), told.toString());
    }

    @Test
    void recommendRefusesBadUsersAndFlagsWithoutWriting() throws Exception {
        Path out = dir.resolve("recs.csv");
        List<String> before = TestFiles.listing(dir);
        Object[][] cases = {
                {new String[] {"-u", "u1,nobody"}, Main.EXIT_FAILURE, "user 'nobody' is not in the model"},
                {new String[] {"-u", "u1", "-n", "0"}, Main.EXIT_FAILURE, "--count = 0 must be >= 1"},
                {new String[] {"-u", "u1", "--all-users"}, Main.EXIT_USAGE, "mutually exclusive"},
                {new String[] {}, Main.EXIT_USAGE, "Missing required argument"},
                {new String[] {"-u", "u1", "--include-seen", "--train", "x.csv"}, Main.EXIT_FAILURE, "--include-seen excludes nothing"},
                {new String[] {"-u", "u1", "--train-format", "csv"}, Main.EXIT_FAILURE, "--train-format needs --train FILE"},
                {new String[] {"-u", "u1", "--train", dir.resolve("none.csv").toString()}, Main.EXIT_FAILURE, "no such file"},
        };
        for (Object[] c : cases) {
            String[] extra = (String[]) c[0];
            String[] args = new String[5 + extra.length];
            args[0] = "recommend";
            args[1] = "-m";
            args[2] = model.toString();
            args[3] = "-o";
            args[4] = out.toString();
            System.arraycopy(extra, 0, args, 5, extra.length);
            CliRun run = CliRun.of(args);
            assertEquals((int) c[1], run.exitCode(), String.join(" ", extra) + "\n" + run);
            assertTrue(run.err().contains((String) c[2]), String.join(" ", extra) + "\n" + run);
            assertEquals(before, TestFiles.listing(dir), String.join(" ", extra));
        }
        CliRun missingModel = CliRun.of("recommend", "-m", dir.resolve("none.mfm").toString(), "-u", "u1");
        assertEquals(Main.EXIT_FAILURE, missingModel.exitCode(), missingModel.toString());
        assertTrue(missingModel.err().contains("none.mfm"), missingModel.toString());
    }

    @Test
    void similarListsItemsByCosine() throws Exception {
        CliRun run = CliRun.of("similar", "-m", model.toString(), "i3", "i7", "-n", "4");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("Item i3") && run.out().contains("Item i7"), run.toString());
        assertTrue(run.out().lines().anyMatch(l -> l.matches("\\s+4\\s+i\\d+\\s+-?[01]\\.\\d{4}")), run.toString());

        Path out = dir.resolve("similar.csv");
        CliRun csv = CliRun.of("similar", "-m", model.toString(), "i3", "-n", "2", "-o", out.toString());
        assertEquals(0, csv.exitCode(), csv.toString());
        List<String> lines = Files.readAllLines(out);
        assertEquals(3, lines.size(), lines.toString());
        assertEquals("item,rank,similar,cosine", lines.get(0));
        assertTrue(lines.get(1).startsWith("i3,1,i"), lines.toString());
        assertFalse(lines.get(1).startsWith("i3,1,i3,"), "an item is not similar to itself: " + lines);
    }

    @Test
    void similarKeepsToTheAllowListAndLeavesOutTheDenyList() throws Exception {
        Path out = dir.resolve("similar.csv");
        CliRun allowed = CliRun.of("similar", "-m", model.toString(), "i3", "-n", "10", "--allow", "i1,i2,i3",
                "--allow", "i9", "-o", out.toString());
        assertEquals(0, allowed.exitCode(), allowed.toString());
        Set<String> listed = new HashSet<>();
        for (String line : Files.readAllLines(out).subList(1, Files.readAllLines(out).size())) listed.add(line.split(",")[2]);
        assertEquals(Set.of("i1", "i2", "i9"), listed, "only allowed items, never the item itself");

        CliRun plain = CliRun.of("similar", "-m", model.toString(), "i3", "-n", "3", "-o", out.toString());
        assertEquals(0, plain.exitCode(), plain.toString());
        String best = Files.readAllLines(out).get(1).split(",")[2];
        CliRun denied = CliRun.of("similar", "-m", model.toString(), "i3", "-n", "3", "--deny", best, "-o", out.toString());
        assertEquals(0, denied.exitCode(), denied.toString());
        assertTrue(Files.readAllLines(out).stream().noneMatch(l -> l.split(",")[2].equals(best)), "denied " + best);

        CliRun nothingLeft = CliRun.of("similar", "-m", model.toString(), "i3", "--allow", "i4", "--deny", "i4");
        assertEquals(0, nothingLeft.exitCode(), nothingLeft.toString());
        assertTrue(nothingLeft.out().contains("(no items left after --allow/--deny)"), nothingLeft.toString());

        CliRun unknown = CliRun.of("similar", "-m", model.toString(), "i3", "--deny", "i4,ghost");
        assertEquals(Main.EXIT_FAILURE, unknown.exitCode(), unknown.toString());
        assertTrue(unknown.err().contains("item 'ghost' is not in the model"), unknown.toString());
    }

    @Test
    void similarRefusesUnknownItemsAndBadCounts() throws Exception {
        Path out = dir.resolve("similar.csv");
        CliRun unknown = CliRun.of("similar", "-m", model.toString(), "i3", "nothing", "-o", out.toString());
        assertEquals(Main.EXIT_FAILURE, unknown.exitCode(), unknown.toString());
        assertTrue(unknown.err().contains("item 'nothing' is not in the model"), unknown.toString());
        CliRun count = CliRun.of("similar", "-m", model.toString(), "i3", "-n", "-1", "-o", out.toString());
        assertEquals(Main.EXIT_FAILURE, count.exitCode(), count.toString());
        assertTrue(count.err().contains("--count = -1 must be >= 1"), count.toString());
        CliRun none = CliRun.of("similar", "-m", model.toString());
        assertEquals(Main.EXIT_USAGE, none.exitCode(), none.toString());
        assertFalse(Files.exists(out));
    }
}
