package org.langevin.report;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes particle states as a NumPy {@code .npy} file, format version 1.0: the 6-byte magic
 * {@code \x93NUMPY}, version bytes {@code 1 0}, a little-endian uint16 header length, and the ASCII
 * header dict {@code {'descr': '<f4', 'fortran_order': False, 'shape': (P, d), }} padded with
 * spaces and ended by {@code \n} so that the data start at a multiple of 64 bytes; then the data,
 * little-endian float32 in C order, shape {@code (P, d)}: particle i's coordinates are contiguous.
 * Our SoA arrays {@code x[j][i]} are transposed on the fly through a bounded buffer, so P = 10^8
 * needs no P·d array.
 *
 * <p>Stateless; thread-safe for distinct files.
 */
public final class NpyWriter {

    /** The format's magic string. */
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** Data start alignment in bytes. */
    static final int ALIGN = 64;
    /** Size of the transposition buffer in bytes. */
    private static final int BUFFER_BYTES = 1 << 20;

    private NpyWriter() {
    }

    /**
     * The complete header (magic through the terminating newline) of a {@code (rows, cols)} float32
     * C-order array; its length is a multiple of 64.
     *
     * @param rows first dimension, {@code >= 0}
     * @param cols second dimension, {@code >= 1}
     * @return the header bytes
     */
    public static byte[] header(long rows, int cols) {
        if (rows < 0) {
            throw new IllegalArgumentException("rows must be >= 0, got " + rows);
        }
        if (cols < 1) {
            throw new IllegalArgumentException("cols must be >= 1, got " + cols);
        }
        return header("(" + rows + ", " + cols + ")");
    }

    /** @return the complete header of a float32 C-order array of the given shape text, e.g. "(3, 4, 2)" */
    private static byte[] header(String shape) {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
        int preamble = MAGIC.length + 2 + 2;
        int unpadded = preamble + dict.length() + 1;
        int total = (unpadded + ALIGN - 1) / ALIGN * ALIGN;
        int headerLen = total - preamble;
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) headerLen);
        b.put(dict.getBytes(StandardCharsets.US_ASCII));
        while (b.position() < total - 1) {
            b.put((byte) ' ');
        }
        b.put((byte) '\n');
        return b.array();
    }

    /**
     * Writes {@code x} (SoA, {@code x[j][i]}) as an array of shape {@code (P, d)}. The file is
     * written next to its destination and moved into place when complete, so a reader never sees a
     * partial file; an existing file is replaced.
     *
     * @param file destination, for example {@code particles.npy}
     * @param x coordinates, {@code d >= 1} rows of equal length P
     * @throws IOException if writing fails
     */
    public static void write(Path file, float[][] x) throws IOException {
        if (x == null || x.length < 1) {
            throw new IllegalArgumentException("x must have d >= 1 rows");
        }
        int d = x.length;
        int p = x[0].length;
        for (int j = 1; j < d; j++) {
            if (x[j].length != p) {
                throw new IllegalArgumentException("x[" + j + "] must have length P = " + p + ", got " + x[j].length);
            }
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".part");
        try {
            writeRows(tmp, x, p, d);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Writes a float32 array of shape {@code (slices.size(), rows, cols)}, C order: slice r is
     * {@code slices.get(r)}, row-major (element (i, j) at i·cols + j). Written next to its destination and
     * moved into place; an existing file is replaced.
     *
     * @param file destination, for example {@code trace.npy}
     * @param slices the slices, each of length rows·cols
     * @param rows rows of each slice, {@code >= 1}
     * @param cols columns of each slice, {@code >= 1}
     * @throws IOException if writing fails
     */
    public static void write3(Path file, java.util.List<float[]> slices, int rows, int cols) throws IOException {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("rows and cols must be >= 1, got " + rows + ", " + cols);
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".part");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                writeFully(ch, ByteBuffer.wrap(header("(" + slices.size() + ", " + rows + ", " + cols + ")")));
                ByteBuffer buf = ByteBuffer.allocate(4 * rows * cols).order(ByteOrder.LITTLE_ENDIAN);
                for (float[] s : slices) {
                    if (s.length != rows * cols) {
                        throw new IllegalArgumentException("every slice must hold rows·cols = " + rows * cols
                                + " values, got " + s.length);
                    }
                    buf.clear();
                    buf.asFloatBuffer().put(s);
                    writeFully(ch, buf);
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void writeRows(Path tmp, float[][] x, long p, int d) throws IOException {
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(ch, ByteBuffer.wrap(header(p, d)));
            int perChunk = Math.max(1, BUFFER_BYTES / (4 * d));
            ByteBuffer buf = ByteBuffer.allocateDirect(perChunk * 4 * d).order(ByteOrder.LITTLE_ENDIAN);
            for (long from = 0; from < p; from += perChunk) {
                int start = (int) from;
                int end = (int) Math.min(p, from + perChunk);
                buf.clear();
                for (int i = start; i < end; i++) {
                    for (int j = 0; j < d; j++) {
                        buf.putFloat(x[j][i]);
                    }
                }
                buf.flip();
                writeFully(ch, buf);
            }
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}
