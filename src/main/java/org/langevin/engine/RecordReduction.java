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
 *                         session reduces on the host); ignored when the spec has no loss
 */
public record RecordReduction(ReduceSpec spec, double[] lossCoefficients) {
    public RecordReduction {
        if (spec == null) {
            throw new IllegalArgumentException("a record reduction needs a ReduceSpec");
        }
        lossCoefficients = lossCoefficients == null ? null : lossCoefficients.clone();
    }

    /** @return whether a device can compute every statistic of this reduction, loss included */
    public boolean deviceComputable(int d) {
        return BlockRecords.supports(spec, d) && (spec.loss() == null || lossCoefficients != null);
    }

    /** @return the loss coefficients (a copy), or null */
    @Override
    public double[] lossCoefficients() {
        return lossCoefficients == null ? null : lossCoefficients.clone();
    }
}
