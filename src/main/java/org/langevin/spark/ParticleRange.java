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
 */
public record ParticleRange(int index, int firstBlock, int endBlock, int first, int end) implements Serializable {
    private static final long serialVersionUID = 1L;

    public ParticleRange {
        if (index < 0 || firstBlock < 0 || !(endBlock > firstBlock) || first < 0 || !(end > first)) {
            throw new IllegalArgumentException("not a particle range: index " + index + ", blocks [" + firstBlock
                    + ", " + endBlock + "), particles [" + first + ", " + end + ")");
        }
    }

    /** @return the number of particles, end − first */
    public int count() {
        return end - first;
    }
}
