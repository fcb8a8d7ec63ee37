package org.langevin.engine.device;

import java.util.ArrayList;
import java.util.List;
import org.langevin.engine.CompiledProblem;
import org.langevin.engine.EngineSession;
import org.langevin.engine.ParticleState;

/**
 * A session of a {@link DeviceEngine}: the device arrays of one run and the step loop. Not
 * thread-safe.
 * <p>
 * With several chunks and two slots ({@link ChunkPlan#slots()} = 2) an advance is a pipeline: chunk c
 * runs in slot s = c mod 2, which has its own device arrays, pinned host staging memory and queue
 * (stream). For each chunk the session waits for its slot's queue (chunk c − 2 done), copies c − 2's
 * results from the staging into the host arrays, fills the staging with chunk c's particles and enqueues
 * the upload, the launches and the download on the slot's queue; at the end it drains both. So chunk
 * c + 1's upload and chunk c − 1's download overlap chunk c's kernels. Chunks are unions of whole
 * reduction blocks and the kernels address their random numbers by global particle and step, so the
 * bytes are those of one chunk at a time. Buffer mode (a noise buffer filled per launch by a generator
 * on the device's default stream) keeps one slot and runs the chunks one after the other: its single
 * noise buffer would be overwritten by the next chunk's fill while a chunk's kernels still read it.
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
    /** One chunk's coordinates (d rows of stride floats): slot 0's. */
    private final DeviceBuffer stateBuf;
    /** One chunk's window sums (2d+1 rows of stride doubles), or null: slot 0's. */
    private final DeviceBuffer avgBuf;
    /** Per slot: the chunk's coordinates, window sums (or null), staging memory and queue (two slots only). */
    private final DeviceBuffer[] stateBufs;
    private final DeviceBuffer[] avgBufs;
    private final HostStaging[] staging;
    private final DeviceQueue[] queues;
    /**
     * Whether the chunks run through the two slots' queues: a two-slot plan whose pinned staging could be
     * allocated (when the host refuses to pin that much, the chunks run one after the other through slot 0).
     */
    private boolean pipelined;
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
            boolean buffer = noiseMode == NoiseMode.BUFFER && q > 0;
            int slots = plan.slots();
            if (slots == 2 && buffer) {
                throw new IllegalArgumentException("a plan with 2 slots cannot use a noise buffer (buffer mode runs "
                        + "the chunks one after the other): plan with ChunkPlan.of(..., overlap = false, ...)");
            }
            stateBufs = new DeviceBuffer[slots];
            avgBufs = new DeviceBuffer[slots];
            staging = new HostStaging[slots == 2 ? 2 : 0];
            queues = new DeviceQueue[slots == 2 ? 2 : 0];
            for (int sl = 0; sl < slots; sl++) {
                stateBufs[sl] = alloc(4L * dim * plan.stride());
                avgBufs[sl] = averages ? alloc(8L * (2L * dim + 1) * plan.stride()) : null;
            }
            stateBuf = stateBufs[0];
            avgBuf = avgBufs[0];
            pipelined = staging.length == 2;
            try {
                for (int sl = 0; sl < staging.length; sl++) {
                    queues[sl] = launcher.openQueue();
                    staging[sl] = launcher.allocateStaging(slotBytes());
                }
            } catch (RuntimeException pinFailed) {
                // e.g. cuMemHostAlloc out of memory for two slots of pinned memory: the same bytes, serially
                releaseSlots(null);
                pipelined = false;
            }
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
            releaseSlots(e);
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
            runSteps(0, 0, fromStep, toStep, null);
            hostStale = true;
        } else if (pipelined) {
            advancePipelined(fromStep, toStep);
        } else {
            for (int c = 0; c < plan.chunks(); c++) {
                uploadChunk(c);
                runSteps(c, 0, fromStep, toStep, null);
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

    /**
     * The two-slot pipeline (class comment): chunk c in slot c mod 2; a slot's staging memory is read
     * only after its queue was synchronised.
     */
    private void advancePipelined(long fromStep, long toStep) {
        int n = plan.chunks();
        for (int c = 0; c < n; c++) {
            int sl = c % 2;
            if (c >= 2) {
                queues[sl].synchronize();
                unstage(c - 2, sl);
            }
            stage(c, sl);
            enqueueUpload(c, sl);
            runSteps(c, sl, fromStep, toStep, queues[sl]);
            enqueueDownload(c, sl);
        }
        for (int c = Math.max(0, n - 2); c < n; c++) {
            queues[c % 2].synchronize();
            unstage(c, c % 2);
        }
    }

    /** @return bytes of one slot's arrays (and of its staging memory): d float rows and 2d+1 double rows */
    private long slotBytes() {
        return (4L * dim + (averages ? 8L * (2L * dim + 1) : 0L)) * plan.stride();
    }

    /** @return byte offset of window-sum row r in a slot's staging memory (after the d coordinate rows) */
    private long avgRowOffset(int r) {
        return 4L * dim * plan.stride() + 8L * r * plan.stride();
    }

    /** Copies chunk c's particles and window sums from the host arrays into slot sl's staging memory. */
    private void stage(int c, int sl) {
        int first = plan.chunkStart(c);
        int count = plan.chunkCount(c);
        long stride = plan.stride();
        float[][] x = state.x();
        for (int j = 0; j < dim; j++) {
            staging[sl].put(4L * j * stride, x[j], first, count);
        }
        if (averages) {
            double[][] avg = state.avg();
            for (int r = 0; r < 2 * dim + 1; r++) {
                staging[sl].put(avgRowOffset(r), avg[r], first, count);
            }
        }
    }

    /** Copies chunk c's results from slot sl's staging memory (its queue synchronised) into the host arrays. */
    private void unstage(int c, int sl) {
        int first = plan.chunkStart(c);
        int count = plan.chunkCount(c);
        long stride = plan.stride();
        float[][] x = state.x();
        for (int j = 0; j < dim; j++) {
            staging[sl].get(4L * j * stride, x[j], first, count);
        }
        bytesToHost += 4L * dim * count;
        if (averages) {
            double[][] avg = state.avg();
            for (int r = 0; r < 2 * dim + 1; r++) {
                staging[sl].get(avgRowOffset(r), avg[r], first, count);
            }
            bytesToHost += 8L * (2L * dim + 1) * count;
        }
    }

    /** Enqueues the upload of chunk c from slot sl's staging memory to its device arrays. */
    private void enqueueUpload(int c, int sl) {
        int count = plan.chunkCount(c);
        long stride = plan.stride();
        for (int j = 0; j < dim; j++) {
            launcher.copyToDeviceAsync(staging[sl], 4L * j * stride, stateBufs[sl], 4L * j * stride, 4L * count, queues[sl]);
        }
        if (averages) {
            for (int r = 0; r < 2 * dim + 1; r++) {
                launcher.copyToDeviceAsync(staging[sl], avgRowOffset(r), avgBufs[sl], 8L * r * stride, 8L * count,
                        queues[sl]);
            }
        }
    }

    /** Enqueues the download of chunk c from slot sl's device arrays to its staging memory. */
    private void enqueueDownload(int c, int sl) {
        int count = plan.chunkCount(c);
        long stride = plan.stride();
        for (int j = 0; j < dim; j++) {
            launcher.copyToHostAsync(stateBufs[sl], 4L * j * stride, staging[sl], 4L * j * stride, 4L * count, queues[sl]);
        }
        if (averages) {
            for (int r = 0; r < 2 * dim + 1; r++) {
                launcher.copyToHostAsync(avgBufs[sl], 8L * r * stride, staging[sl], avgRowOffset(r), 8L * count,
                        queues[sl]);
            }
        }
    }

    /**
     * Waits for the slots' queues, then closes them and frees the staging memory; failures are attached
     * to {@code primary} or thrown after the rest are released.
     */
    private void releaseSlots(Throwable primary) {
        RuntimeException first = null;
        DeviceQueue[] qs = queues == null ? new DeviceQueue[0] : queues;
        HostStaging[] st = staging == null ? new HostStaging[0] : staging;
        java.util.List<Runnable> steps = new ArrayList<>();
        for (DeviceQueue q : qs) {
            if (q != null) {
                steps.add(q::close);
            }
        }
        for (HostStaging h : st) {
            if (h != null) {
                steps.add(h::close);
            }
        }
        for (Runnable r : steps) {
            try {
                r.run();
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
        for (int i = 0; i < qs.length; i++) {
            qs[i] = null;
        }
        for (int i = 0; i < st.length; i++) {
            st[i] = null;
        }
        if (first != null) {
            throw first;
        }
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
            try {
                releaseSlots(null);
            } finally {
                freeAll(null);
                engine.sessionClosed(this);
            }
        }
    }

    /** @return the layout of this session */
    ChunkPlan plan() {
        return plan;
    }

    /**
     * Launches the steps [from, to) of a chunk over slot sl's arrays: at once, or enqueued on
     * {@code queue} when it is not null.
     */
    private void runSteps(int chunk, int sl, long from, long to, DeviceQueue queue) {
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
                KernelArgs args = new KernelArgs(stateBufs[sl], avgBufs[sl], count, plan.stride(), first, k, n, burnIn,
                        seed, lr, noiseScale, ipBuf, fpBuf, dataBuf, noiseBuf);
                if (queue == null) {
                    launcher.launch(kernel, args);
                } else {
                    launcher.launch(kernel, args, queue);
                }
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
