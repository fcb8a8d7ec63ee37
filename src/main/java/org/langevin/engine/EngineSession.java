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

    /**
     * Reduces the particles' current state block by block where they are, so that only the blocks'
     * statistics travel, not the particles ({@code sample --record}). A session that cannot (the CPU
     * engine, whose particles are on the host already; particles in chunks larger than device memory;
     * a loss the device cannot compute as the host does; particles not starting at a block boundary)
     * returns null, and the caller downloads and reduces on the host. Either way the bytes are the same.
     *
     * @param request the reduction
     * @return the level-0 partials of the session's blocks in block order (global block indices), or null
     */
    default java.util.List<org.langevin.reduce.BlockPartial> reduceBlocks(RecordReduction request) {
        return null;
    }

    /**
     * Copies particles 0 .. count−1 (coordinates only) back into the host state, the rest left as it
     * is; {@link #download()} still copies everything. The default downloads everything.
     *
     * @param count particles from the first, {@code >= 0}
     */
    default void downloadFirst(int count) {
        download();
    }

    @Override
    void close();
}
