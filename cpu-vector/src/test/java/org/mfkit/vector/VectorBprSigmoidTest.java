package org.mfkit.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The error of {@link VectorBpr#sigmoidOfNegative}, BPR's inline σ(−x), against σ(−x) in
 * float64: within 4 units of float32 rounding (u = 2⁻²⁴) relative for x in [−88, 88], within
 * 6.1e-39 absolute beyond, and NaN for NaN. docs/KERNELS.md states the bound, and
 * the conformance suite's 8u·g for σ covers it.
 */
class VectorBprSigmoidTest {
    private static final double U = 0x1p-24;

    private static double exact(float x) {
        return 1.0 / (1.0 + Math.exp(x));
    }

    @Test
    void relativeErrorWithinFourUnitsOfRounding() {
        double worst = 0;
        float worstAt = 0;
        // Every 7th float bit pattern in [−88, 88] (about 2.2 billion floats, 310 million checked):
        // all exponents, both signs, all mantissa residues of 7.
        for (int sign = 0; sign < 2; sign++) {
            int last = Float.floatToRawIntBits(88f);
            for (int bits = 0; bits <= last; bits += 7) {
                float x = Float.intBitsToFloat(bits | (sign << 31));
                double e = exact(x);
                double rel = Math.abs(VectorBpr.sigmoidOfNegative(x) - e) / (e * U);
                if (rel > worst) {
                    worst = rel;
                    worstAt = x;
                }
            }
        }
        assertTrue(worst <= 4, "worst relative error " + worst + " u at x = " + worstAt);
    }

    @Test
    void tailsAndSpecialValues() {
        for (float x = 88f; x < 200f; x = Math.nextUp(x) + 0.01f) {
            assertTrue(Math.abs(VectorBpr.sigmoidOfNegative(x) - exact(x)) < 6.1e-39, "x = " + x);
            assertEquals(1f, VectorBpr.sigmoidOfNegative(-x), "x = " + -x);
        }
        assertEquals(0.5f, VectorBpr.sigmoidOfNegative(0f));
        assertEquals(0.5f, VectorBpr.sigmoidOfNegative(-0f));
        assertEquals(1f, VectorBpr.sigmoidOfNegative(Float.NEGATIVE_INFINITY));
        assertTrue(VectorBpr.sigmoidOfNegative(Float.POSITIVE_INFINITY) < 6.1e-39);
        assertTrue(Float.isNaN(VectorBpr.sigmoidOfNegative(Float.NaN)));
    }
}
