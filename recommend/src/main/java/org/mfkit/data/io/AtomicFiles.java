package org.mfkit.data.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.Set;

/**
 * Writes a file so that readers see either the old content or the complete new one, never a
 * part: the bytes go to a temporary file in the target's directory (same file system), are
 * forced to disk, and the temporary file is then renamed over the target with
 * {@link StandardCopyOption#ATOMIC_MOVE}. If writing fails or the process dies first, the
 * target is untouched; on failure the temporary file is deleted.
 *
 * <p>The new file gets the permissions of the one it replaces, or, for a new file, the
 * process's default (the umask applies), like any file the user creates: a temporary file from
 * {@link Files#createTempFile} would be owner-only, and a model shared with a team would
 * silently become unreadable to it.
 */
public final class AtomicFiles {
    private static final SecureRandom RANDOM = new SecureRandom();

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
        Path temp = createSibling(dir, absolute.getFileName().toString());
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream out = new java.io.BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
                writer.write(out);
                out.flush();
                channel.force(true);
            }
            keepPermissions(absolute, temp);
            Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
        } finally {
            if (!moved) Files.deleteIfExists(temp);
        }
    }

    /** A new empty file next to the target, created with the default permissions. */
    private static Path createSibling(Path dir, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path temp = dir.resolve("." + name + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp");
            try {
                return Files.createFile(temp);
            } catch (FileAlreadyExistsException e) {
                if (attempt == 100) throw e;
            }
        }
    }

    /** Gives {@code temp} the POSIX permissions of {@code target} when both exist on such a file system. */
    private static void keepPermissions(Path target, Path temp) throws IOException {
        if (!Files.exists(target)) return;
        // On a file system without POSIX permissions the default permissions stand.
        if (!Files.getFileStore(target).supportsFileAttributeView(PosixFileAttributeView.class)) return;
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(target);
        Files.setPosixFilePermissions(temp, permissions);
    }
}
