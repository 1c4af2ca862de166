package org.mfkit.bench.peers;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.lapack.LAPACK;
import org.netlib.util.intW;

/**
 * dev.ludovic.netlib 3.2 used the way a JVM user would call it on our row-major data. BLAS
 * and LAPACK are column-major; a row-major n × k matrix is a column-major k × n matrix, which
 * is how the calls below read it.
 */
public final class Netlib {
    private static final BLAS BLAS_INSTANCE = BLAS.getInstance();
    private static final LAPACK LAPACK_INSTANCE = LAPACK.getInstance();

    private Netlib() {}

    /** The BLAS implementation netlib picked on this JVM (e.g. VectorBLAS, JavaBLAS). */
    public static String blasName() {
        return BLAS_INSTANCE.getClass().getSimpleName();
    }

    /** The LAPACK implementation netlib picked on this JVM. */
    public static String lapackName() {
        return LAPACK_INSTANCE.getClass().getSimpleName();
    }

    /** out[j] = sdot(p[users[j]], q[items[j]]). */
    public static void dot(float[] p, float[] q, int k, int[] users, int[] items, float[] out) {
        for (int j = 0; j < users.length; j++) out[j] = BLAS_INSTANCE.sdot(k, p, users[j] * k, 1, q, items[j] * k, 1);
    }

    /** Score block with one sgemm: out (rows × nItems, row-major) = P_rows · Qᵀ; {@code gathered} is rows × k scratch. */
    public static void scores(float[] p, int[] rows, float[] q, int nItems, int k, float[] gathered, float[] out) {
        for (int r = 0; r < rows.length; r++) System.arraycopy(p, rows[r] * k, gathered, r * k, k);
        // Column-major: outᵀ (nItems × rows) = Q (nItems × k, i.e. Qcᵀ) · gatheredᵀᵀ.
        BLAS_INSTANCE.sgemm("T", "N", nItems, rows.length, k, 1f, q, k, gathered, k, 0f, out, nItems);
    }

    /** yᵀy with ssyrk (upper triangle in column-major = lower in row-major), mirrored to full. */
    public static void gramSyrk(float[] y, int n, int k, float[] out) {
        BLAS_INSTANCE.ssyrk("U", "N", k, n, 1f, y, k, 0f, out, k);
        mirrorUpperColumnMajor(out, k);
    }

    /** yᵀy with a general sgemm (computes both triangles). */
    public static void gramGemm(float[] y, int n, int k, float[] out) {
        BLAS_INSTANCE.sgemm("N", "T", k, k, n, 1f, y, k, y, k, 0f, out, k);
    }

    /**
     * spotrf + spotrs on one k×k system (the lower triangle in row-major is the upper in
     * column-major, so "U"); {@code work} (k·k) receives the factor, {@code x} the solution.
     */
    public static void choleskySolve(float[] a, int aOff, float[] b, int bOff, int k, float[] work,
                                     float[] x, int xOff) {
        System.arraycopy(a, aOff, work, 0, k * k);
        System.arraycopy(b, bOff, x, xOff, k);
        intW info = new intW(0);
        LAPACK_INSTANCE.spotrf("U", k, work, k, info);
        if (info.val != 0) throw new ArithmeticException("spotrf info = " + info.val);
        LAPACK_INSTANCE.spotrs("U", k, 1, work, 0, k, x, xOff, k, info);
        if (info.val != 0) throw new ArithmeticException("spotrs info = " + info.val);
    }

    private static void mirrorUpperColumnMajor(float[] out, int k) {
        // Column-major upper (row <= col) is out[col * k + row]; copy it into the other triangle.
        for (int col = 0; col < k; col++) {
            for (int row = 0; row < col; row++) out[row * k + col] = out[col * k + row];
        }
    }
}
