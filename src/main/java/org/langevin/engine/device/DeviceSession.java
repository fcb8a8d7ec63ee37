package org.langevin.engine.device;

import java.util.ArrayList;
import java.util.List;
import org.langevin.engine.CompiledProblem;
import org.langevin.engine.EngineSession;
import org.langevin.engine.ParticleState;

/**
 * A session of a {@link DeviceEngine}: the device arrays of one run and the step loop. Not
 * thread-safe.
 */
final class DeviceSession implements EngineSession {
    /** The engine that opened this session. */
    private final DeviceEngine engine;
    /** The device. */
    private final DeviceLauncher launcher;
    /** The run's parameters. */
    private final CompiledProblem problem;
    /** Host particles (the caller's). */
    private final ParticleState state;
    /** Chunk layout. */
    private final ChunkPlan plan;
    /** Entry point of the problem's dynamics. */
    private final Kernel kernel;
    /** d. */
    private final int dim;
    /** Normals per step. */
    private final int q;
    /** Window sums live on the device. */
    private final boolean averages;
    /** Every buffer this session allocated, freed on close. */
    private final List<DeviceBuffer> owned = new ArrayList<>();
    /** Parameter buffers. */
    private final DeviceBuffer ipBuf;
    private final DeviceBuffer fpBuf;
    /** Training data, or null when n = 0. */
    private final DeviceBuffer dataBuf;
    /** One chunk's coordinates (d rows of stride floats). */
    private final DeviceBuffer stateBuf;
    /** One chunk's window sums (2d+1 rows of stride doubles), or null. */
    private final DeviceBuffer avgBuf;
    /** Noise buffer (buffer mode with q &gt; 0), or null. */
    private final DeviceBuffer noiseBuf;
    /** Its generator, or null. */
    private final NoiseSource noiseSource;
    /** Global index of the next step. */
    private long position;
    /** The device holds newer particles than the host (resident mode only). */
    private boolean hostStale;
    /** Set by close(). */
    private boolean closed;
    /** The record reduction's parameters and block records (allocated at the first record), or null. */
    private DeviceBuffer reduceParams;
    private DeviceBuffer reduceOut;
    /** Bytes copied from the device to the host so far (particles, window sums, block records). */
    private long bytesToHost;
    /** Records reduced on the device so far. */
    private int deviceReductions;

    DeviceSession(DeviceEngine engine, DeviceLauncher launcher, NoiseMode noiseMode, CompiledProblem problem,
                  ParticleState state, ChunkPlan plan) {
        this.engine = engine;
        this.launcher = launcher;
        this.problem = problem;
        this.state = state;
        this.plan = plan;
        this.dim = problem.dim();
        this.kernel = Kernel.forProblem(problem.ip()[CompiledProblem.IP_DYNAMICS], dim);
        this.q = kernel.dynamics.normalsPerStep(dim);
        this.averages = problem.ip()[CompiledProblem.IP_AVERAGE] != 0;
        this.position = state.stepsDone();
        NoiseSource source = null;
        try {
            ipBuf = upload(problem.ip());
            fpBuf = upload(problem.fp());
            dataBuf = problem.data().length == 0 ? null : upload(problem.data());
            stateBuf = alloc(4L * dim * plan.stride());
            avgBuf = averages ? alloc(8L * (2L * dim + 1) * plan.stride()) : null;
            boolean buffer = noiseMode == NoiseMode.BUFFER && q > 0;
            noiseBuf = buffer ? alloc(4L * plan.noiseFloats(q)) : null;
            source = buffer ? launcher.openNoiseSource(problem.spec().seed(), problem.spec().particles()) : null;
            noiseSource = source;
            if (plan.chunks() == 1) {
                uploadChunk(0);
            }
        } catch (RuntimeException | Error e) {
            if (source != null) {
                source.close();
            }
            freeAll(e);
            engine.sessionClosed(this);
            throw e;
        }
    }

    /**
     * Advances every particle over global steps [fromStep, toStep). With one chunk the particles
     * stay on the device; with several, the host state holds the particles after step toStep − 1
     * when this returns.
     *
     * @throws IllegalArgumentException when fromStep is not the session's next step or toStep &lt; fromStep
     */
    @Override
    public void advance(long fromStep, long toStep) {
        checkOpen();
        if (fromStep != position) {
            throw new IllegalArgumentException("fromStep is " + fromStep + " but the particles are at step " + position
                    + ": advance from " + position);
        }
        if (toStep < fromStep) {
            throw new IllegalArgumentException("toStep " + toStep + " is before fromStep " + fromStep);
        }
        if (toStep == fromStep) {
            return;
        }
        if (plan.chunks() == 1) {
            runSteps(0, fromStep, toStep);
            hostStale = true;
        } else {
            for (int c = 0; c < plan.chunks(); c++) {
                uploadChunk(c);
                runSteps(c, fromStep, toStep);
                downloadChunk(c);
            }
        }
        position = toStep;
    }

    /** Copies the particles and window sums of a resident session back into the host state. */
    @Override
    public void download() {
        checkOpen();
        if (hostStale) {
            downloadChunk(0);
            hostStale = false;
        }
    }

    /**
     * Reduces the resident particles on the device ({@code lv_reduce_blocks}: one thread per block of
     * {@link org.langevin.reduce.Blocks#SIZE} particles) and copies back only the block records. Null
     * (the caller reduces on the host) when the particles are processed in chunks (they are on the
     * host after every advance anyway), when the session's first particle is not at a block boundary,
     * when a block's record would be larger than its particles (histograms of more than about 2000 bins),
     * when the records do not fit in the device's free memory, or when the request is not device-computable ({@link org.langevin.engine.RecordReduction#deviceComputable}).
     */
    @Override
    public java.util.List<org.langevin.reduce.BlockPartial> reduceBlocks(org.langevin.engine.RecordReduction request) {
        checkOpen();
        if (plan.chunks() != 1 || state.firstParticle() % org.langevin.reduce.Blocks.SIZE != 0
                || !request.deviceComputable(dim)) {
            return null;
        }
        org.langevin.reduce.ReduceSpec spec = request.spec();
        double[] rp = RecordParams.of(spec, dim, request.lossCoefficients());
        int len = org.langevin.reduce.BlockRecords.length(spec, dim);
        if (8L * len > 4L * dim * org.langevin.reduce.Blocks.SIZE) {
            return null; // records larger than the particles (very many histogram bins): download instead
        }
        int count = plan.chunkCount(0);
        if (!fits(8L * len * org.langevin.reduce.Blocks.count(count), reduceOut)
                || !fits(8L * rp.length, reduceParams)) {
            return null; // no room left on the device for the records: download instead
        }
        ReduceArgs args = new ReduceArgs(stateBuf, reduceOut(8L * len * org.langevin.reduce.Blocks.count(count)),
                count, plan.stride(), dim, spec.loss() != null, reduceParams(8L * rp.length));
        launcher.copyToDevice(rp, 0, rp.length, args.rp(), 0);
        launcher.launchReduce(args);
        double[] records = new double[len * args.blocks()];
        launcher.copyToHost(args.out(), 0, records, 0, records.length);
        bytesToHost += 8L * records.length;
        deviceReductions++;
        return org.langevin.reduce.BlockRecords.partials(spec, dim,
                state.firstParticle() / org.langevin.reduce.Blocks.SIZE, count, records);
    }

    /** Copies the coordinates of particles 0 .. count−1 of a resident session back into the host state. */
    @Override
    public void downloadFirst(int count) {
        checkOpen();
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
        if (!hostStale || count == 0) {
            return;
        }
        int n = Math.min(count, plan.chunkCount(0));
        long stride = plan.stride();
        float[][] x = state.x();
        for (int j = 0; j < dim; j++) {
            launcher.copyToHost(stateBuf, 4L * j * stride, x[j], 0, n);
        }
        bytesToHost += 4L * dim * n;
    }

    /** @return bytes copied from the device to the host by this session so far */
    long bytesToHost() {
        return bytesToHost;
    }

    /** @return records this session has reduced on the device */
    int deviceReductions() {
        return deviceReductions;
    }

    private DeviceBuffer reduceOut(long bytes) {
        if (reduceOut == null || reduceOut.bytes() < bytes) {
            reduceOut = replace(reduceOut, bytes);
        }
        return reduceOut;
    }

    private DeviceBuffer reduceParams(long bytes) {
        if (reduceParams == null || reduceParams.bytes() < bytes) {
            reduceParams = replace(reduceParams, bytes);
        }
        return reduceParams;
    }

    /** @return whether a buffer of {@code bytes} is allocated already or fits in the device's free memory */
    private boolean fits(long bytes, DeviceBuffer have) {
        return (have != null && have.bytes() >= bytes) || bytes <= launcher.availableBytes();
    }

    private DeviceBuffer replace(DeviceBuffer old, long bytes) {
        if (old != null) {
            owned.remove(old);
            old.close();
        }
        return alloc(bytes);
    }

    /** Frees the device arrays; particles not downloaded are lost. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (noiseSource != null) {
                noiseSource.close();
            }
        } finally {
            freeAll(null);
            engine.sessionClosed(this);
        }
    }

    /** @return the layout of this session */
    ChunkPlan plan() {
        return plan;
    }

    private void runSteps(int chunk, long from, long to) {
        long first = state.firstParticle() + plan.chunkStart(chunk);
        int count = plan.chunkCount(chunk);
        long burnIn = problem.spec().burnIn();
        long seed = problem.spec().seed();
        long k = from;
        while (k < to) {
            long end = Math.min(to, problem.nextChangeAfter(k));
            if (end <= k) {
                throw new IllegalStateException("nextChangeAfter(" + k + ") = " + end + " is not after " + k);
            }
            float lr = problem.lrAt(k);
            float noiseScale = problem.noiseScaleAt(k);
            while (k < end) {
                long maxSteps = noiseBuf != null ? plan.bufferSteps() : Integer.MAX_VALUE;
                int n = (int) Math.min(end - k, maxSteps);
                if (noiseBuf != null) {
                    noiseSource.fill(noiseBuf, first, count, k, n, q);
                }
                launcher.launch(kernel, new KernelArgs(stateBuf, avgBuf, count, plan.stride(), first, k, n, burnIn, seed,
                        lr, noiseScale, ipBuf, fpBuf, dataBuf, noiseBuf));
                k += n;
            }
        }
    }

    private void uploadChunk(int chunk) {
        int first = plan.chunkStart(chunk);
        int count = plan.chunkCount(chunk);
        long stride = plan.stride();
        float[][] x = state.x();
        for (int j = 0; j < dim; j++) {
            launcher.copyToDevice(x[j], first, count, stateBuf, 4L * j * stride);
        }
        if (averages) {
            double[][] avg = state.avg();
            for (int r = 0; r < 2 * dim + 1; r++) {
                launcher.copyToDevice(avg[r], first, count, avgBuf, 8L * r * stride);
            }
        }
    }

    private void downloadChunk(int chunk) {
        int first = plan.chunkStart(chunk);
        int count = plan.chunkCount(chunk);
        long stride = plan.stride();
        float[][] x = state.x();
        for (int j = 0; j < dim; j++) {
            launcher.copyToHost(stateBuf, 4L * j * stride, x[j], first, count);
        }
        bytesToHost += 4L * dim * count;
        if (averages) {
            double[][] avg = state.avg();
            for (int r = 0; r < 2 * dim + 1; r++) {
                launcher.copyToHost(avgBuf, 8L * r * stride, avg[r], first, count);
            }
            bytesToHost += 8L * (2L * dim + 1) * count;
        }
    }

    private DeviceBuffer alloc(long bytes) {
        DeviceBuffer b = launcher.allocate(Math.max(bytes, 4));
        owned.add(b);
        return b;
    }

    private DeviceBuffer upload(int[] a) {
        DeviceBuffer b = alloc(4L * a.length);
        launcher.copyToDevice(a, 0, a.length, b, 0);
        return b;
    }

    private DeviceBuffer upload(float[] a) {
        DeviceBuffer b = alloc(4L * a.length);
        launcher.copyToDevice(a, 0, a.length, b, 0);
        return b;
    }

    /** Frees every owned buffer; failures are attached to {@code primary} or thrown after the rest are freed. */
    private void freeAll(Throwable primary) {
        RuntimeException first = null;
        for (int i = owned.size() - 1; i >= 0; i--) {
            try {
                owned.get(i).close();
            } catch (RuntimeException e) {
                if (primary != null) {
                    primary.addSuppressed(e);
                } else if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        owned.clear();
        if (first != null) {
            throw first;
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the session is closed");
        }
    }
}
