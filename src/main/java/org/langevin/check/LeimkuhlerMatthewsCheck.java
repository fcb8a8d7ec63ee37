package org.langevin.check;

import java.util.List;
import org.langevin.model.Dynamics;
import org.langevin.model.Integrator;
import org.langevin.model.RunSpec;
import org.langevin.model.RunSpecBuilder;
import org.langevin.model.UserModel;
import org.langevin.model.lang.ModelCompiler;

/**
 * {@code leimkuhler-matthews} (docs/theory.md O11): overdamped Langevin on the Ornstein–Uhlenbeck
 * potential ½θx² (a user model) by Leimkuhler–Matthews, x′ = (1 − θΔt)x + s(ξ_k + ξ_{k+1})/2 with
 * s = σ√Δt rounded to float as the engines use it, has the stationary variance s²/(2θΔt) = σ²/(2θ)
 * at every stable Δt (the chain is ARMA(1,1): Var = (s²/4)·2(1 + a)/(1 − a²) with a = 1 − θΔt);
 * Euler–Maruyama at the same step has s²/(θΔt(2 − θΔt)), and the claim that it has σ²/(2θ) is
 * refuted. Variances come from per-particle averages of x² over snapshots several relaxation times
 * apart. Runs on the CPU engine when the context's engine is the GPU (see Simulation.onModelEngine: its model path has not run on a real GPU).
 */
public final class LeimkuhlerMatthewsCheck implements Check {
    static final double THETA = 1.0;
    static final double SIGMA = 1.0;
    /** θΔt = 0.5: Euler–Maruyama's variance is 4/3 of the continuous one. */
    static final double DT = 0.5;
    /** The chain forgets its start as 0.5^k: 60 steps leave 1e-18. */
    static final long BURN_IN = 60;
    /** Steps between snapshots (x² decorrelates as 0.25^k). */
    static final long SPACING = 8;
    static final String MODEL = "state x\nconst theta = 1\npotential 0.5 * theta * x^2\n";

    @Override
    public String name() {
        return "leimkuhler-matthews";
    }

    @Override
    public String description() {
        return "Leimkuhler–Matthews on Ornstein–Uhlenbeck: Var = σ²/(2θ) at any stable Δt; Euler–Maruyama's is not (O11)";
    }

    private record Plan(int particles, int snapshots) {
    }

    private static Plan plan(CheckSize size) {
        return new Plan(size.pick(20_000, 100_000, 400_000), size.pick(4, 8, 16));
    }

    /** @return s² with s = σ√Δt rounded to float, as the engines use it */
    static double noise2() {
        double s = (float) (SIGMA * Math.sqrt(DT));
        return s * s;
    }

    /** @return the exact stationary variance of the LM chain */
    static double lmVariance() {
        return noise2() / (2 * THETA * DT);
    }

    /** @return the exact stationary variance of the EM chain */
    static double emVariance() {
        return noise2() / (THETA * DT * (2 - THETA * DT));
    }

    private static ParticleAverages averages(int particles) {
        return new ParticleAverages(particles, 1, (phi, out) -> out[0] = phi[0] * phi[0]);
    }

    private static RunSpec spec(Plan plan, Integrator integrator, long seed) {
        return new RunSpecBuilder().dynamics(Dynamics.LANGEVIN).model(UserModel.withValues("leimkuhler-matthews check",
                        ModelCompiler.compile(MODEL), null)).integrator(integrator).sigma(SIGMA).dt(DT)
                .particles(plan.particles).steps(BURN_IN + plan.snapshots * SPACING).seed(seed).build();
    }

    @Override
    public List<ClaimResult> run(CheckContext ctx) {
        Plan plan = plan(ctx.size());
        return Simulation.onModelEngine(ctx, here -> {
            ParticleAverages lm = averages(plan.particles);
            Simulation.snapshots(here, spec(plan, Integrator.LEIMKUHLER_MATTHEWS, ctx.seedFor("leimkuhler-matthews/lm")),
                    BURN_IN, plan.snapshots, SPACING, lm);
            ParticleAverages em = averages(plan.particles);
            Simulation.snapshots(here, spec(plan, Integrator.EULER_MARUYAMA, ctx.seedFor("leimkuhler-matthews/em")),
                    BURN_IN, plan.snapshots, SPACING, em);
            return evaluate(lm, em);
        });
    }

    @Override
    public List<ClaimResult> runOnExactDraws(CheckSize size, long seed) {
        Plan plan = plan(size);
        ExactDraws draws = new ExactDraws(seed);
        ParticleAverages lm = averages(plan.particles);
        ParticleAverages em = averages(plan.particles);
        for (int s = 0; s < plan.snapshots; s++) {
            lm.add(draws.gaussian(plan.particles, new double[1], new double[][] {{lmVariance()}}));
            em.add(draws.gaussian(plan.particles, new double[1], new double[][] {{emVariance()}}));
        }
        return evaluate(lm, em);
    }

    private List<ClaimResult> evaluate(ParticleAverages lm, ParticleAverages em) {
        String at = " (θΔt = " + THETA * DT + ")";
        return List.of(
                ClaimResult.value(name(), "LM Var x = σ²/(2θ) exactly at any stable Δt (O11)" + at, lm.mean(0), lmVariance(),
                        Verdict.CONFIRMED),
                ClaimResult.value(name(), "EM Var x = σ²/(θ(2 − θΔt)) (O4)" + at, em.mean(0), emVariance(), Verdict.CONFIRMED),
                ClaimResult.value(name(), "EM Var x = σ²/(2θ), the continuous-time value" + at, em.mean(0), lmVariance(),
                        Verdict.REFUTED));
    }
}
