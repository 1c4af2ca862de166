package org.mfkit.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mfkit.data.io.RatingsFormat;
import org.mfkit.model.io.ModelFile;
import org.mfkit.model.io.ModelState;

/** {@code mfkit train}: every model type, the progress lines, the model file, and refusals. */
class TrainCommandTest {
    @TempDir
    Path dir;

    @Test
    void trainsBiasedMfAndSavesTheModelWithItsIdsAndInput() throws Exception {
        Path input = TestFiles.write(TestFiles.ratings(1), dir, "u.data", RatingsFormat.MOVIELENS_100K);
        Path model = dir.resolve("m.mfm");
        CliRun run = CliRun.of("train", "-i", input.toString(), "-o", model.toString(), "--epochs", "3", "-k", "8",
                "--backend", "scalar", "--plain");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("Read 1,200 ratings (60 users x 80 items)"), run.toString());
        assertTrue(run.out().contains("epoch 3/3  loss "), run.toString());
        assertTrue(run.out().contains("val rmse "), run.toString());
        assertTrue(run.out().contains("ETA "), run.toString());
        assertTrue(run.out().contains("Saved " + model), run.toString());
        ModelState state = ModelFile.load(model);
        assertEquals("biased-mf", state.type());
        assertEquals(8, state.k());
        assertEquals(60, state.numUsers());
        assertEquals("u0", state.userIds().externalId(0), "external ids are kept");
        assertEquals(input.toAbsolutePath().normalize().toString(), state.hyperParameters().get(InputOptions.RECORDED_FILE));
        assertEquals("movielens-100k", state.hyperParameters().get(InputOptions.RECORDED_FORMAT));
        assertEquals("scalar", state.hyperParameters().get("backend"));
        assertEquals(List.of("m.mfm", "u.data"), TestFiles.listing(dir), "no temporary file left behind");
    }

    @Test
    void everyModelTypeTrainsFromCsv() throws Exception {
        Path input = TestFiles.write(TestFiles.ratings(2), dir, "r.csv", RatingsFormat.CSV);
        String[][] types = {{"als", "--solver", "cholesky"}, {"implicit-als", "--alpha", "5"}, {"bpr", "--negatives", "popularity"}};
        for (String[] type : types) {
            Path model = dir.resolve(type[0] + ".mfm");
            CliRun run = CliRun.of("train", "-i", input.toString(), "-o", model.toString(), "--type", type[0], type[1], type[2],
                    "--epochs", "2", "-k", "4", "--plain");
            assertEquals(0, run.exitCode(), type[0] + "\n" + run);
            assertEquals(type[0], ModelFile.load(model).type());
            String metric = type[0].equals("als") ? "val rmse" : "val recall@10";
            assertTrue(run.out().contains(metric), type[0] + "\n" + run);
        }
    }

    @Test
    void implicitTypesValidateOnEveryUsersItemsAndExplicitTypesOnRandomRatings() throws Exception {
        org.mfkit.data.Ratings ratings = TestFiles.ratings(2);
        Path input = TestFiles.write(ratings, dir, "r.csv", RatingsFormat.CSV);
        // The counts alone tell the two splits apart: per user, max(1, round(0.1 n)) of each
        // user's n items (every user here has at least 2); at random, about 10 % of the file.
        int perUser = org.mfkit.data.Splits.perUser(ratings, 0.1, 42).test().size();
        int random = org.mfkit.data.Splits.random(ratings, 0.1, 42).test().size();
        assertTrue(perUser != random, perUser + " vs " + random);
        for (String type : new String[] {"implicit-als", "bpr", "als"}) {
            Path model = dir.resolve(type + ".mfm");
            CliRun run = CliRun.of("train", "-i", input.toString(), "-o", model.toString(), "--type", type,
                    "--epochs", "1", "-k", "4", "--plain");
            assertEquals(0, run.exitCode(), type + "\n" + run);
            int held = type.equals("als") ? random : perUser;
            assertTrue(run.out().contains(String.format(java.util.Locale.ROOT, "Validation: %,d ratings held out (10%%), "
                    + "training on %,d", held, ratings.size() - held)), type + "\n" + run);
        }
    }

    @Test
    void implicitAlsWithTheSubspaceSolverShowsTheLossWhereAsked() throws Exception {
        Path input = TestFiles.write(TestFiles.ratings(2), dir, "r.csv", RatingsFormat.CSV);
        Path model = dir.resolve("sub.mfm");
        CliRun run = CliRun.of("train", "-i", input.toString(), "-o", model.toString(), "--type", "implicit-als",
                "--solver", "subspace2", "--epochs", "4", "-k", "4", "--loss-every", "2", "--plain");
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals("SUBSPACE(2)", ModelFile.load(model).hyperParameters().get("solver"));
        assertTrue(run.out().contains("epoch 1/4  val recall@10 "), "no loss after epoch 1\n" + run);
        assertTrue(run.out().contains("epoch 2/4  loss "), run.toString());
        assertTrue(run.out().contains("epoch 3/4  val recall@10 "), run.toString());
        assertTrue(run.out().contains("epoch 4/4  loss "), run.toString());
    }

    @Test
    void countWeightingIsRecordedAndItsStatisticsSaved() throws Exception {
        Path input = Files.writeString(dir.resolve("plays.csv"),
                "user,item,count\nann,x,3\nann,y,120\nbob,y,1\nbob,z,40\ncid,x,7\ncid,z,2\ndan,x,1\ndan,y,9\n");
        Path bm25 = dir.resolve("bm25.mfm");
        CliRun run = CliRun.of("train", "-i", input.toString(), "--type", "implicit-als", "--weighting", "bm25",
                "--bm25-k1", "50", "--validation", "0", "--epochs", "2", "-k", "2", "-o", bm25.toString());
        assertEquals(0, run.exitCode(), run.toString());
        ModelState state = ModelFile.load(bm25);
        assertEquals("BM25", state.hyperParameters().get("weighting"));
        assertEquals("50.0", state.hyperParameters().get("bm25K1"));
        assertEquals("0.8", state.hyperParameters().get("bm25B"));
        assertArrayEquals(new float[] {2f, 2f, 2f, 2f}, state.countStatistics().userCounts());
        assertArrayEquals(new float[] {11f, 130f, 42f}, state.countStatistics().itemSums(), "x, y, z in first-seen order");

        Path log = dir.resolve("log.mfm");
        run = CliRun.of("train", "-i", input.toString(), "--type", "bpr", "--weighting", "log", "--log-epsilon", "0.5",
                "--validation", "0", "--epochs", "2", "-k", "2", "-o", log.toString());
        assertEquals(0, run.exitCode(), run.toString());
        ModelState logState = ModelFile.load(log);
        assertEquals("LOG", logState.hyperParameters().get("weighting"));
        assertEquals("0.5", logState.hyperParameters().get("logEpsilon"));
        assertEquals(null, logState.countStatistics(), "log weighting needs no statistics");
    }

    @Test
    void implicitDataWithoutARatingColumn() throws Exception {
        Path input = Files.writeString(dir.resolve("clicks.tsv"), "user\titem\nann\tx\nann\ty\nbob\ty\nbob\tz\ncid\tx\ncid\tz\n");
        Path model = dir.resolve("clicks.mfm");
        CliRun run = CliRun.of("train", "-i", input.toString(), "--rating-col", "none", "--type", "implicit-als",
                "--validation", "0", "--epochs", "2", "-k", "2", "-o", model.toString());
        assertEquals(0, run.exitCode(), run.toString());
        assertFalse(run.out().contains("val "), "no validation metric without a split\n" + run);
        assertEquals(List.of("ann", "bob", "cid"), ModelFile.load(model).userIds().externalIds());
    }

    @Test
    void theSameSeedAndBackendGiveTheSameModel() throws Exception {
        Path input = TestFiles.write(TestFiles.ratings(3), dir, "r.csv", RatingsFormat.CSV);
        for (String name : new String[] {"a.mfm", "b.mfm"}) {
            CliRun run = CliRun.of("train", "-i", input.toString(), "-o", dir.resolve(name).toString(), "--epochs", "2",
                    "-k", "4", "--seed", "9", "--backend", "scalar");
            assertEquals(0, run.exitCode(), run.toString());
        }
        ModelState a = ModelFile.load(dir.resolve("a.mfm"));
        ModelState b = ModelFile.load(dir.resolve("b.mfm"));
        assertArrayEquals(a.userFactors(), b.userFactors());
        assertArrayEquals(a.itemFactors(), b.itemFactors());
    }

    @Test
    void badFlagsStopBeforeAnythingIsWritten() throws Exception {
        Path input = TestFiles.write(TestFiles.ratings(4), dir, "r.csv", RatingsFormat.CSV);
        String in = input.toString();
        String out = dir.resolve("m.mfm").toString();
        Object[][] cases = {
                {new String[] {"--epochs", "0"}, Main.EXIT_FAILURE, "--epochs = 0 must be >= 1"},
                {new String[] {"--validation", "1.5"}, Main.EXIT_FAILURE, "--validation = 1.5 must be in [0, 1)"},
                {new String[] {"--alpha", "3"}, Main.EXIT_FAILURE, "--alpha does not apply to --type biased-mf"},
                {new String[] {"--type", "svd++"}, Main.EXIT_USAGE, "'svd++' is not a model type"},
                {new String[] {"--type", "als", "--solver", "cgx"}, Main.EXIT_FAILURE, "--solver cgx: expected cholesky, cgN"},
                {new String[] {"--type", "implicit-als", "--solver", "subspace0"}, Main.EXIT_FAILURE,
                        "--solver subspace0: expected cholesky, cgN"},
                {new String[] {"--loss-every", "-1"}, Main.EXIT_FAILURE, "--loss-every = -1 must be >= 0"},
                {new String[] {"--learning-rate", "-1"}, Main.EXIT_FAILURE, "--learning-rate: learningRate = -1.0"},
                {new String[] {"-k", "0"}, Main.EXIT_FAILURE, "--factors: factors = 0"},
                {new String[] {"--rating-range", "5,1"}, Main.EXIT_FAILURE, "--rating-range 5,1: expected MIN,MAX"},
                {new String[] {"--patience", "2", "--validation", "0"}, Main.EXIT_FAILURE, "--patience needs a validation split"},
                {new String[] {"--threads", "-2"}, Main.EXIT_FAILURE, "--threads = -2 must be >= 0"},
                {new String[] {"--backend", "quantum"}, Main.EXIT_FAILURE, "quantum"},
                {new String[] {"--epochs", "many"}, Main.EXIT_USAGE, "'many' is not an int"},
                {new String[] {"--format", "xml"}, Main.EXIT_FAILURE, "unknown ratings format 'xml'"},
                {new String[] {"--weighting", "log"}, Main.EXIT_FAILURE, "--weighting does not apply to --type biased-mf"},
                {new String[] {"--type", "implicit-als", "--weighting", "tfidf"}, Main.EXIT_FAILURE,
                        "--weighting tfidf: expected none, log or bm25"},
                {new String[] {"--type", "bpr", "--weighting", "bm25", "--log-epsilon", "2"}, Main.EXIT_FAILURE,
                        "--log-epsilon applies to --weighting log, not bm25"},
                {new String[] {"--type", "implicit-als", "--bm25-b", "0.5"}, Main.EXIT_FAILURE,
                        "--bm25-b applies to --weighting bm25, not none"},
                {new String[] {"--type", "implicit-als", "--weighting", "bm25", "--bm25-b", "2"}, Main.EXIT_FAILURE,
                        "--bm25-b: b = 2.0 must be in [0, 1]"},
                {new String[] {"--type", "implicit-als", "--weighting", "log", "--log-epsilon", "0"}, Main.EXIT_FAILURE,
                        "--log-epsilon: epsilon = 0.0"},
        };
        for (Object[] c : cases) {
            String[] extra = (String[]) c[0];
            String[] args = new String[4 + extra.length + 1];
            args[0] = "train";
            args[1] = "-i";
            args[2] = in;
            args[3] = "-o";
            System.arraycopy(extra, 0, args, 5, extra.length);
            args[4] = out;
            CliRun run = CliRun.of(args);
            assertEquals((int) c[1], run.exitCode(), String.join(" ", extra) + "\n" + run);
            assertTrue(run.err().contains((String) c[2]), String.join(" ", extra) + "\n" + run);
            assertTrue(run.err().startsWith("mfkit train: "), run.toString());
            assertEquals(List.of("r.csv"), TestFiles.listing(dir), String.join(" ", extra));
        }
        CliRun noOutput = CliRun.of("train", "-i", in);
        assertEquals(Main.EXIT_USAGE, noOutput.exitCode(), noOutput.toString());
        assertTrue(noOutput.err().contains("Missing required option: '--output=MODEL'"), noOutput.toString());
        CliRun both = CliRun.of("train", "-i", in, "--dataset", "ml-100k", "-o", out);
        assertEquals(Main.EXIT_USAGE, both.exitCode(), both.toString());
        assertTrue(both.err().contains("mutually exclusive"), both.toString());
    }

    @Test
    void divergingTrainingFailsClearlyAndSavesNothing() throws Exception {
        Path input = TestFiles.write(TestFiles.ratings(6), dir, "r.csv", RatingsFormat.CSV);
        CliRun run = CliRun.of("train", "-i", input.toString(), "-o", dir.resolve("m.mfm").toString(),
                "--learning-rate", "1000", "--epochs", "3", "--backend", "scalar");
        assertEquals(Main.EXIT_FAILURE, run.exitCode(), run.toString());
        assertTrue(run.err().startsWith("mfkit train: training failed: "), run.toString());
        assertTrue(run.err().contains("epoch 1"), run.toString());
        assertTrue(run.err().strip().endsWith("; nothing was saved"), run.toString());
        assertEquals(List.of("r.csv"), TestFiles.listing(dir));
    }

    @Test
    void outputsThatCannotBeWrittenAreRefusedBeforeTraining() throws Exception {
        Path input = TestFiles.write(TestFiles.ratings(5), dir, "r.csv", RatingsFormat.CSV);
        CliRun overInput = CliRun.of("train", "-i", input.toString(), "-o", input.toString());
        assertEquals(Main.EXIT_FAILURE, overInput.exitCode(), overInput.toString());
        assertTrue(overInput.err().contains("is also the input; refusing to overwrite it"), overInput.toString());
        CliRun toDirectory = CliRun.of("train", "-i", input.toString(), "-o", dir.toString());
        assertEquals(Main.EXIT_FAILURE, toDirectory.exitCode(), toDirectory.toString());
        assertTrue(toDirectory.err().contains("is a directory"), toDirectory.toString());
        CliRun underAFile = CliRun.of("train", "-i", input.toString(), "-o", input.resolve("m.mfm").toString());
        assertEquals(Main.EXIT_FAILURE, underAFile.exitCode(), underAFile.toString());
        assertTrue(underAFile.err().contains("is not a directory"), underAFile.toString());
        assertEquals("", overInput.out() + toDirectory.out() + underAFile.out(), "refused before reading anything");
        assertEquals(List.of("r.csv"), TestFiles.listing(dir));
    }

    @Test
    void badFilesAreReportedWithFileLineAndContent() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.data"), "1\t10\t5\t881250949\n2\t10\tfive\t881250950\n3\t11\t4\t881250951\n");
        Path model = dir.resolve("m.mfm");
        CliRun run = CliRun.of("train", "-i", bad.toString(), "-o", model.toString(), "--validation", "0");
        assertEquals(Main.EXIT_FAILURE, run.exitCode(), run.toString());
        assertTrue(run.err().contains(bad + ":2:"), run.toString());
        assertTrue(run.err().contains("five"), run.toString());
        assertFalse(Files.exists(model));

        CliRun missing = CliRun.of("train", "-i", dir.resolve("nope.data").toString(), "-o", model.toString());
        assertEquals(Main.EXIT_FAILURE, missing.exitCode(), missing.toString());
        assertTrue(missing.err().contains("no such file: " + dir.resolve("nope.data")), missing.toString());

        Path empty = Files.writeString(dir.resolve("empty.csv"), "user,item,rating\n");
        CliRun none = CliRun.of("train", "-i", empty.toString(), "-o", model.toString());
        assertEquals(Main.EXIT_FAILURE, none.exitCode(), none.toString());
        assertTrue(none.err().contains("holds no ratings"), none.toString());
        assertFalse(Files.exists(model));

        CliRun skipping = CliRun.of("train", "-i", bad.toString(), "-o", model.toString(), "--validation", "0",
                "--skip-malformed", "--epochs", "1", "-k", "2");
        assertEquals(0, skipping.exitCode(), skipping.toString());
        assertTrue(skipping.out().contains("Skipped 1 malformed line"), skipping.toString());
        assertTrue(Files.exists(model));
    }
}
