package org.langevin.engine;

/**
 * A backend that advances particles: the Java CPU engine, the emulated device or the GPU.
 * An engine is opened once and may run many sessions; close it to release threads, contexts and
 * device memory.
 */
public interface Engine extends AutoCloseable {
    /** @return the backend's name as on the command line: cpu, emulated or gpu */
    String name();

    /** @return one line for people: the device or the thread count */
    String description();

    /**
     * Starts a session over the given particles. Device engines upload the state here and keep it
     * resident until {@link EngineSession#download()} or close.
     *
     * @param problem the compiled problem
     * @param state the particles (owned by the caller; the session updates it on download)
     * @return a session that continues from the state's steps done; the caller closes it
     */
    EngineSession open(CompiledProblem problem, ParticleState state);

    @Override
    void close();
}
