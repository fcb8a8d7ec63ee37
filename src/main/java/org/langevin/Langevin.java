package org.langevin;

import org.langevin.engine.CompiledProblem;
import org.langevin.engine.Engine;
import org.langevin.engine.InitialStates;
import org.langevin.engine.ParticleState;
import org.langevin.engine.ProblemCompiler;
import org.langevin.engine.Sampler;
import org.langevin.model.Dynamics;
import org.langevin.model.HostLoss;
import org.langevin.model.LossKind;
import org.langevin.model.RunSpec;
import org.langevin.reduce.ParticleView;
import org.langevin.reduce.ReduceSpec;
import org.langevin.reduce.Reducer;
import org.langevin.theory.DivergenceBound;
import org.langevin.theory.StationaryLaws;

/**
 * The library's front door: run a {@link RunSpec} on an {@link Engine} and get its statistics.
 * <pre>{@code
 * RunSpec spec = new RunSpecBuilder().dynamics(Dynamics.LANGEVIN).loss(LossKind.DOUBLE_WELL)
 *         .sigma(1).dt(0.01).particles(1_000_000).steps(2000).build();
 * try (Engine engine = Backends.open("auto", 0).engine()) {
 *     SampleResult r = Langevin.sample(spec, engine);
 * }
 * }</pre>
 * Thread-safe: every call works on its own state.
 */
public final class Langevin {
    /** Default number of histogram bins when the spec names none. */
    public static final int DEFAULT_BINS = 100;

    private Langevin() {
    }

    /**
     * Runs the spec from its initial state to {@code spec.steps()} and reduces with all cores.
     *
     * @param spec the run
     * @param engine the engine to run on (the caller owns and closes it)
     * @return the reduction, the final state, the backend's name, the wall time and the rate
     */
    public static SampleResult sample(RunSpec spec, Engine engine) {
        CompiledProblem problem = ProblemCompiler.compile(spec);
        ParticleState state = InitialStates.create(spec);
        Sampler.Outcome out = Sampler.run(problem, engine, state, spec.steps(), Sampler.Options.none());
        return reduce(spec, out, engine.name(), 0);
    }

    /**
     * Reduces the particles of a finished run.
     *
     * @param spec the run
     * @param outcome the sampler's outcome (its state, wall time and particle-steps)
     * @param backend the engine's name, for the results
     * @param threads reducer threads, 0 for one per core (the result does not depend on it)
     * @return the reduction with the state, backend, wall time and rate
     */
    public static SampleResult reduce(RunSpec spec, Sampler.Outcome outcome, String backend, int threads) {
        ParticleState s = outcome.state();
        int t = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        var reduction = Reducer.reduce(view(spec, s), reduceSpec(spec, s), t);
        return new SampleResult(spec, reduction, s, backend, outcome.elapsedSeconds(), outcome.particleStepsPerSecond());
    }

    /**
     * @param spec the run
     * @param s its particle state
     * @return the reducer's view of a state (with its averaging window when the spec averages)
     */
    public static ParticleView view(RunSpec spec, ParticleState s) {
        if (s.hasAverages()) {
            long window = Math.max(0, s.stepsDone() - spec.burnIn());
            return ParticleView.withWindow(s.x(), s.avg(), window);
        }
        return ParticleView.of(s.x());
    }

    /**
     * The reductions of a run: histograms over the spec's range (or the finite sample's range when
     * it names none), the 2-D histogram of the first two coordinates, and the loss.
     *
     * @param spec the run
     * @param s its particle state (for the sample's range when the spec names no histogram range)
     * @return the reductions
     */
    public static ReduceSpec reduceSpec(RunSpec spec, ParticleState s) {
        int d = spec.dim();
        double[] lo = new double[d];
        double[] hi = new double[d];
        if (spec.histogram() != null) {
            java.util.Arrays.fill(lo, spec.histogram().lo());
            java.util.Arrays.fill(hi, spec.histogram().hi());
            return reduceSpec(spec, spec.histogram().bins(), lo, hi);
        }
        sampleRange(s, DivergenceBound.of(spec).value(), lo, hi);
        return reduceSpec(spec, DEFAULT_BINS, lo, hi);
    }

    /**
     * The reductions of a run with the given histogram ranges (bins = 0: no histograms), the same
     * for every backend and partitioning; particles beyond the run's {@link DivergenceBound} count as
     * diverged.
     *
     * @param spec the run
     * @param bins histogram bins per coordinate, 0 for none
     * @param lo per coordinate, the histogram's lower end (coordinate units)
     * @param hi per coordinate, the histogram's upper end, {@code > lo}
     * @return the reductions
     */
    public static ReduceSpec reduceSpec(RunSpec spec, int bins, double[] lo, double[] hi) {
        HostLoss loss = new HostLoss(spec);
        boolean noLoss = spec.model() != null && !spec.model().model().hasLoss();
        ReduceSpec r = (noLoss ? ReduceSpec.defaults() : ReduceSpec.defaults().withLoss(loss::value))
                .withDivergenceBound(DivergenceBound.of(spec).value());
        int d = spec.dim();
        if (spec.dynamics() == Dynamics.LANGEVIN && spec.loss() == LossKind.DOUBLE_WELL && !spec.hasPrior()) {
            r = r.withObservable(StationaryLaws.EM_IDENTITY, emIdentity(d, spec.dt()));
        }
        // The identity is the Euler chain's: Leimkuhler–Matthews' noise (ξ_k + ξ_{k+1})/2 is correlated with x_k.
        if (spec.dynamics() == Dynamics.LANGEVIN && spec.model() != null && spec.model().model().hasLoss()
                && !spec.model().model().lossUsesTime() && spec.integrator() != org.langevin.model.Integrator.LEIMKUHLER_MATTHEWS) {
            r = r.withObservable(StationaryLaws.EM_IDENTITY, modelEmIdentity(spec));
        }
        if (bins == 0) {
            return r;
        }
        r = r.withHistograms(bins, lo, hi);
        if (d >= 2) {
            int b2 = Math.min(bins, 100);
            r = r.withHistogram2D(b2, lo[0], hi[0], b2, lo[1], hi[1]);
        }
        return r;
    }

    /** Φ·∇L − (Δt/2)‖∇L‖² of a user model, its gradient from the model's generated code. */
    static org.langevin.reduce.ParticleObservable modelEmIdentity(RunSpec spec) {
        org.langevin.model.lang.ModelFunctions f = org.langevin.model.lang.ModelFunctions.of(spec.model(), spec.data());
        int d = spec.dim();
        double dt = spec.dt();
        ThreadLocal<float[][]> scratch = ThreadLocal.withInitial(() -> new float[][] {new float[d], new float[1 + d],
            new float[1 + d]});
        return phi -> {
            float[][] w = scratch.get();
            float[] x = w[0];
            System.arraycopy(phi, 0, x, 0, d);
            float[] out = w[1];
            f.lossAndGradient(x, 0f, w[2], out);
            double s = 0;
            for (int j = 0; j < d; j++) {
                double g = out[1 + j];
                s += x[j] * g - 0.5 * dt * g * g;
            }
            return s;
        };
    }

    /**
     * The per-particle Φ·∇L − (Δt/2)‖∇L‖² of the double well, L′(x) = 4x(x² − 1) per coordinate. For the
     * Euler–Maruyama chain Φ' = Φ − Δt∇L + σ√Δt ξ in its stationary state, E‖Φ'‖² = E‖Φ‖² gives
     * E[Φ·∇L − (Δt/2)‖∇L‖²] = dσ²/2 exactly at every Δt: a check of the simulated chain that needs no
     * normaliser (docs/theory.md O6 with the Δt correction of the Euler chain).
     */
    static org.langevin.reduce.ParticleObservable emIdentity(int d, double dt) {
        return phi -> {
            double s = 0;
            for (int j = 0; j < d; j++) {
                double x = phi[j];
                double g = 4 * x * (x * x - 1);
                s += x * g - 0.5 * dt * g * g;
            }
            return s;
        };
    }

    /**
     * The range of the finite values within the divergence bound of each coordinate, widened so the
     * maximum falls inside.
     */
    static void sampleRange(ParticleState s, double bound, double[] lo, double[] hi) {
        float[][] x = s.x();
        for (int j = 0; j < x.length; j++) {
            double mn = Double.POSITIVE_INFINITY;
            double mx = Double.NEGATIVE_INFINITY;
            for (float v : x[j]) {
                if (Float.isFinite(v) && Math.abs(v) <= bound) {
                    mn = Math.min(mn, v);
                    mx = Math.max(mx, v);
                }
            }
            if (!(mn <= mx)) {
                mn = -1;
                mx = 1;
            }
            double pad = mx > mn ? 1e-9 * (mx - mn) : Math.max(1e-6, Math.abs(mn) * 1e-6);
            lo[j] = mn - pad;
            hi[j] = mx + pad;
        }
    }
}
