package org.langevin.engine;

import org.langevin.model.InitialState;
import org.langevin.model.RunSpec;
import org.langevin.rng.NormalTransform;

/**
 * Makes the initial particles on the host, once, for every backend. A normal start uses region 2 of
 * each particle's Philox stream (kernels/README.md): coordinate j of particle p is
 * {@code (float)(mean_j + sd·n)} with n normal number j of that region.
 */
public final class InitialStates {
    /** First block of the initial-state region (block high word 2). */
    private static final long REGION_INIT_BLOCK = 2L << 32;

    private InitialStates() {
    }

    /**
     * @param spec the run: P, d, the initial law (a point, or N(point, sd² I)), the seed, --average and
     *             the auxiliary rows (zero at step 0)
     * @return a new state of all P particles at step 0 for the spec (window sums zero when averaging)
     * @throws IllegalArgumentException when P is more than one JVM holds ({@link RunSpec#particlesInOneJvm()})
     */
    public static ParticleState create(RunSpec spec) {
        return create(spec, 0, spec.particlesInOneJvm());
    }

    /**
     * Makes the initial state of the particles [first, first + count) of a run: column c of the result
     * is particle first + c of {@link #create(RunSpec)}, bit for bit (the stream of a particle depends
     * on its global index only). Used where a run is split into particle ranges (distributed runs).
     * Thread-safe.
     *
     * @param spec the run
     * @param first global index of the first particle, 0 ≤ first &lt; P
     * @param count number of particles, 1 ≤ count ≤ P − first
     * @return a new state of count particles at step 0 (window sums zero when averaging)
     */
    public static ParticleState create(RunSpec spec, long first, int count) {
        if (first < 0 || first >= spec.particles()) {
            throw new IllegalArgumentException("first particle must be in 0.." + (spec.particles() - 1) + ", got " + first);
        }
        if (count < 1 || count > spec.particles() - first) {
            throw new IllegalArgumentException("particle count must be in 1.." + (spec.particles() - first)
                    + " for first particle " + first + ", got " + count);
        }
        int d = spec.dim();
        ParticleState s = new ParticleState(d, count, spec.average(), first, spec.auxRows());
        InitialState init = spec.init();
        double[] mean = init.point();
        float[][] x = s.x();
        if (init.sd() == 0) {
            for (int j = 0; j < d; j++) {
                java.util.Arrays.fill(x[j], (float) mean[j]);
            }
            return s;
        }
        float[] block = new float[4];
        for (int c = 0; c < count; c++) {
            long particle = (long) first + c;
            for (int j = 0; j < d; j++) {
                if ((j & 3) == 0) {
                    NormalTransform.normal4(spec.seed(), particle, REGION_INIT_BLOCK + (j >> 2), block, 0);
                }
                x[j][c] = (float) (mean[j] + init.sd() * block[j & 3]);
            }
        }
        return s;
    }
}
