package org.mfkit.bench.jmh;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.mfkit.core.Backends;
import org.mfkit.core.Kernels;
import org.mfkit.core.spi.BackendOptions;

/**
 * Plumbing shared by the benchmarks: opening the implementation a row measures, and the
 * cross-check every benchmark runs in its trial setup before anything is timed.
 *
 * <p>An implementation name is either a backend of the registry ({@code scalar},
 * {@code cpu-vector}, {@code gpu-cuda}, ...) or one of the peers a JVM user would otherwise
 * use ({@link #JAVA_LOOPS}, {@link #NETLIB}, {@link #NETLIB_GEMM}, {@link #EJML},
 * {@link #SPARK}).
 *
 * <p>Cross-check results go to one properties file per benchmark row in the directory named by
 * the system property {@value #CHECKS_PROPERTY}; the report reads them to print the check
 * column and to mark a row FAILED. A failed check throws, so JMH never times a wrong kernel.
 */
public final class Harness {
    /** System property naming the directory for cross-check records. */
    public static final String CHECKS_PROPERTY = "mfkit.bench.checks";
    /** The scalar reference backend every other implementation is checked against. */
    public static final String REFERENCE = "scalar";
    /** Plain Java loops written the obvious way. */
    public static final String JAVA_LOOPS = "java-loops";
    /** dev.ludovic.netlib BLAS/LAPACK (sdot, ssyrk, spotrf + spotrs, ...). */
    public static final String NETLIB = "netlib";
    /** dev.ludovic.netlib sgemm where the peer is a general matrix product. */
    public static final String NETLIB_GEMM = "netlib-gemm";
    /** EJML (ejml-fdense) one system at a time. */
    public static final String EJML = "ejml";
    /** Spark ALS's normal equations: packed float64 built with dspr, solved with dppsv. */
    public static final String SPARK = "spark-dspr-dppsv";

    private Harness() {}

    /** Whether {@code impl} names a peer rather than a registry backend. */
    public static boolean isPeer(String impl) {
        return impl.equals(JAVA_LOOPS) || impl.equals(NETLIB) || impl.equals(NETLIB_GEMM) || impl.equals(EJML)
                || impl.equals(SPARK);
    }

    /** Opens a registry backend; {@code threads == 0} means the backend's default. */
    public static Kernels open(String backend, int threads) {
        return Backends.open(backend, threads == 0 ? BackendOptions.defaults() : BackendOptions.threads(threads));
    }

    /** The scalar reference backend. */
    public static Kernels reference() {
        return Backends.open(REFERENCE, BackendOptions.threads(1));
    }

    /**
     * The row key the report matches results and checks with: the benchmark class's simple
     * name and its parameters sorted by name, e.g. {@code GramBench{impl=scalar, k=64, n=1000}}.
     */
    public static String key(String bench, Object... nameValuePairs) {
        Map<String, String> params = new TreeMap<>();
        for (int j = 0; j + 1 < nameValuePairs.length; j += 2) {
            params.put(String.valueOf(nameValuePairs[j]), String.valueOf(nameValuePairs[j + 1]));
        }
        return bench + params;
    }

    /** A file name for a row key (letters, digits, '-', '_', '.', '=' only). */
    public static String fileName(String key) {
        return key.replaceAll("[^A-Za-z0-9._=-]+", "_") + ".check";
    }

    /**
     * Records a cross-check and throws when it failed. {@code error} is the normwise relative
     * difference to the reference (NaN counts as a failure); {@code threads} is how many
     * threads the implementation uses, which the report needs to pick the ceiling.
     */
    public static void verify(String key, int threads, double error, double tolerance, String what) {
        boolean ok = error <= tolerance; // false for NaN
        write(key, ok ? "OK" : "FAILED", threads, error, tolerance, what);
        if (!ok) {
            throw new IllegalStateException("cross-check FAILED for " + key + ": " + what + " differs from the "
                    + REFERENCE + " reference by " + error + " (tolerance " + tolerance + "); not timing it");
        }
    }

    /**
     * Records that this row is timed without a cross-check, and why (the reference would take
     * too long at this size; the report prints the reason in the check column).
     */
    public static void unchecked(String key, int threads, String why) {
        write(key, "UNCHECKED", threads, Double.NaN, 0, why);
    }

    /** Records that this row is the reference itself (nothing to compare). */
    public static void reference(String key) {
        write(key, "REFERENCE", 1, 0, 0, "the reference");
    }

    private static void write(String key, String status, int threads, double error, double tolerance, String what) {
        String dir = System.getProperty(CHECKS_PROPERTY);
        if (dir == null || dir.isBlank()) return;
        Properties record = new Properties();
        record.setProperty("key", key);
        record.setProperty("status", status);
        record.setProperty("threads", Integer.toString(threads));
        record.setProperty("error", Double.toString(error));
        record.setProperty("tolerance", Double.toString(tolerance));
        record.setProperty("what", what);
        try {
            Path folder = Path.of(dir);
            Files.createDirectories(folder);
            try (OutputStream out = Files.newOutputStream(folder.resolve(fileName(key)))) {
                record.store(out, null);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the cross-check record for " + key, e);
        }
    }

    /**
     * Normwise relative difference max|got − want| / max|want| (with a floor of 1e-30 on the
     * denominator); NaN or infinity in {@code got} gives +∞.
     */
    public static double relativeError(float[] got, float[] want) {
        if (got.length != want.length) return Double.POSITIVE_INFINITY;
        double diff = 0;
        double scale = 1e-30;
        for (int j = 0; j < got.length; j++) {
            if (!Float.isFinite(got[j])) return Double.POSITIVE_INFINITY;
            diff = Math.max(diff, Math.abs((double) got[j] - want[j]));
            scale = Math.max(scale, Math.abs((double) want[j]));
        }
        return diff / scale;
    }

    /** Relative difference of two scalars. */
    public static double relativeError(double got, double want) {
        if (!Double.isFinite(got)) return Double.POSITIVE_INFINITY;
        return Math.abs(got - want) / Math.max(1e-30, Math.abs(want));
    }
}
