package org.mfkit.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mfkit.core.Backends;
import org.mfkit.core.BprParams;
import org.mfkit.core.CsrMatrix;
import org.mfkit.core.DenseMatrix;
import org.mfkit.core.ExplicitAlsParams;
import org.mfkit.core.ImplicitAlsParams;
import org.mfkit.core.IndexArray;
import org.mfkit.core.Interactions;
import org.mfkit.core.Kernels;
import org.mfkit.core.NotPositiveDefiniteException;
import org.mfkit.core.SgdParams;
import org.mfkit.core.Solver;
import org.mfkit.core.Triples;
import org.mfkit.core.spi.Availability;
import org.mfkit.core.spi.BackendOptions;
import org.mfkit.core.spi.HeapMatrix;

/**
 * GPU-specific checks against the scalar reference: what the conformance suite does not
 * exercise (schedules of lists with repeated rows, tiles beyond one top-K tile, staging on
 * failure, transfer counters, allocation failures). Runs only where a CUDA device is present.
 */
class CudaBackendTest {
    private static Kernels gpu;
    private static Kernels scalar;

    @BeforeAll
    static void open() {
        Availability availability = CudaProbe.probe();
        Assumptions.assumeTrue(availability.available(), "no usable CUDA device: " + availability.detail());
        gpu = Backends.open("gpu-cuda", BackendOptions.defaults());
        scalar = Backends.open("scalar", BackendOptions.defaults());
    }

    @AfterAll
    static void close() {
        if (gpu != null) gpu.close();
        if (scalar != null) scalar.close();
    }

    private static float[] random(Random random, int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (random.nextFloat() * 2 - 1) * scale;
        return v;
    }

    private static int[] ids(Random random, int n, int bound) {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) v[i] = random.nextInt(bound);
        return v;
    }

    private static void assertClose(float[] expected, float[] actual, float tolerance, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            float bound = tolerance * Math.max(1f, Math.abs(expected[i]));
            assertTrue(Math.abs(expected[i] - actual[i]) <= bound,
                    what + "[" + i + "]: expected " + expected[i] + ", got " + actual[i]);
        }
    }

    @Test
    void handlesLiveOnTheDeviceAndTransfersAreCounted() {
        CudaBackend backend = (CudaBackend) gpu.unchecked();
        float[] data = random(new Random(1), 12, 1f);
        backend.resetTransferCounters();
        try (DenseMatrix m = gpu.matrix(3, 4, data)) {
            assertEquals("cuda:0", m.memorySpace());
            assertEquals(48, backend.bytesUploaded());
            assertEquals(1, backend.uploadCount());
            assertArrayEquals(data, m.toArray());
            assertEquals(48, backend.bytesDownloaded());
            assertEquals(1, backend.downloadCount());
        }
    }

    @Test
    void heapHandlesAreRejectedByTheCheckedApi() {
        try (DenseMatrix device = gpu.matrix(2, 2); HeapMatrix heap = new HeapMatrix(2, 2)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> gpu.copy(heap, device));
            assertTrue(e.getMessage().contains("heap") && e.getMessage().contains("cuda:0"), e.getMessage());
        }
    }

    @Test
    void impossibleAllocationNamesAskedAndFreeBytes() {
        CudaDevice device = ((CudaBackend) gpu.unchecked()).device();
        DeviceMemoryException e = assertThrows(DeviceMemoryException.class, () -> device.allocate(1L << 50, "test"));
        assertEquals(1L << 50, e.requestedBytes());
        assertTrue(e.getMessage().contains("free"), e.getMessage());
    }

    @Test
    void sgdOnAListWithRepeatedRowsMatchesSequentialOrder() {
        Random random = new Random(7);
        int users = 20;
        int items = 15;
        int k = 8;
        int n = 2000;
        float[] p0 = random(random, users * k, 0.1f);
        float[] q0 = random(random, items * k, 0.1f);
        float[] bu0 = random(random, users, 0.1f);
        float[] bi0 = random(random, items, 0.1f);
        int[] u = ids(random, n, users);
        int[] i = ids(random, n, items);
        float[] r = random(random, n, 2f);
        SgdParams params = new SgdParams(3f, 0.01f, 0.02f, 0.01f);
        float[][] results = new float[4][];
        double[] losses = new double[2];
        int at = 0;
        for (Kernels kernels : new Kernels[] {scalar, gpu}) {
            try (DenseMatrix p = kernels.matrix(users, k, p0); DenseMatrix q = kernels.matrix(items, k, q0);
                 DenseMatrix bu = kernels.vector(bu0); DenseMatrix bi = kernels.vector(bi0);
                 Interactions ratings = kernels.interactions(u, i, r)) {
                losses[at / 2] = kernels.sgd(p, q, bu, bi, ratings, params);
                results[at++] = p.toArray();
                results[at++] = q.toArray();
            }
        }
        assertClose(results[0], results[2], 1e-5f, "p");
        assertClose(results[1], results[3], 1e-5f, "q");
        assertEquals(losses[0], losses[1], 1e-6 * losses[0]);
    }

    @Test
    void miniBatchMatchesTheReference() {
        Random random = new Random(8);
        int users = 30;
        int items = 25;
        int k = 16;
        int n = 3000;
        float[] p0 = random(random, users * k, 0.1f);
        float[] q0 = random(random, items * k, 0.1f);
        int[] u = ids(random, n, users);
        int[] i = ids(random, n, items);
        float[] r = random(random, n, 2f);
        SgdParams params = new SgdParams(0f, 0.001f, 0.02f, 0.01f);
        float[][] results = new float[4][];
        int at = 0;
        for (Kernels kernels : new Kernels[] {scalar, gpu}) {
            try (DenseMatrix p = kernels.matrix(users, k, p0); DenseMatrix q = kernels.matrix(items, k, q0);
                 Interactions ratings = kernels.interactions(u, i, r)) {
                kernels.sgdMiniBatch(p, q, null, null, ratings, params);
                results[at++] = p.toArray();
                results[at++] = q.toArray();
            }
        }
        assertClose(results[0], results[2], 1e-5f, "p");
        assertClose(results[1], results[3], 1e-5f, "q");
    }

    @Test
    void bprOnAListWithRepeatedItemsMatchesSequentialOrder() {
        Random random = new Random(9);
        int users = 10;
        int items = 12;
        int k = 8;
        int n = 1500;
        float[] p0 = random(random, users * k, 0.1f);
        float[] q0 = random(random, items * k, 0.1f);
        float[] b0 = random(random, items, 0.1f);
        int[] u = ids(random, n, users);
        int[] pos = ids(random, n, items);
        int[] neg = new int[n];
        for (int j = 0; j < n; j++) neg[j] = (pos[j] + 1 + random.nextInt(items - 1)) % items;
        BprParams params = new BprParams(0.05f, 0.01f, 0.01f);
        float[][] results = new float[4][];
        double[] losses = new double[2];
        int at = 0;
        for (Kernels kernels : new Kernels[] {scalar, gpu}) {
            try (DenseMatrix p = kernels.matrix(users, k, p0); DenseMatrix q = kernels.matrix(items, k, q0);
                 DenseMatrix b = kernels.vector(b0); Triples triples = kernels.triples(u, pos, neg)) {
                losses[at / 2] = kernels.bpr(p, q, b, triples, params);
                results[at++] = p.toArray();
                results[at++] = q.toArray();
            }
        }
        assertClose(results[0], results[2], 1e-5f, "p");
        assertClose(results[1], results[3], 1e-5f, "q");
        assertEquals(losses[0], losses[1], 1e-6 * losses[0]);
    }

    @Test
    void topKAcrossSeveralTilesWithExclusionsAndTiesMatchesTheReference() {
        Random random = new Random(10);
        int k = 4;
        int items = CudaTopK.TILE_ITEMS * 2 + 100;
        int queries = 5;
        int K = 7;
        float[] p0 = random(random, 20 * k, 1f);
        float[] q0 = random(random, items * k, 1f);
        for (int t = 0; t < k; t++) q0[(items - 1) * k + t] = q0[3 * k + t]; // a tie across tiles
        int[] rows = {0, 3, 3, 19, 7};
        int[] rowPtr = {0, 2, 2, 3, 3, 5};
        int[] cols = {3, items - 1, 5, 0, CudaTopK.TILE_ITEMS};
        int[][] outItems = new int[2][queries * K];
        float[][] outScores = new float[2][queries * K];
        int at = 0;
        for (Kernels kernels : new Kernels[] {scalar, gpu}) {
            try (DenseMatrix p = kernels.matrix(20, k, p0); DenseMatrix q = kernels.matrix(items, k, q0);
                 IndexArray r = kernels.indices("rows", rows);
                 CsrMatrix exclude = kernels.csr(queries, items, rowPtr, cols, new float[cols.length])) {
                kernels.topK(p, r, q, null, exclude, K, outItems[at], outScores[at]);
                at++;
            }
        }
        assertArrayEquals(outItems[0], outItems[1]);
        assertClose(outScores[0], outScores[1], 1e-5f, "scores");
    }

    @Test
    void choleskyFailureLeavesXUnchangedAndNamesTheSystem() {
        int k = 3;
        float[] a = {4, 0, 0, 1, 3, 0, 0, 1, 2, /* second system: not SPD */ 1, 0, 0, 2, 1, 0, 0, 0, 1};
        float[] b = {1, 2, 3, 4, 5, 6};
        float[] x0 = {9, 9, 9, 9, 9, 9};
        try (DenseMatrix am = gpu.matrix(2, k * k, a); DenseMatrix bm = gpu.matrix(2, k, b);
             DenseMatrix xm = gpu.matrix(2, k, x0)) {
            NotPositiveDefiniteException e = assertThrows(NotPositiveDefiniteException.class,
                    () -> gpu.choleskySolve(am, bm, xm));
            assertEquals(1, e.system());
            assertEquals(1, e.column());
            assertArrayEquals(x0, xm.toArray());
        }
    }

    @Test
    void alsHalfStepsMatchTheReferenceAndEmptyRowsBecomeZero() {
        Random random = new Random(11);
        int rowsCount = 40;
        int items = 30;
        int k = 12;
        int[] rowPtr = new int[rowsCount + 1];
        int nnz = 0;
        for (int r = 0; r < rowsCount; r++) {
            nnz += r % 7 == 0 ? 0 : 1 + random.nextInt(10);
            rowPtr[r + 1] = nnz;
        }
        int[] cols = ids(random, nnz, items);
        float[] vals = new float[nnz];
        for (int e = 0; e < nnz; e++) vals[e] = 1 + random.nextInt(5);
        float[] y0 = random(random, items * k, 0.5f);
        float[] x0 = random(random, rowsCount * k, 0.5f);
        int[] rows = new int[rowsCount];
        for (int r = 0; r < rowsCount; r++) rows[r] = rowsCount - 1 - r;
        for (Solver solver : new Solver[] {Solver.cholesky(), Solver.cg(4)}) {
            float[][] explicit = new float[2][];
            float[][] implicit = new float[2][];
            int at = 0;
            for (Kernels kernels : new Kernels[] {scalar, gpu}) {
                try (CsrMatrix ratings = kernels.csr(rowsCount, items, rowPtr, cols, vals);
                     DenseMatrix y = kernels.matrix(items, k, y0); DenseMatrix x = kernels.matrix(rowsCount, k, x0);
                     DenseMatrix xi = kernels.matrix(rowsCount, k, x0); DenseMatrix gram = kernels.matrix(k, k);
                     IndexArray ids = kernels.indices("rows", rows)) {
                    kernels.solveExplicit(x, ids, ratings, y, new ExplicitAlsParams(0.1f, true), solver);
                    kernels.gram(y, gram);
                    kernels.solveImplicit(xi, ids, ratings, y, gram, new ImplicitAlsParams(2f, 0.1f), solver);
                    explicit[at] = x.toArray();
                    implicit[at] = xi.toArray();
                    at++;
                }
            }
            assertClose(explicit[0], explicit[1], 1e-3f, "explicit " + solver);
            assertClose(implicit[0], implicit[1], 1e-3f, "implicit " + solver);
            for (int t = 0; t < k; t++) assertEquals(0f, explicit[1][0 * k + t], "row 0 has no ratings");
        }
    }

    @Test
    void gramIsExactlySymmetricAndMatchesTheReference() {
        Random random = new Random(12);
        int n = 1000;
        int k = 33;
        float[] y0 = random(random, n * k, 1f);
        float[][] out = new float[2][];
        int at = 0;
        for (Kernels kernels : new Kernels[] {scalar, gpu}) {
            try (DenseMatrix y = kernels.matrix(n, k, y0); DenseMatrix g = kernels.matrix(k, k)) {
                kernels.gram(y, g);
                out[at++] = g.toArray();
            }
        }
        assertClose(out[0], out[1], 1e-4f, "gram");
        for (int a = 0; a < k; a++) for (int b = 0; b < a; b++) assertEquals(out[1][a * k + b], out[1][b * k + a]);
        assertFalse(out[1][0] == 0f);
    }
}
