package org.mfkit.data.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A line of a ratings file that cannot be read. The message names the file, the line number
 * (1-based), what is wrong and the line itself, so the user can go straight to it.
 */
public final class MalformedLineException extends IOException {
    private static final long serialVersionUID = 1L;
    private static final int MAX_SHOWN = 200;

    private final transient Path file;
    private final long lineNumber;
    private final String line;
    private final String problem;

    /**
     * @param file       the file read
     * @param lineNumber 1-based line number
     * @param line       the line's content
     * @param problem    what is wrong with it
     */
    public MalformedLineException(Path file, long lineNumber, String line, String problem) {
        super(file + ":" + lineNumber + ": " + problem + ": '" + shown(line) + "'");
        this.file = file;
        this.lineNumber = lineNumber;
        this.line = line;
        this.problem = problem;
    }

    /** The file read. */
    public Path file() {
        return file;
    }

    /** The 1-based line number. */
    public long lineNumber() {
        return lineNumber;
    }

    /** The offending line. */
    public String line() {
        return line;
    }

    /** What is wrong, without the location. */
    public String problem() {
        return problem;
    }

    /** The line, shortened when very long, with tabs made visible. */
    static String shown(String line) {
        String visible = line.replace("\t", "\\t");
        return visible.length() <= MAX_SHOWN ? visible : visible.substring(0, MAX_SHOWN) + "...";
    }
}
