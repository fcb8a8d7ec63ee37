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
 *                  then (rows d … d+A−1) the auxiliary rows of the run, or null when the run does not keep
 *                  particles
 * @param seconds wall time of the task's work (engine and reduction), for the run's report
 * @param device where it ran: "cpu" or "gpu:N"
 * @param recordPartials with --record: per record step (in order), the range's canonical block partials at
 *                       that step ({@code Reducer.reduceRange}); empty otherwise
 * @param trace with --trace, for the range holding particles 0..K−1 (range 0): per record their states,
 *              row-major; empty otherwise
 * @serial exclude (sent from a task to the driver of one job, not a format to rely on)
 */
public record RangeResult(ParticleRange range, List<BlockPartial> partials, float[][] particles, double seconds,
                          String device, List<List<BlockPartial>> recordPartials, List<float[]> trace)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * A result without records (no --record and no --trace): empty {@code recordPartials} and
     * {@code trace}.
     *
     * @param range the range that was run
     * @param partials one partial per block of the range, in block order
     * @param particles final coordinates and auxiliary rows as in the record, or null
     * @param seconds wall time of the task's work, seconds
     * @param device where it ran: "cpu" or "gpu:N"
     */
    public RangeResult(ParticleRange range, List<BlockPartial> partials, float[][] particles, double seconds,
                       String device) {
        this(range, partials, particles, seconds, device, List.of(), List.of());
    }
}
