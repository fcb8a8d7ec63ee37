package org.langevin.reduce;

/**
 * The fixed blocks over which every reduction is defined (docs/architecture.md): block {@code b} holds the
 * {@link #SIZE} consecutive particle indices {@code b·SIZE … b·SIZE + SIZE − 1} (the last block of a
 * run may be shorter). The block size is a constant of the project, independent of hardware, thread
 * count and partitioning, so that every backend produces the same bytes.
 *
 * <p>Stateless; all methods are thread-safe.
 */
public final class Blocks {

    /** Particles per block: 4096 consecutive particle indices. */
    public static final int SIZE = 4096;

    private Blocks() {
    }

    /**
     * Number of blocks that cover {@code particles} particles (the last one possibly short).
     *
     * @param particles number of particles, {@code >= 0}
     * @return {@code ceil(particles / SIZE)}
     */
    public static long count(long particles) {
        if (particles < 0) {
            throw new IllegalArgumentException("particles must be >= 0, got " + particles);
        }
        return (particles + SIZE - 1) / SIZE;
    }

    /**
     * First particle index of a block.
     *
     * @param block block index, {@code >= 0}
     * @return {@code block · SIZE}
     */
    public static long firstParticle(long block) {
        if (block < 0 || block > Long.MAX_VALUE / SIZE) {
            throw new IllegalArgumentException("block must be in [0, " + (Long.MAX_VALUE / SIZE)
                    + "], got " + block);
        }
        return block * SIZE;
    }

    /**
     * Number of particles in a block of a run of {@code particles} particles.
     *
     * @param block block index in {@code [0, count(particles))}
     * @param particles number of particles of the run, {@code >= 1}
     * @return a value in {@code [1, SIZE]}
     */
    public static int length(long block, long particles) {
        long n = count(particles);
        if (block < 0 || block >= n) {
            throw new IllegalArgumentException("block must be in [0, " + n + ") for " + particles
                    + " particles, got " + block);
        }
        return (int) Math.min(SIZE, particles - block * SIZE);
    }
}
