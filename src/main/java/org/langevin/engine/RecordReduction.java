package org.langevin.engine;

import org.langevin.reduce.BlockRecords;
import org.langevin.reduce.ReduceSpec;

/**
 * What a record asks a session to reduce where its particles are ({@link EngineSession#reduceBlocks}):
 * the reduction of the particles' current state under {@code spec}, block by block, with the loss in
 * the form a device evaluates it.
 *
 * @param spec the record's reduction; {@link BlockRecords#supports} must hold for the run's dimension
 * @param lossCoefficients the loss as {@link org.langevin.model.HostLoss#polynomialCoefficients()} gives
 *                         it, or null when the spec's loss cannot be computed off the host (then every
 *                         built-in problem's session reduces on the host); ignored when the spec has no loss
 * @param modelLoss a user model's loss as {@link org.langevin.model.HostLoss#modelLossForm()} gives it, or
 *                  null (not a user model, or one without a loss); ignored when the spec has no loss
 */
public record RecordReduction(ReduceSpec spec, double[] lossCoefficients, double[] modelLoss) {
    /**
     * Validates and copies the arrays.
     *
     * @param spec the record's reduction
     * @param lossCoefficients the polynomial loss's coefficients, or null
     * @param modelLoss a user model's loss form (time, prior), or null
     * @throws IllegalArgumentException without a spec, or for a model loss form that is not two numbers
     */
    public RecordReduction {
        if (spec == null) {
            throw new IllegalArgumentException("a record reduction needs a ReduceSpec");
        }
        if (modelLoss != null && modelLoss.length != 2) {
            throw new IllegalArgumentException("a model's loss form holds its time and prior, got " + modelLoss.length
                    + " numbers");
        }
        lossCoefficients = lossCoefficients == null ? null : lossCoefficients.clone();
        modelLoss = modelLoss == null ? null : modelLoss.clone();
    }

    /**
     * A built-in problem's reduction (no user model).
     *
     * @param spec the record's reduction
     * @param lossCoefficients the loss as {@link org.langevin.model.HostLoss#polynomialCoefficients()} gives it, or null
     */
    public RecordReduction(ReduceSpec spec, double[] lossCoefficients) {
        this(spec, lossCoefficients, null);
    }

    /**
     * @param d the dimension
     * @return whether a built-in problem's device session can compute every statistic, loss included
     */
    public boolean deviceComputable(int d) {
        return BlockRecords.supports(spec, d) && (spec.loss() == null || lossCoefficients != null);
    }

    /**
     * @param d the dimension
     * @return whether a user model's device session can compute every statistic, loss included
     */
    public boolean modelComputable(int d) {
        return BlockRecords.supports(spec, d) && (spec.loss() == null || modelLoss != null);
    }

    /** @return the model's loss form (a copy), or null */
    @Override
    public double[] modelLoss() {
        return modelLoss == null ? null : modelLoss.clone();
    }

    /** @return the loss coefficients (a copy), or null */
    @Override
    public double[] lossCoefficients() {
        return lossCoefficients == null ? null : lossCoefficients.clone();
    }
}
