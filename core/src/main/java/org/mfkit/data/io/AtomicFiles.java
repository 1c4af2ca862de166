package org.mfkit.data.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file so that readers see either the old content or the complete new one, never a
 * part: the bytes go to a temporary file in the target's directory (same file system), are
 * forced to disk, and the temporary file is then renamed over the target with
 * {@link StandardCopyOption#ATOMIC_MOVE}. If writing fails or the process dies first, the
 * target is untouched; on failure the temporary file is deleted.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** What writes the content; it must not close the stream. */
    @FunctionalInterface
    public interface Writer {
        /** Writes the whole content to {@code out}. */
        void write(OutputStream out) throws IOException;
    }

    /** Writes {@code target} atomically with {@code writer}; parent directories are created. */
    public static void write(Path target, Writer writer) throws IOException {
        if (target == null) throw new IllegalArgumentException("target must not be null");
        if (writer == null) throw new IllegalArgumentException("writer must not be null");
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        if (Files.isDirectory(absolute)) throw new IOException(target + " is a directory");
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".tmp");
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream out = new java.io.BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
                writer.write(out);
                out.flush();
                channel.force(true);
            }
            Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
        } finally {
            if (!moved) Files.deleteIfExists(temp);
        }
    }
}
