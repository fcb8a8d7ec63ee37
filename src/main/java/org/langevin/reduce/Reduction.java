package org.langevin.reduce;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The immutable result of a reduction: counts, per-coordinate statistics ({@link CoordinateStats},
 * whose comment says which are time averages), the covariance matrix of the final states with
 * delta-method standard errors, the loss and observables as {@link MeanEstimate}s, and the
 * histograms of the final states. Diverged particles are counted and excluded from everything else.
 *
 * <p>Immutable; accessors return copies; thread-safe.
 */
public final class Reduction implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The merged statistics (private, never mutated). */
    private final Summary summary;
    /** Per-coordinate statistics. */
    private final List<CoordinateStats> coordinates;

    /**
     * Builds the result from merged statistics (as returned by {@link PartialMerger#finish()}).
     *
     * @param summary the merged statistics of a whole run; copied
     */
    public Reduction(Summary summary) {
        if (summary == null) {
            throw new IllegalArgumentException("summary must not be null");
        }
        this.summary = summary.copy();
        List<CoordinateStats> c = new ArrayList<>();
        for (int j = 0; j < summary.dimension(); j++) {
            Moments s = summary.state(j);
            PairedMoments w = summary.window(j);
            if (w == null) {
                c.add(new CoordinateStats(s.getMean(), s.getMeanStdErr(), s.getVariance(),
                        s.getVarianceStdErr(), s.getSkewness(), s.getExcessKurtosis(), s.getMin(), s.getMax()));
            } else {
                double mu = w.getMeanX();
                double pooled = w.getMeanY() - mu * mu;
                double pooledErr = w.getCount() < 2 ? Double.NaN : w.linearCombinationStdErr(-2 * mu, 1);
                Moments a = w.momentsX();
                c.add(new CoordinateStats(mu, w.getCount() < 2 ? Double.NaN : w.linearCombinationStdErr(1, 0),
                        a.getVariance(), a.getVarianceStdErr(), a.getSkewness(), a.getExcessKurtosis(), a.getMin(),
                        a.getMax(), pooled, pooledErr));
            }
        }
        this.coordinates = Collections.unmodifiableList(c);
    }

    /** @return particles accepted into the statistics */
    public long particles() {
        return summary.particles();
    }

    /**
     * @return particles excluded because a coordinate, window sum, loss or observable was non-finite, or a
     *         coordinate or time average was beyond the divergence bound ({@link ReduceSpec#withDivergenceBound})
     */
    public long diverged() {
        return summary.diverged();
    }

    /** @return number of coordinates d */
    public int dimension() {
        return summary.dimension();
    }

    /** @return whether means and variances are of per-particle time averages */
    public boolean timeAveraged() {
        return summary.windowed();
    }

    /** @return per-coordinate statistics, index j = coordinate j (unmodifiable) */
    public List<CoordinateStats> coordinates() {
        return coordinates;
    }

    /**
     * @param j coordinate, in {@code [0, d)}
     * @return its statistics
     */
    public CoordinateStats coordinate(int j) {
        if (j < 0 || j >= coordinates.size()) {
            throw new IllegalArgumentException("coordinate must be in [0, " + coordinates.size() + "), got " + j);
        }
        return coordinates.get(j);
    }

    /** @return whether the covariance matrix was computed */
    public boolean hasCovariance() {
        return summary.covariance() != null;
    }

    /** @return the d×d covariance matrix of the final states (new array) */
    public double[][] covariance() {
        return requireCovariance().getCovarianceMatrix();
    }

    /** @return the d×d standard errors of the covariance entries (new array) */
    public double[][] covarianceStdErr() {
        return requireCovariance().getCovarianceStdErrMatrix();
    }

    private Covariance requireCovariance() {
        Covariance c = summary.covariance();
        if (c == null) {
            throw new IllegalStateException("the covariance was not computed (d > 64 or withCovariance(false))");
        }
        return c;
    }

    /** @return whether a loss was computed (window sums present, or a ParticleLoss given) */
    public boolean hasLoss() {
        return summary.loss() != null;
    }

    /** @return the mean loss (per-particle time average with window sums) and its standard error */
    public MeanEstimate loss() {
        Moments m = summary.loss();
        if (m == null) {
            throw new IllegalStateException("no loss was computed: give ReduceSpec.withLoss or window sums");
        }
        return MeanEstimate.of(m);
    }

    /** @return the observables' means and standard errors, in spec order (a new map) */
    public Map<String, MeanEstimate> observables() {
        Map<String, MeanEstimate> m = new LinkedHashMap<>();
        String[] names = summary.observableNames();
        for (int k = 0; k < names.length; k++) {
            m.put(names[k], MeanEstimate.of(summary.observable(k)));
        }
        return m;
    }

    /** @return copies of the per-coordinate histograms (empty list when none were requested) */
    public List<Histogram1D> histograms() {
        if (summary.histogram(0) == null) {
            return List.of();
        }
        List<Histogram1D> h = new ArrayList<>();
        for (int j = 0; j < summary.dimension(); j++) {
            h.add(summary.histogram(j));
        }
        return h;
    }

    /** @return a copy of the 2-D histogram of coordinates 0 and 1, or null when none was requested */
    public Histogram2D histogram2D() {
        return summary.histogram2D();
    }

    /** @return a copy of the underlying merged statistics */
    public Summary summary() {
        return summary.copy();
    }
}
