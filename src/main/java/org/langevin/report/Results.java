package org.langevin.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.langevin.reduce.CoordinateStats;
import org.langevin.reduce.MeanEstimate;
import org.langevin.reduce.Reduction;

/**
 * The contents of {@code results.json}: one run's counts, speed and statistics, plus the caller's
 * free-form {@code spec} (what was run) and {@code theory} (the exact values it is compared with).
 * Field names are the JSON keys. Units: seconds, particle steps per second, the model's coordinate
 * and loss units. {@code loss} and the covariance fields are null when not computed.
 *
 * <p>Immutable in its own fields (the arrays and maps handed in are the caller's; do not modify
 * them after building); thread-safe for reading.
 *
 * @param particles all particles of the run, P (statistics use the P − diverged others)
 * @param steps steps taken by each particle
 * @param diverged particles excluded because their state became non-finite or beyond divergenceBound
 * @param backend the engine that ran ("cpu", "cuda", "emulated", …)
 * @param elapsedSeconds wall time of the run, seconds
 * @param particleStepsPerSecond particle-steps advanced per second of elapsedSeconds
 * @param timeAveraged whether means and variances are per-particle time averages
 * @param coordinates per-coordinate statistics, index = coordinate
 * @param loss mean loss and its standard error, or null
 * @param covariance d×d covariance of the final states, or null
 * @param covarianceStdErr d×d standard errors of the covariance entries, or null
 * @param observables named observables' means and standard errors (possibly empty)
 * @param spec free-form description of the run
 * @param theory free-form exact values
 * @param divergenceBound the bound B beyond which a particle counts as diverged (NaN when not recorded)
 * @param divergedFraction diverged / particles
 * @param divergence the divergence verdict: "none: …", "WARNING: …" or "FAILED: …" (null when not recorded)
 */
public record Results(long particles, long steps, long diverged, String backend, double elapsedSeconds,
                      double particleStepsPerSecond, boolean timeAveraged, List<Coordinate> coordinates,
                      Estimate loss, double[][] covariance, double[][] covarianceStdErr,
                      Map<String, Estimate> observables, Map<String, Object> spec, Map<String, Object> theory,
                      double divergenceBound, double divergedFraction, String divergence) {

    /**
     * Statistics of one coordinate (see {@link CoordinateStats} for their definitions): of the final
     * states, or with {@code --average} of the per-particle time averages, plus the pooled variance.
     *
     * @param index coordinate index j
     * @param mean mean
     * @param meanStdErr standard error of the mean
     * @param variance unbiased variance across particles
     * @param varianceStdErr standard error of the variance
     * @param skewness sample skewness
     * @param excessKurtosis sample excess kurtosis
     * @param min smallest value
     * @param max largest value
     * @param pooledVariance with {@code --average}, the variance pooled over the window's steps and the
     *                       particles (the stationary-variance estimate); null (absent from the JSON) otherwise
     * @param pooledVarianceStdErr its standard error; null otherwise
     */
    public record Coordinate(int index, double mean, double meanStdErr, double variance, double varianceStdErr,
                             double skewness, double excessKurtosis, double min, double max,
                             @JsonInclude(JsonInclude.Include.NON_NULL) Double pooledVariance,
                             @JsonInclude(JsonInclude.Include.NON_NULL) Double pooledVarianceStdErr) {

        /**
         * A pooled variance that is not a number in both fields (none computed, or read back absent)
         * becomes null.
         *
         * @param index coordinate index j
         * @param mean mean
         * @param meanStdErr standard error of the mean
         * @param variance unbiased variance across particles
         * @param varianceStdErr standard error of the variance
         * @param skewness sample skewness
         * @param excessKurtosis sample excess kurtosis
         * @param min smallest value
         * @param max largest value
         * @param pooledVariance the pooled variance, or null
         * @param pooledVarianceStdErr its standard error, or null
         */
        public Coordinate {
            if (pooledVariance != null && pooledVariance.isNaN() && pooledVarianceStdErr != null
                    && pooledVarianceStdErr.isNaN()) {
                pooledVariance = null;
                pooledVarianceStdErr = null;
            }
        }

        /**
         * A coordinate of final states (no pooled variance).
         *
         * @param index coordinate index j
         * @param mean mean
         * @param meanStdErr standard error of the mean
         * @param variance unbiased variance across particles
         * @param varianceStdErr standard error of the variance
         * @param skewness sample skewness
         * @param excessKurtosis sample excess kurtosis
         * @param min smallest value
         * @param max largest value
         */
        public Coordinate(int index, double mean, double meanStdErr, double variance, double varianceStdErr,
                          double skewness, double excessKurtosis, double min, double max) {
            this(index, mean, meanStdErr, variance, varianceStdErr, skewness, excessKurtosis, min, max, null, null);
        }
    }

    /**
     * A mean with its standard error.
     *
     * @param mean the mean
     * @param stdErr its standard error
     */
    public record Estimate(double mean, double stdErr) {
    }

    /**
     * Builds the results of a run from its reduction.
     *
     * @param reduction the run's reduction
     * @param steps steps per particle, {@code >= 0}
     * @param backend engine name, non-empty
     * @param elapsedSeconds wall time, {@code > 0}
     * @param spec free-form description of the run (copied; null for none)
     * @param theory free-form exact values (copied; null for none)
     * @return the results
     */
    public static Results of(Reduction reduction, long steps, String backend, double elapsedSeconds,
                             Map<String, Object> spec, Map<String, Object> theory) {
        double total = (double) (reduction.particles() + reduction.diverged()) * steps;
        return of(reduction, steps, backend, elapsedSeconds, total / elapsedSeconds, spec, theory);
    }

    /**
     * As {@link #of(Reduction, long, String, double, Map, Map)} with the throughput given (a resumed
     * run advances fewer steps than it reports).
     *
     * @param reduction the run's reduction
     * @param steps steps per particle, {@code >= 0}
     * @param backend engine name, non-empty
     * @param elapsedSeconds wall time, {@code > 0}
     * @param particleStepsPerSecond particle-steps advanced per second of elapsedSeconds
     * @param spec free-form description of the run (copied; null for none)
     * @param theory free-form exact values (copied; null for none)
     * @return the results
     */
    public static Results of(Reduction reduction, long steps, String backend, double elapsedSeconds,
                             double particleStepsPerSecond, Map<String, Object> spec, Map<String, Object> theory) {
        return of(reduction, steps, backend, elapsedSeconds, particleStepsPerSecond, spec, theory, null);
    }

    /**
     * As {@link #of(Reduction, long, String, double, double, Map, Map)} with the run's divergence
     * verdict (its bound, fraction and verdict string; null for none recorded).
     *
     * @param reduction the run's reduction
     * @param steps steps per particle, {@code >= 0}
     * @param backend engine name, non-empty
     * @param elapsedSeconds wall time, {@code > 0}
     * @param particleStepsPerSecond particle-steps advanced per second of elapsedSeconds
     * @param spec free-form description of the run (copied; null for none)
     * @param theory free-form exact values (copied; null for none)
     * @param divergence the run's divergence verdict, or null for none recorded
     * @return the results
     */
    public static Results of(Reduction reduction, long steps, String backend, double elapsedSeconds,
                             double particleStepsPerSecond, Map<String, Object> spec, Map<String, Object> theory,
                             Divergence divergence) {
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be >= 0, got " + steps);
        }
        if (backend == null || backend.isEmpty()) {
            throw new IllegalArgumentException("backend must be a non-empty name, got '" + backend + "'");
        }
        if (!(elapsedSeconds > 0) || Double.isInfinite(elapsedSeconds)) {
            throw new IllegalArgumentException("elapsedSeconds must be finite and > 0, got " + elapsedSeconds);
        }
        List<Coordinate> coords = new ArrayList<>();
        for (int j = 0; j < reduction.coordinates().size(); j++) {
            CoordinateStats c = reduction.coordinates().get(j);
            coords.add(new Coordinate(j, c.mean(), c.meanStdErr(), c.variance(), c.varianceStdErr(), c.skewness(),
                    c.excessKurtosis(), c.min(), c.max(), reduction.timeAveraged() ? c.pooledVariance() : null,
                    reduction.timeAveraged() ? c.pooledVarianceStdErr() : null));
        }
        Map<String, Estimate> obs = new LinkedHashMap<>();
        for (Map.Entry<String, MeanEstimate> e : reduction.observables().entrySet()) {
            obs.put(e.getKey(), new Estimate(e.getValue().mean(), e.getValue().stdErr()));
        }
        Estimate loss = reduction.hasLoss() ? new Estimate(reduction.loss().mean(), reduction.loss().stdErr()) : null;
        return new Results(reduction.particles() + reduction.diverged(), steps, reduction.diverged(), backend,
                elapsedSeconds, particleStepsPerSecond, reduction.timeAveraged(), Collections.unmodifiableList(coords), loss,
                reduction.hasCovariance() ? reduction.covariance() : null,
                reduction.hasCovariance() ? reduction.covarianceStdErr() : null,
                Collections.unmodifiableMap(obs),
                spec == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(spec)),
                theory == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(theory)),
                divergence == null ? Double.NaN : divergence.bound().value(),
                reduction.particles() + reduction.diverged() == 0 ? 0
                        : (double) reduction.diverged() / (reduction.particles() + reduction.diverged()),
                divergence == null ? null : divergence.verdict());
    }
}
