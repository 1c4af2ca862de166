package org.mfkit.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mfkit.model.FactorModel;
import org.mfkit.model.io.ModelFile;

/** {@code mfkit export}: CSV and .npy files, the .npy ones checked against the format's specification and, when it is installed, read back by NumPy. */
class ExportCommandTest {
    @TempDir
    Path dir;

    Path modelFile;
    FactorModel model;

    @BeforeEach
    void trainAModel() throws Exception {
        Path train = TestFiles.trainAndTest(dir)[0];
        modelFile = dir.resolve("m.mfm");
        CliRun run = CliRun.of("train", "-i", train.toString(), "-o", modelFile.toString(), "--epochs", "3", "-k", "4");
        assertEquals(0, run.exitCode(), run.toString());
        model = FactorModel.fromState(ModelFile.load(modelFile));
    }

    @Test
    void csvHasOneRowPerIdWithBiasAndFactors() throws Exception {
        Path out = dir.resolve("csv");
        CliRun run = CliRun.of("export", "-m", modelFile.toString(), "--format", "csv", "-o", out.toString());
        assertEquals(0, run.exitCode(), run.toString());
        List<String> users = Files.readAllLines(out.resolve("user_factors.csv"));
        assertEquals("id,bias,f0,f1,f2,f3", users.get(0));
        assertEquals(1 + model.numUsers(), users.size());
        String[] first = users.get(1).split(",");
        assertEquals(model.userIds().externalId(0), first[0]);
        assertEquals(model.userBias(0), Float.parseFloat(first[1]));
        for (int c = 0; c < 4; c++) assertEquals(model.userFactors()[c], Float.parseFloat(first[2 + c]));
        List<String> items = Files.readAllLines(out.resolve("item_factors.csv"));
        assertEquals(1 + model.numItems(), items.size());
        String[] last = items.get(items.size() - 1).split(",");
        int i = model.numItems() - 1;
        assertEquals(model.itemIds().externalId(i), last[0]);
        assertEquals(model.itemFactors()[i * 4 + 3], Float.parseFloat(last[5]));
        List<String> meta = Files.readAllLines(out.resolve("model.txt"));
        assertTrue(meta.contains("type=biased-mf") && meta.contains("k=4") && meta.contains("global_mean=" + model.globalMean()),
                meta.toString());
        assertFalse(Files.exists(out.resolve("user_factors.npy")));
    }

    @Test
    void npyFilesFollowTheFormatSpecification() throws Exception {
        Path out = dir.resolve("npy");
        CliRun run = CliRun.of("export", "-m", modelFile.toString(), "--format", "npy", "-o", out.toString());
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("user_factors.npy, item_factors.npy, user_ids.npy, item_ids.npy, user_bias.npy, "
                + "item_bias.npy, model.txt"), run.toString());

        Parsed users = parse(Files.readAllBytes(out.resolve("user_factors.npy")));
        assertEquals("{'descr': '<f4', 'fortran_order': False, 'shape': (" + model.numUsers() + ", 4), }", users.dict);
        assertArrayEquals(model.userFactors(), users.floats());
        Parsed itemBias = parse(Files.readAllBytes(out.resolve("item_bias.npy")));
        assertEquals("{'descr': '<f4', 'fortran_order': False, 'shape': (" + model.numItems() + ",), }", itemBias.dict);
        assertArrayEquals(model.itemBias(), itemBias.floats());
        Parsed ids = parse(Files.readAllBytes(out.resolve("item_ids.npy")));
        int width = 0;
        for (String id : model.itemIds().externalIds()) width = Math.max(width, id.length());
        assertEquals("{'descr': '<U" + width + "', 'fortran_order': False, 'shape': (" + model.numItems() + ",), }", ids.dict);
        assertEquals(model.itemIds().externalId(0), ids.string(0, width));
        assertEquals(4L * width * model.numItems(), ids.data.remaining());
    }

    @Test
    void unicodeIdsAreCodePointsZeroPadded() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Npy.strings(bytes, new String[] {"Zoë", "😀", ""});
        Parsed p = parse(bytes.toByteArray());
        assertEquals("{'descr': '<U3', 'fortran_order': False, 'shape': (3,), }", p.dict);
        assertEquals("Zoë", p.string(0, 3));
        assertEquals("😀", p.string(1, 3), "a supplementary character is one UTF-32 unit");
        assertEquals("", p.string(2, 3));
        ByteArrayOutputStream scalar = new ByteArrayOutputStream();
        Npy.floats(scalar, new float[] {1.5f, -2f, 0f, 3f, 4f, 5f}, 2, 3);
        assertEquals("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", parse(scalar.toByteArray()).dict);
    }

    /** NumPy itself reads the export: shapes, dtypes, values and ids as this model has them. */
    @Test
    void numpyReadsTheExport() throws Exception {
        String why = numpyMissing();
        Assumptions.assumeTrue(why == null, () -> "skipped: " + why);
        Path out = dir.resolve("npy");
        assertEquals(0, CliRun.of("export", "-m", modelFile.toString(), "--format", "npy", "-o", out.toString()).exitCode());
        Path csvOut = dir.resolve("csv");
        assertEquals(0, CliRun.of("export", "-m", modelFile.toString(), "-o", csvOut.toString()).exitCode());
        ByteArrayOutputStream unicode = new ByteArrayOutputStream();
        Npy.strings(unicode, new String[] {"Zoë", "😀", ""});
        Files.write(out.resolve("unicode.npy"), unicode.toByteArray());
        String script = String.join("\n",
                "import numpy as np, sys",
                "d = sys.argv[1]",
                "p = np.load(d + '/user_factors.npy', allow_pickle=False)",
                "q = np.load(d + '/item_factors.npy', allow_pickle=False)",
                "b = np.load(d + '/item_bias.npy', allow_pickle=False)",
                "ids = np.load(d + '/item_ids.npy', allow_pickle=False)",
                "u = np.load(d + '/unicode.npy', allow_pickle=False)",
                "c = np.loadtxt(sys.argv[2] + '/item_factors.csv', delimiter=',', skiprows=1, usecols=range(1, 6), dtype=np.float32)",
                "print(p.dtype, p.shape, q.shape, b.shape, ids.dtype.kind, ids.shape)",
                "print(repr(float(p[0, 0])), repr(float(q[-1, -1])), repr(float(b[1])), ids[0], '|'.join(u))",
                "print(bool(np.array_equal(c[:, 1:], q)), bool(np.array_equal(c[:, 0], b)))");
        ProcessBuilder builder = new ProcessBuilder("python3", "-c", script, out.toString(), csvOut.toString())
                .redirectErrorStream(true);
        builder.environment().put("PYTHONIOENCODING", "utf-8");
        Process python = builder.start();
        assertTrue(python.waitFor(60, TimeUnit.SECONDS), "python3 finished");
        String printed = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, python.exitValue(), printed);
        List<String> lines = printed.lines().toList();
        assertEquals("float32 (" + model.numUsers() + ", 4) (" + model.numItems() + ", 4) (" + model.numItems() + ",) U ("
                + model.numItems() + ",)", lines.get(0));
        String[] values = lines.get(1).split(" ");
        assertEquals(model.userFactors()[0], Float.parseFloat(values[0]));
        assertEquals(model.itemFactors()[model.numItems() * 4 - 1], Float.parseFloat(values[1]));
        assertEquals(model.itemBias(1), Float.parseFloat(values[2]));
        assertEquals(model.itemIds().externalId(0), values[3]);
        assertEquals("Zoë|😀|", values[4]);
        assertEquals("True True", lines.get(2), "the CSV holds the same floats");
    }

    @Test
    void badOutputsAreRefusedBeforeAnythingIsWritten() throws Exception {
        Path file = Files.writeString(dir.resolve("taken"), "x");
        CliRun onFile = CliRun.of("export", "-m", modelFile.toString(), "-o", file.toString());
        assertEquals(Main.EXIT_FAILURE, onFile.exitCode(), onFile.toString());
        assertTrue(onFile.err().contains("--output " + file + " is a file, not a folder"), onFile.toString());
        CliRun format = CliRun.of("export", "-m", modelFile.toString(), "--format", "parquet", "-o", dir.resolve("x").toString());
        assertEquals(Main.EXIT_USAGE, format.exitCode(), format.toString());
        assertFalse(Files.exists(dir.resolve("x")));
    }

    /** Why NumPy cannot be used here, or null when {@code python3 -c 'import numpy'} works. */
    private static String numpyMissing() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import numpy").redirectErrorStream(true).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "python3 -c 'import numpy' did not finish in 60 s";
            }
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.exitValue() == 0 ? null : "python3 has no numpy (" + output + ")";
        } catch (IOException e) {
            return "python3 is not installed (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** A .npy file taken apart as the specification describes it. */
    private record Parsed(String dict, ByteBuffer data) {
        float[] floats() {
            float[] out = new float[data.remaining() / 4];
            data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
            return out;
        }

        String string(int index, int width) {
            ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            StringBuilder sb = new StringBuilder();
            for (int c = 0; c < width; c++) {
                int cp = b.getInt(4 * (index * width + c));
                if (cp != 0) sb.appendCodePoint(cp);
            }
            return sb.toString();
        }
    }

    private static Parsed parse(byte[] bytes) {
        assertEquals((byte) 0x93, bytes[0]);
        assertEquals("NUMPY", new String(bytes, 1, 5, StandardCharsets.US_ASCII));
        assertEquals(1, bytes[6], "major version");
        assertEquals(0, bytes[7], "minor version");
        int headerLength = (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8;
        assertEquals(0, (10 + headerLength) % 64, "the data starts at a multiple of 64 bytes");
        String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
        assertTrue(header.endsWith("\n"), "the header ends with a newline");
        return new Parsed(header.strip(), ByteBuffer.wrap(bytes, 10 + headerLength, bytes.length - 10 - headerLength).slice());
    }
}
