package org.langevin.engine;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The exact particle state of a run on disk, so that a resumed run is bit-identical to an
 * uninterrupted one. Format ({@code state.bin}, little-endian): magic "LVCK", version 3, d, P,
 * stepsDone, hasAverages (int), the 32-byte digest of the run's definition (see
 * {@link #save(Path, ParticleState, byte[])}), A (int, the auxiliary rows), then the coordinate rows
 * (float bits), the window-sum rows (double bits), the A auxiliary rows (float bits), and last the
 * SHA-256 of everything before it. Version 2 (the same without A and its rows) is still read, as A = 0. {@link #load} verifies that
 * checksum, so a damaged or altered checkpoint is refused instead of resumed. Written to a temporary
 * file and renamed, so a crash while saving leaves the previous checkpoint intact; the temporary file
 * is removed when writing fails.
 */
public final class Checkpoint {
    /** File name inside the checkpoint directory. */
    public static final String STATE_FILE = "state.bin";
    private static final int MAGIC = 0x4B43564C;
    private static final int VERSION = 3;
    /** The previous format: no auxiliary rows. */
    private static final int VERSION_NO_AUX = 2;
    /** Bytes of the run digest in the header. */
    public static final int DIGEST_BYTES = 32;
    private static final int HEADER = 28 + DIGEST_BYTES;
    private static final int CHUNK = 1 << 20;

    private Checkpoint() {
    }

    /**
     * Saves the state atomically into dir/state.bin with an all-zero run digest.
     *
     * @param dir the checkpoint directory, created when missing
     * @param s the state to save: coordinates, window sums, auxiliary rows and steps done
     * @throws IOException when the directory or the file cannot be written; the previous checkpoint is kept
     */
    public static void save(Path dir, ParticleState s) throws IOException {
        save(dir, s, new byte[DIGEST_BYTES]);
    }

    /**
     * Saves the state atomically into dir/state.bin.
     *
     * @param runDigest 32 bytes identifying the run's definition (for example SHA-256 of its options
     *                  and training set), checked by {@link #load(Path, byte[])}
     * @param dir the checkpoint directory, created when missing
     * @param s the state to save: coordinates, window sums, auxiliary rows and steps done
     * @throws IllegalArgumentException when runDigest is not {@value #DIGEST_BYTES} bytes long
     * @throws IOException when the directory or the file cannot be written; the previous checkpoint is kept
     */
    public static void save(Path dir, ParticleState s, byte[] runDigest) throws IOException {
        if (runDigest.length != DIGEST_BYTES) {
            throw new IllegalArgumentException("run digest must have " + DIGEST_BYTES + " bytes, got " + runDigest.length);
        }
        Files.createDirectories(dir);
        Path tmp = dir.resolve(STATE_FILE + ".tmp");
        MessageDigest md = sha256();
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer h = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
            h.putInt(MAGIC).putInt(VERSION).putInt(s.dim()).putInt(s.particles()).putLong(s.stepsDone())
                    .putInt(s.hasAverages() ? 1 : 0).put(runDigest).flip();
            writeFully(ch, h, md);
            writeFully(ch, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(s.auxRows()).flip(), md);
            ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            for (float[] row : s.x()) {
                writeFloats(ch, buf, row, md);
            }
            if (s.hasAverages()) {
                for (double[] row : s.avg()) {
                    for (int i = 0; i < row.length; ) {
                        buf.clear();
                        int k = Math.min(row.length - i, CHUNK / 8);
                        buf.asDoubleBuffer().put(row, i, k);
                        buf.limit(8 * k);
                        writeFully(ch, buf, md);
                        i += k;
                    }
                }
            }
            for (float[] row : s.aux()) {
                writeFloats(ch, buf, row, md);
            }
            writeFully(ch, ByteBuffer.wrap(md.digest()), null);
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        Files.move(tmp, dir.resolve(STATE_FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Loads dir/state.bin, whatever run it belongs to.
     *
     * @param dir the checkpoint directory
     * @return the saved state (first particle 0, with its steps done, window sums and auxiliary rows)
     * @throws IOException when the file exists but cannot be read
     * @throws IllegalArgumentException when the file is missing, truncated, not a checkpoint, or its
     *                                  checksum does not match its content
     */
    public static ParticleState load(Path dir) throws IOException {
        return load(dir, null);
    }

    /**
     * Loads dir/state.bin and checks that it belongs to the run whose digest is given.
     *
     * @param dir the checkpoint directory
     * @param expectedDigest the run digest it was saved with, or null to accept any
     * @return the saved state (first particle 0, with its steps done, window sums and auxiliary rows)
     * @throws IOException when the file exists but cannot be read
     * @throws IllegalArgumentException when the file is missing, truncated, not a checkpoint, fails its
     *                                  checksum, or belongs to another run
     */
    public static ParticleState load(Path dir, byte[] expectedDigest) throws IOException {
        Path f = dir.resolve(STATE_FILE);
        MessageDigest md = sha256();
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            ByteBuffer h = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, h, f);
            h.flip();
            int magic = h.getInt();
            int version = h.getInt();
            if (magic != MAGIC || (version != VERSION && version != VERSION_NO_AUX)) {
                throw new IllegalArgumentException(f + " is not a langevin checkpoint of format version " + VERSION
                        + (magic == MAGIC ? " (it has version " + version + ", from another release of langevin)" : ""));
            }
            md.update(h.array(), 0, HEADER);
            int d = h.getInt();
            int p = h.getInt();
            long done = h.getLong();
            boolean avg = h.getInt() != 0;
            byte[] digest = new byte[DIGEST_BYTES];
            h.get(digest);
            int auxRows = 0;
            int header = HEADER;
            if (version == VERSION) {
                ByteBuffer a = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
                readFully(ch, a, f);
                md.update(a.array(), 0, 4);
                auxRows = a.flip().getInt();
                header += 4;
            }
            if (!(d >= 1 && d <= 4096) || p < 1 || done < 0 || auxRows < 0 || auxRows > 4 * d) {
                throw new IllegalArgumentException(f + " has a damaged header (d = " + d + ", P = " + p + ", step "
                        + done + "): the checkpoint cannot be used");
            }
            long expectedSize = header + (long) p * d * 4 + (avg ? (long) p * (2L * d + 1) * 8 : 0)
                    + (long) p * auxRows * 4 + DIGEST_BYTES;
            if (ch.size() != expectedSize) {
                throw new IllegalArgumentException(f + " has " + ch.size() + " bytes where its header announces "
                        + expectedSize + ": the checkpoint is truncated or damaged");
            }
            if (expectedDigest != null && !MessageDigest.isEqual(expectedDigest, digest)) {
                throw new IllegalArgumentException(f + " belongs to another run (its run digest differs from the "
                        + "saved command's): the checkpoint and command.json do not match");
            }
            ParticleState s = new ParticleState(d, p, avg, 0L, auxRows);
            ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            for (float[] row : s.x()) {
                for (int i = 0; i < p; ) {
                    int k = Math.min(p - i, CHUNK / 4);
                    buf.clear().limit(4 * k);
                    readFully(ch, buf, f);
                    buf.flip();
                    md.update(buf.duplicate());
                    buf.asFloatBuffer().get(row, i, k);
                    i += k;
                }
            }
            if (avg) {
                for (double[] row : s.avg()) {
                    for (int i = 0; i < p; ) {
                        int k = Math.min(p - i, CHUNK / 8);
                        buf.clear().limit(8 * k);
                        readFully(ch, buf, f);
                        buf.flip();
                        md.update(buf.duplicate());
                        buf.asDoubleBuffer().get(row, i, k);
                        i += k;
                    }
                }
            }
            for (float[] row : s.aux()) {
                for (int i = 0; i < p; ) {
                    int k = Math.min(p - i, CHUNK / 4);
                    buf.clear().limit(4 * k);
                    readFully(ch, buf, f);
                    buf.flip();
                    md.update(buf.duplicate());
                    buf.asFloatBuffer().get(row, i, k);
                    i += k;
                }
            }
            ByteBuffer sum = ByteBuffer.allocate(DIGEST_BYTES);
            readFully(ch, sum, f);
            if (!MessageDigest.isEqual(sum.array(), md.digest())) {
                throw new IllegalArgumentException(f + " fails its checksum (SHA-256): the checkpoint was altered or "
                        + "damaged after it was written, so it cannot continue the run bit for bit; start the run again");
            }
            s.setStepsDone(done);
            return s;
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no checkpoint in " + dir + " (missing " + STATE_FILE
                    + "): it was not written by 'langevin sample', or the run stopped before its first checkpoint");
        }
    }

    private static void writeFloats(FileChannel ch, ByteBuffer buf, float[] row, MessageDigest md) throws IOException {
        for (int i = 0; i < row.length; ) {
            buf.clear();
            int k = Math.min(row.length - i, CHUNK / 4);
            buf.asFloatBuffer().put(row, i, k);
            buf.limit(4 * k);
            writeFully(ch, buf, md);
            i += k;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b, MessageDigest md) throws IOException {
        if (md != null) {
            md.update(b.duplicate());
        }
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer b, Path f) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new IllegalArgumentException(f + " is truncated: the checkpoint is incomplete",
                        new EOFException());
            }
        }
    }
}
