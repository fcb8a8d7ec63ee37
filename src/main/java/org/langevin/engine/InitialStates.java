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

    /** @return a new state at step 0 for the spec (window sums zero when averaging) */
    public static ParticleState create(RunSpec spec) {
        int d = spec.dim();
        int p = spec.particles();
        ParticleState s = new ParticleState(d, p, spec.average());
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
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < d; j++) {
                if ((j & 3) == 0) {
                    NormalTransform.normal4(spec.seed(), i, REGION_INIT_BLOCK + (j >> 2), block, 0);
                }
                x[j][i] = (float) (mean[j] + init.sd() * block[j & 3]);
            }
        }
        return s;
    }
}
