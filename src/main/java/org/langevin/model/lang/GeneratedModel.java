package org.langevin.model.lang;

/**
 * A model's functions as generated Java code (see {@link JavaModels}). Arrays: x the state (d), c the
 * constants, e the examples (one after another, k features then the target each) with {@code eo} the
 * offset of the current one, out the results. Implementations are stateless and thread-safe; the
 * methods a model does not define throw {@link UnsupportedOperationException}.
 */
public interface GeneratedModel {
    /**
     * out[0] = L (the per-example loss at example eo, or the potential), out[1 + j] = ∂L/∂x_j.
     *
     * @param x   the state, d floats
     * @param c   the constants' values, in declaration order
     * @param e   the packed examples ({@link ModelFunctions#packExamples}); not read by a potential
     * @param eo  the offset in {@code e} of the example's first feature, i·(k + 1); not read by a potential
     * @param t   the time
     * @param out receives 1 + d floats
     * @throws UnsupportedOperationException if the model has no loss or potential
     */
    void loss(float[] x, float[] c, float[] e, int eo, float t, float[] out);

    /**
     * out[0..d) = the drift μ(x, t), then the diffusion's 1, d or d·d entries.
     *
     * @param x   the state, d floats
     * @param c   the constants' values, in declaration order
     * @param t   the time
     * @param out receives d floats of drift, then 1 (scalar), d (diagonal) or d·d (full, row-major) of diffusion
     * @throws UnsupportedOperationException if the model has no drift and diffusion
     */
    void sde(float[] x, float[] c, float t, float[] out);

    /**
     * Langevin steps of a tile of particles on a potential (no data): for i &lt; cnt, with x = xt[·][i]
     * and g = ∇L(x, t), xt[j][i] ← (x_j − (dt·g_j)) + (ns·nrm[j·tile + i]) — the operations of the
     * generic path, with the state in locals.
     *
     * @param xt   the tile's state by coordinate: xt[j][i] is coordinate j of particle i; updated in place
     * @param cnt  the number of particles of the tile to step, ≤ {@code tile}
     * @param nrm  the step's normals, coordinate-major: nrm[j·tile + i] (the caller forms them, e.g. the mean
     *             of two steps' normals for Leimkuhler–Matthews)
     * @param tile the tile's capacity, the stride of {@code nrm}
     * @param dt   the time step Δt
     * @param ns   the noise scale that multiplies each normal (σ√Δt)
     * @param c    the constants' values, in declaration order
     * @param t    the time at which ∇L is evaluated
     * @throws UnsupportedOperationException if the model's loss is not a potential (it reads data, or there is none)
     */
    void langevinTile(float[][] xt, int cnt, float[] nrm, int tile, float dt, float ns, float[] c, float t);

    /**
     * SDE steps of a tile: ξ_j from the diffusion and nrm[··tile + i] as in the generic path, then
     * xt[j][i] ← (x_j + (dt·μ_j)) + (ns·ξ_j).
     *
     * @param xt   the tile's state by coordinate: xt[j][i] is coordinate j of particle i; updated in place
     * @param cnt  the number of particles of the tile to step, ≤ {@code tile}
     * @param nrm  the step's standard normals, coordinate-major: nrm[j·tile + i]
     * @param tile the tile's capacity, the stride of {@code nrm}
     * @param dt   the time step Δt
     * @param ns   the scale that multiplies ξ (√Δt)
     * @param c    the constants' values, in declaration order
     * @param t    the time at which μ and the diffusion are evaluated
     * @throws UnsupportedOperationException if the model has no drift and diffusion
     */
    void sdeTile(float[][] xt, int cnt, float[] nrm, int tile, float dt, float ns, float[] c, float t);
}
