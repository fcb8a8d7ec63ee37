package org.langevin.engine.device;

/**
 * Fills a device buffer with the Gaussian normals of one launch in buffer mode, laid out as the
 * kernel ABI's {@code noise} argument: normal j of local step s of column i at
 * {@code noise[(s*q + j)*count + i]}. Obtained from {@link DeviceLauncher#openNoiseSource(long, long)};
 * closing releases its generator. The normals are a function of (seed, global particle, global step,
 * lane) alone, never of the session, the chunk or the launch that asks for them, so a resumed or
 * partitioned run reproduces and no normal is used twice. Not thread-safe.
 */
public interface NoiseSource extends AutoCloseable {
    /** @return one line for people: the generator */
    String description();

    /**
     * Fills {@code count·nSteps·q} floats of {@code noise}.
     *
     * @param noise the launch's noise buffer
     * @param firstParticle global index of column 0, ≥ 0
     * @param count columns, ≥ 0
     * @param firstStep global index of the launch's first step, ≥ 0
     * @param nSteps steps of the launch, ≥ 0
     * @param q normals per step, ≥ 1
     */
    void fill(DeviceBuffer noise, long firstParticle, int count, long firstStep, int nSteps, int q);

    @Override
    void close();
}
