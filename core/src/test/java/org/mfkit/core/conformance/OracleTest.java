package org.mfkit.core.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The oracle itself against small examples worked by hand. */
class OracleTest {
    private static final double EXACT = 1e-12;

    @Test
    void gammaIsTheClassicRoundingBound() {
        assertEquals(0x1p-24 / (1 - 0x1p-24), Oracle.gamma(1), 0);
        assertEquals(0, Oracle.gamma(0), 0);
        assertTrue(Oracle.gamma(100) > 100 * Oracle.U);
    }

    @Test
    void dotAndPredict() {
        Oracle.Approx d = Oracle.dot(new float[] {1, 2}, new float[] {3, 4}, 2, new int[] {0}, new int[] {0});
        assertEquals(11, d.value[0], EXACT);
        assertEquals(Oracle.gamma(2) * 11, d.bound[0], EXACT);
        assertTrue(d.accepts(0, 11f));
        assertFalse(d.accepts(0, 11.001f));
        assertEquals(0, d.firstRejected(new float[] {12f}));
        Oracle.Approx p = Oracle.predict(1f, new float[] {0.5f}, new float[] {0, -0.25f}, new float[] {1, -2},
                new float[] {9, 9, 3, -4}, 2, new int[] {0}, new int[] {1});
        assertEquals(1 + 0.5 - 0.25 + 11, p.value[0], EXACT);
        assertEquals(Oracle.gamma(5) * (1 + 0.5 + 0.25 + 11), p.bound[0], EXACT);
    }

    @Test
    void scoresWithAndWithoutBias() {
        float[] q = {1, 0, 0, 1, 1, 1};
        Oracle.Approx s = Oracle.scores(new float[] {2, 3}, new int[] {0}, q, 3, 2, null);
        assertArrayEquals(new double[] {2, 3, 5}, s.value, EXACT);
        Oracle.Approx b = Oracle.scores(new float[] {2, 3}, new int[] {0}, q, 3, 2, new float[] {1, -1, 0.5f});
        assertArrayEquals(new double[] {3, 2, 5.5}, b.value, EXACT);
    }

    @Test
    void sgdOneRatingByHand() {
        // e = 3 − 2 = 1; p = 1 + 0.1·(1·2) = 1.2; q = 2 + 0.1·(1·1) = 2.1 (old p).
        Oracle.Params s = Oracle.sgd(new float[] {1}, new float[] {2}, 1, null, null, new int[] {0}, new int[] {0},
                new float[] {3}, 0f, 0.1f, 0f, 0f);
        assertEquals(1, s.loss, EXACT);
        assertEquals(1.2, s.p[0], 1e-7);
        assertEquals(2.1, s.q[0], 1e-7);
        // With biases 0.5 each the error is 0 and regularization 0.5 shrinks everything by 5%.
        Oracle.Params b = Oracle.sgd(new float[] {1}, new float[] {2}, 1, new float[] {0.5f}, new float[] {0.5f},
                new int[] {0}, new int[] {0}, new float[] {3}, 0f, 0.1f, 0.5f, 0.5f);
        assertEquals(0, b.loss, EXACT);
        assertEquals(0.95, b.p[0], 1e-7);
        assertEquals(1.9, b.q[0], 1e-7);
        assertEquals(0.475, b.userBias[0], 1e-7);
        assertEquals(0.475, b.itemBias[0], 1e-7);
        assertTrue(b.pApprox().bound[0] > 0);
    }

    @Test
    void sgdIsSequential() {
        // The second rating sees the first one's update: p = 1.2, q = 2.1 → e = 3 − 2.52 = 0.48.
        Oracle.Params s = Oracle.sgd(new float[] {1}, new float[] {2}, 1, null, null, new int[] {0, 0},
                new int[] {0, 0}, new float[] {3, 3}, 0f, 0.1f, 0f, 0f);
        assertEquals(1 + 0.48 * 0.48, s.loss, 1e-6);
        assertEquals(1.2 + 0.1 * 0.48 * 2.1, s.p[0], 1e-6);
    }

    @Test
    void miniBatchAccumulatesThenApplies() {
        // e = (2 − 1, 1 − 2) = (1, −1) from the entry values; G_p = 1·1 − 1·2 = −1;
        // p = 1 + 0.1·(−1 − 2·0.5·1) = 0.8 (two ratings: regularization counted twice).
        Oracle.Params s = Oracle.sgdMiniBatch(new float[] {1}, new float[] {1, 2}, 1, null, null, new int[] {0, 0},
                new int[] {0, 1}, new float[] {2, 1}, 0f, 0.1f, 0.5f, 0f);
        assertEquals(2, s.loss, EXACT);
        assertEquals(0.8, s.p[0], 1e-7);
        assertEquals(1 + 0.1 * (1 - 0.5), s.q[0], 1e-7);
        assertEquals(2 + 0.1 * (-1 - 0.5 * 2), s.q[1], 1e-7);
    }

    @Test
    void bprOneTripleByHand() {
        // x = 1·(1 − 0) = 1, g = σ(−1) = 1/(1 + e).
        double g = 1 / (1 + Math.E);
        Oracle.Params s = Oracle.bpr(new float[] {1}, new float[] {1, 0}, 1, new float[] {0, 0}, new int[] {0},
                new int[] {0}, new int[] {1}, 0.1f, 0f, 0f);
        assertEquals(Math.log1p(Math.exp(-1)), s.loss, EXACT);
        assertEquals(1 + 0.1 * g, s.p[0], 1e-7);
        assertEquals(1 + 0.1 * g, s.q[0], 1e-7);
        assertEquals(-0.1 * g, s.q[1], 1e-7);
        assertEquals(0.1 * g, s.itemBias[0], 1e-7);
        assertEquals(-0.1 * g, s.itemBias[1], 1e-7);
        assertEquals(Math.log(2), Oracle.softplus(0), EXACT);
        assertEquals(800, Oracle.softplus(800), EXACT);
    }

    @Test
    void gramAndNormalEquations() {
        Oracle.Approx g = Oracle.gram(new float[] {1, 2, 3, 4}, 2, 2);
        assertArrayEquals(new double[] {10, 14, 14, 20}, g.value, EXACT);
        // Row 0 rates item 0 = (1, 0) with 2 and item 1 = (1, 1) with 3.
        float[] y = {1, 0, 1, 1};
        int[] rowPtr = {0, 2};
        int[] cols = {0, 1};
        float[] vals = {2, 3};
        Oracle.NormalSystem e = Oracle.explicit(0, rowPtr, cols, vals, y, 2, 0.5f, false);
        assertArrayEquals(new double[] {2.5, 1, 1, 1.5}, e.a.value, EXACT);
        assertArrayEquals(new double[] {5, 3}, e.b.value, EXACT);
        Oracle.NormalSystem scaled = Oracle.explicit(0, rowPtr, cols, vals, y, 2, 0.5f, true);
        assertArrayEquals(new double[] {3, 1, 1, 2}, scaled.a.value, EXACT);
        // Implicit, G = I, α = 2, λ = 0.5: one entry r = 1 on (1, 1) and one r = 0 on (1, 0).
        Oracle.NormalSystem i = Oracle.implicit(0, rowPtr, new int[] {1, 0}, new float[] {1, 0}, y, 2,
                new float[] {1, 0, 0, 1}, 2f, 0.5f);
        assertArrayEquals(new double[] {3.5, 2, 2, 3.5}, i.a.value, EXACT);
        assertArrayEquals(new double[] {3, 3}, i.b.value, EXACT);
    }

    @Test
    void solvesByHand() {
        // A = [[4, 2], [2, 3]], b = (2, 1): x = (0.5, 0).
        Oracle.NormalSystem sys = Oracle.exact(new float[] {4, 2, 2, 3}, 0, new float[] {2, 1}, 0, 2);
        Oracle.Approx x = Oracle.choleskySolution(sys, new float[] {0.5f, 0}, 0);
        assertArrayEquals(new double[] {0.5, 0}, x.value, EXACT);
        assertTrue(x.bound[0] > 0 && x.bound[0] < 1e-5);
        assertArrayEquals(new double[] {3 / 8.0, -2 / 8.0, -2 / 8.0, 4 / 8.0}, Oracle.inverse(sys.a.value, 2), EXACT);
        assertNull(Oracle.inverse(new double[] {1, 2, 2, 1}, 2));
        // One CG step from 0: r = p = b, Ap = (10, 7), pᵀAp = 27, α = 5/27.
        Oracle.Approx one = Oracle.conjugateGradient(sys, new float[] {0, 0}, 0, 1);
        assertArrayEquals(new double[] {10 / 27.0, 5 / 27.0}, one.value, EXACT);
        // Two steps solve a 2×2 system exactly.
        Oracle.Approx two = Oracle.conjugateGradient(sys, new float[] {0, 0}, 0, 2);
        assertArrayEquals(new double[] {0.5, 0}, two.value, EXACT);
        // From the solution, CG stops at once.
        Oracle.Approx none = Oracle.conjugateGradient(sys, new float[] {0.5f, 0}, 0, 3);
        assertArrayEquals(new double[] {0.5, 0}, none.value, 0);
    }

    @Test
    void subspaceSweepsByHand() {
        // A = [[4, 2], [2, 3]], b = (2, 1), blocks of 1 from 0: x0 ← 2/4 = 0.5, then
        // x1 ← (1 − 2·0.5)/3 = 0: one Gauss–Seidel sweep lands on the solution here.
        Oracle.NormalSystem sys = Oracle.exact(new float[] {4, 2, 2, 3}, 0, new float[] {2, 1}, 0, 2);
        assertArrayEquals(new double[] {0.5, 0}, Oracle.subspace(sys, new float[] {0, 0}, 0, 1).value, EXACT);
        // From (0, 1): x0 ← (2 − 2)/4 = 0, x1 ← 1 + (1 − 3)/3 = 1/3.
        assertArrayEquals(new double[] {0, 1 / 3.0}, Oracle.subspace(sys, new float[] {0, 1}, 0, 1).value, EXACT);
        // One block of 2 (or more) is the exact solve from anywhere.
        assertArrayEquals(new double[] {0.5, 0}, Oracle.subspace(sys, new float[] {7, -3}, 0, 2).value, EXACT);
        assertArrayEquals(new double[] {0.5, 0}, Oracle.subspace(sys, new float[] {7, -3}, 0, 5).value, EXACT);
        assertArrayEquals(new double[] {0.5, 0}, Oracle.exactSolution(sys), EXACT);
        // ½xᵀAx − bᵀx at (0, 1) is 1.5 − 1 = 0.5; at the solution 0.5 − 1 = −0.5.
        assertEquals(0.5, Oracle.objective(sys, new float[] {0, 1}, 0), EXACT);
        assertEquals(-0.5, Oracle.objective(sys, new float[] {0.5f, 0}, 0), EXACT);
    }
}
