package org.mfkit.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A short description of the machine, for the demo and for anyone comparing numbers: CPU
 * model and SIMD width, logical cores, memory, heap, JVM and OS. Reads /proc on Linux and
 * falls back to what the JVM reports elsewhere; never throws.
 */
final class Hardware {
    final String cpu;
    final int logicalCores;
    final String simd;
    final long memoryBytes;
    final long maxHeapBytes;
    final String jvm;
    final String os;

    private Hardware(String cpu, int logicalCores, String simd, long memoryBytes, long maxHeapBytes, String jvm, String os) {
        this.cpu = cpu;
        this.logicalCores = logicalCores;
        this.simd = simd;
        this.memoryBytes = memoryBytes;
        this.maxHeapBytes = maxHeapBytes;
        this.jvm = jvm;
        this.os = os;
    }

    static Hardware detect() {
        List<String> cpuinfo = lines(Paths.get("/proc/cpuinfo"));
        String model = field(cpuinfo, "model name");
        if (model == null) model = field(cpuinfo, "Model");
        if (model == null) model = System.getProperty("os.arch");
        String flags = field(cpuinfo, "flags");
        if (flags == null) flags = field(cpuinfo, "Features");
        return new Hardware(model.replaceAll("\\s+", " ").trim(), Runtime.getRuntime().availableProcessors(), simd(flags),
                memory(), Runtime.getRuntime().maxMemory(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                        + " (" + System.getProperty("java.vendor") + ")",
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
    }

    /** The widest SIMD extension the CPU reports, as people name it. */
    private static String simd(String flags) {
        if (flags == null) return "unknown SIMD";
        List<String> have = List.of(flags.toLowerCase(Locale.ROOT).split("\\s+"));
        List<String> parts = new ArrayList<>();
        if (have.contains("avx512f")) parts.add("AVX-512");
        else if (have.contains("avx2")) parts.add("AVX2");
        else if (have.contains("avx")) parts.add("AVX");
        else if (have.contains("sse4_2")) parts.add("SSE4.2");
        if (have.contains("fma")) parts.add("FMA");
        if (have.contains("sve")) parts.add("SVE");
        else if (have.contains("asimd")) parts.add("NEON");
        return parts.isEmpty() ? "no wide SIMD reported" : String.join(" + ", parts);
    }

    private static long memory() {
        try {
            java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
            if (os instanceof com.sun.management.OperatingSystemMXBean) {
                return ((com.sun.management.OperatingSystemMXBean) os).getTotalMemorySize();
            }
        } catch (RuntimeException | LinkageError e) {
            // Not every JVM has the extended bean; memory is then reported as unknown.
        }
        return -1;
    }

    private static String field(List<String> lines, String name) {
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(name)) return line.substring(colon + 1).trim();
        }
        return null;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    static String gib(long bytes) {
        return bytes < 0 ? "unknown" : String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }
}
