package org.langevin.engine.device;

import org.langevin.engine.CompiledProblem;
import org.langevin.engine.Engine;
import org.langevin.engine.EngineSession;
import org.langevin.engine.ParticleState;

/**
 * An {@link Engine} over a {@link DeviceLauncher}: the Java half of the GPU and emulated backends.
 * A session uploads {@code ip}, {@code fp} and the training data once, keeps the particles (and
 * window sums) resident on the device across {@code advance} calls and copies them back on
 * {@code download()}. When the particles do not fit in the memory budget they are processed in
 * chunks of whole multiples of {@link ChunkPlan#QUANTUM} particles ({@link ChunkPlan}); then each
 * {@code advance} uploads, advances and downloads every chunk, through two device slots whose copies
 * overlap the other slot's kernels (pinned staging memory, one queue per slot), so the host state is
 * current after every advance. The plan's budget is the forced budget (the session's arrays) or a fraction
 * of the free memory less the local memory the kernels reserve at their first launch
 * ({@link DeviceLauncher#localMemoryReserve}). The step range is split at learning-rate changes
 * ({@link CompiledProblem#nextChangeAfter(long)}) and, in buffer mode, at the noise buffer's depth;
 * neither split changes the bits (the kernels address their random numbers by global step).
 * <p>
 * Thread-safety: one session at a time, driven from one thread (the device is not shared).
 */
public class DeviceEngine implements Engine {
    /** Fraction of the device's free memory a session plans with when no budget is forced. */
    public static final double FREE_MEMORY_FRACTION = 0.8;

    /** Backend name: gpu or emulated. */
    private final String name;
    /** The device. */
    private final DeviceLauncher launcher;
    /** Fused or buffer noise. */
    private final NoiseMode noiseMode;
    /** Forced memory budget in bytes, or 0 for a fraction of the free memory. */
    private final long memoryBudget;
    /** The open user-model session, or null. */
    private ModelDeviceSession currentModel;
    /** The session now open, or null. */
    private DeviceSession current;
    /** Set by close(). */
    private boolean closed;

    /**
     * @param name backend name (gpu, emulated)
     * @param launcher the device; the engine owns it and closes it
     * @param noiseMode fused or buffer
     * @param memoryBudget bytes of device memory a session may use; 0 for
     *                     {@link #FREE_MEMORY_FRACTION} of the free memory at open
     */
    protected DeviceEngine(String name, DeviceLauncher launcher, NoiseMode noiseMode, long memoryBudget) {
        if (launcher == null || noiseMode == null || name == null) {
            throw new IllegalArgumentException("name, launcher and noiseMode are required");
        }
        if (memoryBudget < 0) {
            throw new IllegalArgumentException("memoryBudget must be >= 0 bytes (0: automatic), got " + memoryBudget);
        }
        this.name = name;
        this.launcher = launcher;
        this.noiseMode = noiseMode;
        this.memoryBudget = memoryBudget;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return launcher.description() + ", noise " + noiseMode;
    }

    /** @return the noise mode of this engine's sessions */
    public NoiseMode noiseMode() {
        return noiseMode;
    }

    /** @return the launcher (for tests and diagnostics) */
    protected DeviceLauncher launcher() {
        return launcher;
    }

    /**
     * @param problem a compiled built-in problem (its dynamics has a kernel entry point)
     * @param state the particles the session would hold
     * @return how a session of this problem over this state would be laid out on the device now: with no
     *         forced budget, within {@link #FREE_MEMORY_FRACTION} of the free memory less the local memory
     *         the kernels will reserve ({@link DeviceLauncher#localMemoryReserve}); with a forced budget
     *         (which bounds the session's arrays), within it
     * @throws IllegalArgumentException when the budget (less the reserve) cannot hold one chunk
     */
    public ChunkPlan plan(CompiledProblem problem, ParticleState state) {
        int d = problem.dim();
        int code = problem.ip()[CompiledProblem.IP_DYNAMICS];
        int q = Kernel.ofCode(code).dynamics.normalsPerStep(d);
        long fixed = 4L * CompiledProblem.IP_LEN + 4L * problem.fp().length + 4L * problem.data().length;
        boolean averages = problem.ip()[CompiledProblem.IP_AVERAGE] != 0;
        int bufferQ = noiseMode == NoiseMode.BUFFER ? q : 0;
        if (memoryBudget > 0) {
            // a forced budget bounds the session's arrays; the local memory is outside it
            return ChunkPlan.of(d, state.particles(), averages, bufferQ, fixed, memoryBudget, overlap(), 0);
        }
        long budget = (long) (launcher.availableBytes() * FREE_MEMORY_FRACTION);
        long reserve = launcher.localMemoryReserve(Kernel.forProblem(code, d));
        return ChunkPlan.of(d, state.particles(), averages, bufferQ, fixed, budget, overlap(), reserve);
    }

    /**
     * @return whether runs of several chunks overlap copies with compute (two slots); {@code
     *         -Dlangevin.overlap=false} runs the chunks one after the other (for comparisons)
     */
    static boolean overlap() {
        return !"false".equalsIgnoreCase(System.getProperty("langevin.overlap"));
    }

    /**
     * Opens a session: validates the problem against the state, allocates the device arrays and
     * uploads the parameters and, when one chunk holds every particle, the particles.
     *
     * @throws IllegalArgumentException when the problem and state disagree or the budget is too small
     * @throws IllegalStateException when the engine is closed or another session is open
     */
    /**
     * A session of a user model (--model) on this device: the model's kernel compiled for the device at
     * first use ({@link DeviceLauncher#loadModel}), the particles resident in device memory
     * ({@link ModelDeviceSession}).
     *
     * @param problem a compiled problem whose spec carries a user model
     * @param state the particles, uploaded to the device with their window sums and auxiliary rows
     * @return the open session, this engine's current model session until it is closed
     */
    protected EngineSession openModel(CompiledProblem problem, ParticleState state) {
        long budget = memoryBudget > 0 ? memoryBudget : (long) (launcher.availableBytes() * FREE_MEMORY_FRACTION);
        ModelDeviceSession[] self = new ModelDeviceSession[1];
        self[0] = new ModelDeviceSession(launcher, problem, state, budget, () -> {
            if (currentModel == self[0]) {
                currentModel = null;
            }
        });
        currentModel = self[0];
        return self[0];
    }

    @Override
    public EngineSession open(CompiledProblem problem, ParticleState state) {
        if (closed) {
            throw new IllegalStateException("the " + name + " engine is closed");
        }
        if (current != null || currentModel != null) {
            throw new IllegalStateException("a session is already open on the " + name
                    + " engine: close it before opening another");
        }
        if (problem.spec() != null && problem.spec().model() != null) {
            return openModel(problem, state);
        }
        current = new DeviceSession(this, launcher, noiseMode, problem, state, plan(checked(problem, state), state));
        return current;
    }

    /** Called by a session when it closes. */
    void sessionClosed(DeviceSession s) {
        if (current == s) {
            current = null;
        }
    }

    /** Closes the open session, if any, and the device. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (current != null) {
                current.close();
            }
            if (currentModel != null) {
                currentModel.close();
            }
        } finally {
            launcher.close();
        }
    }

    private static CompiledProblem checked(CompiledProblem problem, ParticleState state) {
        if (problem == null || state == null) {
            throw new IllegalArgumentException("problem and state are required");
        }
        int[] ip = problem.ip();
        if (ip.length != CompiledProblem.IP_LEN) {
            throw new IllegalArgumentException("ip has length " + ip.length + ", expected " + CompiledProblem.IP_LEN);
        }
        int d = problem.dim();
        if (d != state.dim()) {
            throw new IllegalArgumentException("the problem has dimension " + d + " but the state has dimension "
                    + state.dim());
        }
        if (problem.fp().length != CompiledProblem.fpLen(d)) {
            throw new IllegalArgumentException("fp has length " + problem.fp().length + ", expected "
                    + CompiledProblem.fpLen(d) + " for d = " + d);
        }
        int n = ip[CompiledProblem.IP_N];
        if (problem.data().length != (n == 0 ? 0 : n * (d + 1))) {
            throw new IllegalArgumentException("data has " + problem.data().length + " floats, expected n·(d+1) = "
                    + (long) n * (d + 1) + " for n = " + n);
        }
        if (ip[CompiledProblem.IP_AVERAGE] != 0 && !state.hasAverages()) {
            throw new IllegalArgumentException("the problem accumulates window sums (ip[IP_AVERAGE] = 1) but the "
                    + "state has none: create the ParticleState with withAverages = true");
        }
        Kernel.ofCode(ip[CompiledProblem.IP_DYNAMICS]);
        return problem;
    }
}
