package org.mfkit.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.mfkit.bench.peers.Netlib;
import org.mfkit.core.BackendInfo;
import org.mfkit.core.Backends;

/**
 * The machine fingerprint, taken in the JVM that runs the benchmarks (the runner starts it
 * with the same {@code --jvm} as JMH's forks): CPU model and ISA flags, cores, memory, JVM,
 * Vector API preferred species, netlib's chosen implementations, GPU model and driver, every
 * backend of the registry with its availability, and the GPU ceilings. Prints
 * {@code key=value} properties on standard output.
 */
public final class Probe {
    /** Backends the report always lists, so a missing module shows up as a row with its reason. */
    static final List<String> EXPECTED_BACKENDS = List.of("scalar", "cpu-vector", "gpu-cuda");
    /** ISA flags worth printing (the full flag list is in /proc/cpuinfo). */
    private static final List<String> FLAGS = List.of("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512vl",
            "avx512_bf16", "avx512_vnni", "avx512_fp16", "amx_tile", "amx_bf16", "sve", "asimd");

    private Probe() {}

    /** Prints the fingerprint as properties. */
    public static void main(String[] args) throws IOException {
        Properties out = new Properties();
        out.putAll(collect());
        out.store(System.out, "mfkit bench probe");
    }

    static Map<String, String> collect() {
        Map<String, String> m = new LinkedHashMap<>();
        Map<String, String> cpu = cpuInfo();
        m.put("cpu.model", cpu.getOrDefault("model name", cpu.getOrDefault("Model", System.getProperty("os.arch"))));
        String flags = cpu.getOrDefault("flags", cpu.getOrDefault("Features", ""));
        List<String> present = FLAGS.stream().filter(f -> (" " + flags + " ").contains(" " + f + " "))
                .collect(Collectors.toList());
        m.put("cpu.isa", present.isEmpty() ? "(unknown)" : String.join(" ", present));
        m.put("cpu.cores", String.valueOf(Runtime.getRuntime().availableProcessors()));
        m.put("cpu.cache", lastLevelCache(cpu.getOrDefault("cache size", "(unknown)")));
        m.put("memory.total", memTotal());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        m.put("jvm.vendor", System.getProperty("java.vm.vendor"));
        m.put("jvm.version", System.getProperty("java.runtime.version", System.getProperty("java.version")));
        m.put("jvm.name", System.getProperty("java.vm.name"));
        m.put("jvm.home", System.getProperty("java.home"));
        m.put("jvm.maxHeap", (Runtime.getRuntime().maxMemory() >> 20) + " MiB");
        try {
            VectorInfo.put(m);
        } catch (LinkageError e) {
            m.put("vector.species", "unavailable: " + e + " (start the JVM with --add-modules=jdk.incubator.vector)");
            m.put("vector.lanes", "0");
        }
        try {
            m.put("netlib.blas", Netlib.blasName());
            m.put("netlib.lapack", Netlib.lapackName());
        } catch (LinkageError | RuntimeException e) {
            m.put("netlib.blas", "unavailable: " + e);
        }
        m.put("gpu", gpu());
        List<BackendInfo> backends = Backends.list();
        for (BackendInfo info : backends) {
            m.put("backend." + info.name(), (info.available() ? "available: " : "unavailable: ") + info.detail());
        }
        for (String expected : EXPECTED_BACKENDS) {
            m.putIfAbsent("backend." + expected, "unavailable: no provider on the class path (module not in this build)");
        }
        GpuCeilings.measure(m);
        return m;
    }

    private static Map<String, String> cpuInfo() {
        Map<String, String> m = new LinkedHashMap<>();
        Path path = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(path)) return m;
        try {
            for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
                int colon = line.indexOf(':');
                if (colon < 0) continue;
                m.putIfAbsent(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
            }
        } catch (IOException e) {
            m.put("model name", "(unreadable /proc/cpuinfo: " + e.getMessage() + ")");
        }
        return m;
    }

    /**
     * The largest-level cache of cpu0 from sysfs (e.g. "L3 107520K"), which /proc/cpuinfo's
     * "cache size" does not reliably give (it is L2 on some AMD parts); {@code fallback} when
     * sysfs is missing.
     */
    private static String lastLevelCache(String fallback) {
        Path dir = Path.of("/sys/devices/system/cpu/cpu0/cache");
        int bestLevel = -1;
        String bestSize = null;
        for (int index = 0; index < 16; index++) {
            Path entry = dir.resolve("index" + index);
            if (!Files.isDirectory(entry)) break;
            try {
                int level = Integer.parseInt(Files.readString(entry.resolve("level")).trim());
                String type = Files.readString(entry.resolve("type")).trim();
                if (level > bestLevel && !type.equals("Instruction")) {
                    bestLevel = level;
                    bestSize = Files.readString(entry.resolve("size")).trim();
                }
            } catch (IOException | RuntimeException e) {
                break;
            }
        }
        return bestSize != null ? bestSize + " (L" + bestLevel + ")" : fallback;
    }

    private static String memTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return (kb >> 20) + " GiB";
                }
            }
        } catch (IOException | RuntimeException e) {
            return "(unknown)";
        }
        return "(unknown)";
    }

    /** GPU name and driver from nvidia-smi, or why there is none. */
    private static String gpu() {
        try {
            Process process = new ProcessBuilder("nvidia-smi", "--query-gpu=name,driver_version,memory.total",
                    "--format=csv,noheader").redirectErrorStream(true).start();
            String text;
            try (InputStream in = process.getInputStream()) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            }
            int rc = process.waitFor();
            return rc == 0 && !text.isEmpty() ? text.replace('\n', ';') : "none (nvidia-smi exit " + rc + ")";
        } catch (IOException e) {
            return "none (nvidia-smi not found)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "none (interrupted)";
        }
    }

    /** Kept apart so a JVM without the vector module fails only here. */
    private static final class VectorInfo {
        static void put(Map<String, String> m) {
            var species = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED;
            m.put("vector.species", species.toString());
            m.put("vector.lanes", String.valueOf(species.length()));
        }
    }
}
