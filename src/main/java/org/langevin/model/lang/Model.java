package org.langevin.model.lang;

import java.util.List;
import java.util.Map;

/**
 * A compiled model description: its declarations, the intermediate representation, and the node ids
 * of every function a dynamics may call. Immutable once built by {@link ModelCompiler}.
 *
 * <p>Inputs of the functions: x, the state (d floats, the state arrays one after another in their
 * order of declaration); c, the constants (in declaration order); e, one example (its k feature
 * values, then its target); t, the time.
 *
 * @param text the model as written
 * @param sha256 SHA-256 of the text, hex
 * @param state the state arrays with their offsets in x
 * @param dim d, the total state size
 * @param constants the constants' names and default values, in order
 * @param features the feature arrays with their offsets in e
 * @param featureCount k, the number of feature values per example
 * @param target the target's name, or null when the model has no data
 * @param graph the intermediate representation
 * @param loss value and gradient (with respect to x) of the per-example loss, or of the potential
 *             when the model has no data; null when the model has neither
 * @param drift the drift, d nodes, or null
 * @param diffusion the diffusion: 1 node (σ·I), d (diagonal) or d·d (row-major matrix), or null
 * @param diffusionShape which of the three, or null without a diffusion
 */
public record Model(String text, String sha256, List<Slot> state, int dim, Map<String, Double> constants,
                    List<Slot> features, int featureCount, String target, Graph graph, Function loss,
                    int[] drift, int[] diffusion, DiffusionShape diffusionShape) {

    /** Largest state size (the kernels keep a particle's state in registers). */
    public static final int MAX_DIM = 64;
    /** Largest number of IR nodes of one model (the generated code must fit a kernel and a JIT method). */
    public static final int MAX_NODES = 20_000;

    /**
     * A named array (or scalar, size 1) and its offset in x or e.
     *
     * @param name the declared name
     * @param size its size (1 for a scalar)
     * @param offset its first index in the input
     * @param scalar true when declared without a size
     */
    public record Slot(String name, int size, int offset, boolean scalar) {
    }

    /**
     * A scalar function and its gradient with respect to x.
     *
     * @param value node id of the value
     * @param gradient node ids of ∂value/∂x_j, j = 0..d−1
     * @param perExample true when it reads an example (a loss over a training set)
     */
    public record Function(int value, int[] gradient, boolean perExample) {
    }

    /** The shapes a diffusion can have. */
    public enum DiffusionShape {
        /** One node σ: the diffusion is σ·I. */
        SCALAR,
        /** d nodes: the diagonal of the diffusion matrix. */
        DIAGONAL,
        /** d·d nodes: the diffusion matrix, row-major. */
        FULL
    }

    /** @return true when the model has a loss or potential (for gradient flow, Langevin, SGD, SGD SDE) */
    public boolean hasLoss() {
        return loss != null;
    }

    /** @return true when the model defines a drift and a diffusion (the general SDE) */
    public boolean hasSde() {
        return drift != null;
    }

    /** @return true when the loss (or potential) reads the time t */
    public boolean lossUsesTime() {
        if (loss == null) {
            return false;
        }
        int[] outs = new int[1 + dim];
        outs[0] = loss.value();
        System.arraycopy(loss.gradient(), 0, outs, 1, dim);
        for (int id : graph.schedule(outs)) {
            Graph.Node n = graph.node(id);
            if (n.op() == Graph.Op.INPUT && n.kind() == Graph.InputKind.T) {
                return true;
            }
        }
        return false;
    }
}
