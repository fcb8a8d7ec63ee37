package org.langevin.model.lang;

/**
 * A model's functions as generated Java code (see {@link JavaModels}). Arrays: x the state (d), c the
 * constants, e the examples (one after another, k features then the target each) with {@code eo} the
 * offset of the current one, out the results. Implementations are stateless and thread-safe; the
 * methods a model does not define throw {@link UnsupportedOperationException}.
 */
public interface GeneratedModel {
    /** out[0] = L (the per-example loss at example eo, or the potential), out[1 + j] = ∂L/∂x_j. */
    void loss(float[] x, float[] c, float[] e, int eo, float t, float[] out);

    /** out[0..d) = the drift μ(x, t), then the diffusion's 1, d or d·d entries. */
    void sde(float[] x, float[] c, float t, float[] out);

    /**
     * Langevin steps of a tile of particles on a potential (no data): for i &lt; cnt, with x = xt[·][i]
     * and g = ∇L(x, t), xt[j][i] ← (x_j − (dt·g_j)) + (ns·nrm[j·tile + i]) — the operations of the
     * generic path, with the state in locals.
     */
    void langevinTile(float[][] xt, int cnt, float[] nrm, int tile, float dt, float ns, float[] c, float t);

    /**
     * SDE steps of a tile: ξ_j from the diffusion and nrm[··tile + i] as in the generic path, then
     * xt[j][i] ← (x_j + (dt·μ_j)) + (ns·ξ_j).
     */
    void sdeTile(float[][] xt, int cnt, float[] nrm, int tile, float dt, float ns, float[] c, float t);
}
