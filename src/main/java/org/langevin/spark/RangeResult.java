package org.langevin.spark;

import java.io.Serializable;
import java.util.List;
import org.langevin.reduce.BlockPartial;

/**
 * What one task sends back to the driver for its range: the partial accumulators of the range's
 * blocks, in block order, and, when the run keeps them, the range's final particles. Immutable once
 * built (the arrays are handed over, not copied) and serializable.
 *
 * @param range the range that was run
 * @param partials one partial per block of the range, blocks firstBlock … endBlock−1 in order
 * @param particles final coordinates, {@code particles[j][c]} = coordinate j of particle first + c,
 *                  or null when the run does not keep particles
 * @param seconds wall time of the task's work (engine and reduction), for the run's report
 * @param device where it ran: "cpu" or "gpu:N"
 */
public record RangeResult(ParticleRange range, List<BlockPartial> partials, float[][] particles, double seconds,
                          String device) implements Serializable {
    private static final long serialVersionUID = 1L;
}
