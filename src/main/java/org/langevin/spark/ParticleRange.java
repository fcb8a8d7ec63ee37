package org.langevin.spark;

import java.io.Serializable;

/**
 * One partition of a distributed run: the whole reduction blocks [firstBlock, endBlock) and the
 * particles they hold, [first, end) (the last range of a run may end inside its last block).
 * Immutable and serializable (it is the element of the job's RDD).
 *
 * @param index position of the range in the run, 0 … K−1 (ranges are in particle order)
 * @param firstBlock first reduction block, ≥ 0
 * @param endBlock one past the last block, > firstBlock
 * @param first global index of the first particle ({@code firstBlock · Blocks.SIZE})
 * @param end one past the global index of the last particle, > first
 * @serial exclude (passed from the driver to the executors of one job, not a format to rely on)
 */
public record ParticleRange(int index, long firstBlock, long endBlock, long first, long end) implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * Checks the range.
     *
     * @param index position of the range in the run, ≥ 0
     * @param firstBlock first reduction block, ≥ 0
     * @param endBlock one past the last block, &gt; firstBlock
     * @param first global index of the first particle, ≥ 0
     * @param end one past the global index of the last particle, &gt; first
     * @throws IllegalArgumentException when index, firstBlock or first is negative, or the block or
     *     particle interval is empty
     */
    public ParticleRange {
        if (index < 0 || firstBlock < 0 || !(endBlock > firstBlock) || first < 0 || !(end > first)) {
            throw new IllegalArgumentException("not a particle range: index " + index + ", blocks [" + firstBlock
                    + ", " + endBlock + "), particles [" + first + ", " + end + ")");
        }
        if (end - first > org.langevin.model.RunSpec.MAX_ONE_JVM_PARTICLES) {
            throw new IllegalArgumentException("partition " + index + " would hold " + (end - first) + " particles, more than"
                    + " one task's JVM holds (" + org.langevin.model.RunSpec.MAX_ONE_JVM_PARTICLES + "): use more --partitions");
        }
    }

    /** @return the number of particles, end − first */
    public int count() {
        return (int) (end - first);
    }
}
