package io.wharf.web.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A minimal POSIX ustar writer, enough for container image layers: directories and regular files
 * with short names, fixed owner and timestamp so that the same input always gives the same bytes.
 */
final class TarWriter implements AutoCloseable {

    private static final int BLOCK = 512;
    private static final long MTIME = 1_700_000_000L;

    private final OutputStream out;
    private long entryRemaining;
    private long entryPadding;

    TarWriter(OutputStream out) {
        this.out = out;
    }

    void directory(String name) throws IOException {
        finishEntry();
        header(name.endsWith("/") ? name : name + "/", 0, '5', 0755);
    }

    /** Starts a regular file of {@code size} bytes; write exactly that many with {@link #write}. */
    void file(String name, long size) throws IOException {
        finishEntry();
        header(name, size, '0', 0644);
        entryRemaining = size;
        entryPadding = (BLOCK - size % BLOCK) % BLOCK;
    }

    void file(String name, byte[] content) throws IOException {
        file(name, content.length);
        write(content, 0, content.length);
    }

    void write(byte[] buffer, int offset, int length) throws IOException {
        if (length > entryRemaining) {
            throw new IllegalStateException("entry overflow: " + length + " > " + entryRemaining);
        }
        out.write(buffer, offset, length);
        entryRemaining -= length;
    }

    @Override
    public void close() throws IOException {
        finishEntry();
        out.write(new byte[2 * BLOCK]);
        out.flush();
    }

    private void finishEntry() throws IOException {
        if (entryRemaining != 0) {
            throw new IllegalStateException(entryRemaining + " bytes of the entry were not written");
        }
        out.write(new byte[(int) entryPadding]);
        entryPadding = 0;
    }

    private void header(String name, long size, char type, int mode) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        if (nameBytes.length > 100) {
            throw new IllegalArgumentException("name too long for this writer: " + name);
        }
        byte[] h = new byte[BLOCK];
        System.arraycopy(nameBytes, 0, h, 0, nameBytes.length);
        octal(h, 100, 8, mode);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, MTIME);
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        h[156] = (byte) type;
        ascii(h, 257, "ustar\0");
        ascii(h, 263, "00");
        ascii(h, 265, "root");
        ascii(h, 297, "root");
        octal(h, 329, 8, 0);
        octal(h, 337, 8, 0);
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        String checksum = String.format("%06o", sum);
        ascii(h, 148, checksum);
        h[154] = 0;
        h[155] = ' ';
        out.write(h);
    }

    /** Zero-padded octal in {@code length - 1} digits followed by NUL. */
    private static void octal(byte[] h, int offset, int length, long value) {
        String s = Long.toOctalString(value);
        if (s.length() > length - 1) {
            throw new IllegalArgumentException("value too large for tar field: " + value);
        }
        ascii(h, offset, "0".repeat(length - 1 - s.length()) + s);
        h[offset + length - 1] = 0;
    }

    private static void ascii(byte[] h, int offset, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, h, offset, bytes.length);
    }
}
