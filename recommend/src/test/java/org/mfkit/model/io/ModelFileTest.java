package org.mfkit.model.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mfkit.data.CountWeighting;
import org.mfkit.data.IdMap;

class ModelFileTest {
    @TempDir
    Path dir;

    private static ModelState model(int users, int items, int k, boolean full) {
        Random random = new Random(7);
        float[] p = new float[users * k];
        float[] q = new float[items * k];
        for (int j = 0; j < p.length; j++) p[j] = (float) random.nextGaussian();
        for (int j = 0; j < q.length; j++) q[j] = (float) random.nextGaussian();
        Map<String, String> hyper = new LinkedHashMap<>();
        hyper.put("learning-rate", "0.01");
        hyper.put("solver", "cholesky");
        String[] userNames = new String[users];
        for (int j = 0; j < users; j++) userNames[j] = j == 0 ? "Zoë-ünïcode-€-😀" : "u" + j;
        String[] itemNames = new String[items];
        for (int j = 0; j < items; j++) itemNames[j] = Integer.toString(1000 + j);
        return new ModelState("biased-mf", k, users, items, 3.5f, hyper, p, q,
                full ? new float[users] : null, full ? filled(items, -0.25f) : null,
                full ? IdMap.of(List.of(userNames)) : null, full ? IdMap.of(List.of(itemNames)) : null);
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
        return a;
    }

    @Test
    void roundTripsEverySection() throws IOException {
        ModelState m = model(50, 40_000, 8, true);
        Path f = dir.resolve("m.mfm");
        ModelFile.save(m, f);
        ModelState back = ModelFile.load(f);
        assertEquals("biased-mf", back.type());
        assertEquals(8, back.k());
        assertEquals(3.5f, back.globalMean());
        assertEquals(m.hyperParameters(), back.hyperParameters());
        assertEquals(List.copyOf(m.hyperParameters().keySet()), List.copyOf(back.hyperParameters().keySet()));
        assertArrayEquals(m.userFactors(), back.userFactors());
        assertArrayEquals(m.itemFactors(), back.itemFactors());
        assertArrayEquals(m.userBias(), back.userBias());
        assertArrayEquals(m.itemBias(), back.itemBias());
        assertEquals(m.userIds().externalIds(), back.userIds().externalIds());
        assertEquals(m.itemIds().externalIds(), back.itemIds().externalIds());
    }

    @Test
    void roundTripsWithoutOptionalSections() throws IOException {
        Path f = dir.resolve("plain.mfm");
        ModelFile.save(model(3, 2, 4, false), f);
        ModelState back = ModelFile.load(f);
        assertNull(back.userBias());
        assertNull(back.itemIds());
        assertEquals(12, back.userFactors().length);
    }

    @Test
    void truncatedFilesSayTheyAreTruncated() throws IOException {
        Path f = dir.resolve("t.mfm");
        ModelFile.save(model(20, 30, 4, true), f);
        byte[] bytes = Files.readAllBytes(f);
        for (int keep : new int[] {bytes.length - 1, bytes.length / 2, 30, 20}) {
            Files.write(f, Arrays.copyOf(bytes, keep));
            ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.load(f));
            assertTrue(e.getMessage().startsWith(f + ": truncated"), e.getMessage());
        }
    }

    @Test
    void aFlippedPayloadByteIsACheckumMismatch() throws IOException {
        Path f = dir.resolve("c.mfm");
        ModelFile.save(model(20, 30, 4, true), f);
        byte[] bytes = Files.readAllBytes(f);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(f, bytes);
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.load(f));
        assertTrue(e.getMessage().contains("corrupted: payload checksum mismatch"), e.getMessage());
    }

    @Test
    void aDamagedHeaderIsReportedAsSuch() throws IOException {
        Path f = dir.resolve("h.mfm");
        ModelFile.save(model(2, 2, 2, false), f);
        byte[] bytes = Files.readAllBytes(f);
        bytes[20] ^= 0x01;
        Files.write(f, bytes);
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.load(f));
        assertTrue(e.getMessage().contains("header checksum"), e.getMessage());
    }

    @Test
    void aNewerVersionAsksForANewerMfkit() throws IOException {
        Path f = dir.resolve("v.mfm");
        ModelFile.save(model(2, 2, 2, false), f);
        byte[] bytes = Files.readAllBytes(f);
        ByteBuffer header = ByteBuffer.wrap(bytes);
        header.putInt(8, ModelFile.VERSION + 1);
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, 24);
        header.putInt(24, (int) crc.getValue());
        Files.write(f, bytes);
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.load(f));
        assertTrue(e.getMessage().contains("written by a newer mfkit: model format version " + (ModelFile.VERSION + 1)),
                e.getMessage());
    }

    @Test
    void countStatisticsTravelInAVersion2File() throws IOException {
        ModelState plain = model(3, 4, 2, true);
        CountWeighting.Statistics statistics = new CountWeighting.Statistics(new float[] {1f, 0f, 7f},
                new float[] {2.5f, 0f, 1e6f, 3f});
        ModelState withStatistics = new ModelState(plain.type(), plain.k(), plain.numUsers(), plain.numItems(),
                plain.globalMean(), plain.hyperParameters(), plain.userFactors(), plain.itemFactors(), plain.userBias(),
                plain.itemBias(), plain.userIds(), plain.itemIds(), statistics);
        Path f = dir.resolve("bm25.mfm");
        ModelFile.save(withStatistics, f);
        assertEquals(2, ByteBuffer.wrap(Files.readAllBytes(f)).getInt(8), "version");
        ModelState back = ModelFile.load(f);
        assertArrayEquals(statistics.userCounts(), back.countStatistics().userCounts());
        assertArrayEquals(statistics.itemSums(), back.countStatistics().itemSums());
        assertArrayEquals(plain.itemFactors(), back.itemFactors());

        // Without statistics the file stays version 1, byte for byte what earlier builds wrote.
        Path v1 = dir.resolve("plain.mfm");
        ModelFile.save(plain, v1);
        assertEquals(1, ByteBuffer.wrap(Files.readAllBytes(v1)).getInt(8), "version");
        assertNull(ModelFile.load(v1).countStatistics());

        // A version-1 header cannot announce the statistics section.
        byte[] bytes = Files.readAllBytes(f);
        ByteBuffer header = ByteBuffer.wrap(bytes);
        header.putInt(8, 1);
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, 24);
        header.putInt(24, (int) crc.getValue());
        Path relabelled = Files.write(dir.resolve("relabelled.mfm"), bytes);
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.load(relabelled));
        assertTrue(e.getMessage().contains("corrupted: impossible sizes"), e.getMessage());

        assertThrows(IllegalArgumentException.class, () -> new ModelState(plain.type(), plain.k(), plain.numUsers(),
                plain.numItems(), plain.globalMean(), plain.hyperParameters(), plain.userFactors(), plain.itemFactors(),
                null, null, null, null, new CountWeighting.Statistics(new float[2], new float[4])));
    }

    @Test
    void otherFilesAreNotModelFiles() throws IOException {
        Path f = dir.resolve("ratings.csv");
        Files.writeString(f, "user,item,rating\n1,2,3\n");
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.load(f));
        assertTrue(e.getMessage().contains("not an mfkit model file"), e.getMessage());
        Path empty = Files.createFile(dir.resolve("empty.mfm"));
        assertThrows(ModelFileException.class, () -> ModelFile.load(empty));
        assertThrows(java.nio.file.NoSuchFileException.class, () -> ModelFile.load(dir.resolve("absent.mfm")));
    }

    @Test
    void trailingBytesAreCorruption() throws IOException {
        Path f = dir.resolve("x.mfm");
        ModelFile.save(model(2, 2, 2, false), f);
        Files.write(f, new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.load(f));
        assertTrue(e.getMessage().contains("3 unexpected bytes"), e.getMessage());
    }

    @Test
    void stateRejectsInconsistentShapes() {
        assertThrows(IllegalArgumentException.class, () -> new ModelState("als", 2, 2, 2, 0f, Map.of(),
                new float[3], new float[4], null, null, null, null));
        assertThrows(IllegalArgumentException.class, () -> new ModelState("als", 0, 0, 0, 0f, Map.of(),
                new float[0], new float[0], null, null, null, null));
        assertThrows(IllegalArgumentException.class, () -> new ModelState("als", 1, 1, 1, Float.NaN, Map.of(),
                new float[1], new float[1], null, null, null, null));
    }
}
