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

/**
 * The exact particle state of a run on disk, so that a resumed run is bit-identical to an
 * uninterrupted one. Format ({@code state.bin}, little-endian): magic "LVCK", version 1, d, P,
 * stepsDone, hasAverages (int), then the coordinate rows (float bits) and the window-sum rows
 * (double bits). Written to a temporary file and renamed, so a crash while saving leaves the
 * previous checkpoint intact.
 */
public final class Checkpoint {
    /** File name inside the checkpoint directory. */
    public static final String STATE_FILE = "state.bin";
    private static final int MAGIC = 0x4B43564C;
    private static final int VERSION = 1;
    private static final int HEADER = 28;
    private static final int CHUNK = 1 << 20;

    private Checkpoint() {
    }

    /** Saves the state atomically into dir/state.bin. */
    public static void save(Path dir, ParticleState s) throws IOException {
        Files.createDirectories(dir);
        Path tmp = dir.resolve(STATE_FILE + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer h = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
            h.putInt(MAGIC).putInt(VERSION).putInt(s.dim()).putInt(s.particles()).putLong(s.stepsDone())
                    .putInt(s.hasAverages() ? 1 : 0).flip();
            writeFully(ch, h);
            ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            for (float[] row : s.x()) {
                for (int i = 0; i < row.length; ) {
                    buf.clear();
                    int k = Math.min(row.length - i, CHUNK / 4);
                    buf.asFloatBuffer().put(row, i, k);
                    buf.limit(4 * k);
                    writeFully(ch, buf);
                    i += k;
                }
            }
            if (s.hasAverages()) {
                for (double[] row : s.avg()) {
                    for (int i = 0; i < row.length; ) {
                        buf.clear();
                        int k = Math.min(row.length - i, CHUNK / 8);
                        buf.asDoubleBuffer().put(row, i, k);
                        buf.limit(8 * k);
                        writeFully(ch, buf);
                        i += k;
                    }
                }
            }
            ch.force(true);
        }
        Files.move(tmp, dir.resolve(STATE_FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Loads dir/state.bin.
     *
     * @throws IllegalArgumentException when the file is missing, truncated or not a checkpoint
     */
    public static ParticleState load(Path dir) throws IOException {
        Path f = dir.resolve(STATE_FILE);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            ByteBuffer h = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, h, f);
            h.flip();
            if (h.getInt() != MAGIC || h.getInt() != VERSION) {
                throw new IllegalArgumentException(f + " is not a langevin checkpoint (version " + VERSION + ")");
            }
            int d = h.getInt();
            int p = h.getInt();
            long done = h.getLong();
            boolean avg = h.getInt() != 0;
            ParticleState s = new ParticleState(d, p, avg);
            ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            for (float[] row : s.x()) {
                for (int i = 0; i < p; ) {
                    int k = Math.min(p - i, CHUNK / 4);
                    buf.clear().limit(4 * k);
                    readFully(ch, buf, f);
                    buf.flip();
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
                        buf.asDoubleBuffer().get(row, i, k);
                        i += k;
                    }
                }
            }
            s.setStepsDone(done);
            return s;
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no checkpoint in " + dir + " (missing " + STATE_FILE
                    + "): it was not written by 'langevin sample', or the run stopped before its first checkpoint");
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
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
