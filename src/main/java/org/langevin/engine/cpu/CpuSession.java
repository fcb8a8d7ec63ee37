package org.langevin.engine.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import org.langevin.engine.CompiledProblem;
import org.langevin.engine.EngineSession;
import org.langevin.engine.ParticleState;

/**
 * A session of the {@link CpuEngine}: advances the host state in place, splitting the particles
 * into one contiguous range per worker. Not thread-safe: drive it from one thread.
 */
final class CpuSession implements EngineSession {
    /** The engine's workers. */
    private final ExecutorService pool;
    /** Number of ranges to split the particles into. */
    private final int threads;
    /** The compiled problem (for the seed, burn-in and the schedule). */
    private final CompiledProblem problem;
    /** The kernel parameters. */
    private final CpuProblem p;
    /** The particles. */
    private final ParticleState state;
    /** Set by close. */
    private boolean closed;

    CpuSession(ExecutorService pool, int threads, CompiledProblem problem, ParticleState state) {
        if (problem == null || state == null) {
            throw new IllegalArgumentException("problem and state must not be null, got problem = " + problem
                    + ", state = " + state);
        }
        this.p = new CpuProblem(problem.ip(), problem.fp(), problem.data());
        if (state.dim() != p.d) {
            throw new IllegalArgumentException("state dimension " + state.dim() + " does not match the problem's d = " + p.d);
        }
        if (p.average && !state.hasAverages()) {
            throw new IllegalArgumentException("the problem accumulates window sums (ip[IP_AVERAGE] = 1) but the state "
                    + "has none: create it with withAverages = true");
        }
        if (problem.spec() == null) {
            throw new IllegalArgumentException("the compiled problem has no run specification (seed, burn-in)");
        }
        this.pool = pool;
        this.threads = threads;
        this.problem = problem;
        this.state = state;
    }

    /**
     * Advances all particles over global steps [fromStep, toStep) and records toStep as done.
     *
     * @throws IllegalArgumentException when fromStep is not the state's steps done, toStep &lt; fromStep,
     *         or the range spans a learning-rate change
     * @throws IllegalStateException when the session is closed or interrupted
     */
    @Override
    public void advance(long fromStep, long toStep) {
        if (closed) {
            throw new IllegalStateException("the CPU session is closed");
        }
        if (fromStep != state.stepsDone()) {
            throw new IllegalArgumentException("fromStep must equal the state's steps done (" + state.stepsDone()
                    + "), got " + fromStep);
        }
        if (toStep < fromStep) {
            throw new IllegalArgumentException("toStep must be >= fromStep = " + fromStep + ", got " + toStep);
        }
        if (toStep == fromStep) {
            return;
        }
        long change = problem.nextChangeAfter(fromStep);
        if (toStep > change) {
            throw new IllegalArgumentException("steps [" + fromStep + ", " + toStep + ") span a learning-rate change at step "
                    + change + ": split the range there");
        }
        final float lr = problem.lrAt(fromStep);
        final float noiseScale = problem.noiseScaleAt(fromStep);
        final long seed = problem.spec().seed();
        final long burnIn = problem.spec().burnIn();
        final float[][] x = state.x();
        final double[][] avg = p.average ? state.avg() : null;
        final int count = state.particles();
        final long nSteps = toStep - fromStep;
        inRanges(pool, threads, count, (from, to) -> CpuKernels.advance(p, x, avg, state.firstParticle(), from, to,
                fromStep, nSteps, burnIn, seed, lr, noiseScale));
        state.setStepsDone(toStep);
    }

    /** Work on the particles [from, to). */
    interface Range {
        void run(int from, int to);
    }

    /**
     * Runs work over {@code count} particles split into one contiguous range per thread and waits for
     * all of them; the first failure is rethrown after every range has ended.
     */
    static void inRanges(ExecutorService pool, int threads, int count, Range work) {
        final int ranges = Math.min(threads, count);
        List<Future<?>> futures = new ArrayList<>(ranges);
        for (int r = 0; r < ranges; r++) {
            final int from = (int) ((long) count * r / ranges);
            final int to = (int) ((long) count * (r + 1) / ranges);
            futures.add(pool.submit(() -> work.run(from, to)));
        }
        RuntimeException failure = null;
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                for (Future<?> g : futures) {
                    g.cancel(true);
                }
                throw new IllegalStateException("interrupted while advancing particles; the state is incomplete", e);
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof Error err) {
                    throw err;
                }
                if (failure == null) {
                    failure = c instanceof RuntimeException re ? re
                            : new IllegalStateException("a CPU worker failed", c);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Nothing to copy: the state is advanced in place. */
    @Override
    public void download() {
        if (closed) {
            throw new IllegalStateException("the CPU session is closed");
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
