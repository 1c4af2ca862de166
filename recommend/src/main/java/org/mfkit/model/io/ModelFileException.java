package org.mfkit.model.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A model file that cannot be read: not a model file, truncated, corrupted (checksum
 * mismatch) or written by a newer mfkit. The message starts with the file's path.
 */
public final class ModelFileException extends IOException {
    private static final long serialVersionUID = 1L;

    /** A problem with {@code file}. */
    public ModelFileException(Path file, String problem) {
        super(file + ": " + problem);
    }
}
