package org.langevin.reduce;

/**
 * Read-only view of particles held on the host in SoA form, the input of a reduction. It wraps the
 * caller's arrays without copying; they must not change while a reduction runs.
 *
 * <ul>
 *   <li>{@code x[j][i]}: coordinate j of particle i (d rows, each of length P).</li>
 *   <li>optional window sums {@code windowSums}: 2d+1 rows of length P, rows {@code 0..d−1} the sum
 *       of {@code x_j} over the window, rows {@code d..2d−1} the sum of {@code x_j²}, row 2d the sum
 *       of the loss; divided by {@code windowSteps} they are the per-particle time averages.</li>
 *   <li>{@code firstBlock}: the global index of the view's first block (0 for a whole run; a piece of
 *       a distributed run holding particles from {@code firstBlock·Blocks.SIZE} on sets it so that
 *       its block partials carry global indices). Only the globally last block may be short.</li>
 * </ul>
 *
 * <p>Immutable (apart from the caller's arrays); thread-safe for reading.
 */
public final class ParticleView {

    /** Coordinates, x[j][i]. */
    private final float[][] x;
    /** Window sums, 2d+1 rows, or null. */
    private final double[][] windowSums;
    /** Window length in steps (0 when there are no window sums). */
    private final long windowSteps;
    /** Number of particles P. */
    private final int particles;
    /** Global index of this view's first block. */
    private final long firstBlock;

    private ParticleView(float[][] x, double[][] windowSums, long windowSteps, long firstBlock) {
        this.x = x;
        this.windowSums = windowSums;
        this.windowSteps = windowSteps;
        this.particles = x[0].length;
        this.firstBlock = firstBlock;
    }

    /**
     * A view of final states only (statistics of the final states).
     *
     * @param x coordinates, {@code d >= 1} rows of equal length {@code P >= 1}
     * @return the view, with first block 0
     */
    public static ParticleView of(float[][] x) {
        checkStates(x);
        return new ParticleView(x, null, 0, 0);
    }

    /**
     * A view with per-particle window sums (statistics of the per-particle time averages).
     *
     * @param x coordinates, {@code d >= 1} rows of equal length {@code P >= 1}
     * @param windowSums 2d+1 rows of length P (layout in the class comment)
     * @param windowSteps steps summed in the window, {@code >= 1}
     * @return the view, with first block 0
     */
    public static ParticleView withWindow(float[][] x, double[][] windowSums, long windowSteps) {
        checkStates(x);
        int d = x.length;
        int p = x[0].length;
        if (windowSums == null || windowSums.length != 2 * d + 1) {
            throw new IllegalArgumentException("windowSums must have 2d+1 = " + (2 * d + 1) + " rows, got "
                    + (windowSums == null ? "null" : windowSums.length));
        }
        for (int r = 0; r < windowSums.length; r++) {
            if (windowSums[r] == null || windowSums[r].length != p) {
                throw new IllegalArgumentException("windowSums[" + r + "] must have length P = " + p + ", got "
                        + (windowSums[r] == null ? "null" : windowSums[r].length));
            }
        }
        if (windowSteps < 1) {
            throw new IllegalArgumentException("windowSteps must be >= 1, got " + windowSteps);
        }
        return new ParticleView(x, windowSums, windowSteps, 0);
    }

    private static void checkStates(float[][] x) {
        if (x == null || x.length < 1) {
            throw new IllegalArgumentException("x must have d >= 1 rows, got "
                    + (x == null ? "null" : x.length));
        }
        if (x[0] == null || x[0].length < 1) {
            throw new IllegalArgumentException("x rows must hold P >= 1 particles, got "
                    + (x[0] == null ? "null" : "0"));
        }
        for (int j = 1; j < x.length; j++) {
            if (x[j] == null || x[j].length != x[0].length) {
                throw new IllegalArgumentException("x[" + j + "] must have length P = " + x[0].length
                        + ", got " + (x[j] == null ? "null" : x[j].length));
            }
        }
    }

    /**
     * The same particles as the piece of a larger run that starts at global block {@code firstBlock}.
     *
     * @param block global index of the first block, {@code >= 0}
     * @return a new view
     */
    public ParticleView atFirstBlock(long block) {
        if (block < 0 || block > Long.MAX_VALUE / Blocks.SIZE - Blocks.count(particles)) {
            throw new IllegalArgumentException("firstBlock must be >= 0 (and not overflow), got " + block);
        }
        return new ParticleView(x, windowSums, windowSteps, block);
    }

    /** @return number of coordinates d */
    public int dimension() {
        return x.length;
    }

    /** @return number of particles P in this view */
    public int particles() {
        return particles;
    }

    /** @return whether window sums are present */
    public boolean hasWindow() {
        return windowSums != null;
    }

    /** @return window length in steps; 0 without window sums */
    public long windowSteps() {
        return windowSteps;
    }

    /** @return global index of this view's first block */
    public long firstBlock() {
        return firstBlock;
    }

    /** @return number of blocks in this view, {@code ceil(P / Blocks.SIZE)} */
    public long blockCount() {
        return Blocks.count(particles);
    }

    /** The caller's coordinate rows (not copied): for the reducer only. */
    float[][] states() {
        return x;
    }

    /** The caller's window-sum rows (not copied), or null. */
    double[][] sums() {
        return windowSums;
    }
}
