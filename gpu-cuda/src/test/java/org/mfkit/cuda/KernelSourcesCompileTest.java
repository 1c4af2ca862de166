package org.mfkit.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kernel source must compile. NVRTC needs a CUDA 12 library this machine may lack, so
 * the offline nvcc compiles each file to PTX for a baseline architecture (compute_75, the
 * oldest nvcc 13 accepts) with the options NVRTC gets, warnings as errors, and the PTX must
 * define every kernel the Java side looks up. Skipped, with the reason, when nvcc is absent.
 */
class KernelSourcesCompileTest {
    private static final Path SOURCES = Path.of("src/main/resources/org/mfkit/cuda/kernels");

    @Test
    void everySourceFileIsRegisteredAndEveryRegisteredFileExists() throws IOException {
        Set<String> onDisk;
        try (Stream<Path> files = Files.list(SOURCES)) {
            onDisk = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".cu"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> registered = Stream.of(KernelSources.values()).map(KernelSources::file)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(onDisk, registered);
        for (KernelSources source : KernelSources.values()) assertFalse(source.source().isBlank(), source.file());
    }

    @Test
    void sourcesAreSelfContainedForNvrtc() {
        for (KernelSources source : KernelSources.values()) {
            assertFalse(source.source().lines().anyMatch(line -> line.strip().startsWith("#include")), source.file() + " includes a header NVRTC does not have");
            for (String kernel : source.kernels()) {
                assertTrue(source.source().contains("extern \"C\" __global__ void " + kernel + "("),
                        source.file() + " must define extern \"C\" kernel " + kernel);
            }
        }
    }

    @Test
    void nvrtcOptionsTargetTheDeviceAndKeepMultipliesAndAddsSeparate() {
        assertEquals(List.of("--gpu-architecture=sm_86", "--fmad=false", "--std=c++14"),
                NvrtcCompiler.options(new NvrtcCompiler.Target(86, true)));
        assertEquals("compute_90", new NvrtcCompiler.Target(90, false).architecture());
    }

    @Test
    void nvrtcTargetIsACubinForASupportedDeviceElsePtxForTheNewestOlderArchitecture() {
        int[] cuda126 = {50, 52, 53, 60, 61, 62, 70, 72, 75, 80, 86, 87, 89, 90};
        assertEquals(new NvrtcCompiler.Target(86, true), NvrtcCompiler.target(86, cuda126));
        assertEquals(new NvrtcCompiler.Target(90, false), NvrtcCompiler.target(100, cuda126));
        assertEquals(new NvrtcCompiler.Target(80, false), NvrtcCompiler.target(81, new int[] {90, 80, 75}));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> NvrtcCompiler.target(37, cuda126));
        assertTrue(e.getMessage().contains("37"), e.getMessage());
    }

    @Test
    void nvccCompilesEverySourceAndDefinesEveryKernel(@TempDir Path out) throws Exception {
        Optional<Path> nvcc = findNvcc();
        Assumptions.assumeTrue(nvcc.isPresent(), "nvcc not found on PATH, in $CUDA_HOME/bin or /usr/local/cuda/bin");
        List<String> command = new ArrayList<>(List.of(nvcc.get().toString(), "-ptx", "-arch=compute_75",
                "--fmad=false", "--std=c++14", "-Werror", "all-warnings", "--output-directory", out.toString()));
        for (KernelSources source : KernelSources.values()) {
            Path file = out.resolve("src").resolve(source.file());
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.source(), StandardCharsets.UTF_8);
            command.add(file.toString());
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "nvcc did not finish");
        assertEquals(0, process.exitValue(), "nvcc failed:\n" + log);
        for (KernelSources source : KernelSources.values()) {
            Path ptx = out.resolve(source.file().replace(".cu", ".ptx"));
            String text = Files.readString(ptx, StandardCharsets.UTF_8);
            for (String kernel : source.kernels()) {
                assertTrue(text.contains(".entry " + kernel + "("), ptx + " lacks kernel " + kernel);
            }
        }
    }

    private static Optional<Path> findNvcc() {
        List<Path> candidates = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) for (String dir : path.split(File.pathSeparator)) candidates.add(Path.of(dir, "nvcc"));
        String cudaHome = System.getenv("CUDA_HOME");
        if (cudaHome != null) candidates.add(Path.of(cudaHome, "bin", "nvcc"));
        candidates.add(Path.of("/usr/local/cuda/bin/nvcc"));
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }
}
