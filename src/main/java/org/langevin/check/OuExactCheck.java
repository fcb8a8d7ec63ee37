package org.langevin.check;

import java.util.List;
import org.langevin.linalg.Lyapunov;
import org.langevin.linalg.Matrices;
import org.langevin.model.Dynamics;
import org.langevin.model.LossKind;
import org.langevin.model.RunSpec;
import org.langevin.model.RunSpecBuilder;

/**
 * {@code ou-exact} (docs/theory.md O4): Euler–Maruyama Langevin on the 2-D quadratic loss ½ΦᵀAΦ with noise σ
 * has the exactly Gaussian stationary law N(0, C) with A C + C Aᵀ − Δt A C Aᵀ = σ²I, at any Δt. The
 * continuous-time covariance (A C + C Aᵀ = σ²I) is off by O(Δt) and, at the Δt used here, is refuted.
 * The covariance is measured from per-particle averages over snapshots spaced several relaxation times.
 */
public final class OuExactCheck implements Check {
    /** The loss matrix A (exact in float). */
    static final double[][] A = {{2.0, 0.5}, {0.5, 1.0}};
    /** Langevin σ. */
    static final double SIGMA = 1.0;
    /** Step Δt (exact in float); Δt·λ_max(A) ≈ 0.28, so the O(Δt) bias is several percent. */
    static final double DT = 0.125;
    /** Steps before the first snapshot: the slowest mode decays as 0.9^k, so 150 steps leave 1e-7. */
    static final long BURN_IN = 150;
    /** Steps between snapshots (the slowest mode of x² decorrelates in about 5 steps). */
    static final long SPACING = 16;

    @Override
    public String name() {
        return "ou-exact";
    }

    @Override
    public String description() {
        return "Euler–Maruyama on a 2-D quadratic: A C + C Aᵀ − Δt A C Aᵀ = σ²I exactly (O4)";
    }

    private record Plan(int particles, int snapshots) {
    }

    private static Plan plan(CheckSize size) {
        return new Plan(size.pick(20_000, 100_000, 400_000), size.pick(4, 8, 16));
    }

    /** @return the EM stationary covariance, with the noise scale rounded to float as the kernels use it */
    static double[][] emCovariance() {
        double noise = (float) (SIGMA * Math.sqrt(DT));
        return Lyapunov.eulerMaruyamaStationary(A, Matrices.diagonal(noise * noise / DT, noise * noise / DT), DT);
    }

    /** @return the continuous-time OU covariance A C + C A = σ²I */
    static double[][] continuousCovariance() {
        return Lyapunov.continuous(A, Matrices.diagonal(SIGMA * SIGMA, SIGMA * SIGMA));
    }

    private static ParticleAverages averages(int particles) {
        return new ParticleAverages(particles, 4, (phi, out) -> {
            out[0] = phi[0] * phi[0];
            out[1] = phi[1] * phi[1];
            out[2] = phi[0] * phi[1];
            out[3] = out[0] + out[1];
        });
    }

    @Override
    public List<ClaimResult> run(CheckContext ctx) {
        Plan plan = plan(ctx.size());
        RunSpec spec = new RunSpecBuilder().dynamics(Dynamics.LANGEVIN).loss(LossKind.QUADRATIC).dim(2)
                .quadratic(A, new double[2]).sigma(SIGMA).dt(DT).particles(plan.particles)
                .steps(BURN_IN + plan.snapshots * SPACING).seed(ctx.seedFor("ou-exact")).build();
        ParticleAverages avg = averages(plan.particles);
        Simulation.snapshots(ctx, spec, BURN_IN, plan.snapshots, SPACING, avg);
        return evaluate(avg);
    }

    @Override
    public List<ClaimResult> runOnExactDraws(CheckSize size, long seed) {
        Plan plan = plan(size);
        ExactDraws draws = new ExactDraws(seed);
        ParticleAverages avg = averages(plan.particles);
        double[][] c = emCovariance();
        for (int s = 0; s < plan.snapshots; s++) {
            avg.add(draws.gaussian(plan.particles, new double[2], c));
        }
        return evaluate(avg);
    }

    private List<ClaimResult> evaluate(ParticleAverages avg) {
        double[][] c = emCovariance();
        double[][] c0 = continuousCovariance();
        String at = " (O4, Δt = " + DT + ")";
        return List.of(
                ClaimResult.value(name(), "EM Var Φ₁ = C₁₁ of AC+CAᵀ−ΔtACAᵀ = σ²I" + at, avg.mean(0), c[0][0],
                        Verdict.CONFIRMED),
                ClaimResult.value(name(), "EM Var Φ₂ = C₂₂ of AC+CAᵀ−ΔtACAᵀ = σ²I" + at, avg.mean(1), c[1][1],
                        Verdict.CONFIRMED),
                ClaimResult.value(name(), "EM Cov(Φ₁,Φ₂) = C₁₂ of AC+CAᵀ−ΔtACAᵀ = σ²I" + at, avg.mean(2),
                        c[0][1], Verdict.CONFIRMED),
                ClaimResult.value(name(), "continuous-time tr C (AC+CAᵀ = σ²I) holds for EM at Δt = " + DT,
                        avg.mean(3), Matrices.trace(c0), Verdict.REFUTED));
    }
}
