package org.langevin.check;

import java.util.List;
import org.langevin.model.Dynamics;
import org.langevin.model.Integrator;
import org.langevin.model.RunSpec;
import org.langevin.model.RunSpecBuilder;
import org.langevin.model.UserModel;
import org.langevin.model.lang.ModelCompiler;
import org.langevin.theory.UnderdampedHarmonic;

/**
 * {@code baoab} (docs/theory.md O12): underdamped Langevin on the harmonic potential ½ω²q² (a user
 * model) at ω = 1, γ = 1, T = ½ and step h = 0.5. BAOAB's stationary Var q is T/ω² exactly (confirmed)
 * and its Var p is T(1 − h²ω²/4) (confirmed), not T (refuted); Euler–Maruyama at the same step has the
 * variance of its own chain (a 2×2 Lyapunov solve, confirmed), more than twice T/ω² (refuted).
 * Snapshots several relaxation times apart, per-particle averages. Runs on the CPU engine when the
 * context's engine is the GPU (see Simulation.onModelEngine: its model path has not run on a real GPU).
 */
public final class BaoabCheck implements Check {
    static final double FRICTION = 1.0;
    static final double SIGMA = 1.0;
    static final double DT = 0.5;
    /** Euler–Maruyama's chain contracts as 0.87^k here, BAOAB's faster: 300 steps leave 1e-18. */
    static final long BURN_IN = 300;
    static final long SPACING = 10;
    static final String MODEL = "state q\nconst omega = 1\npotential 0.5 * omega^2 * q^2\n";

    @Override
    public String name() {
        return "baoab";
    }

    @Override
    public String description() {
        return "BAOAB on a harmonic potential: Var q = T/ω² at any stable step, Var p = T(1 − h²ω²/4); "
                + "Euler–Maruyama's Var q is biased (O12)";
    }

    private record Plan(int particles, int snapshots) {
    }

    private static Plan plan(CheckSize size) {
        return new Plan(size.pick(20_000, 100_000, 400_000), size.pick(4, 8, 16));
    }

    static UnderdampedHarmonic theory() {
        return new UnderdampedHarmonic(1, FRICTION, SIGMA * SIGMA / 2);
    }

    private static ParticleAverages averages(int particles) {
        return new ParticleAverages(particles, 2, (phi, out) -> {
            out[0] = phi[0] * phi[0];
            out[1] = phi[1] * phi[1];
        });
    }

    private static RunSpec spec(Plan plan, Integrator integrator, long seed) {
        return new RunSpecBuilder().dynamics(Dynamics.UNDERDAMPED).model(UserModel.withValues("baoab check",
                        ModelCompiler.compile(MODEL), null)).integrator(integrator).friction(FRICTION).sigma(SIGMA).dt(DT)
                .particles(plan.particles).steps(BURN_IN + plan.snapshots * SPACING).seed(seed).build();
    }

    @Override
    public List<ClaimResult> run(CheckContext ctx) {
        Plan plan = plan(ctx.size());
        return Simulation.onModelEngine(ctx, here -> {
            ParticleAverages baoab = averages(plan.particles);
            Simulation.snapshots(here, spec(plan, Integrator.BAOAB, ctx.seedFor("baoab/baoab")), BURN_IN, plan.snapshots,
                    SPACING, baoab);
            ParticleAverages em = averages(plan.particles);
            Simulation.snapshots(here, spec(plan, Integrator.EULER_MARUYAMA, ctx.seedFor("baoab/em")), BURN_IN,
                    plan.snapshots, SPACING, em);
            return evaluate(baoab, em);
        });
    }

    @Override
    public List<ClaimResult> runOnExactDraws(CheckSize size, long seed) {
        Plan plan = plan(size);
        ExactDraws draws = new ExactDraws(seed);
        double[] b = theory().baoabCovariance(DT);
        double[] e = theory().eulerMaruyamaCovariance(DT);
        ParticleAverages baoab = averages(plan.particles);
        ParticleAverages em = averages(plan.particles);
        for (int s = 0; s < plan.snapshots; s++) {
            baoab.add(draws.gaussian(plan.particles, new double[2], new double[][] {{b[0], b[1]}, {b[1], b[2]}}));
            em.add(draws.gaussian(plan.particles, new double[2], new double[][] {{e[0], e[1]}, {e[1], e[2]}}));
        }
        return evaluate(baoab, em);
    }

    private List<ClaimResult> evaluate(ParticleAverages baoab, ParticleAverages em) {
        UnderdampedHarmonic u = theory();
        String at = " (ω = 1, γ = " + FRICTION + ", T = " + SIGMA * SIGMA / 2 + ", h = " + DT + ")";
        return List.of(
                ClaimResult.value(name(), "BAOAB Var q = T/ω² exactly at any stable step (O12)" + at, baoab.mean(0),
                        u.configurationalVariance(), Verdict.CONFIRMED),
                ClaimResult.value(name(), "BAOAB Var p = T(1 − h²ω²/4) (O12)" + at, baoab.mean(1), u.baoabMomentumVariance(DT),
                        Verdict.CONFIRMED),
                ClaimResult.value(name(), "BAOAB Var p = T, the continuous-time value" + at, baoab.mean(1),
                        SIGMA * SIGMA / 2, Verdict.REFUTED),
                ClaimResult.value(name(), "Euler–Maruyama Var q = its chain's exact value (2×2 Lyapunov)" + at, em.mean(0),
                        u.eulerMaruyamaCovariance(DT)[0], Verdict.CONFIRMED),
                ClaimResult.value(name(), "Euler–Maruyama Var q = T/ω²" + at, em.mean(0), u.configurationalVariance(),
                        Verdict.REFUTED));
    }
}
