package org.langevin.model.lang;

import org.langevin.model.TrainingSet;
import org.langevin.model.UserModel;

/**
 * A user model's compiled functions bound to its constants and training set, as the dynamics call
 * them: the full loss L = (1/n) Σ_i L_i and its gradient (examples in index order, sums in float from
 * 0.0f, then one division by n; a potential is called once), and the drift and diffusion. Every
 * backend performs these operations in this order (docs/models.md). Immutable and thread-safe; the
 * scratch arrays belong to the caller.
 */
public final class ModelFunctions {
    private final Model model;
    private final GeneratedModel code;
    private final float[] constants;
    /** The examples, k features then the target each; empty without data. */
    private final float[] examples;
    /** n, or 0 for a potential. */
    private final int n;
    /** k + 1. */
    private final int stride;

    private ModelFunctions(Model model, GeneratedModel code, float[] constants, float[] examples, int n) {
        this.model = model;
        this.code = code;
        this.constants = constants;
        this.examples = examples;
        this.n = n;
        this.stride = model.featureCount() + 1;
    }

    /**
     * Binds a user model (compiled to Java on first use, then cached) to its training set (null without data).
     *
     * @param um   the user's model with its constants' values
     * @param data the training set its loss averages over, or null when its loss reads no data
     * @return the bound functions
     * @throws NullPointerException if the loss reads data and {@code data} is null
     */
    public static ModelFunctions of(UserModel um, TrainingSet data) {
        Model m = um.model();
        float[] e = packExamples(m, data);
        int n = e.length / (m.featureCount() + 1);
        return new ModelFunctions(m, JavaModels.compile(m), um.constants(), e, n);
    }

    /**
     * The examples as every backend reads them: example i's k features then its target at
     * [i·(k+1), (i+1)·(k+1)); empty when the model's loss reads no data.
     *
     * @param m    the compiled model (its feature count k)
     * @param data the training set, with at least k feature columns; not read when the loss reads no data
     * @return a fresh array of n·(k + 1) floats, or an empty one
     */
    public static float[] packExamples(Model m, TrainingSet data) {
        if (m.loss() == null || !m.loss().perExample()) {
            return new float[0];
        }
        int k = m.featureCount();
        int n = data.n();
        float[] e = new float[n * (k + 1)];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                e[i * (k + 1) + j] = data.x(i, j);
            }
            e[i * (k + 1) + k] = data.y(i);
        }
        return e;
    }

    /** @return d, the model's state size (1 … {@link Model#MAX_DIM}) */
    public int dim() {
        return model.dim();
    }

    /** @return the number of entries {@link #sde} writes: d drift values and 1, d or d·d diffusion entries */
    public int sdeLength() {
        return model.drift() == null ? 0 : model.drift().length + model.diffusion().length;
    }

    /** @return the diffusion's shape, or null */
    public Model.DiffusionShape diffusionShape() {
        return model.diffusionShape();
    }

    /**
     * L and ∇L at x: out[0] = L, out[1 + j] = ∂L/∂x_j.
     *
     * @param x the state, d floats
     * @param t the time
     * @param scratch 1 + d floats
     * @param out 1 + d floats
     * @throws UnsupportedOperationException if the model has no loss or potential
     */
    public void lossAndGradient(float[] x, float t, float[] scratch, float[] out) {
        if (n == 0) {
            code.loss(x, constants, examples, 0, t, out);
            return;
        }
        int len = 1 + model.dim();
        for (int j = 0; j < len; j++) {
            out[j] = 0.0f;
        }
        for (int i = 0; i < n; i++) {
            code.loss(x, constants, examples, i * stride, t, scratch);
            for (int j = 0; j < len; j++) {
                out[j] = out[j] + scratch[j];
            }
        }
        float fn = (float) n;
        for (int j = 0; j < len; j++) {
            out[j] = out[j] / fn;
        }
    }

    /** @return n, the number of examples (0 without data) */
    public int examples() {
        return n;
    }

    /**
     * L_i and ∇L_i of example i (0-based) at x: out[0] = L_i, out[1 + j] = ∂L_i/∂x_j (1 + d floats).
     *
     * @param x   the state, d floats
     * @param i   the example's 0-based index, 0 ≤ i &lt; {@link #examples()} (0 for a potential)
     * @param t   the time
     * @param out receives 1 + d floats
     * @throws UnsupportedOperationException if the model has no loss or potential
     */
    public void exampleLoss(float[] x, int i, float t, float[] out) {
        code.loss(x, constants, examples, i * stride, t, out);
    }

    /** @return true when the loss is a potential (no data), so {@link #langevinTile} applies */
    public boolean isPotential() {
        return model.loss() != null && n == 0;
    }

    /**
     * Langevin steps of a tile on a potential ({@link GeneratedModel#langevinTile}) with the model's constants.
     *
     * @param xt   the tile's state by coordinate, xt[j][i]; updated in place
     * @param cnt  the number of particles to step, ≤ {@code tile}
     * @param nrm  the step's normals, nrm[j·tile + i]
     * @param tile the tile's capacity, the stride of {@code nrm}
     * @param dt   the time step Δt
     * @param ns   the noise scale σ√Δt
     * @param t    the time
     * @throws UnsupportedOperationException unless {@link #isPotential()}
     */
    public void langevinTile(float[][] xt, int cnt, float[] nrm, int tile, float dt, float ns, float t) {
        code.langevinTile(xt, cnt, nrm, tile, dt, ns, constants, t);
    }

    /**
     * SDE steps of a tile ({@link GeneratedModel#sdeTile}) with the model's constants.
     *
     * @param xt   the tile's state by coordinate, xt[j][i]; updated in place
     * @param cnt  the number of particles to step, ≤ {@code tile}
     * @param nrm  the step's standard normals, nrm[j·tile + i]
     * @param tile the tile's capacity, the stride of {@code nrm}
     * @param dt   the time step Δt
     * @param ns   the scale of the noise term, √Δt
     * @param t    the time
     * @throws UnsupportedOperationException if the model has no drift and diffusion
     */
    public void sdeTile(float[][] xt, int cnt, float[] nrm, int tile, float dt, float ns, float t) {
        code.sdeTile(xt, cnt, nrm, tile, dt, ns, constants, t);
    }

    /** @return true when the model has a loss or potential */
    public boolean hasLoss() {
        return model.loss() != null;
    }

    /**
     * The drift and the diffusion at (x, t) into out (see {@link #sdeLength()}).
     *
     * @param x   the state, d floats
     * @param t   the time
     * @param out receives {@link #sdeLength()} floats: the drift, then the diffusion's entries
     * @throws UnsupportedOperationException if the model has no drift and diffusion
     */
    public void sde(float[] x, float t, float[] out) {
        code.sde(x, constants, t, out);
    }
}
