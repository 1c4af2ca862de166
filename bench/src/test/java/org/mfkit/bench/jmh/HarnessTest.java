package org.mfkit.bench.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cross-check plumbing and the seeded inputs. */
class HarnessTest {
    @TempDir
    Path dir;

    @Test
    void keysSortParametersLikeTheReport() {
        assertEquals("GramBench{impl=scalar, k=64, n=1000}", Harness.key("GramBench", "n", 1000, "k", 64, "impl", "scalar"));
    }

    @Test
    void relativeErrorIsNormwiseAndTreatsNaNAsInfinite() {
        assertEquals(0.1, Harness.relativeError(new float[] {1f, 9f}, new float[] {2f, 10f}), 1e-6);
        assertEquals(Double.POSITIVE_INFINITY, Harness.relativeError(new float[] {Float.NaN}, new float[] {1f}));
        assertEquals(Double.POSITIVE_INFINITY, Harness.relativeError(new float[] {1f}, new float[] {1f, 2f}));
    }

    @Test
    void aFailedCheckIsRecordedAndThrows() throws IOException {
        String old = System.getProperty(Harness.CHECKS_PROPERTY);
        System.setProperty(Harness.CHECKS_PROPERTY, dir.toString());
        try {
            String key = Harness.key("DotBench", "impl", "broken", "k", 8);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Harness.verify(key, 2, 0.5, 1e-5, "dot products"));
            assertTrue(e.getMessage().contains("cross-check FAILED"), e.getMessage());
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(dir.resolve(Harness.fileName(key)))) {
                p.load(in);
            }
            assertEquals("FAILED", p.getProperty("status"));
            assertEquals("2", p.getProperty("threads"));
            assertEquals(key, p.getProperty("key"));
            Harness.verify(key, 1, 1e-7, 1e-5, "dot products");
            try (InputStream in = Files.newInputStream(dir.resolve(Harness.fileName(key)))) {
                p.load(in);
            }
            assertEquals("OK", p.getProperty("status"));
            assertThrows(IllegalStateException.class, () -> Harness.verify(key, 1, Double.NaN, 1e-5, "dot products"));
        } finally {
            if (old == null) System.clearProperty(Harness.CHECKS_PROPERTY);
            else System.setProperty(Harness.CHECKS_PROPERTY, old);
        }
    }

    @Test
    void inputsAreSeededAndNeverAllZero() {
        assertEquals(java.util.Arrays.toString(Inputs.factors(5, 4, 9)), java.util.Arrays.toString(Inputs.factors(5, 4, 9)));
        float[] f = Inputs.factors(100, 16, 1);
        double sum = 0;
        for (float v : f) sum += Math.abs(v);
        assertTrue(sum > 0);
        Inputs.Csr csr = Inputs.interactions(50, 30, 400, 3);
        assertEquals(400, csr.nnz());
        assertEquals(400, csr.rowPtr()[50]);
        Inputs.Csr t = csr.transpose();
        assertEquals(30, t.rows());
        assertEquals(400, t.nnz());
        float total = 0;
        for (float v : csr.values()) total += v;
        float totalT = 0;
        for (float v : t.values()) totalT += v;
        assertEquals(total, totalT);
    }

    @Test
    void spdSystemsAreDiagonallyDominant() {
        int k = 8;
        float[] a = Inputs.spdSystems(3, k, 5);
        for (int s = 0; s < 3; s++) {
            for (int i = 0; i < k; i++) {
                float off = 0;
                for (int j = 0; j < k; j++) {
                    if (j != i) off += Math.abs(a[s * k * k + i * k + j]);
                    assertEquals(a[s * k * k + i * k + j], a[s * k * k + j * k + i]);
                }
                assertTrue(a[s * k * k + i * k + i] > off);
            }
        }
    }
}
