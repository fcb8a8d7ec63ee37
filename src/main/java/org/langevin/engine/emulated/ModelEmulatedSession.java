package org.langevin.engine.emulated;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import org.langevin.engine.CompiledProblem;
import org.langevin.engine.EngineSession;
import org.langevin.engine.ParticleState;
import org.langevin.model.RunSpec;

/**
 * A session of a user model on the emulated device: the particles in native memory in the kernels'
 * layout (coordinate rows of {@code stride} floats, window-sum rows of doubles, auxiliary rows of floats), advanced by the
 * model's host-compiled kernel ({@link ModelEmulator}) over a grid like the GPU's, and copied back on
 * {@link #download()}. Not thread-safe: drive it from one thread.
 */
final class ModelEmulatedSession implements EngineSession {
    /** Threads per block and blocks of the emulated grid (any shape gives the same bits). */
    private static final int BLOCK = 256;
    private static final int GRID = 4;

    private final CompiledProblem problem;
    private final ParticleState state;
    private final ModelEmulatorLibrary kernel;
    private final Memory x;
    private final Memory avg;
    /** The auxiliary rows (A rows of count floats), or null when the particles carry none. */
    private final Memory aux;
    private final int auxRows;
    private final Memory c;
    private final Memory e;
    private final int n;
    private final Memory prec;
    private final int d;
    private final int count;
    private boolean closed;

    ModelEmulatedSession(CompiledProblem problem, ParticleState state) {
        RunSpec spec = problem.spec();
        this.problem = problem;
        this.state = state;
        this.kernel = ModelEmulator.load(spec.model().model());
        this.d = state.dim();
        this.count = state.particles();
        this.x = new Memory(4L * d * count);
        for (int j = 0; j < d; j++) {
            x.write(4L * j * count, state.x()[j], 0, count);
        }
        if (spec.average()) {
            avg = new Memory(8L * (2L * d + 1) * count);
            for (int j = 0; j < 2 * d + 1; j++) {
                avg.write(8L * j * count, state.avg()[j], 0, count);
            }
        } else {
            avg = null;
        }
        this.auxRows = state.auxRows();
        if (auxRows > 0) {
            aux = new Memory(4L * auxRows * count);
            for (int r = 0; r < auxRows; r++) {
                aux.write(4L * r * count, state.aux()[r], 0, count);
            }
        } else {
            aux = null;
        }
        float[] cv = spec.model().constants();
        c = new Memory(4L * Math.max(1, cv.length));
        if (cv.length > 0) {
            c.write(0, cv, 0, cv.length);
        }
        var m = spec.model().model();
        float[] ev = org.langevin.model.lang.ModelFunctions.packExamples(m, spec.data());
        n = ev.length / (m.featureCount() + 1);
        e = new Memory(4L * Math.max(1, ev.length));
        if (ev.length > 0) {
            e.write(0, ev, 0, ev.length);
        }
        int off = CompiledProblem.fpPrec(d);
        prec = new Memory(4L * d * d);
        prec.write(0, java.util.Arrays.copyOfRange(problem.fp(), off, off + d * d), 0, d * d);
    }

    @Override
    public void advance(long fromStep, long toStep) {
        if (closed) {
            throw new IllegalStateException("the emulated session is closed");
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
            int rc = kernel.lvu_emu_launch(GRID, BLOCK, x, avg == null ? Pointer.NULL : avg,
                    aux == null ? Pointer.NULL : aux, auxRows, count, count,
                    state.firstParticle(), done, steps, spec.burnIn(), (int) seed, (int) (seed >>> 32),
                    spec.dynamics().code, (float) spec.dt(), spec.dt(), problem.noiseScaleAt(done), c, e, n,
                    problem.lrAt(done), spec.batch(), spec.sampling() == org.langevin.model.Sampling.WITHOUT_REPLACEMENT ? 1 : 0,
                    problem.ip()[CompiledProblem.IP_PRECOND], prec, problem.ip()[CompiledProblem.IP_INTEGRATOR],
                    o.kind().code, (float) o.a(), (float) o.b(), (float) (1.0 - o.a()), (float) (1.0 - o.b()),
                    (float) o.eps(), o.a(), o.b(), problem.underdampedA());
            if (rc != 0) {
                throw new IllegalStateException("the model's emulated kernel refused the launch (code " + rc + ")");
            }
            done += steps;
        }
        state.setStepsDone(toStep);
    }

    @Override
    public void download() {
        if (closed) {
            throw new IllegalStateException("the emulated session is closed");
        }
        for (int j = 0; j < d; j++) {
            x.read(4L * j * count, state.x()[j], 0, count);
        }
        if (avg != null) {
            for (int j = 0; j < 2 * d + 1; j++) {
                avg.read(8L * j * count, state.avg()[j], 0, count);
            }
        }
        for (int r = 0; r < auxRows; r++) {
            aux.read(4L * r * count, state.aux()[r], 0, count);
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
