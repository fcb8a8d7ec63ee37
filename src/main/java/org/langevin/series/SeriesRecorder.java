package org.langevin.series;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.langevin.engine.EngineSession;
import org.langevin.engine.ParticleState;
import org.langevin.engine.RecordReduction;
import org.langevin.engine.Sampler;
import org.langevin.model.Dynamics;
import org.langevin.model.RunSpec;
import org.langevin.reduce.BlockPartial;
import org.langevin.reduce.ParticleView;
import org.langevin.reduce.ReduceSpec;
import org.langevin.reduce.Reducer;

/**
 * Takes the records of a run held in one JVM: at each record step the whole state is reduced with the
 * same block reduction as the final one (so the bytes do not depend on threads, GPU chunks or
 * backends), and particles 0..K−1 are copied for the trace. Where the reduction happens:
 * <ul>
 *   <li>on the device (GPU or emulated) that holds the particles, when the session can
 *       ({@link EngineSession#reduceBlocks}): one thread per block of particles reduces it into a block
 *       record, only the records and the K traced particles are copied back, and the records' partials
 *       are merged here along the same fixed tree. That covers the built-in problems whose loss is a
 *       polynomial in double (none, quadratic, double well, linear regression; with or without a prior)
 *       and user models (--model; the loss is the model's generated float code on both sides), on
 *       resident particles, one GPU or several;</li>
 *   <li>on the host, after downloading the whole state, everywhere else: the CPU engine, particles
 *       processed in chunks larger than device memory, the logistic loss (Java's {@code Math.log1p} and
 *       {@code Math.exp} in double, which a device does not reproduce), histograms of more than about
 *       2000 bins, and when {@code -D}{@value #WHERE_PROPERTY}{@code =host} is set.</li>
 * </ul>
 * Both give the same bytes. The records taken so far are kept
 * in the checkpoint directory ({@value #FILE}), so a resumed run keeps them and appends. Not
 * thread-safe: driven by the sampler's thread.
 */
public final class SeriesRecorder implements Sampler.Recorder {
    /** The records in a checkpoint directory. */
    public static final String FILE = "series.bin";
    private static final String MAGIC = "langevin-series-1";
    /** System property: {@code host} reduces every record on the host (for comparisons); default {@code device}. */
    public static final String WHERE_PROPERTY = "langevin.records";

    private final RunSpec spec;
    private final Recording recording;
    private final ReduceSpec reduceSpec;
    private final int threads;
    private final List<SeriesPoint> points;
    /** Records loaded from a checkpoint. */
    private final int loaded;
    /** Wall time spent in {@link #record}, seconds. */
    private double seconds;
    /** The reduction asked of a session holding the particles, or null: always on the host. */
    private final RecordReduction onDevice;
    /** Records of this JVM reduced where the particles are, and on the host. */
    private int deviceRecords;
    private int hostRecords;

    /**
     * A recorder that continues from the records already taken.
     *
     * @param spec the run whose state is recorded (its loss, divergence bound, histogram range and time scale)
     * @param recording the run's --record schedule, --record-histograms and --trace
     * @param taken records already taken (from {@link #load}), in step order; empty for a fresh run
     * @param threads reducer threads, 0 for one per core (does not change the result)
     */
    public SeriesRecorder(RunSpec spec, Recording recording, List<SeriesPoint> taken, int threads) {
        this.spec = spec;
        this.recording = recording;
        this.reduceSpec = reduceSpec(spec, recording);
        this.threads = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        this.points = new ArrayList<>(taken);
        this.loaded = taken.size();
        String where = System.getProperty(WHERE_PROPERTY, "device");
        if (!where.equals("device") && !where.equals("host")) {
            throw new IllegalArgumentException("-D" + WHERE_PROPERTY + " must be device or host, got " + where);
        }
        org.langevin.model.HostLoss loss = new org.langevin.model.HostLoss(spec);
        this.onDevice = where.equals("host") ? null
                : new RecordReduction(reduceSpec, loss.polynomialCoefficients(), loss.modelLossForm());
    }

    /**
     * The reductions of a record: moments per coordinate, the loss, the diverged count (the run's
     * divergence bound), no observables (they belong to the final state), and with --record-histograms the 1-D histograms over --histogram's range; no
     * covariance and no 2-D histogram.
     *
     * @param spec the run (a user model without a loss gives no loss statistic)
     * @param recording the recording; its histograms flag adds the 1-D histograms
     * @return the reductions every record of the run takes, the same on every backend and in every Spark task
     */
    public static ReduceSpec reduceSpec(RunSpec spec, Recording recording) {
        org.langevin.model.HostLoss loss = new org.langevin.model.HostLoss(spec);
        boolean noLoss = spec.model() != null && !spec.model().model().hasLoss();
        ReduceSpec r = (noLoss ? ReduceSpec.defaults() : ReduceSpec.defaults().withLoss(loss::value))
                .withDivergenceBound(org.langevin.theory.DivergenceBound.of(spec).value()).withCovariance(false);
        if (recording.histograms()) {
            r = r.withHistograms(spec.histogram().bins(), spec.histogram().lo(), spec.histogram().hi());
        }
        return r;
    }

    /**
     * @param spec the run (its Δt, or its learning-rate schedule for SGD)
     * @param k a global step, ≥ 0
     * @return t at step k: Σ_{i&lt;k} η_i for SGD (the float rates the kernels receive, summed in double), else kΔt
     */
    public static double time(RunSpec spec, long k) {
        if (spec.dynamics() == Dynamics.SGD && spec.schedule() != null) {
            return spec.schedule().time(k);
        }
        return k * spec.dt();
    }

    /**
     * @param x a state whose first particle is 0, coordinate-major ({@code x[j][i]}: coordinate j of particle
     *          i), holding at least k particles
     * @param k K of --trace, the number of particles traced
     * @return the trace of particles 0..K−1 of a state whose first particle is 0, row-major (coordinate j of
     *         particle i at i·d + j), or null for K = 0
     */
    public static float[] trace(float[][] x, int k) {
        if (k == 0) {
            return null;
        }
        int d = x.length;
        float[] t = new float[k * d];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < d; j++) {
                t[i * d + j] = x[j][i];
            }
        }
        return t;
    }

    @Override
    public long nextAfter(long k) {
        return recording.nextAfter(k);
    }

    @Override
    public boolean wants(long k) {
        return recording.isRecord(k) && (points.isEmpty() || points.get(points.size() - 1).step() < k);
    }

    /** Reduces the downloaded state on the host. */
    @Override
    public void record(long step, ParticleState state) {
        long t0 = System.nanoTime();
        var red = Reducer.reduce(ParticleView.of(state.x()), reduceSpec, threads);
        points.add(new SeriesPoint(step, time(spec, step), red.summary(), trace(state.x(), recording.trace())));
        hostRecords++;
        seconds += (System.nanoTime() - t0) * 1e-9;
    }

    /**
     * Asks the session to reduce where the particles are and downloads only the traced ones; when the
     * session cannot, downloads the state and reduces on the host (class comment).
     */
    @Override
    public void record(long step, EngineSession session, ParticleState state) {
        long t0 = System.nanoTime();
        List<BlockPartial> parts = onDevice == null ? null : session.reduceBlocks(onDevice);
        if (parts == null) {
            session.download();
            seconds += (System.nanoTime() - t0) * 1e-9;
            record(step, state);
            return;
        }
        session.downloadFirst(recording.trace());
        var red = Reducer.merge(parts);
        points.add(new SeriesPoint(step, time(spec, step), red.summary(), trace(state.x(), recording.trace())));
        deviceRecords++;
        seconds += (System.nanoTime() - t0) * 1e-9;
    }

    /** @return records of this JVM reduced by the session holding the particles (on a device) */
    public int deviceRecords() {
        return deviceRecords;
    }

    /** @return records of this JVM reduced on the host after downloading the state */
    public int hostRecords() {
        return hostRecords;
    }

    /**
     * @return wall time this recorder spent on records in this JVM, seconds: the reduction on the device
     *         with the copy of its block records and traced particles, or the download of the state and
     *         the reduction on the host
     */
    public double seconds() {
        return seconds;
    }

    /** @return records taken by this recorder in this JVM (not those loaded from a checkpoint) */
    public int takenHere() {
        return points.size() - loaded;
    }

    @Override
    public void save(Path dir) throws IOException {
        write(dir, recording, points);
    }

    /** @return the records taken so far, in step order (a copy) */
    public List<SeriesPoint> points() {
        return List.copyOf(points);
    }

    /**
     * Writes records into a checkpoint directory (to a temporary file, then renamed).
     *
     * @param dir the checkpoint directory, which must exist; its {@value #FILE} is replaced
     * @param recording the recording the records belong to ({@link #load} checks it)
     * @param points the records, in step order
     * @throws IOException when the file cannot be written or moved into place
     */
    public static void write(Path dir, Recording recording, List<SeriesPoint> points) throws IOException {
        Path file = dir.resolve(FILE);
        Path tmp = dir.resolve(FILE + ".tmp");
        try (OutputStream o = Files.newOutputStream(tmp); ObjectOutputStream out = new ObjectOutputStream(
                new java.io.BufferedOutputStream(o))) {
            out.writeUTF(MAGIC);
            out.writeUTF(recording.describe());
            out.writeObject(new ArrayList<>(points));
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * The records of a checkpoint directory that a resumed run keeps: those at steps ≤ stepsDone (later
     * ones, taken after the last saved state, are taken again). None when the file is absent.
     *
     * @param dir the checkpoint directory
     * @param recording the resumed run's recording, which must be the one the file was written for
     * @param stepsDone the step of the checkpoint's state
     * @return the records kept, in step order: the recording's steps ≤ stepsDone, or all of them but
     *         stepsDone itself (taken again on resume); empty when there is no {@value #FILE}
     * @throws IllegalArgumentException when the file is unreadable, of another recording, or its steps are
     *                                  not the recording's steps up to stepsDone (e.g. --steps changed a
     *                                  log:M schedule)
     */
    @SuppressWarnings("unchecked")
    public static List<SeriesPoint> load(Path dir, Recording recording, long stepsDone) {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return List.of();
        }
        List<SeriesPoint> all;
        try (InputStream i = Files.newInputStream(file); ObjectInputStream in = new ObjectInputStream(
                new java.io.BufferedInputStream(i))) {
            if (!MAGIC.equals(in.readUTF())) {
                throw new IllegalArgumentException("--resume: " + file + " is not a langevin series file");
            }
            String desc = in.readUTF();
            if (!desc.equals(recording.describe())) {
                throw new IllegalArgumentException("--resume: " + file + " holds the records of --record " + desc
                        + ", not of " + recording.describe());
            }
            all = (List<SeriesPoint>) in.readObject();
        } catch (IOException | ClassNotFoundException | ClassCastException e) {
            throw new IllegalArgumentException("--resume: cannot read the records in " + file + " (" + e.getMessage()
                    + "); the series cannot be continued");
        }
        List<SeriesPoint> kept = new ArrayList<>();
        for (SeriesPoint p : all) {
            if (p.step() <= stepsDone) {
                kept.add(p);
            }
        }
        long[] want = Arrays.stream(recording.steps()).filter(s -> s <= stepsDone).toArray();
        long[] have = kept.stream().mapToLong(SeriesPoint::step).toArray();
        boolean prefix = have.length <= want.length && Arrays.equals(have, Arrays.copyOf(want, have.length));
        boolean complete = have.length == want.length || (have.length == want.length - 1 && want[want.length - 1] == stepsDone);
        if (!prefix || !complete) {
            throw new IllegalArgumentException("--resume: the records already taken (steps " + Arrays.toString(have)
                    + ") are not those --record " + recording.schedule() + " asks for up to step " + stepsDone + " ("
                    + Arrays.toString(want) + "); --steps changes where log: records fall: resume with the original --steps");
        }
        return kept;
    }
}
