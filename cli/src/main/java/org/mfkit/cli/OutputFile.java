package org.mfkit.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.mfkit.data.io.AtomicFiles;

/**
 * A file a command writes. Checked before any work starts, so that a run that cannot save its
 * result fails at once rather than after training; written atomically, so that a failure
 * leaves the old file (or none), never part of a new one.
 */
final class OutputFile {
    /** Writes the text content. */
    @FunctionalInterface
    interface TextWriter {
        void write(Writer out) throws IOException;
    }

    private OutputFile() {}

    /**
     * Fails with a message naming {@code option} when {@code target} cannot be written: it is a
     * directory, a file stands where its folder should be, it or its folder is read-only, or it
     * is one of {@code inputs}.
     */
    static void check(String option, Path target, Path... inputs) {
        Path absolute = target.toAbsolutePath().normalize();
        if (Files.isDirectory(absolute)) throw new IllegalArgumentException(option + " " + target + " is a directory");
        for (Path input : inputs) {
            if (input != null && input.toAbsolutePath().normalize().equals(absolute)) {
                throw new IllegalArgumentException(option + " " + target + " is also the input; refusing to overwrite it");
            }
        }
        if (Files.exists(absolute) && !Files.isWritable(absolute)) {
            throw new IllegalArgumentException(option + " " + target + " is not writable");
        }
        for (Path dir = absolute.getParent(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir)) {
                if (!Files.isDirectory(dir)) {
                    throw new IllegalArgumentException(option + " " + target + ": " + dir + " is not a directory");
                }
                if (!Files.isWritable(dir)) {
                    throw new IllegalArgumentException(option + " " + target + ": cannot write in " + dir);
                }
                return;
            }
        }
    }

    /** Writes UTF-8 text to {@code target} atomically. */
    static void writeText(Path target, TextWriter content) throws IOException {
        AtomicFiles.write(target, stream -> {
            Writer out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
            content.write(out);
            out.flush();
        });
    }
}
