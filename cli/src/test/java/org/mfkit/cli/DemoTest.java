package org.mfkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The demo end to end, on the scalar reference only and with few epochs to stay short. */
class DemoTest {
    @Test
    void theDemoShowsTheMachineBackendsCrossCheckAndTraining() {
        CliRun run = CliRun.of("demo", "--backend", "scalar", "--epochs", "2", "--sweeps", "2");
        assertEquals(0, run.exitCode(), run.toString());
        String out = run.out();
        for (String section : new String[] {"Machine", "Backends (best first)", "Cross-check against the scalar reference",
                "Training on the embedded data"}) {
            assertTrue(out.contains("\n" + section + "\n"), section + "\n" + run);
        }
        assertTrue(out.lines().anyMatch(l -> l.matches("\\s+scalar\\s+biased MF\\s+RMSE \\d\\.\\d{4}\\s.*")), run.toString());
        assertTrue(out.lines().anyMatch(l -> l.matches("\\s+scalar\\s+implicit ALS\\s+Recall@10 0\\.\\d{4}\\s.*")), run.toString());
        assertTrue(out.contains("global-mean baseline"), run.toString());
        assertTrue(out.contains("Done in "), run.toString());
    }

    @Test
    void badDemoSettingsAreRefusedBeforeAnyWork() {
        CliRun run = CliRun.of("--sweeps", "0");
        assertEquals(Main.EXIT_FAILURE, run.exitCode(), run.toString());
        assertEquals("mfkit: --sweeps = 0 must be >= 1", run.err().strip());
        assertEquals("", run.out());
    }
}
