package org.langevin.engine;

/**
 * Particles on the host, structure of arrays: {@code x[j][i]} is coordinate j of particle i, and,
 * when time averages are on, {@code avg[r][i]} are the per-particle window sums (rows 0..d−1: Σx_j,
 * rows d..2d−1: Σx_j², row 2d: Σ loss), as the kernels lay them out (kernels/README.md); and
 * {@code aux[r][i]}, the particle's auxiliary state beyond Φ (an optimiser's v, s or m and s, the
 * momentum p of underdamped Langevin; {@code RunSpec.auxRows()} rows, none for most runs), which is as
 * much a part of the particle as Φ: engines carry it, checkpoints save it, partitions slice it.
 * Not thread-safe; engines write disjoint particle ranges from several threads.
 */
public final class ParticleState {
    /** Dimension d. */
    private final int dim;
    /** Number of particles P. */
    private final int particles;
    /** Coordinates, d rows of P floats. */
    private final float[][] x;
    /** Window sums, 2d+1 rows of P doubles, or null. */
    private final double[][] avg;
    /** Auxiliary state, A rows of P floats (A ≥ 0). */
    private final float[][] aux;
    /** Global index of particle 0 of this state (its RNG subsequence); 0 except for a slice of a larger run. */
    private final long firstParticle;
    /** Steps taken so far (global step index of the next step). */
    private long stepsDone;

    /**
     * @param dim d ≥ 1
     * @param particles P ≥ 1
     * @param withAverages allocate window sums
     */
    public ParticleState(int dim, int particles, boolean withAverages) {
        this(dim, particles, withAverages, 0L);
    }

    /**
     * A slice of a larger run: particle i of this state is particle {@code firstParticle + i} of the
     * run, and draws that particle's random numbers.
     *
     * @param dim d ≥ 1
     * @param particles P ≥ 1
     * @param withAverages allocate window sums
     * @param firstParticle global index of particle 0, ≥ 0
     */
    public ParticleState(int dim, int particles, boolean withAverages, long firstParticle) {
        this(dim, particles, withAverages, firstParticle, 0);
    }

    /**
     * A slice with auxiliary state. Coordinates, window sums and auxiliary rows start at 0, at step 0.
     *
     * @param dim d ≥ 1
     * @param particles P ≥ 1
     * @param withAverages allocate window sums (2d+1 double rows)
     * @param firstParticle global index of particle 0, ≥ 0
     * @param auxRows A ≥ 0 float rows of auxiliary state per particle, initially 0
     * @throws IllegalArgumentException when d, P, firstParticle or A is out of range
     */
    public ParticleState(int dim, int particles, boolean withAverages, long firstParticle, int auxRows) {
        if (auxRows < 0) {
            throw new IllegalArgumentException("auxRows must be >= 0, got " + auxRows);
        }
        if (firstParticle < 0) {
            throw new IllegalArgumentException("firstParticle must be >= 0, got " + firstParticle);
        }
        this.firstParticle = firstParticle;
        if (dim < 1) {
            throw new IllegalArgumentException("dim must be >= 1, got " + dim);
        }
        if (particles < 1) {
            throw new IllegalArgumentException("particles must be >= 1, got " + particles);
        }
        this.dim = dim;
        this.particles = particles;
        this.x = new float[dim][particles];
        this.avg = withAverages ? new double[2 * dim + 1][particles] : null;
        this.aux = new float[auxRows][particles];
    }

    /** @return the auxiliary rows (live, not a copy; length 0 when the particles carry none) */
    public float[][] aux() {
        return aux;
    }

    /** @return A, the number of auxiliary rows */
    public int auxRows() {
        return aux.length;
    }

    /** @return d */
    public int dim() {
        return dim;
    }

    /** @return P */
    public int particles() {
        return particles;
    }

    /** @return the global index of particle 0 (the RNG subsequence of column 0) */
    public long firstParticle() {
        return firstParticle;
    }

    /** @return the coordinate rows (live, not a copy) */
    public float[][] x() {
        return x;
    }

    /** @return the window-sum rows (live), or null when averages are off */
    public double[][] avg() {
        return avg;
    }

    /** @return true when window sums are kept */
    public boolean hasAverages() {
        return avg != null;
    }

    /** @return the global index of the next step */
    public long stepsDone() {
        return stepsDone;
    }

    /**
     * Records that steps up to (not including) {@code k} are done.
     *
     * @param k the global index of the next step, ≥ 0
     * @throws IllegalArgumentException when k &lt; 0
     */
    public void setStepsDone(long k) {
        if (k < 0) {
            throw new IllegalArgumentException("stepsDone must be >= 0, got " + k);
        }
        stepsDone = k;
    }

    /**
     * Copies coordinates of particle i into phi (length ≥ d).
     *
     * @param i the particle's index in this state (not its global index), 0 ≤ i &lt; P
     * @param phi receives coordinates 0..d−1 of the particle; entries from d on are left as they are
     */
    public void particle(int i, float[] phi) {
        for (int j = 0; j < dim; j++) {
            phi[j] = x[j][i];
        }
    }
}
