package org.langevin.engine;

import java.util.Arrays;
import org.langevin.model.Dynamics;
import org.langevin.model.LossKind;
import org.langevin.model.RunSpec;
import org.langevin.model.RunSpecBuilder;
import org.langevin.model.TrainingSet;
import org.langevin.model.TrainingSets;

/**
 * Measures particle-steps per second of an engine on a standard workload: it warms the engine up,
 * then times several repetitions of a fixed number of steps and reports the median and the spread.
 * Used by {@code langevin bench}. Not thread-safe.
 */
public final class ThroughputMeter {
    /** The standard workloads. */
    public enum Workload {
        /** Euler–Maruyama Langevin on the double well (per coordinate), σ = 1, Δt = 0.01. */
        LANGEVIN("langevin"),
        /**
         * Langevin on a quadratic ½(x − m)ᵀA(x − m) with a dense A (a_jj = 2 + j/4, a_jk = 0.3/(1 + |j − k|),
         * m_j = 0.2 j − 0.4, as benchmarks/numpy_peer.py), σ = 1, Δt = 0.01.
         */
        LANGEVIN_QUADRATIC("langevin-quadratic"),
        /**
         * Langevin on full-batch logistic regression, n = max(30, 4d) synthetic examples with label noise 0.5·√d (the
         * logits' spread independent of d; with fewer examples or less noise the set is separable in high d and has
         * no minimiser), σ = 1, Δt = 0.01.
         */
        LANGEVIN_LOGISTIC("langevin-logistic"),
        /** SGD on linear regression, B = 1, n = 1000 synthetic examples, η = 0.01. */
        SGD("sgd"),
        /** SGD on logistic regression, B = 1, n = 1000 synthetic examples with label noise 0.5·√d, η = 0.1. */
        SGD_LOGISTIC("sgd-logistic");

        /** Name in tables and JSON. */
        public final String cliName;

        Workload(String cliName) {
            this.cliName = cliName;
        }

        /**
         * Parses a name.
         *
         * @param s {@code langevin}, {@code langevin-quadratic}, {@code langevin-logistic}, {@code sgd} or
         *          {@code sgd-logistic} (case-sensitive)
         * @return the workload of that name
         * @throws IllegalArgumentException for any other name
         */
        public static Workload parse(String s) {
            for (Workload w : values()) {
                if (w.cliName.equals(s)) {
                    return w;
                }
            }
            throw new IllegalArgumentException("unknown bench workload '" + s
                    + "': use langevin, langevin-quadratic, langevin-logistic, sgd or sgd-logistic");
        }
    }

    /**
     * One measurement.
     *
     * @param medianRate median particle-steps per second over the repetitions
     * @param minRate slowest repetition
     * @param maxRate fastest repetition
     * @param stepsPerRepetition steps timed in each repetition
     * @param repetitions timed repetitions
     */
    public record Measurement(double medianRate, double minRate, double maxRate, long stepsPerRepetition,
                              int repetitions) {
        /** Largest spread of the repetitions, max/min, that still counts as a measurement. */
        public static final double RELIABLE_SPREAD = 1.5;

        /** @return false when the repetitions disagree by more than {@link #RELIABLE_SPREAD} (a busy machine) */
        public boolean reliable() {
            return maxRate <= RELIABLE_SPREAD * minRate;
        }
    }

    private static long roundUp(long n, long align) {
        return ((n + align - 1) / align) * align;
    }

    private ThroughputMeter() {
    }

    /**
     * @param w the workload
     * @param dim d ≥ 1
     * @param particles P ≥ 1
     * @return the run specification of a workload (steps large enough for any measurement), seed 7; SGD's
     *         training sets are 1000 synthetic examples of dimension d, the full-batch logistic one max(30, 4d)
     */
    public static RunSpec spec(Workload w, int dim, int particles) {
        RunSpecBuilder b = new RunSpecBuilder().particles(particles).dim(dim).seed(7).steps(1L << 24);
        switch (w) {
            case LANGEVIN:
                return b.dynamics(Dynamics.LANGEVIN).loss(LossKind.DOUBLE_WELL).sigma(1.0).dt(0.01).build();
            case LANGEVIN_QUADRATIC: {
                double[][] a = new double[dim][dim];
                double[] m = new double[dim];
                for (int j = 0; j < dim; j++) {
                    for (int k = 0; k < dim; k++) {
                        a[j][k] = j == k ? 2.0 + 0.25 * j : 0.3 / (1 + Math.abs(j - k));
                    }
                    m[j] = 0.2 * j - 0.4;
                }
                return b.dynamics(Dynamics.LANGEVIN).loss(LossKind.QUADRATIC).quadratic(a, m).sigma(1.0).dt(0.01).build();
            }
            case LANGEVIN_LOGISTIC:
                return b.dynamics(Dynamics.LANGEVIN).loss(LossKind.LOGISTIC)
                        .data(TrainingSets.synthetic(Math.max(30, 4 * dim), dim, 0.5 * Math.sqrt(dim), 3, true))
                        .sigma(1.0).dt(0.01).build();
            case SGD_LOGISTIC:
                return b.dynamics(Dynamics.SGD).loss(LossKind.LOGISTIC)
                        .data(TrainingSets.synthetic(1000, dim, 0.5 * Math.sqrt(dim), 3, true))
                        .lr(0.1).batch(1).build();
            default: {
                TrainingSet t = TrainingSets.synthetic(1000, dim, 0.5, 3, false);
                return b.dynamics(Dynamics.SGD).loss(LossKind.LINREG).data(t).lr(0.01).batch(1).build();
            }
        }
    }

    /**
     * Warms up for about {@code warmupSeconds}, chooses a step count so one repetition takes about
     * {@code targetSeconds}, and times {@code repetitions} repetitions.
     *
     * @param engine the engine measured (a session is opened on it and closed before this returns)
     * @param spec the workload, as {@link #spec}
     * @param warmupSeconds least wall time of the warm-up; it also lasts until two successive advances of at
     *                      least half the target agree within 10 %, but no longer than warmupSeconds + 10 targets
     * @param targetSeconds wall time one repetition aims at
     * @param repetitions timed repetitions, ≥ 1 (each includes a download of the particles)
     * @return the median, slowest and fastest rates in particle-steps per second
     * @throws IllegalArgumentException when repetitions &lt; 1
     */
    public static Measurement measure(Engine engine, RunSpec spec, double warmupSeconds, double targetSeconds,
                                      int repetitions) {
        if (repetitions < 1) {
            throw new IllegalArgumentException("repetitions must be >= 1, got " + repetitions);
        }
        CompiledProblem problem = ProblemCompiler.compile(spec);
        ParticleState state = InitialStates.create(spec);
        // Advances end on Philox block boundaries (as the Sampler's segments), so no repetition pays for
        // a block its neighbour already computed.
        final long align = Sampler.alignSteps(problem);
        try (EngineSession session = engine.open(problem, state)) {
            long k = 0;
            long n = align;
            double perStep = Double.NaN;
            double previous = Double.NaN;
            long warmStart = System.nanoTime();
            // Warm up for at least warmupSeconds and until two successive advances of at least half the
            // target duration agree within 10 % (the JIT has settled), at most warmupSeconds + 10 targets.
            while (true) {
                long t0 = System.nanoTime();
                session.advance(k, k + n);
                double sec = (System.nanoTime() - t0) * 1e-9;
                k += n;
                perStep = sec / n;
                double elapsed = (System.nanoTime() - warmStart) * 1e-9;
                boolean longEnough = sec >= 0.5 * targetSeconds;
                boolean stable = longEnough && Double.isFinite(previous) && Math.abs(perStep - previous) <= 0.1 * previous;
                if (elapsed >= warmupSeconds && (stable || elapsed >= warmupSeconds + 10 * targetSeconds)) {
                    break;
                }
                if (longEnough) {
                    previous = perStep;
                }
                n = roundUp(Math.min(n * 2, Sampler.segmentSteps(Math.max(perStep, 1e-12), targetSeconds)), align);
            }
            // as the Sampler's segments: at least Sampler.MIN_SEGMENT_STEPS where they fit in four targets (a run
            // of a few steps over 10^8 particles is bound by memory; the rate measured is a sample run's)
            long steps = roundUp(Sampler.segmentSteps(Math.max(perStep, 1e-12), targetSeconds), align);
            double[] rates = new double[repetitions];
            for (int r = 0; r < repetitions; r++) {
                long t0 = System.nanoTime();
                session.advance(k, k + steps);
                session.download();
                double sec = (System.nanoTime() - t0) * 1e-9;
                k += steps;
                rates[r] = (double) steps * spec.particles() / sec;
            }
            double[] sorted = rates.clone();
            Arrays.sort(sorted);
            double median = repetitions % 2 == 1 ? sorted[repetitions / 2]
                    : 0.5 * (sorted[repetitions / 2 - 1] + sorted[repetitions / 2]);
            return new Measurement(median, sorted[0], sorted[repetitions - 1], steps, repetitions);
        }
    }
}
