package org.langevin.check;

import java.util.ArrayList;
import java.util.List;
import org.langevin.engine.CompiledProblem;
import org.langevin.engine.InitialStates;
import org.langevin.engine.ParticleState;
import org.langevin.engine.Sampler;
import org.langevin.model.Dynamics;
import org.langevin.model.LossKind;
import org.langevin.model.RunSpec;
import org.langevin.model.RunSpecBuilder;

/**
 * {@code langevin-gibbs} (docs/theory.md §2 and O6): Langevin dynamics on the double well L = (x² − 1)² has the
 * stationary law exp(−2L/σ²)/Z, checked at β = 2/σ² = 1 and 5 by
 * <ul>
 *   <li>chi-square on 2P^{2/5} bins equiprobable under the Gibbs CDF ({@link DoubleWellLaw}) and Kolmogorov–Smirnov, on the final
 *       states of P independent particles (Δt = 0.001: the O(Δt) Euler–Maruyama bias of the density, about
 *       0.4% of the well's variance, is far below what P particles resolve);</li>
 *   <li>the normaliser-free identities E[(x − c)L′] = 1/β and E L + E x² = 1 + 1/(4β), in the form that
 *       Euler–Maruyama satisfies exactly at any Δt (from stationarity of E(x − c)²):
 *       E[(x − c)L′] = σ²/2 + (Δt/2)E[L′²], paired per particle;</li>
 *   <li>E x² against the closed form, Richardson-extrapolated from Δt = 0.002 and 0.001 (removing the
 *       O(Δt) bias; the O(Δt²) remainder is about 1e-5).</li>
 * </ul>
 * Particles start at x = 0, so the law stays symmetric and the slow barrier-crossing mode is never excited;
 * the symmetric modes relax within t ≈ 1, and the runs burn in for t = 4.
 */
public final class LangevinGibbsCheck implements Check {
    /** The inverse temperatures β = 2/σ² of docs/theory.md O6 (hot: barrier βΔL = 1; cold: 5). */
    static final double[] BETAS = {1.0, 5.0};
    /** The Euler–Maruyama steps; the last is the histogram's. */
    static final double[] DTS = {0.002, 0.001};
    /** Burn-in time. */
    static final double BURN_IN_TIME = 4.0;
    /** Time between snapshots. */
    static final double SPACING_TIME = 0.25;
    /** The second centre c of the identity E[(x−c)L′] = 1/β. */
    static final double C = 0.5;

    @Override
    public String name() {
        return "langevin-gibbs";
    }

    @Override
    public String description() {
        return "Langevin on the double well is Gibbs exp(−2L/σ²)/Z (chi-square, KS) at two σ; O6 identities hold";
    }

    private record Plan(int particles, int snapshots) {
    }

    private static Plan plan(CheckSize size) {
        return new Plan(size.pick(10_000, 40_000, 200_000), size.pick(4, 8, 16));
    }

    /** Per-particle averages: (x−c)L′ at c = C, L + x², L′², x². */
    private static ParticleAverages averages(int particles) {
        return new ParticleAverages(particles, 4, (phi, out) -> {
            double x = phi[0];
            double lp = DoubleWellLaw.lossDerivative(x);
            out[0] = (x - C) * lp;
            out[1] = DoubleWellLaw.loss(x) + x * x;
            out[2] = lp * lp;
            out[3] = x * x;
        });
    }

    /** One measurement at one (β, Δt): snapshot averages and, for the histogram, the final states. */
    private record Run(double dt, double halfSigma2, ParticleAverages averages, double[] finalStates) {
    }

    @Override
    public List<ClaimResult> run(CheckContext ctx) {
        Plan plan = plan(ctx.size());
        List<ClaimResult> out = new ArrayList<>();
        for (double beta : BETAS) {
            Run[] runs = new Run[DTS.length];
            for (int k = 0; k < DTS.length; k++) {
                double dt = DTS[k];
                long burn = Math.round(BURN_IN_TIME / dt);
                long gap = Math.round(SPACING_TIME / dt);
                RunSpec spec = new RunSpecBuilder().dynamics(Dynamics.LANGEVIN).loss(LossKind.DOUBLE_WELL).dim(1)
                        .sigma(Math.sqrt(2 / beta)).dt(dt).particles(plan.particles)
                        .steps(burn + plan.snapshots * gap).seed(ctx.seedFor("langevin-gibbs/" + beta + "/" + dt))
                        .build();
                CompiledProblem problem = Simulation.compile(spec);
                ParticleAverages avg = averages(plan.particles);
                ParticleState state = InitialStates.create(spec);
                Sampler.run(problem, ctx.engine(), state, burn, Sampler.Options.none());
                for (int s = 0; s < plan.snapshots; s++) {
                    Sampler.run(problem, ctx.engine(), state, burn + (s + 1) * gap, Sampler.Options.none());
                    avg.add(state);
                }
                // The kernels' step and noise scale are floats: σ²/2 = noiseScale²/(2Δt) exactly as simulated.
                double dtF = problem.fp()[CompiledProblem.FP_DT];
                double scale = problem.noiseScaleAt(0);
                runs[k] = new Run(dtF, scale * scale / (2 * dtF), avg, Simulation.coordinates(state)[0]);
            }
            out.addAll(evaluate(beta, runs, ctx.figures()));
        }
        return out;
    }

    @Override
    public List<ClaimResult> runOnExactDraws(CheckSize size, long seed) {
        Plan plan = plan(size);
        ExactDraws draws = new ExactDraws(seed);
        List<ClaimResult> out = new ArrayList<>();
        for (double beta : BETAS) {
            DoubleWellLaw law = new DoubleWellLaw(beta);
            Run[] runs = new Run[DTS.length];
            for (int k = 0; k < DTS.length; k++) {
                ParticleAverages avg = averages(plan.particles);
                double[][] x = new double[1][plan.particles];
                for (int s = 0; s < plan.snapshots; s++) {
                    x = new double[1][plan.particles];
                    for (int p = 0; p < plan.particles; p++) {
                        x[0][p] = law.quantile(draws.uniform());
                    }
                    avg.add(x);
                }
                // Exact draws come from the continuous Gibbs law: the identities hold with Δt = 0.
                runs[k] = new Run(0.0, 1 / beta, avg, x[0]);
            }
            out.addAll(evaluate(beta, runs, FigureSink.NONE));
        }
        return out;
    }

    private List<ClaimResult> evaluate(double beta, Run[] runs, FigureSink figures) {
        DoubleWellLaw law = new DoubleWellLaw(beta);
        Run fine = runs[runs.length - 1];
        String at = " (β = " + beta + ")";
        List<ClaimResult> out = new ArrayList<>();
        out.add(ClaimResult.test(name(), "x ~ exp(−2L/σ²)/Z: chi-square on equiprobable bins" + at,
                DensityTests.chiSquare(fine.finalStates(), law::cdf), Verdict.CONFIRMED));
        out.add(ClaimResult.test(name(), "x ~ exp(−2L/σ²)/Z: Kolmogorov–Smirnov D" + at,
                DensityTests.kolmogorovSmirnov(fine.finalStates(), law::cdf), Verdict.CONFIRMED));
        ParticleAverages avg = fine.averages();
        double[] lp2 = avg.values(2);
        double[] rhs = new double[lp2.length];
        for (int p = 0; p < rhs.length; p++) {
            rhs[p] = fine.halfSigma2() + 0.5 * fine.dt() * lp2[p];
        }
        out.add(ClaimResult.identity(name(), "E[(x−c)L′] = 1/β (+ Δt/2·E L′² under EM), c = " + C + at,
                Estimates.paired(avg.values(0), rhs), Verdict.CONFIRMED));
        double[] rhs2 = new double[lp2.length];
        for (int p = 0; p < rhs2.length; p++) {
            rhs2[p] = 1 + 0.25 * fine.halfSigma2() + fine.dt() / 8 * lp2[p];
        }
        out.add(ClaimResult.identity(name(), "E L + E x² = 1 + 1/(4β) (+ Δt/8·E L′² under EM)" + at,
                Estimates.paired(avg.values(1), rhs2), Verdict.CONFIRMED));
        Estimate meanSquare = Estimates.richardson(runs[0].averages().mean(3), fine.averages().mean(3));
        out.add(ClaimResult.value(name(), "E x² = ∫x²e^{−βL}/Z (O6; Richardson in Δt)" + at, meanSquare,
                law.moment(2), Verdict.CONFIRMED));
        histogramFigure(figures, beta, fine.finalStates(), law);
        return out;
    }

    private static void histogramFigure(FigureSink figures, double beta, double[] x, DoubleWellLaw law) {
        int bins = 60;
        double lo = -2.0;
        double hi = 2.0;
        double w = (hi - lo) / bins;
        long[] counts = new long[bins];
        for (double v : x) {
            int b = (int) Math.floor((v - lo) / w);
            if (b >= 0 && b < bins) {
                counts[b]++;
            }
        }
        double[] centres = new double[bins];
        double[] density = new double[bins];
        double[] err = new double[bins];
        for (int b = 0; b < bins; b++) {
            centres[b] = lo + (b + 0.5) * w;
            density[b] = counts[b] / (x.length * w);
            err[b] = Math.sqrt(counts[b]) / (x.length * w);
        }
        figures.pointsWithTheory("langevin-gibbs-beta" + (int) beta + ".png",
                "Langevin on the double well, β = " + beta + ": histogram vs exp(−βL)/Z", "x", "density",
                centres, density, err, law::density, lo, hi);
    }
}
