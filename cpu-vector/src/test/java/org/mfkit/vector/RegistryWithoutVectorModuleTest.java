package org.mfkit.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.mfkit.core.BackendInfo;
import org.mfkit.core.Backends;
import org.mfkit.core.Kernels;

/** The registry entry: available with the module, unavailable (with the reason) without it. */
class RegistryWithoutVectorModuleTest {

    /** Child-JVM entry point: prints one line per registry row. */
    public static final class ListBackends {
        public static void main(String[] args) {
            for (BackendInfo info : Backends.list()) System.out.println(info);
        }
    }

    @Test
    void availableAndBestWhenTheModuleIsLoaded() {
        BackendInfo row = Backends.list().stream().filter(b -> b.name().equals("cpu-vector")).findFirst().orElseThrow();
        assertTrue(row.available(), row.toString());
        assertEquals(200, row.priority());
        try (Kernels k = Backends.open("cpu-vector")) {
            assertEquals("cpu-vector", k.backendName());
            assertEquals(Runtime.getRuntime().availableProcessors(), k.threads());
        }
    }

    @Test
    void unavailableWithTheReasonWhenStartedWithoutAddModules() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                ListBackends.class.getName());
        builder.redirectErrorStream(true);
        builder.environment().remove("JDK_JAVA_OPTIONS");
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        Process child = builder.start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
        assertEquals(0, child.exitValue(), output);
        List<String> lines = output.lines().toList();
        String row = lines.stream().filter(l -> l.startsWith("cpu-vector:")).findFirst()
                .orElseThrow(() -> new AssertionError("no cpu-vector row in:\n" + output));
        assertTrue(row.contains("unavailable"), row);
        assertTrue(row.contains("--add-modules jdk.incubator.vector"), row);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("scalar: available")), output);
    }
}
