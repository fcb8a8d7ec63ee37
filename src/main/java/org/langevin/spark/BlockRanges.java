package org.langevin.spark;

import java.util.ArrayList;
import java.util.List;
import org.langevin.reduce.Blocks;

/**
 * Splits the particle index space [0, P) of a run into K contiguous ranges of whole reduction blocks
 * ({@link Blocks#SIZE} particles each; only the run's last block may be partial). Range r holds the
 * blocks [⌊r·B/K⌋, ⌊(r+1)·B/K⌋) of the B blocks, so ranges differ by at most one block. Because every
 * range is a union of whole blocks, merging the ranges' block partials in block order gives the same
 * bits as a one-machine run. Stateless and thread-safe.
 */
public final class BlockRanges {
    private BlockRanges() {
    }

    /**
     * The number of reduction blocks a run of P particles has.
     *
     * @param particles P ≥ 1
     * @return ⌈P / Blocks.SIZE⌉
     * @throws IllegalArgumentException when P is below 1 (the message names --particles)
     */
    public static int blocks(int particles) {
        if (particles < 1) {
            throw new IllegalArgumentException("--particles must be >= 1, got " + particles);
        }
        return (int) (((long) particles + Blocks.SIZE - 1) / Blocks.SIZE);
    }

    /**
     * @param particles P ≥ 1
     * @param partitions K, 1 … number of blocks of P
     * @return the K ranges in particle order, covering [0, P) exactly once
     * @throws IllegalArgumentException when K is below 1 or above the number of blocks
     */
    public static List<ParticleRange> split(int particles, int partitions) {
        int blocks = blocks(particles);
        if (partitions < 1 || partitions > blocks) {
            throw new IllegalArgumentException("--partitions must be in 1.." + blocks + " (the number of blocks of "
                    + Blocks.SIZE + " particles in --particles " + particles + "), got " + partitions
                    + "; use fewer partitions or more particles");
        }
        List<ParticleRange> out = new ArrayList<>(partitions);
        for (int r = 0; r < partitions; r++) {
            int b0 = (int) ((long) r * blocks / partitions);
            int b1 = (int) ((long) (r + 1) * blocks / partitions);
            int p0 = b0 * Blocks.SIZE;
            int p1 = (int) Math.min((long) b1 * Blocks.SIZE, particles);
            out.add(new ParticleRange(r, b0, b1, p0, p1));
        }
        return out;
    }
}
