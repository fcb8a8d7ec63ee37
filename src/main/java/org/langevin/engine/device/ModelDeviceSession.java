package org.langevin.engine.device;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.langevin.engine.CompiledProblem;
import org.langevin.engine.EngineSession;
import org.langevin.engine.ParticleState;
import org.langevin.model.RunSpec;
import org.langevin.model.Sampling;
import org.langevin.model.lang.ModelFunctions;

/**
 * A session of a user model ({@code --model}) on a device — the GPU or the emulated device, through the
 * same {@link DeviceLauncher}: the particles live in device memory in the kernels' layout for the whole
 * session (coordinate rows of {@code count} floats, window-sum rows of doubles, auxiliary rows of
 * floats), the model's kernel
 * ({@link DeviceLauncher#loadModel}) advances them, and {@link #download()} copies them back. The
 * model's constants, its packed examples and the preconditioner are uploaded once. A run whose
 * particles do not fit the device's budget is refused up front with the bytes it needs (split it into
 * particle ranges: several runs or Spark). Not thread-safe: drive it from one thread.
 */
public final class ModelDeviceSession implements EngineSession {
    private final CompiledProblem problem;
    private final ParticleState state;
    private final DeviceLauncher launcher;
    private final ModelKernel kernel;
    private final List<DeviceBuffer> buffers = new ArrayList<>();
    private final DeviceBuffer x;
    private final DeviceBuffer avg;
    /** The auxiliary rows (A rows of count floats), or null when the particles carry none. */
    private final DeviceBuffer aux;
    private final int auxRows;
    private final DeviceBuffer c;
    private final DeviceBuffer e;
    private final DeviceBuffer prec;
    private final int n;
    private final int d;
    private final int count;
    private final Runnable onClose;
    private boolean closed;
    /** The record reduction's parameters and block records (allocated at the first record), or null. */
    private DeviceBuffer reduceParams;
    private DeviceBuffer reduceOut;
    /** Bytes copied from the device to the host so far. */
    private long bytesToHost;
    /** Records reduced on the device so far. */
    private int deviceReductions;

    /**
     * Uploads the state and the model's data and loads the model's kernel.
     *
     * @param launcher the device; the session allocates on it and frees what it allocated when it closes
     * @param problem a compiled problem whose spec carries the user model (its constants, examples and, for
     *                SGD, the preconditioner at {@link CompiledProblem#fpPrec})
     * @param state the particles, copied to the device with their window sums and auxiliary rows; updated by
     *              {@link #download()}
     * @param budget bytes the session may use on the device
     * @param onClose called once when the session closes (the engine's bookkeeping), or null
     * @throws IllegalArgumentException when the particles do not fit the budget
     * @throws IllegalStateException when the device's compiler is missing or rejects the model
     *                               ({@link DeviceLauncher#loadModel})
     */
    public ModelDeviceSession(DeviceLauncher launcher, CompiledProblem problem, ParticleState state, long budget,
                              Runnable onClose) {
        RunSpec spec = problem.spec();
        this.problem = problem;
        this.state = state;
        this.launcher = launcher;
        this.onClose = onClose;
        this.d = state.dim();
        this.count = state.particles();
        var m = spec.model().model();
        float[] cv = spec.model().constants();
        float[] ev = ModelFunctions.packExamples(m, spec.data());
        this.n = ev.length / (m.featureCount() + 1);
        this.auxRows = state.auxRows();
        long need = bytesNeeded(d, count, spec.average(), cv.length, ev.length) + 4L * auxRows * count;
        if (need > budget) {
            throw new IllegalArgumentException(String.format("the model's %d particles of d = %d need %.1f MiB of device "
                    + "memory, more than this device's budget of %.1f MiB: run fewer --particles at a time "
                    + "(or split the run into Spark ranges), or use --backend cpu", count, d, need / 1048576.0,
                    budget / 1048576.0));
        }
        ModelKernel k = null;
        try {
            k = launcher.loadModel(m);
            x = alloc(4L * d * count);
            for (int j = 0; j < d; j++) {
                launcher.copyToDevice(state.x()[j], 0, count, x, 4L * j * count);
            }
            if (spec.average()) {
                avg = alloc(8L * (2L * d + 1) * count);
                for (int j = 0; j < 2 * d + 1; j++) {
                    launcher.copyToDevice(state.avg()[j], 0, count, avg, 8L * j * count);
                }
            } else {
                avg = null;
            }
            if (auxRows > 0) {
                aux = alloc(4L * auxRows * count);
                for (int r = 0; r < auxRows; r++) {
                    launcher.copyToDevice(state.aux()[r], 0, count, aux, 4L * r * count);
                }
            } else {
                aux = null;
            }
            c = alloc(4L * Math.max(1, cv.length));
            if (cv.length > 0) {
                launcher.copyToDevice(cv, 0, cv.length, c, 0);
            }
            e = alloc(4L * Math.max(1, ev.length));
            if (ev.length > 0) {
                launcher.copyToDevice(ev, 0, ev.length, e, 0);
            }
            int off = CompiledProblem.fpPrec(d);
            float[] pv = Arrays.copyOfRange(problem.fp(), off, off + d * d);
            prec = alloc(4L * d * d);
            launcher.copyToDevice(pv, 0, pv.length, prec, 0);
        } catch (RuntimeException ex) {
            freeAll(k, ex);
            throw ex;
        }
        this.kernel = k;
    }

    /**
     * @param d the dimension d
     * @param count particles P of the session
     * @param average whether window sums (2d+1 double rows) are held
     * @param constants the model's constant values (floats)
     * @param exampleFloats floats of the packed examples
     * @return device bytes a model session of this shape holds: coordinates, window sums, constants, examples
     *         and the d×d preconditioner; the auxiliary rows (4·A·P bytes) come on top
     */
    public static long bytesNeeded(int d, int count, boolean average, int constants, int exampleFloats) {
        long b = 4L * d * count + 4L * Math.max(1, constants) + 4L * Math.max(1, exampleFloats) + 4L * d * d;
        if (average) {
            b += 8L * (2L * d + 1) * count;
        }
        return b;
    }

    private DeviceBuffer alloc(long bytes) {
        DeviceBuffer b = launcher.allocate(bytes);
        buffers.add(b);
        return b;
    }

    @Override
    public void advance(long fromStep, long toStep) {
        if (closed) {
            throw new IllegalStateException("the model session is closed");
        }
        if (fromStep != state.stepsDone() || toStep < fromStep) {
            throw new IllegalArgumentException("advance(" + fromStep + ", " + toStep + ") must start at the state's "
                    + state.stepsDone() + " steps done and not go backwards");
        }
        RunSpec spec = problem.spec();
        long seed = spec.seed();
        long done = fromStep;
        org.langevin.model.Optimizer o = spec.optimizer() == null ? org.langevin.model.Optimizer.SGD : spec.optimizer();
        while (done < toStep) {
            int steps = (int) Math.min(Integer.MAX_VALUE, toStep - done);
            kernel.launch(new ModelKernelArgs(x, avg, aux, auxRows, count, count, state.firstParticle(), done, steps, spec.burnIn(),
                    (int) seed, (int) (seed >>> 32), spec.dynamics().code, (float) spec.dt(), spec.dt(),
                    problem.noiseScaleAt(done), c, e, n, problem.lrAt(done), spec.batch(),
                    spec.sampling() == Sampling.WITHOUT_REPLACEMENT ? 1 : 0, problem.ip()[CompiledProblem.IP_PRECOND],
                    prec, problem.ip()[CompiledProblem.IP_INTEGRATOR], o.kind().code, (float) o.a(), (float) o.b(),
                    (float) (1.0 - o.a()), (float) (1.0 - o.b()), (float) o.eps(), o.a(), o.b(),
                    problem.underdampedA()));
            done += steps;
        }
        state.setStepsDone(toStep);
    }

    @Override
    public void download() {
        if (closed) {
            throw new IllegalStateException("the model session is closed");
        }
        for (int j = 0; j < d; j++) {
            launcher.copyToHost(x, 4L * j * count, state.x()[j], 0, count);
        }
        bytesToHost += 4L * d * count;
        if (avg != null) {
            for (int j = 0; j < 2 * d + 1; j++) {
                launcher.copyToHost(avg, 8L * j * count, state.avg()[j], 0, count);
            }
            bytesToHost += 8L * (2L * d + 1) * count;
        }
        for (int r = 0; r < auxRows; r++) {
            launcher.copyToHost(aux, 4L * r * count, state.aux()[r], 0, count);
        }
        bytesToHost += 4L * auxRows * count;
    }

    /**
     * Reduces the resident particles with the model's {@code lvu_reduce} (one thread per block of
     * particles; the loss is the model's generated code, which is what the host evaluates too) and copies
     * back only the block records. Null (the caller reduces on the host) when the first particle is not at
     * a block boundary, a block's record would be larger than its particles, the records do not fit in the
     * device's free memory, or the request is not
     * computable for a model ({@link org.langevin.engine.RecordReduction#modelComputable}).
     */
    @Override
    public List<org.langevin.reduce.BlockPartial> reduceBlocks(org.langevin.engine.RecordReduction request) {
        if (closed) {
            throw new IllegalStateException("the model session is closed");
        }
        if (state.firstParticle() % org.langevin.reduce.Blocks.SIZE != 0 || !request.modelComputable(d)) {
            return null;
        }
        org.langevin.reduce.ReduceSpec spec = request.spec();
        int len = org.langevin.reduce.BlockRecords.length(spec, d);
        if (8L * len > 4L * d * org.langevin.reduce.Blocks.SIZE) {
            return null;
        }
        double[] ml = request.modelLoss();
        double[] rp = RecordParams.ofModel(spec, d, ml);
        int blocks = (int) org.langevin.reduce.Blocks.count(count);
        if (!fits(8L * len * blocks, reduceOut) || !fits(8L * rp.length, reduceParams)) {
            return null; // no room left on the device for the records: download instead
        }
        if (reduceOut == null || reduceOut.bytes() < 8L * len * blocks) {
            reduceOut = replace(reduceOut, 8L * len * blocks);
        }
        if (reduceParams == null || reduceParams.bytes() < 8L * rp.length) {
            reduceParams = replace(reduceParams, 8L * rp.length);
        }
        launcher.copyToDevice(rp, 0, rp.length, reduceParams, 0);
        kernel.launchReduce(new ModelReduceArgs(x, reduceOut, count, count, spec.loss() != null, reduceParams, c, e, n,
                ml == null ? 0.0f : (float) ml[0]));
        double[] records = new double[len * blocks];
        launcher.copyToHost(reduceOut, 0, records, 0, records.length);
        bytesToHost += 8L * records.length;
        deviceReductions++;
        return org.langevin.reduce.BlockRecords.partials(spec, d, state.firstParticle() / org.langevin.reduce.Blocks.SIZE,
                count, records);
    }

    /** Copies the coordinates of particles 0 .. count−1 back into the host state. */
    @Override
    public void downloadFirst(int first) {
        if (closed) {
            throw new IllegalStateException("the model session is closed");
        }
        if (first < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + first);
        }
        int k = Math.min(first, count);
        for (int j = 0; j < d && k > 0; j++) {
            launcher.copyToHost(x, 4L * j * count, state.x()[j], 0, k);
        }
        bytesToHost += 4L * d * k;
    }

    /** @return bytes copied from the device to the host by this session so far */
    public long bytesToHost() {
        return bytesToHost;
    }

    /** @return records this session has reduced on the device */
    public int deviceReductions() {
        return deviceReductions;
    }

    /** @return whether a buffer of {@code bytes} is allocated already or fits in the device's free memory */
    private boolean fits(long bytes, DeviceBuffer have) {
        return (have != null && have.bytes() >= bytes) || bytes <= launcher.availableBytes();
    }

    private DeviceBuffer replace(DeviceBuffer old, long bytes) {
        if (old != null) {
            buffers.remove(old);
            old.close();
        }
        return alloc(bytes);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException first = null;
        try {
            freeAll(kernel, null);
        } catch (RuntimeException ex) {
            first = ex;
        }
        if (onClose != null) {
            onClose.run();
        }
        if (first != null) {
            throw first;
        }
    }

    /** Frees the buffers and the kernel; with {@code pending} non-null, adds failures to it instead of throwing. */
    private void freeAll(ModelKernel k, RuntimeException pending) {
        RuntimeException first = pending;
        for (int i = buffers.size() - 1; i >= 0; i--) {
            try {
                buffers.get(i).close();
            } catch (RuntimeException ex) {
                if (first == null) {
                    first = ex;
                } else {
                    first.addSuppressed(ex);
                }
            }
        }
        buffers.clear();
        if (k != null) {
            try {
                k.close();
            } catch (RuntimeException ex) {
                if (first == null) {
                    first = ex;
                } else {
                    first.addSuppressed(ex);
                }
            }
        }
        if (pending == null && first != null) {
            throw first;
        }
    }
}
