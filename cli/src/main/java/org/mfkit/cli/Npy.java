package org.mfkit.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Arrays in NumPy's {@code .npy} format, version 1.0, as {@code numpy.load} reads them without
 * pickling: the magic {@code \x93NUMPY}, the version bytes 1 and 0, a little-endian u16 header
 * length, then an ASCII header — a Python dict literal with {@code descr}, {@code fortran_order}
 * and {@code shape}, padded with spaces and ended by a newline so that the data starts at a
 * multiple of 64 bytes — then the elements in C order. Floats are {@code '<f4'}; strings are
 * {@code '<U}n{@code '}: n UTF-32LE code points per element, zero-padded.
 */
final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGNMENT = 64;
    private static final int CHUNK = 1 << 16;

    private Npy() {}

    /** Writes {@code values} as a float32 array of {@code shape} (row-major; its product is values.length). */
    static void floats(OutputStream out, float[] values, int... shape) throws IOException {
        header(out, "'<f4'", shape);
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            if (buffer.remaining() < 4) drain(out, buffer);
            buffer.putFloat(v);
        }
        drain(out, buffer);
    }

    /** Writes {@code values} as a one-dimensional unicode string array ({@code '<U}n{@code '}, n the longest in code points, at least 1). */
    static void strings(OutputStream out, String[] values) throws IOException {
        int width = 1;
        for (String s : values) width = Math.max(width, s.codePointCount(0, s.length()));
        header(out, "'<U" + width + "'", values.length);
        ByteBuffer buffer = ByteBuffer.allocate(Math.max(CHUNK, 4 * width)).order(ByteOrder.LITTLE_ENDIAN);
        for (String s : values) {
            if (buffer.remaining() < 4 * width) drain(out, buffer);
            int written = 0;
            for (int at = 0; at < s.length(); ) {
                int cp = s.codePointAt(at);
                buffer.putInt(cp);
                at += Character.charCount(cp);
                written++;
            }
            for (; written < width; written++) buffer.putInt(0);
        }
        drain(out, buffer);
    }

    /** The header text for {@code descr} and {@code shape}, padded as the format asks. */
    static byte[] header(String descr, int... shape) {
        StringBuilder dims = new StringBuilder("(");
        for (int d = 0; d < shape.length; d++) {
            if (d > 0) dims.append(", ");
            dims.append(shape[d]);
        }
        if (shape.length == 1) dims.append(',');
        dims.append(')');
        String dict = "{'descr': " + descr + ", 'fortran_order': False, 'shape': " + dims + ", }";
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int padding = (ALIGNMENT - unpadded % ALIGNMENT) % ALIGNMENT;
        String text = dict + " ".repeat(padding) + "\n";
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length > 0xFFFF) throw new IllegalArgumentException("npy header of " + bytes.length + " bytes does not fit version 1.0");
        return bytes;
    }

    private static void header(OutputStream out, String descr, int... shape) throws IOException {
        byte[] text = header(descr, shape);
        out.write(MAGIC);
        out.write(1);
        out.write(0);
        out.write(text.length & 0xFF);
        out.write(text.length >>> 8);
        out.write(text);
    }

    private static void drain(OutputStream out, ByteBuffer buffer) throws IOException {
        out.write(buffer.array(), 0, buffer.position());
        buffer.clear();
    }
}
