package org.langevin.report;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the 2-D little-endian float32 C-order {@code .npy} files that {@link NpyWriter} writes
 * (format versions 1.0 and 2.0 are accepted) back into SoA arrays {@code x[j][i]}, for tests and
 * resumed runs.
 *
 * <p>Stateless; thread-safe.
 */
public final class NpyReader {

    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,?\\s*\\)");
    private static final int BUFFER_BYTES = 1 << 20;

    private NpyReader() {
    }

    /**
     * The parsed header of a file.
     *
     * @param rows first dimension P
     * @param cols second dimension d
     * @param dataOffset byte offset where the data start
     * @param dict the header dict text, trailing padding removed
     */
    public record Header(long rows, int cols, long dataOffset, String dict) {
    }

    /**
     * Reads and checks the header.
     *
     * @param file a {@code .npy} file
     * @return its header
     * @throws IOException if reading fails or the file is not a 2-D {@code '<f4'} C-order array
     */
    public static Header readHeader(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return readHeader(ch, file);
        }
    }

    private static Header readHeader(FileChannel ch, Path file) throws IOException {
        ByteBuffer pre = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, pre, file);
        pre.flip();
        byte[] magic = new byte[6];
        pre.get(magic);
        if (!Arrays.equals(magic, NpyWriter.MAGIC)) {
            throw new IOException(file + " is not a .npy file (bad magic)");
        }
        int major = pre.get() & 0xff;
        pre.get();
        long headerLen;
        int preamble;
        if (major == 1) {
            headerLen = pre.getShort() & 0xffff;
            preamble = 10;
        } else if (major == 2) {
            headerLen = pre.getInt() & 0xffffffffL;
            preamble = 12;
        } else {
            throw new IOException(file + ": unsupported .npy version " + major);
        }
        if (headerLen > 1 << 20) {
            throw new IOException(file + ": header length " + headerLen + " is implausible");
        }
        ByteBuffer h = ByteBuffer.allocate((int) headerLen);
        ch.position(preamble);
        readFully(ch, h, file);
        String dict = new String(h.array(), StandardCharsets.US_ASCII).strip();
        Matcher descr = DESCR.matcher(dict);
        Matcher order = ORDER.matcher(dict);
        Matcher shape = SHAPE.matcher(dict);
        if (!descr.find() || !descr.group(1).equals("<f4")) {
            throw new IOException(file + ": dtype must be '<f4', header is " + dict);
        }
        if (!order.find() || !order.group(1).equals("False")) {
            throw new IOException(file + ": fortran_order must be False, header is " + dict);
        }
        if (!shape.find()) {
            throw new IOException(file + ": shape must be 2-D (P, d), header is " + dict);
        }
        long rows = Long.parseLong(shape.group(1));
        long cols = Long.parseLong(shape.group(2));
        if (cols < 1 || cols > Integer.MAX_VALUE) {
            throw new IOException(file + ": d must be in [1, 2^31), header is " + dict);
        }
        long offset = preamble + headerLen;
        if (ch.size() != offset + rows * cols * 4) {
            throw new IOException(file + ": size " + ch.size() + " does not match shape (" + rows + ", " + cols + ")");
        }
        return new Header(rows, (int) cols, offset, dict);
    }

    /**
     * Reads a whole file into SoA form {@code x[j][i]}.
     *
     * @param file a 2-D '&lt;f4' C-order {@code .npy} file with {@code P <= 2^31 − 9}
     * @return d rows of length P
     * @throws IOException if reading fails or the format is not as stated
     */
    public static float[][] read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Header h = readHeader(ch, file);
            if (h.rows() > Integer.MAX_VALUE - 8) {
                throw new IOException(file + ": P = " + h.rows() + " does not fit a Java array");
            }
            int p = (int) h.rows();
            int d = h.cols();
            float[][] x = new float[d][p];
            ch.position(h.dataOffset());
            int perChunk = Math.max(1, BUFFER_BYTES / (4 * d));
            ByteBuffer buf = ByteBuffer.allocateDirect(perChunk * 4 * d).order(ByteOrder.LITTLE_ENDIAN);
            for (long from = 0; from < p; from += perChunk) {
                int start = (int) from;
                int end = (int) Math.min(p, from + perChunk);
                buf.clear().limit((end - start) * 4 * d);
                readFully(ch, buf, file);
                buf.flip();
                for (int i = start; i < end; i++) {
                    for (int j = 0; j < d; j++) {
                        x[j][i] = buf.getFloat();
                    }
                }
            }
            return x;
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer b, Path file) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new IOException(file + ": unexpected end of file");
            }
        }
    }
}
