package org.langevin.check;

import java.util.ArrayList;
import java.util.List;
import org.langevin.engine.ParticleState;
import org.langevin.model.Dynamics;
import org.langevin.model.RunSpec;
import org.langevin.model.RunSpecBuilder;

/**
 * {@code brownian} (docs/theory.md O7): Brownian motion z ← z + σ√Δt ε from z(0) = 0 has Var z(t) = σ²t and
 * E z⁴ = 3σ⁴t² exactly at every Δt; the n-step sampler and the one-shot sampler z(t) = σ√t ε agree in
 * distribution (two-sample Kolmogorov–Smirnov). Every particle is an independent sample of z(t).
 */
public final class BrownianCheck implements Check {
    /** σ. */
    static final double SIGMA = 1.0;
    /** The time t at which z is compared. */
    static final double T = 1.0;
    /** Step counts of the n-step samplers (Δt = t/steps). */
    static final int[] STEPS = {10, 100};

    @Override
    public String name() {
        return "brownian";
    }

    @Override
    public String description() {
        return "Brownian motion: Var z(t) = σ²t, E z⁴ = 3σ⁴t² at every Δt; n-step and one-shot samplers agree (O7)";
    }

    private static int particles(CheckSize size) {
        return size.pick(20_000, 200_000, 1_000_000);
    }

    private RunSpec spec(int particles, int steps, long seed) {
        return new RunSpecBuilder().dynamics(Dynamics.BROWNIAN).dim(1).sigma(SIGMA).dt(T / steps)
                .particles(particles).steps(steps).seed(seed).build();
    }

    @Override
    public List<ClaimResult> run(CheckContext ctx) {
        int p = particles(ctx.size());
        double[][] samples = new double[STEPS.length + 1][];
        for (int k = 0; k < STEPS.length; k++) {
            ParticleState s = Simulation.run(ctx, spec(p, STEPS[k], ctx.seedFor("brownian/" + STEPS[k])));
            samples[k] = Simulation.coordinates(s)[0];
        }
        ParticleState oneShot = Simulation.run(ctx, spec(p, 1, ctx.seedFor("brownian/one-shot")));
        samples[STEPS.length] = Simulation.coordinates(oneShot)[0];
        return evaluate(samples);
    }

    @Override
    public List<ClaimResult> runOnExactDraws(CheckSize size, long seed) {
        int p = particles(size);
        ExactDraws draws = new ExactDraws(seed);
        double sd = SIGMA * Math.sqrt(T);
        double[][] samples = new double[STEPS.length + 1][p];
        for (double[] s : samples) {
            for (int i = 0; i < p; i++) {
                s[i] = sd * draws.normal();
            }
        }
        return evaluate(samples);
    }

    /** @param samples z(t) of the n-step samplers (in the order of STEPS), then of the one-shot sampler */
    private List<ClaimResult> evaluate(double[][] samples) {
        List<ClaimResult> out = new ArrayList<>();
        double var = SIGMA * SIGMA * T;
        for (int k = 0; k < STEPS.length; k++) {
            double[] z = samples[k];
            double[] z2 = new double[z.length];
            double[] z4 = new double[z.length];
            for (int i = 0; i < z.length; i++) {
                z2[i] = z[i] * z[i];
                z4[i] = z2[i] * z2[i];
            }
            String at = " at Δt = t/" + STEPS[k] + " (O7)";
            out.add(ClaimResult.value(name(), "Var z(t) = σ²t" + at, Estimates.mean(z2), var, Verdict.CONFIRMED));
            out.add(ClaimResult.value(name(), "E z⁴ = 3σ⁴t²" + at, Estimates.mean(z4), 3 * var * var,
                    Verdict.CONFIRMED));
        }
        out.add(ClaimResult.test(name(), "n-step (" + STEPS[STEPS.length - 1] + ") and one-shot z(t) agree (KS D)",
                DensityTests.kolmogorovSmirnov(samples[STEPS.length - 1], samples[STEPS.length]), Verdict.CONFIRMED));
        return out;
    }
}
