package org.langevin.check;

import java.util.ArrayList;
import java.util.List;
import org.langevin.engine.CompiledProblem;
import org.langevin.linalg.Lyapunov;
import org.langevin.linalg.Matrices;
import org.langevin.model.Dynamics;
import org.langevin.model.InitialState;
import org.langevin.model.LossKind;
import org.langevin.model.RunSpec;
import org.langevin.model.RunSpecBuilder;
import org.langevin.model.SdeNoise;
import org.langevin.model.TrainingSet;
import org.langevin.model.TrainingSets;

/**
 * {@code sgd-sde} (docs/theory.md §1, O2, O4): discrete SGD (batch 1) and the SGD SDE
 * dΦ = −∇L dt + √η S dW (S Sᵀ = Σ(Φ*), constant) on the same linear regression have stationary covariances
 * that agree to O(η). The SGD covariance is the exact O2 solution; the SDE, simulated by Euler–Maruyama
 * at Δt = 0.01, has the exact covariance C = M C Mᵀ + ηΔt S Sᵀ, M = I − ΔtH. Measured: each against its
 * oracle (posterior-style ratio E[δᵀC⁻¹δ]/d = 1), and the relative gap g = tr C_SGD / tr C_SDE − 1 at η
 * and η/2 with its error bar, whose ratio g(η)/g(η/2) is about 2 (first order in η).
 */
public final class SgdSdeCheck implements Check {
    /** Examples, dimension, target noise, data seed. */
    static final int N = 50;
    static final int D = 2;
    static final double NOISE = 0.5;
    static final long SEED = 43L;
    /** Learning rates η and η/2. */
    static final double[] ETAS = {0.1, 0.05};
    /** Euler–Maruyama step of the SDE. */
    static final double SDE_DT = 0.01;
    /** Burn-in in relaxation times. */
    static final double BURN_IN_TIMES = 8;

    @Override
    public String name() {
        return "sgd-sde";
    }

    @Override
    public String description() {
        return "discrete SGD vs the SGD SDE: stationary covariances (O2 vs EM-OU) agree to O(η); gap measured at η, η/2";
    }

    private record Plan(int particles, int snapshots) {
    }

    private static Plan plan(CheckSize size) {
        return new Plan(size.pick(10_000, 40_000, 150_000), size.pick(4, 8, 16));
    }

    static TrainingSet data() {
        return TrainingSets.synthetic(N, D, NOISE, SEED, false);
    }

    /** @return the SDE's EM covariance for η and a noise factor S */
    static double[][] sdeCovariance(double[][] h, double[][] s, double eta) {
        double[][] q = Matrices.multiply(s, Matrices.transpose(s));
        return Lyapunov.eulerMaruyamaStationary(h, Matrices.linear(eta, q, 0, q), SDE_DT);
    }

    private static ParticleAverages averages(int particles, double[] centre, double[][] cov) {
        double[][] inv = Matrices.inverse(cov, "covariance");
        return new ParticleAverages(particles, 2, (phi, out) -> {
            double a = phi[0] - centre[0];
            double b = phi[1] - centre[1];
            out[0] = a * a + b * b;
            out[1] = (inv[0][0] * a * a + 2 * inv[0][1] * a * b + inv[1][1] * b * b) / D;
        });
    }

    /** Oracles of one η. */
    private record Oracles(double[][] sgd, double[][] sde) {
    }

    @Override
    public List<ClaimResult> run(CheckContext ctx) {
        Plan plan = plan(ctx.size());
        TrainingSet data = data();
        LinregOracle stats = new LinregOracle(data, 1.0);
        double lambdaMin = stats.smallestCurvature();
        double[] star = stats.phiStar();
        Oracles[] oracles = new Oracles[ETAS.length];
        ParticleAverages[][] avg = new ParticleAverages[ETAS.length][2];
        for (int k = 0; k < ETAS.length; k++) {
            double eta = ETAS[k];
            RunSpec sgd = new RunSpecBuilder().dynamics(Dynamics.SGD).loss(LossKind.LINREG).dim(D).data(data)
                    .noiseVariance(1.0).lr(eta).batch(1).init(new InitialState(star, 0)).particles(plan.particles)
                    .steps(1).seed(ctx.seedFor("sgd-sde/sgd/" + eta)).build();
            RunSpec sde = new RunSpecBuilder().dynamics(Dynamics.SGD_SDE).loss(LossKind.LINREG).dim(D).data(data)
                    .noiseVariance(1.0).lr(eta).dt(SDE_DT).sdeNoise(SdeNoise.CONSTANT).init(new InitialState(star, 0))
                    .particles(plan.particles).steps(1).seed(ctx.seedFor("sgd-sde/sde/" + eta)).build();
            // The SDE's noise factor as the kernels receive it (float), so the oracle matches the simulation.
            CompiledProblem compiled = Simulation.compile(sde);
            double[][] s = new double[D][D];
            for (int i = 0; i < D; i++) {
                for (int j = 0; j < D; j++) {
                    s[i][j] = compiled.fp()[CompiledProblem.fpChol(D) + i * D + j];
                }
            }
            oracles[k] = new Oracles(stats.sgdCovariance((float) eta, 1.0),
                    sdeCovariance(stats.hessian(), s, (float) eta));
            avg[k][0] = averages(plan.particles, star, oracles[k].sgd());
            avg[k][1] = averages(plan.particles, star, oracles[k].sde());
            long sgdRelax = (long) Math.ceil(1 / (eta * lambdaMin));
            long sdeRelax = (long) Math.ceil(1 / (SDE_DT * lambdaMin));
            snapshots(ctx, sgd, sgdRelax, plan.snapshots, avg[k][0]);
            snapshots(ctx, sde, sdeRelax, plan.snapshots, avg[k][1]);
        }
        return evaluate(oracles, avg);
    }

    private static void snapshots(CheckContext ctx, RunSpec spec, long relax, int count, ParticleAverages avg) {
        long burn = (long) Math.ceil(BURN_IN_TIMES * relax);
        RunSpec full = spec.toBuilder().steps(burn + count * relax).build();
        Simulation.snapshots(ctx, full, burn, count, relax, avg);
    }

    @Override
    public List<ClaimResult> runOnExactDraws(CheckSize size, long seed) {
        Plan plan = plan(size);
        TrainingSet data = data();
        LinregOracle stats = new LinregOracle(data, 1.0);
        double[] star = stats.phiStar();
        ExactDraws draws = new ExactDraws(seed);
        Oracles[] oracles = new Oracles[ETAS.length];
        ParticleAverages[][] avg = new ParticleAverages[ETAS.length][2];
        for (int k = 0; k < ETAS.length; k++) {
            double eta = ETAS[k];
            oracles[k] = new Oracles(stats.sgdCovariance(eta, 1.0),
                    sdeCovariance(stats.hessian(), Matrices.cholesky(stats.noise(), "Sigma"), eta));
            for (int m = 0; m < 2; m++) {
                double[][] c = m == 0 ? oracles[k].sgd() : oracles[k].sde();
                avg[k][m] = averages(plan.particles, star, c);
                for (int s = 0; s < plan.snapshots; s++) {
                    avg[k][m].add(draws.gaussian(plan.particles, star, c));
                }
            }
        }
        return evaluate(oracles, avg);
    }

    private List<ClaimResult> evaluate(Oracles[] oracles, ParticleAverages[][] avg) {
        List<ClaimResult> out = new ArrayList<>();
        Estimate[] gaps = new Estimate[ETAS.length];
        double[] exactGaps = new double[ETAS.length];
        for (int k = 0; k < ETAS.length; k++) {
            double eta = ETAS[k];
            out.add(ClaimResult.value(name(), "SGD covariance = O2 solution: E[δᵀC⁻¹δ]/d = 1, η = " + eta,
                    avg[k][0].mean(1), 1.0, Verdict.CONFIRMED));
            out.add(ClaimResult.value(name(), "SGD SDE covariance = EM Lyapunov (O4, Δt = " + SDE_DT
                    + "): E[δᵀC⁻¹δ]/d = 1, η = " + eta, avg[k][1].mean(1), 1.0, Verdict.CONFIRMED));
            Estimate ratio = Estimates.ratio(avg[k][0].mean(0), avg[k][1].mean(0));
            gaps[k] = new Estimate(ratio.value() - 1, ratio.stdErr());
            exactGaps[k] = Matrices.trace(oracles[k].sgd()) / Matrices.trace(oracles[k].sde()) - 1;
            out.add(ClaimResult.value(name(), "relative gap tr C_SGD / tr C_SDE − 1 (exact O2 vs EM), η = " + eta,
                    gaps[k], exactGaps[k], Verdict.CONFIRMED));
        }
        out.add(ClaimResult.value(name(), String.format("gap is O(η): g(η)/g(η/2) = %.3f (exact; 2 to first order)",
                exactGaps[0] / exactGaps[1]), Estimates.ratio(gaps[0], gaps[1]), exactGaps[0] / exactGaps[1],
                Verdict.CONFIRMED));
        return out;
    }
}
