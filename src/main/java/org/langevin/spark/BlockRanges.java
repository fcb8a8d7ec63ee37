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
    public static long blocks(long particles) {
        if (particles < 1) {
            throw new IllegalArgumentException("--particles must be >= 1, got " + particles);
        }
        return (particles - 1) / Blocks.SIZE + 1;
    }

    /**
     * @param particles P ≥ 1
     * @param partitions K, 1 … number of blocks of P, and at least ⌈P / (2³¹ − 1)⌉ (one task's JVM holds
     *                   at most 2³¹ − 1 particles)
     * @return the K ranges in particle order, covering [0, P) exactly once
     * @throws IllegalArgumentException when K is below 1, above the number of blocks, or too few for P
     */
    public static List<ParticleRange> split(long particles, int partitions) {
        long blocks = blocks(particles);
        if (partitions < 1 || partitions > blocks) {
            throw new IllegalArgumentException("--partitions must be in 1.." + Math.min(blocks, Integer.MAX_VALUE)
                    + " (the number of blocks of "
                    + Blocks.SIZE + " particles in --particles " + particles + "), got " + partitions
                    + "; use fewer partitions or more particles");
        }
        // the largest range has ⌈B/K⌉ blocks; it must fit one task's JVM
        long widest = Math.min(((blocks + partitions - 1) / partitions) * Blocks.SIZE, particles);
        if (widest > org.langevin.model.RunSpec.MAX_ONE_JVM_PARTICLES) {
            long need = (blocks + org.langevin.model.RunSpec.MAX_ONE_JVM_PARTICLES / Blocks.SIZE - 1)
                    / (org.langevin.model.RunSpec.MAX_ONE_JVM_PARTICLES / Blocks.SIZE);
            throw new IllegalArgumentException("--partitions " + partitions + " puts " + widest + " particles in one task, "
                    + "more than a task's JVM holds (" + org.langevin.model.RunSpec.MAX_ONE_JVM_PARTICLES + "): use at least "
                    + "--partitions " + need + " for --particles " + particles);
        }
        List<ParticleRange> out = new ArrayList<>(partitions);
        for (int r = 0; r < partitions; r++) {
            long b0 = mulDiv(r, blocks, partitions);
            long b1 = mulDiv(r + 1L, blocks, partitions);
            long p0 = b0 * Blocks.SIZE;
            long p1 = Math.min(b1 * Blocks.SIZE, particles);
            out.add(new ParticleRange(r, b0, b1, p0, p1));
        }
        return out;
    }

    /** @return ⌊a·b/k⌋ for a, b ≥ 0 and k ≥ 1, exact (the product may exceed 2⁶³) */
    private static long mulDiv(long a, long b, int k) {
        if (Math.multiplyHigh(a, b) == 0 && a * b >= 0) {
            return a * b / k;
        }
        return java.math.BigInteger.valueOf(a).multiply(java.math.BigInteger.valueOf(b))
                .divide(java.math.BigInteger.valueOf(k)).longValueExact();
    }
}
