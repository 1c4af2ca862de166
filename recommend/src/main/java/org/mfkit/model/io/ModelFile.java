package org.mfkit.model.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.mfkit.data.CountWeighting;
import org.mfkit.data.IdMap;
import org.mfkit.data.io.AtomicFiles;

/**
 * The mfkit model file: a versioned binary container for a {@link ModelState}.
 *
 * <p>Layout, version {@value #VERSION} (all numbers big-endian; {@code str} is a u32 byte
 * length followed by that many bytes of UTF-8):
 * <pre>
 * header, 28 bytes
 *   0  u8[8]  magic "MFKITMDL"
 *   8  u32    format version (1, or 2 when section 16 is present)
 *  12  u32    flags, 0 (reserved)
 *  16  u64    payload length in bytes
 *  24  u32    CRC-32 of header bytes 0..23
 * payload
 *      str    model type ("biased-mf", "als", "implicit-als", "bpr", ...)
 *      i32    k
 *      i32    numUsers
 *      i32    numItems
 *      f32    global mean μ
 *      u32    sections present: 1 user biases, 2 item biases, 4 user ids, 8 item ids,
 *             16 count statistics (version 2)
 *      i32    n hyper-parameters, then n × (str name, str value)
 *      f32    user factors, numUsers × k, row-major
 *      f32    item factors, numItems × k, row-major
 *      f32    user biases, numUsers          (if section 1)
 *      f32    item biases, numItems          (if section 2)
 *      str    external user ids, numUsers    (if section 4)
 *      str    external item ids, numItems    (if section 8)
 *      f32    entries per user, numUsers     (if section 16)
 *      f32    value sum per item, numItems   (if section 16)
 * trailer, 4 bytes
 *      u32    CRC-32 of the payload
 * </pre>
 *
 * <p>{@link #load} checks, in this order, that the file starts with the magic, that the
 * header's own checksum holds, that the version is one this build reads (a newer version is
 * reported as such), that the file is exactly header + payload + trailer long (a short file
 * is reported as truncated), that the payload checksum holds, and only then parses, checking
 * every count against the bytes left. Every failure is a {@link ModelFileException} that
 * says which of these went wrong.
 *
 * <p>A file is written as version 1 unless it holds count statistics (models trained with BM25
 * weighting, which fold-in needs): then it is version 2, so that a build that reads only
 * version 1 says the file is newer rather than corrupted. Version-1 files are unchanged.
 *
 * <p>{@link #save} writes atomically (see {@link AtomicFiles}): a crash leaves the previous
 * file or none, never a partial one.
 */
public final class ModelFile {
    /** The newest format version this build writes and reads (version 1 files are written when nothing needs 2). */
    public static final int VERSION = 2;
    /** File name extension used by the command line. */
    public static final String EXTENSION = ".mfm";

    private static final byte[] MAGIC = "MFKITMDL".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER_BYTES = 28;
    private static final int TRAILER_BYTES = 4;
    private static final int USER_BIAS = 1;
    private static final int ITEM_BIAS = 2;
    private static final int USER_IDS = 4;
    private static final int ITEM_IDS = 8;
    private static final int COUNT_STATISTICS = 16;
    private static final int VERSION_1_SECTIONS = USER_BIAS | ITEM_BIAS | USER_IDS | ITEM_IDS;
    private static final int KNOWN_SECTIONS = VERSION_1_SECTIONS | COUNT_STATISTICS;
    private static final int CHUNK = 1 << 16;

    private ModelFile() {}

    /** Writes {@code model} to {@code file} atomically, replacing any file there. */
    public static void save(ModelState model, Path file) throws IOException {
        if (model == null) throw new IllegalArgumentException("model must not be null");
        if (file == null) throw new IllegalArgumentException("file must not be null");
        byte[] type = utf8(model.type());
        List<byte[]> hyper = new ArrayList<>();
        for (Map.Entry<String, String> e : model.hyperParameters().entrySet()) {
            hyper.add(utf8(e.getKey()));
            hyper.add(utf8(e.getValue()));
        }
        long payload = 4L + type.length + 4 * 5 + 4;
        for (byte[] s : hyper) payload += 4L + s.length;
        payload += 4L * model.userFactors().length + 4L * model.itemFactors().length;
        int sections = 0;
        if (model.userBias() != null) {
            sections |= USER_BIAS;
            payload += 4L * model.numUsers();
        }
        if (model.itemBias() != null) {
            sections |= ITEM_BIAS;
            payload += 4L * model.numItems();
        }
        if (model.userIds() != null) {
            sections |= USER_IDS;
            payload += idBytes(model.userIds());
        }
        if (model.itemIds() != null) {
            sections |= ITEM_IDS;
            payload += idBytes(model.itemIds());
        }
        CountWeighting.Statistics statistics = model.countStatistics();
        if (statistics != null) {
            sections |= COUNT_STATISTICS;
            payload += 4L * model.numUsers() + 4L * model.numItems();
        }
        int version = statistics != null ? 2 : 1;
        long payloadLength = payload;
        int sectionBits = sections;
        AtomicFiles.write(file, out -> {
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.BIG_ENDIAN);
            header.put(MAGIC).putInt(version).putInt(0).putLong(payloadLength);
            CRC32 headerCrc = new CRC32();
            headerCrc.update(header.array(), 0, HEADER_BYTES - 4);
            header.putInt((int) headerCrc.getValue());
            out.write(header.array());

            PayloadWriter w = new PayloadWriter(out);
            w.bytes(type);
            w.i32(model.k());
            w.i32(model.numUsers());
            w.i32(model.numItems());
            w.f32(model.globalMean());
            w.i32(sectionBits);
            w.i32(hyper.size() / 2);
            for (byte[] s : hyper) w.bytes(s);
            w.floats(model.userFactors());
            w.floats(model.itemFactors());
            if (model.userBias() != null) w.floats(model.userBias());
            if (model.itemBias() != null) w.floats(model.itemBias());
            if (model.userIds() != null) w.ids(model.userIds());
            if (model.itemIds() != null) w.ids(model.itemIds());
            if (statistics != null) {
                w.floats(statistics.userCounts());
                w.floats(statistics.itemSums());
            }
            w.flush();
            if (w.written != payloadLength) {
                throw new IllegalStateException("payload is " + w.written + " bytes, header says " + payloadLength);
            }
            ByteBuffer trailer = ByteBuffer.allocate(TRAILER_BYTES).order(ByteOrder.BIG_ENDIAN);
            trailer.putInt((int) w.crc.getValue());
            out.write(trailer.array());
        });
    }

    /** Reads a model file, checking it as described in the class comment. */
    public static ModelState load(Path file) throws IOException {
        if (file == null) throw new IllegalArgumentException("file must not be null");
        if (!Files.isRegularFile(file)) throw new NoSuchFileException(file.toString(), null, "no such model file");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.BIG_ENDIAN);
            readFully(channel, header, 0);
            int got = header.position();
            header.flip();
            if (got < MAGIC.length || !startsWithMagic(header)) {
                throw new ModelFileException(file, "not an mfkit model file (it does not start with \"MFKITMDL\")");
            }
            if (got < HEADER_BYTES) {
                throw new ModelFileException(file, "truncated: " + size + " bytes, shorter than the " + HEADER_BYTES + "-byte header");
            }
            CRC32 headerCrc = new CRC32();
            headerCrc.update(header.array(), 0, HEADER_BYTES - 4);
            int version = header.getInt(8);
            int flags = header.getInt(12);
            long payloadLength = header.getLong(16);
            if ((int) headerCrc.getValue() != header.getInt(24)) {
                throw new ModelFileException(file, "corrupted: the header checksum does not match");
            }
            if (version > VERSION) {
                throw new ModelFileException(file, "written by a newer mfkit: model format version " + version
                        + ", this mfkit reads versions up to " + VERSION + "; use a newer mfkit to read it");
            }
            if (version < 1 || flags != 0 || payloadLength < 0) {
                throw new ModelFileException(file, "corrupted: impossible header (version " + version + ", flags " + flags
                        + ", payload length " + payloadLength + ")");
            }
            long expected = HEADER_BYTES + payloadLength + TRAILER_BYTES;
            if (size < expected) {
                throw new ModelFileException(file, "truncated: " + size + " bytes, the header promises " + expected
                        + " (a copy or download was cut short)");
            }
            if (size > expected) {
                throw new ModelFileException(file, "corrupted: " + (size - expected) + " unexpected bytes after the end of the model");
            }
            ByteBuffer trailer = ByteBuffer.allocate(TRAILER_BYTES).order(ByteOrder.BIG_ENDIAN);
            readFully(channel, trailer, HEADER_BYTES + payloadLength);
            int storedCrc = trailer.getInt(0);
            int computedCrc = crcOf(channel, HEADER_BYTES, payloadLength);
            if (storedCrc != computedCrc) {
                throw new ModelFileException(file, String.format("corrupted: payload checksum mismatch (stored CRC-32 %08x, computed %08x)",
                        storedCrc, computedCrc));
            }
            return parse(file, version, new PayloadReader(file, channel, HEADER_BYTES, payloadLength));
        }
    }

    private static ModelState parse(Path file, int version, PayloadReader r) throws IOException {
        String type = r.string("model type");
        int k = r.i32();
        int numUsers = r.i32();
        int numItems = r.i32();
        float globalMean = r.f32();
        int sections = r.i32();
        int known = version >= 2 ? KNOWN_SECTIONS : VERSION_1_SECTIONS;
        if (k < 1 || numUsers < 0 || numItems < 0 || (sections & ~known) != 0) {
            throw new ModelFileException(file, "corrupted: impossible sizes (k " + k + ", users " + numUsers + ", items "
                    + numItems + ", sections " + sections + ")");
        }
        int hyperCount = r.i32();
        if (hyperCount < 0) throw new ModelFileException(file, "corrupted: negative hyper-parameter count " + hyperCount);
        Map<String, String> hyper = new LinkedHashMap<>();
        for (int j = 0; j < hyperCount; j++) {
            String name = r.string("hyper-parameter name");
            hyper.put(name, r.string("hyper-parameter value"));
        }
        float[] userFactors = r.floats((long) numUsers * k, "user factors");
        float[] itemFactors = r.floats((long) numItems * k, "item factors");
        float[] userBias = (sections & USER_BIAS) != 0 ? r.floats(numUsers, "user biases") : null;
        float[] itemBias = (sections & ITEM_BIAS) != 0 ? r.floats(numItems, "item biases") : null;
        IdMap userIds = (sections & USER_IDS) != 0 ? r.ids(numUsers, "user ids") : null;
        IdMap itemIds = (sections & ITEM_IDS) != 0 ? r.ids(numItems, "item ids") : null;
        float[] userCounts = (sections & COUNT_STATISTICS) != 0 ? r.floats(numUsers, "entries per user") : null;
        float[] itemSums = (sections & COUNT_STATISTICS) != 0 ? r.floats(numItems, "value sums per item") : null;
        if (r.remaining() != 0) {
            throw new ModelFileException(file, "corrupted: " + r.remaining() + " payload bytes left over after the model");
        }
        try {
            return new ModelState(type, k, numUsers, numItems, globalMean, hyper, userFactors, itemFactors, userBias,
                    itemBias, userIds, itemIds,
                    userCounts == null ? null : new CountWeighting.Statistics(userCounts, itemSums));
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(file, "corrupted: " + e.getMessage());
        }
    }

    private static boolean startsWithMagic(ByteBuffer header) {
        for (int j = 0; j < MAGIC.length; j++) if (header.get(j) != MAGIC[j]) return false;
        return true;
    }

    private static void readFully(FileChannel channel, ByteBuffer into, long position) throws IOException {
        while (into.hasRemaining()) {
            int n = channel.read(into, position);
            if (n < 0) return;
            position += n;
        }
    }

    private static int crcOf(FileChannel channel, long from, long length) throws IOException {
        CRC32 crc = new CRC32();
        ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK);
        long position = from;
        long end = from + length;
        while (position < end) {
            buffer.clear();
            buffer.limit((int) Math.min(CHUNK, end - position));
            int n = channel.read(buffer, position);
            if (n < 0) break;
            buffer.flip();
            crc.update(buffer);
            position += n;
        }
        return (int) crc.getValue();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static long idBytes(IdMap ids) {
        long total = 0;
        for (String id : ids.externalIds()) total += 4L + utf8Length(id);
        return total;
    }

    /** UTF-8 length without encoding (ids are mostly ASCII; surrogate pairs count 4). */
    private static long utf8Length(String s) {
        long n = 0;
        for (int j = 0; j < s.length(); j++) {
            char c = s.charAt(j);
            if (c < 0x80) n += 1;
            else if (c < 0x800) n += 2;
            else if (Character.isHighSurrogate(c) && j + 1 < s.length() && Character.isLowSurrogate(s.charAt(j + 1))) {
                n += 4;
                j++;
            } else n += 3;
        }
        return n;
    }

    /** Buffers payload bytes, keeping the CRC and the count. */
    private static final class PayloadWriter {
        private final OutputStream out;
        private final ByteBuffer buffer = ByteBuffer.allocate(CHUNK).order(ByteOrder.BIG_ENDIAN);
        private final CRC32 crc = new CRC32();
        private long written;

        PayloadWriter(OutputStream out) {
            this.out = out;
        }

        void i32(int v) throws IOException {
            room(4);
            buffer.putInt(v);
        }

        void f32(float v) throws IOException {
            room(4);
            buffer.putFloat(v);
        }

        void bytes(byte[] s) throws IOException {
            i32(s.length);
            int at = 0;
            while (at < s.length) {
                room(1);
                int n = Math.min(buffer.remaining(), s.length - at);
                buffer.put(s, at, n);
                at += n;
            }
        }

        void floats(float[] values) throws IOException {
            int at = 0;
            while (at < values.length) {
                room(4);
                int n = Math.min(buffer.remaining() / 4, values.length - at);
                buffer.asFloatBuffer().put(values, at, n);
                buffer.position(buffer.position() + 4 * n);
                at += n;
            }
        }

        void ids(IdMap ids) throws IOException {
            for (String id : ids.externalIds()) bytes(utf8(id));
        }

        private void room(int bytes) throws IOException {
            if (buffer.remaining() < bytes) flush();
        }

        void flush() throws IOException {
            buffer.flip();
            int n = buffer.remaining();
            crc.update(buffer.array(), 0, n);
            out.write(buffer.array(), 0, n);
            written += n;
            buffer.clear();
        }
    }

    /** Reads the payload in chunks, refusing to read or allocate past its end. */
    private static final class PayloadReader {
        private final Path file;
        private final FileChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocate(CHUNK).order(ByteOrder.BIG_ENDIAN);
        private long position;
        private final long end;

        PayloadReader(Path file, FileChannel channel, long from, long length) {
            this.file = file;
            this.channel = channel;
            this.position = from;
            this.end = from + length;
            buffer.limit(0);
        }

        long remaining() {
            return end - position + buffer.remaining();
        }

        int i32() throws IOException {
            need(4, "a number");
            return buffer.getInt();
        }

        float f32() throws IOException {
            need(4, "a number");
            return buffer.getFloat();
        }

        String string(String what) throws IOException {
            int length = i32();
            if (length < 0 || length > remaining()) {
                throw new ModelFileException(file, "corrupted: " + what + " claims " + length + " bytes but "
                        + remaining() + " remain");
            }
            byte[] bytes = new byte[length];
            int at = 0;
            while (at < length) {
                need(1, what);
                int n = Math.min(buffer.remaining(), length - at);
                buffer.get(bytes, at, n);
                at += n;
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }

        float[] floats(long count, String what) throws IOException {
            if (count * 4 > remaining() || count > Integer.MAX_VALUE - 8) {
                throw new ModelFileException(file, "corrupted: " + what + " need " + (count * 4) + " bytes but "
                        + remaining() + " remain");
            }
            float[] values = new float[(int) count];
            int at = 0;
            while (at < values.length) {
                need(4, what);
                int n = Math.min(buffer.remaining() / 4, values.length - at);
                buffer.asFloatBuffer().get(values, at, n);
                buffer.position(buffer.position() + 4 * n);
                at += n;
            }
            return values;
        }

        IdMap ids(int count, String what) throws IOException {
            if (4L * count > remaining()) {
                throw new ModelFileException(file, "corrupted: " + count + " " + what + " cannot fit in the " + remaining()
                        + " bytes that remain");
            }
            List<String> ids = new ArrayList<>(count);
            for (int j = 0; j < count; j++) ids.add(string(what));
            try {
                return IdMap.of(ids);
            } catch (IllegalArgumentException e) {
                throw new ModelFileException(file, "corrupted: " + what + ": " + e.getMessage());
            }
        }

        /** Makes at least {@code bytes} bytes available in the buffer (bytes ≤ 4 or 1). */
        private void need(int bytes, String what) throws IOException {
            if (buffer.remaining() >= bytes) return;
            buffer.compact();
            while (buffer.position() < bytes) {
                long left = end - position;
                if (left <= 0) {
                    throw new ModelFileException(file, "corrupted: the payload ends inside " + what);
                }
                int limit = (int) Math.min(buffer.remaining(), left);
                ByteBuffer slice = buffer.duplicate();
                slice.limit(buffer.position() + limit);
                int n = channel.read(slice, position);
                if (n < 0) throw new ModelFileException(file, "truncated while reading " + what);
                buffer.position(buffer.position() + n);
                position += n;
            }
            buffer.flip();
        }
    }
}
