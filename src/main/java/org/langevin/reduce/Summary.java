package org.langevin.reduce;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The mergeable statistics of a set of particles (one block, a dyadic group of blocks, or a whole
 * run): counts of accepted and diverged particles and one accumulator per statistic. A particle with
 * any non-finite coordinate, window sum, loss or observable value, or a coordinate or time average
 * beyond the divergence bound ({@link ReduceSpec#withDivergenceBound}), is counted in {@code diverged}
 * and in nothing else.
 *
 * <p>Contents: per coordinate the {@link Moments} of the final state (with min and max); with window
 * sums, per coordinate the {@link PairedMoments} of the per-particle averages {@code (avg x_j,
 * avg x_j²)}; optionally the {@link Covariance} of the final states; the {@link Moments} of the loss
 * (final-state loss, or per-particle average loss with window sums); the {@link Moments} of each
 * observable; the histograms of the final states.
 *
 * <p>{@link #combine(Summary, Summary)} merges component by component (each component's documented
 * merge) and returns a new object; inputs are never modified. Instances handed out are not shared
 * with the reducer. Not thread-safe for mutation, but no public method mutates.
 */
public final class Summary implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Number of coordinates. */
    private final int dimension;
    /** Whether the statistics are of per-particle window averages. */
    private final boolean windowed;
    /** Particles accepted (finite and within the divergence bound). */
    private long particles;
    /** Particles excluded as diverged. */
    private long diverged;
    /** Final-state moments per coordinate. */
    private final Moments[] state;
    /** Window-average pairs per coordinate, or null. */
    private final PairedMoments[] window;
    /** Covariance of final states, or null. */
    private final Covariance covariance;
    /** Loss moments, or null. */
    private final Moments loss;
    /** Observable names. */
    private final String[] observableNames;
    /** Observable moments, parallel to the names. */
    private final Moments[] observables;
    /** Per-coordinate histograms of final states, or null. */
    private final Histogram1D[] histograms;
    /** 2-D histogram of final coordinates 0 and 1, or null. */
    private final Histogram2D histogram2D;

    Summary(int dimension, boolean windowed, long particles, long diverged, Moments[] state,
            PairedMoments[] window, Covariance covariance, Moments loss, String[] observableNames,
            Moments[] observables, Histogram1D[] histograms, Histogram2D histogram2D) {
        this.dimension = dimension;
        this.windowed = windowed;
        this.particles = particles;
        this.diverged = diverged;
        this.state = state;
        this.window = window;
        this.covariance = covariance;
        this.loss = loss;
        this.observableNames = observableNames;
        this.observables = observables;
        this.histograms = histograms;
        this.histogram2D = histogram2D;
    }

    /**
     * Merges two summaries of the same layout: {@code left} holds the lower particle indices. The
     * result is a new object; the inputs are not modified.
     *
     * @param left summary of the lower-index particles
     * @param right summary of the higher-index particles, same layout
     * @return the merged summary
     */
    public static Summary combine(Summary left, Summary right) {
        if (left.dimension != right.dimension || left.windowed != right.windowed
                || (left.covariance == null) != (right.covariance == null)
                || (left.loss == null) != (right.loss == null)
                || !Arrays.equals(left.observableNames, right.observableNames)
                || (left.histograms == null) != (right.histograms == null)
                || (left.histogram2D == null) != (right.histogram2D == null)) {
            throw new IllegalArgumentException("summaries of different layouts cannot be merged "
                    + "(dimension " + left.dimension + " vs " + right.dimension + ", windowed "
                    + left.windowed + " vs " + right.windowed + "); reduce with the same ReduceSpec");
        }
        Summary s = left.copy();
        s.particles += right.particles;
        s.diverged += right.diverged;
        for (int j = 0; j < s.dimension; j++) {
            s.state[j].combine(right.state[j]);
            if (s.window != null) {
                s.window[j].combine(right.window[j]);
            }
            if (s.histograms != null) {
                s.histograms[j].combine(right.histograms[j]);
            }
        }
        if (s.covariance != null) {
            s.covariance.combine(right.covariance);
        }
        if (s.loss != null) {
            s.loss.combine(right.loss);
        }
        for (int k = 0; k < s.observables.length; k++) {
            s.observables[k].combine(right.observables[k]);
        }
        if (s.histogram2D != null) {
            s.histogram2D.combine(right.histogram2D);
        }
        return s;
    }

    /** @return an independent deep copy */
    public Summary copy() {
        Moments[] st = new Moments[dimension];
        PairedMoments[] w = window == null ? null : new PairedMoments[dimension];
        Histogram1D[] h = histograms == null ? null : new Histogram1D[dimension];
        for (int j = 0; j < dimension; j++) {
            st[j] = state[j].copy();
            if (w != null) {
                w[j] = window[j].copy();
            }
            if (h != null) {
                h[j] = histograms[j].copy();
            }
        }
        Moments[] obs = new Moments[observables.length];
        for (int k = 0; k < obs.length; k++) {
            obs[k] = observables[k].copy();
        }
        return new Summary(dimension, windowed, particles, diverged, st, w,
                covariance == null ? null : covariance.copy(), loss == null ? null : loss.copy(),
                observableNames.clone(), obs, h, histogram2D == null ? null : histogram2D.copy());
    }

    /** @return number of coordinates d */
    public int dimension() {
        return dimension;
    }

    /** @return whether the statistics are of per-particle window averages */
    public boolean windowed() {
        return windowed;
    }

    /** @return particles accepted into the statistics */
    public long particles() {
        return particles;
    }

    /** @return particles excluded as diverged */
    public long diverged() {
        return diverged;
    }

    /**
     * @param j coordinate, in {@code [0, d)}
     * @return a copy of the final-state moments of coordinate j
     */
    public Moments state(int j) {
        return state[check(j)].copy();
    }

    /**
     * @param j coordinate, in {@code [0, d)}
     * @return a copy of the paired moments of {@code (avg x_j, avg x_j²)}; null without window sums
     */
    public PairedMoments window(int j) {
        return window == null ? null : window[check(j)].copy();
    }

    /** @return a copy of the covariance accumulator, or null when not computed */
    public Covariance covariance() {
        return covariance == null ? null : covariance.copy();
    }

    /** @return a copy of the loss moments, or null when no loss was computed */
    public Moments loss() {
        return loss == null ? null : loss.copy();
    }

    /** @return the observable names, in spec order (a copy) */
    public String[] observableNames() {
        return observableNames.clone();
    }

    /**
     * @param k observable index, in {@code [0, observableNames().length)}
     * @return a copy of that observable's moments
     */
    public Moments observable(int k) {
        if (k < 0 || k >= observables.length) {
            throw new IllegalArgumentException("observable index must be in [0, " + observables.length
                    + "), got " + k);
        }
        return observables[k].copy();
    }

    /**
     * @param j coordinate, in {@code [0, d)}
     * @return a copy of coordinate j's histogram, or null when none was requested
     */
    public Histogram1D histogram(int j) {
        return histograms == null ? null : histograms[check(j)].copy();
    }

    /** @return a copy of the 2-D histogram, or null when none was requested */
    public Histogram2D histogram2D() {
        return histogram2D == null ? null : histogram2D.copy();
    }

    private int check(int j) {
        if (j < 0 || j >= dimension) {
            throw new IllegalArgumentException("coordinate must be in [0, " + dimension + "), got " + j);
        }
        return j;
    }
}
