package org.langevin.check;

import java.util.stream.IntStream;
import org.langevin.engine.ParticleState;

/**
 * Per-particle averages of functions of the state over snapshots (docs/theory.md §4: a time average is taken
 * per particle over its window; the P per-particle averages are then independent). Each snapshot adds
 * f(Φ_p) for every particle p; {@link #values(int)} returns the P averages of one function. Not
 * thread-safe (it parallelises internally over disjoint particle ranges).
 */
public final class ParticleAverages {
    /** Functions of one particle's state. */
    @FunctionalInterface
    public interface Statistic {
        /**
         * @param phi the particle's coordinates, then its auxiliary state when it carries one (an optimiser's
         *            v, underdamped Langevin's p: {@code phi[d + r]} is auxiliary row r) (read-only)
         * @param out where the values go (length {@code width}); overwrite every entry
         */
        void evaluate(double[] phi, double[] out);
    }

    /** Particles per parallel task. */
    private static final int BLOCK = 4096;

    /** Number of particles. */
    private final int particles;
    /** Number of values per particle. */
    private final int width;
    /** The per-particle statistic. */
    private final Statistic statistic;
    /** Sums, width rows of P. */
    private final double[][] sums;
    /** Snapshots added. */
    private int count;

    /**
     * @param particles P ≥ 2
     * @param width values per particle ≥ 1
     * @param statistic what to average
     */
    public ParticleAverages(int particles, int width, Statistic statistic) {
        if (particles < 2) {
            throw new IllegalArgumentException("particles must be >= 2 for standard errors, got " + particles);
        }
        if (width < 1) {
            throw new IllegalArgumentException("width must be >= 1, got " + width);
        }
        this.particles = particles;
        this.width = width;
        this.statistic = statistic;
        this.sums = new double[width][particles];
    }

    /**
     * Adds one snapshot of simulated particles: f of each particle's coordinates and auxiliary rows.
     *
     * @param state the particles, P of them
     * @throws IllegalArgumentException when the state does not hold P particles
     */
    public void add(ParticleState state) {
        if (state.particles() != particles) {
            throw new IllegalArgumentException("state has " + state.particles() + " particles, expected " + particles);
        }
        float[][] x = state.x();
        float[][] aux = state.aux();
        int d = state.dim();
        forBlocks((from, to) -> {
            double[] phi = new double[d + aux.length];
            double[] out = new double[width];
            for (int p = from; p < to; p++) {
                for (int j = 0; j < d; j++) {
                    phi[j] = x[j][p];
                }
                for (int r = 0; r < aux.length; r++) {
                    phi[d + r] = aux[r][p];
                }
                accumulate(p, phi, out);
            }
        });
        count++;
    }

    /**
     * Adds one snapshot of points given as {@code x[j][p]} (exact draws).
     *
     * @param x coordinate j of point p at {@code x[j][p]}, P points (no auxiliary state)
     * @throws IllegalArgumentException when there are not P points
     */
    public void add(double[][] x) {
        if (x[0].length != particles) {
            throw new IllegalArgumentException("draws have " + x[0].length + " points, expected " + particles);
        }
        int d = x.length;
        forBlocks((from, to) -> {
            double[] phi = new double[d];
            double[] out = new double[width];
            for (int p = from; p < to; p++) {
                for (int j = 0; j < d; j++) {
                    phi[j] = x[j][p];
                }
                accumulate(p, phi, out);
            }
        });
        count++;
    }

    private void accumulate(int p, double[] phi, double[] out) {
        statistic.evaluate(phi, out);
        for (int r = 0; r < width; r++) {
            sums[r][p] += out[r];
        }
    }

    private interface Range {
        void run(int from, int to);
    }

    private void forBlocks(Range r) {
        int blocks = (particles + BLOCK - 1) / BLOCK;
        IntStream.range(0, blocks).parallel().forEach(b -> r.run(b * BLOCK, Math.min(particles, (b + 1) * BLOCK)));
    }

    /** @return snapshots added so far */
    public int count() {
        return count;
    }

    /**
     * The per-particle averages of one value.
     *
     * @param row which value of the statistic, 0 … width − 1
     * @return the P per-particle averages of value {@code row} over the snapshots added (a new array)
     * @throws IllegalStateException when no snapshot has been added
     */
    public double[] values(int row) {
        if (count == 0) {
            throw new IllegalStateException("no snapshot has been added");
        }
        double[] v = new double[particles];
        for (int p = 0; p < particles; p++) {
            v[p] = sums[row][p] / count;
        }
        return v;
    }

    /**
     * The mean over particles of one value.
     *
     * @param row which value of the statistic, 0 … width − 1
     * @return the mean over particles of value {@code row}, with its standard error s/√P
     * @throws IllegalStateException when no snapshot has been added
     */
    public Estimate mean(int row) {
        return Estimates.mean(values(row));
    }
}
