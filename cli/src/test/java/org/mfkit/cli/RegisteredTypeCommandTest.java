package org.mfkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mfkit.data.io.RatingsFormat;
import org.mfkit.model.Models;
import org.mfkit.model.extension.ItemPopularity;
import org.mfkit.model.io.ModelFile;

/** A model type the command line was never told about trains, refuses foreign flags and recommends once registered. */
class RegisteredTypeCommandTest {
    @TempDir
    Path dir;

    @Test
    void aRegisteredTypeIsTrainedAndServedByTheCommandLine() throws Exception {
        Models.register(ItemPopularity.MODEL_TYPE);
        Path input = TestFiles.write(TestFiles.ratings(5), dir, "r.csv", RatingsFormat.CSV);
        Path model = dir.resolve("pop.mfm");
        CliRun run = CliRun.of("train", "-i", input.toString(), "-o", model.toString(), "--type", ItemPopularity.TYPE,
                "-k", "3", "--epochs", "1", "--backend", "scalar", "--plain");
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals(ItemPopularity.TYPE, ModelFile.load(model).type());
        assertEquals(3, ModelFile.load(model).k());

        CliRun foreign = CliRun.of("train", "-i", input.toString(), "-o", model.toString(), "--type", ItemPopularity.TYPE,
                "--alpha", "2");
        assertEquals(Main.EXIT_FAILURE, foreign.exitCode(), foreign.toString());
        assertTrue(foreign.err().contains("--alpha does not apply to --type " + ItemPopularity.TYPE), foreign.toString());

        CliRun top = CliRun.of("recommend", "-m", model.toString(), "-u", "u3", "-n", "3", "--backend", "scalar");
        assertEquals(0, top.exitCode(), top.toString());
        assertTrue(top.out().contains(ItemPopularity.TYPE), top.toString());
    }
}
