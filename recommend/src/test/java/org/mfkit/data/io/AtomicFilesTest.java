package org.mfkit.data.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void replacesTheTargetWhole() throws IOException {
        Path target = dir.resolve("sub/out.txt");
        AtomicFiles.write(target, out -> out.write("first".getBytes(StandardCharsets.UTF_8)));
        AtomicFiles.write(target, out -> out.write("second".getBytes(StandardCharsets.UTF_8)));
        assertEquals("second", Files.readString(target));
        assertEquals(1, count(target.getParent()));
    }

    @Test
    void aFailedWriteLeavesTheOldContentAndNoTemporaryFile() throws IOException {
        Path target = dir.resolve("model.bin");
        Files.writeString(target, "old");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            out.write(new byte[100_000]);
            throw new IOException("disk full");
        }));
        assertEquals("disk full", e.getMessage());
        assertEquals("old", Files.readString(target));
        assertEquals(1, count(dir));
    }

    @Test
    void aNewFileIsNotOwnerOnlyAndAReplacedOneKeepsItsPermissions() throws IOException {
        Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"),
                "POSIX permissions only exist on POSIX file systems");
        Path created = dir.resolve("new.bin");
        Path plain = Files.createFile(dir.resolve("plain.bin"));
        AtomicFiles.write(created, out -> out.write(1));
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(created),
                "the same permissions as any file the process creates");

        Path shared = dir.resolve("shared.bin");
        Files.writeString(shared, "old");
        Set<PosixFilePermission> groupWritable = PosixFilePermissions.fromString("rw-rw-r--");
        Files.setPosixFilePermissions(shared, groupWritable);
        AtomicFiles.write(shared, out -> out.write(2));
        assertEquals(groupWritable, Files.getPosixFilePermissions(shared));
    }

    private static long count(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.count();
        }
    }
}
