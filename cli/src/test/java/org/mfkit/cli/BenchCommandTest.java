package org.mfkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mfkit bench}: options reach the harness, bad ones stop before anything is written. */
class BenchCommandTest {
    @TempDir
    Path dir;

    @Test
    void optionsAreHandedToTheHarnessInItsSpelling() {
        BenchCommand command = parse("--profile", "SMOKE", "--out", dir.resolve("r").toString(), "--backends", "scalar",
                "--include", "Gram|Dot", "--no-peers", "--quiet", "--list");
        assertEquals(List.of("--profile", "smoke", "--out", dir.resolve("r").toString(), "--backends", "scalar",
                "--include", "Gram|Dot", "--no-peers", "--quiet", "--list"), command.harnessArguments());
    }

    @Test
    void theQuickProfileIsTheDefault() {
        BenchCommand command = parse();
        assertEquals(List.of("--profile", "quick"), command.harnessArguments());
    }

    private static BenchCommand parse(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "bench";
        System.arraycopy(args, 0, all, 1, args.length);
        picocli.CommandLine cl = Main.commandLine();
        return cl.parseArgs(all).subcommand().commandSpec().commandLine().getCommand();
    }

    @Test
    void listPrintsThePlanOfTheSmokeProfileWithoutMeasuring() {
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        CliRun run;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            run = CliRun.of("bench", "--profile", "smoke", "--backends", "scalar", "--include", "Gram", "--list",
                    "--out", dir.resolve("never").toString());
        } finally {
            System.setOut(saved);
        }
        String printed = captured.toString(StandardCharsets.UTF_8);
        assertEquals(0, run.exitCode(), run + printed);
        assertTrue(printed.contains("GramBench"), printed);
        assertTrue(printed.contains("impl=[scalar"), printed);
        assertFalse(printed.contains("DotBench"), printed);
        assertFalse(Files.exists(dir.resolve("never")), "--list writes nothing");
    }

    @Test
    void badOptionsAreRejectedBeforeAnythingIsWritten() {
        Path out = dir.resolve("results");
        CliRun profile = CliRun.of("bench", "--profile", "huge", "--out", out.toString());
        assertEquals(Main.EXIT_USAGE, profile.exitCode(), profile.toString());
        assertTrue(profile.err().contains("--profile"), profile.toString());
        assertTrue(profile.err().contains("huge"), profile.toString());

        CliRun backend = CliRun.of("bench", "--backends", "quantum", "--out", out.toString());
        assertEquals(Main.EXIT_FAILURE, backend.exitCode(), backend.toString());
        assertTrue(backend.err().contains("--backends quantum is not a backend; known: "), backend.toString());

        CliRun regex = CliRun.of("bench", "--include", "Gram(", "--out", out.toString());
        assertEquals(Main.EXIT_FAILURE, regex.exitCode(), regex.toString());
        assertTrue(regex.err().contains("--include 'Gram(' is not a regular expression"), regex.toString());

        CliRun jvm = CliRun.of("bench", "--jvm", dir.resolve("no-java").toString(), "--out", out.toString());
        assertEquals(Main.EXIT_FAILURE, jvm.exitCode(), jvm.toString());
        assertTrue(jvm.err().contains("is not an executable file"), jvm.toString());
        assertFalse(Files.exists(out), "nothing written after a bad option");
    }

    @Test
    void anOutputPathThatIsAFileIsRejected() throws Exception {
        Path file = Files.writeString(dir.resolve("taken"), "x");
        CliRun run = CliRun.of("bench", "--out", file.toString());
        assertEquals(Main.EXIT_FAILURE, run.exitCode(), run.toString());
        assertTrue(run.err().contains("exists and is not a directory"), run.toString());
        assertEquals("x", Files.readString(file));
    }
}
