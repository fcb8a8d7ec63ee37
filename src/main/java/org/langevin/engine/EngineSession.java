package org.langevin.engine;

/** Particles being advanced on one engine. Not thread-safe: drive it from one thread. */
public interface EngineSession extends AutoCloseable {
    /**
     * Advances every particle over global steps [fromStep, toStep). The range must not span a
     * learning-rate change ({@link CompiledProblem#nextChangeAfter(long)}).
     *
     * @param fromStep first global step (must equal the state's steps done)
     * @param toStep one past the last step, ≥ fromStep
     */
    void advance(long fromStep, long toStep);

    /** Copies the particles (and window sums) back into the host state, if they live elsewhere. */
    void download();

    @Override
    void close();
}
