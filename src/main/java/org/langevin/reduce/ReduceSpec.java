package org.langevin.reduce;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a reduction computes beyond the always-present counts and per-coordinate moments: histograms,
 * the covariance matrix, the loss and named observables. Immutable; each {@code with…} returns a
 * new spec. Thread-safe (the functions it holds must be thread-safe themselves).
 *
 * <p>Defaults: no histograms; covariance when {@code d <= 64}; no loss; no observables; no divergence
 * bound (only non-finite particles count as diverged).
 */
public final class ReduceSpec {

    /** Bins of the per-coordinate histograms (0: none). */
    private final int bins;
    /** Lower edges per coordinate (length 1 = same for all), or null. */
    private final double[] lo;
    /** Upper edges per coordinate, or null. */
    private final double[] hi;
    /** 2-D histogram of coordinates 0 and 1: binsX, binsY (0: none). */
    private final int bins2x;
    /** Bins along y of the 2-D histogram. */
    private final int bins2y;
    /** Range of the 2-D histogram: loX, hiX, loY, hiY. */
    private final double[] range2;
    /** Covariance: null = automatic (d <= 64), TRUE = required, FALSE = off. */
    private final Boolean covariance;
    /** Loss at the final state, or null. */
    private final ParticleLoss loss;
    /** Named observables of the final state, in insertion order. */
    private final Map<String, ParticleObservable> observables;
    /** Divergence bound B: a particle with |x_j| > B is diverged; +∞ for none. */
    private final double divergenceBound;

    private ReduceSpec(int bins, double[] lo, double[] hi, int bins2x, int bins2y, double[] range2,
                       Boolean covariance, ParticleLoss loss, Map<String, ParticleObservable> observables,
                       double divergenceBound) {
        this.bins = bins;
        this.lo = lo;
        this.hi = hi;
        this.bins2x = bins2x;
        this.bins2y = bins2y;
        this.range2 = range2;
        this.covariance = covariance;
        this.loss = loss;
        this.observables = observables;
        this.divergenceBound = divergenceBound;
    }

    /** @return the default spec (class comment) */
    public static ReduceSpec defaults() {
        return new ReduceSpec(0, null, null, 0, 0, null, null, null, Collections.emptyMap(),
                Double.POSITIVE_INFINITY);
    }

    /**
     * Histograms of every coordinate's final state on the same range.
     *
     * @param nBins bins, in {@code [1, 10^7]}
     * @param low lower edge, finite
     * @param high upper edge, finite, {@code > low}
     * @return a new spec
     */
    public ReduceSpec withHistograms(int nBins, double low, double high) {
        Histogram1D.checkRange("bins", nBins, "lo", low, "hi", high);
        return new ReduceSpec(nBins, new double[] {low}, new double[] {high}, bins2x, bins2y, range2,
                covariance, loss, observables, divergenceBound);
    }

    /**
     * Histograms of every coordinate's final state, each on its own range.
     *
     * @param nBins bins, in {@code [1, 10^7]}
     * @param low lower edges, one per coordinate (length d), finite
     * @param high upper edges, one per coordinate, finite, {@code high[j] > low[j]}
     * @return a new spec
     */
    public ReduceSpec withHistograms(int nBins, double[] low, double[] high) {
        if (low.length != high.length || low.length < 1) {
            throw new IllegalArgumentException("low and high must have the same length d >= 1, got "
                    + low.length + " and " + high.length);
        }
        for (int j = 0; j < low.length; j++) {
            Histogram1D.checkRange("bins", nBins, "lo[" + j + "]", low[j], "hi[" + j + "]", high[j]);
        }
        return new ReduceSpec(nBins, low.clone(), high.clone(), bins2x, bins2y, range2, covariance, loss,
                observables, divergenceBound);
    }

    /**
     * A 2-D histogram of the final states of coordinates 0 and 1 (requires {@code d >= 2}).
     *
     * @param binsX bins along coordinate 0, in {@code [1, 10^4]}
     * @param loX lower edge along coordinate 0
     * @param hiX upper edge along coordinate 0, {@code > loX}
     * @param binsY bins along coordinate 1, in {@code [1, 10^4]}
     * @param loY lower edge along coordinate 1
     * @param hiY upper edge along coordinate 1, {@code > loY}
     * @return a new spec
     */
    public ReduceSpec withHistogram2D(int binsX, double loX, double hiX, int binsY, double loY, double hiY) {
        new Histogram2D(binsX, loX, hiX, binsY, loY, hiY); // validates
        return new ReduceSpec(bins, lo, hi, binsX, binsY, new double[] {loX, hiX, loY, hiY}, covariance,
                loss, observables, divergenceBound);
    }

    /**
     * Turns the covariance matrix on (then {@code d <= 64} is required) or off.
     *
     * @param on whether to compute it
     * @return a new spec
     */
    public ReduceSpec withCovariance(boolean on) {
        return new ReduceSpec(bins, lo, hi, bins2x, bins2y, range2, on, loss, observables, divergenceBound);
    }

    /**
     * The loss evaluated at each particle's final state (used when there are no window sums; with
     * window sums the loss is the per-particle time average of the loss row).
     *
     * @param f the loss, thread-safe, not null
     * @return a new spec
     */
    public ReduceSpec withLoss(ParticleLoss f) {
        if (f == null) {
            throw new IllegalArgumentException("loss must not be null");
        }
        return new ReduceSpec(bins, lo, hi, bins2x, bins2y, range2, covariance, f, observables, divergenceBound);
    }

    /**
     * Adds a named observable of the final state, reported as mean and standard error.
     *
     * @param name unique, non-empty name
     * @param f the observable, thread-safe, not null
     * @return a new spec
     */
    public ReduceSpec withObservable(String name, ParticleObservable f) {
        if (name == null || name.isEmpty() || observables.containsKey(name)) {
            throw new IllegalArgumentException("observable name must be non-empty and unique, got '" + name + "'");
        }
        if (f == null) {
            throw new IllegalArgumentException("observable '" + name + "' must not be null");
        }
        Map<String, ParticleObservable> m = new LinkedHashMap<>(observables);
        m.put(name, f);
        return new ReduceSpec(bins, lo, hi, bins2x, bins2y, range2, covariance, loss,
                Collections.unmodifiableMap(m), divergenceBound);
    }

    /**
     * A finite divergence bound B: a particle counts as diverged (and is excluded from every statistic)
     * when any coordinate of its final state has |x_j| > B, and, with window sums, when any per-particle
     * time average has |avg x_j| > B or avg x_j² > B². Non-finite values are always diverged.
     *
     * @param bound B, finite and {@code > 0}, or {@code +∞} for none
     * @return a new spec
     */
    public ReduceSpec withDivergenceBound(double bound) {
        if (!(bound > 0)) {
            throw new IllegalArgumentException("divergence bound must be > 0 (or +Infinity for none), got " + bound);
        }
        return new ReduceSpec(bins, lo, hi, bins2x, bins2y, range2, covariance, loss, observables, bound);
    }

    /** @return the divergence bound B, {@code +∞} when only non-finite values count as diverged */
    public double divergenceBound() {
        return divergenceBound;
    }

    /** @return whether the covariance is computed for dimension d (throws if required and d > 64) */
    boolean covarianceFor(int d) {
        if (covariance == null) {
            return d <= Covariance.MAX_DIMENSION;
        }
        if (covariance && d > Covariance.MAX_DIMENSION) {
            throw new IllegalArgumentException("covariance needs d <= " + Covariance.MAX_DIMENSION + ", got d = "
                    + d + "; use withCovariance(false)");
        }
        return covariance;
    }

    /** Checks this spec against a dimension d. */
    void check(int d) {
        if (bins > 0 && lo.length != 1 && lo.length != d) {
            throw new IllegalArgumentException("histogram ranges are given for " + lo.length
                    + " coordinates but d = " + d);
        }
        if (bins2x > 0 && d < 2) {
            throw new IllegalArgumentException("the 2-D histogram needs d >= 2, got d = " + d);
        }
        covarianceFor(d);
    }

    /** @return empty 1-D histograms for dimension d, or null. */
    Histogram1D[] newHistograms(int d) {
        if (bins == 0) {
            return null;
        }
        Histogram1D[] h = new Histogram1D[d];
        for (int j = 0; j < d; j++) {
            int r = lo.length == 1 ? 0 : j;
            h[j] = new Histogram1D(bins, lo[r], hi[r]);
        }
        return h;
    }

    /** @return an empty 2-D histogram, or null. */
    Histogram2D newHistogram2D() {
        return bins2x == 0 ? null
                : new Histogram2D(bins2x, range2[0], range2[1], bins2y, range2[2], range2[3]);
    }

    /** @return bins of the per-coordinate histograms, 0 when there are none */
    public int histogramBins() {
        return bins;
    }

    /**
     * @return whether every coordinate's histogram has the same range (also true without histograms)
     */
    public boolean histogramRangeShared() {
        return bins == 0 || lo.length == 1;
    }

    /** @return whether the 2-D histogram of coordinates 0 and 1 is computed */
    public boolean hasHistogram2D() {
        return bins2x > 0;
    }

    /**
     * @param d the dimension
     * @return whether this spec computes the covariance matrix for dimension d
     * @throws IllegalArgumentException when the covariance is required and d is above its limit
     */
    public boolean computesCovariance(int d) {
        return covarianceFor(d);
    }

    /** @return the loss function, or null */
    public ParticleLoss loss() {
        return loss;
    }

    /** @return the observables in insertion order (unmodifiable) */
    public Map<String, ParticleObservable> observables() {
        return observables;
    }
}
