package org.mfkit.spark;

import java.io.Serializable;

/**
 * A vector of exact sums of float32 values: each sum is kept as a fixed-point number wide
 * enough for every finite float (2⁻¹⁴⁹ to 2¹²⁸ plus carries), so adding in any order or
 * grouping gives the same sum, and {@link #toFloats} rounds it the same way every time. This
 * is what makes the implicit Gram matrix (summed from per-chunk parts on whichever executors
 * hold them) and the global mean independent of the number of blocks and of input order.
 */
final class ExactSums implements Serializable {
    private static final long serialVersionUID = 1L;
    /** 32-bit limbs from bit position 2⁻¹⁴⁹: 11 limbs = 352 bits ≥ 277 needed + carry room. */
    private static final int LIMBS = 11;
    /** Limbs hold 32-bit digits in 64-bit longs; normalize before the carries could overflow. */
    private static final int ADDS_BEFORE_NORMALIZE = 1 << 29;

    private final int size;
    private final long[] limbs;
    private int pendingAdds;

    /** {@code size} sums, all zero. */
    ExactSums(int size) {
        this.size = size;
        this.limbs = new long[size * LIMBS];
    }

    int size() {
        return size;
    }

    /** Adds {@code value} (finite) to sum {@code index}. */
    void add(int index, float value) {
        int bits = Float.floatToRawIntBits(value);
        int exponent = (bits >>> 23) & 0xFF;
        if (exponent == 0xFF) throw new IllegalArgumentException("value = " + value + " is not finite");
        long mantissa = bits & 0x7FFFFF;
        int position; // bit position of the mantissa's lowest bit, from 2^-149
        if (exponent == 0) {
            position = 0;
        } else {
            mantissa |= 0x800000;
            position = exponent - 1;
        }
        if (mantissa == 0) return;
        if (bits < 0) mantissa = -mantissa;
        long shifted = mantissa << (position & 31); // |shifted| < 2^55
        int at = index * LIMBS + (position >>> 5);
        limbs[at] += shifted & 0xFFFFFFFFL;
        limbs[at + 1] += shifted >> 32;
        if (++pendingAdds >= ADDS_BEFORE_NORMALIZE) normalize();
    }

    /** Adds {@code values[j]} to sum {@code j} for every j. */
    void addAll(float[] values) {
        if (values.length != size) {
            throw new IllegalArgumentException("values has " + values.length + " elements, expected " + size);
        }
        for (int j = 0; j < size; j++) add(j, values[j]);
    }

    /** Adds the sums of {@code other} (same size) to these. */
    void merge(ExactSums other) {
        if (other.size != size) throw new IllegalArgumentException("other has " + other.size + " sums, expected " + size);
        normalize();
        other.normalize();
        for (int j = 0; j < limbs.length; j++) limbs[j] += other.limbs[j];
        pendingAdds = 1;
        normalize();
    }

    /** Propagates carries so every limb but the top one of each sum is in [0, 2³²): a canonical form. */
    private void normalize() {
        for (int s = 0; s < size; s++) {
            int base = s * LIMBS;
            for (int j = 0; j < LIMBS - 1; j++) {
                long carry = limbs[base + j] >> 32;
                limbs[base + j] -= carry << 32;
                limbs[base + j + 1] += carry;
            }
        }
        pendingAdds = 0;
    }

    /** Each sum rounded to a double (a deterministic function of the exact sum). */
    double[] toDoubles() {
        normalize();
        double[] out = new double[size];
        for (int s = 0; s < size; s++) {
            double value = 0;
            for (int j = LIMBS - 1; j >= 0; j--) value += Math.scalb((double) limbs[s * LIMBS + j], 32 * j - 149);
            out[s] = value;
        }
        return out;
    }

    /** Each sum rounded to a float. */
    float[] toFloats() {
        double[] d = toDoubles();
        float[] out = new float[size];
        for (int s = 0; s < size; s++) out[s] = (float) d[s];
        return out;
    }
}
