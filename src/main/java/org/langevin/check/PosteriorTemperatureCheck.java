package org.langevin.check;

import java.util.ArrayList;
import java.util.List;
import org.langevin.linalg.Matrices;
import org.langevin.model.Dynamics;
import org.langevin.model.LossKind;
import org.langevin.model.RunSpec;
import org.langevin.model.RunSpecBuilder;
import org.langevin.model.TrainingSet;
import org.langevin.model.TrainingSets;

/**
 * {@code posterior-temperature} (docs/theory.md §2 and O5): Langevin on Bayesian linear regression (prior
 * N(0, τ²I), noise variance s²) with σ² = 2/n samples the posterior N(m_N, S_N),
 * S_N = (XᵀX/s² + I/τ²)⁻¹, m_N = S_N Xᵀy/s²; under Euler–Maruyama with step Δt the mean is exact and the
 * covariance is exactly C = S_N(I − (Δt/2n)S_N⁻¹)⁻¹. The notes' σ² = 1/(2n) gives C/4 (the law
 * exp(−4nL)): its posterior-variance ratio E[(Φ−m_N)ᵀC⁻¹(Φ−m_N)]/d is ¼, not 1.
 */
public final class PosteriorTemperatureCheck implements Check {
    /** Examples. */
    static final int N = 20;
    /** Dimension. */
    static final int D = 2;
    /** Target noise standard deviation of the synthetic set, and s² of the model. */
    static final double NOISE_SD = 0.5;
    /** Prior variance τ². */
    static final double PRIOR_VARIANCE = 1.0;
    /** Euler–Maruyama step (Δt·λ_max(∇²L) ≈ 0.15). */
    static final double DT = 0.02;
    /** Steps before the first snapshot (the mean's transient decays below 1e-6 of its start). */
    static final long BURN_IN = 500;
    /** Snapshot spacing, about two decorrelation times of the slowest δ². */
    static final long SPACING = 25;
    /** Seed of the synthetic training set (fixed: the set is part of the check). */
    static final long DATA_SEED = 20240601L;

    @Override
    public String name() {
        return "posterior-temperature";
    }

    @Override
    public String description() {
        return "Langevin with σ² = 2/n samples the Bayesian posterior (O5); the notes' σ² = 1/(2n) is 4× too concentrated";
    }

    private record Plan(int particles, int snapshots) {
    }

    private static Plan plan(CheckSize size) {
        return new Plan(size.pick(10_000, 50_000, 200_000), size.pick(4, 8, 10));
    }

    /** The exact posterior of the check's data set. */
    record Posterior(TrainingSet data, double[] mean, double[][] covariance, double[][] emCovariance) {
    }

    static Posterior posterior() {
        TrainingSet data = TrainingSets.synthetic(N, D, NOISE_SD, DATA_SEED, false);
        double s2 = NOISE_SD * NOISE_SD;
        double[][] precision = new double[D][D];
        double[] xty = new double[D];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < D; j++) {
                xty[j] += data.x(i, j) * (double) data.y(i) / s2;
                for (int k = 0; k < D; k++) {
                    precision[j][k] += data.x(i, j) * (double) data.x(i, k) / s2;
                }
            }
        }
        for (int j = 0; j < D; j++) {
            precision[j][j] += 1 / PRIOR_VARIANCE;
        }
        double[][] sn = Matrices.inverse(precision, "posterior precision");
        double[] mn = Matrices.multiply(sn, xty);
        // C = S_N (I − (Δt/2n) S_N⁻¹)⁻¹ = (S_N⁻¹ − (Δt/2n) S_N⁻²)⁻¹
        double[][] em = Matrices.inverse(Matrices.linear(1, precision, -DT / (2.0 * N),
                Matrices.multiply(precision, precision)), "EM posterior precision");
        return new Posterior(data, mn, sn, em);
    }

    private static ParticleAverages averages(int particles, Posterior post) {
        double[][] inv = Matrices.inverse(post.emCovariance(), "covariance");
        double[] m = post.mean();
        return new ParticleAverages(particles, 6, (phi, out) -> {
            double a = phi[0] - m[0];
            double b = phi[1] - m[1];
            out[0] = phi[0];
            out[1] = phi[1];
            out[2] = a * a;
            out[3] = b * b;
            out[4] = a * b;
            out[5] = (inv[0][0] * a * a + 2 * inv[0][1] * a * b + inv[1][1] * b * b) / D;
        });
    }

    @Override
    public List<ClaimResult> run(CheckContext ctx) {
        Plan plan = plan(ctx.size());
        Posterior post = posterior();
        ParticleAverages right = averages(plan.particles, post);
        ParticleAverages notes = averages(plan.particles, post);
        double[] sigma2 = {2.0 / N, 1.0 / (2.0 * N)};
        ParticleAverages[] avg = {right, notes};
        for (int r = 0; r < 2; r++) {
            RunSpec spec = new RunSpecBuilder().dynamics(Dynamics.LANGEVIN).loss(LossKind.LINREG).dim(D)
                    .data(post.data()).noiseVariance(NOISE_SD * NOISE_SD).priorVariance(PRIOR_VARIANCE)
                    .sigma(Math.sqrt(sigma2[r])).dt(DT).particles(plan.particles)
                    .steps(BURN_IN + plan.snapshots * SPACING).seed(ctx.seedFor("posterior-temperature/" + r)).build();
            Simulation.snapshots(ctx, spec, BURN_IN, plan.snapshots, SPACING, avg[r]);
        }
        return evaluate(post, right, notes);
    }

    @Override
    public List<ClaimResult> runOnExactDraws(CheckSize size, long seed) {
        Plan plan = plan(size);
        Posterior post = posterior();
        ExactDraws draws = new ExactDraws(seed);
        ParticleAverages right = averages(plan.particles, post);
        ParticleAverages notes = averages(plan.particles, post);
        double[][] quarter = Matrices.linear(0.25, post.emCovariance(), 0, post.emCovariance());
        for (int s = 0; s < plan.snapshots; s++) {
            right.add(draws.gaussian(plan.particles, post.mean(), post.emCovariance()));
            notes.add(draws.gaussian(plan.particles, post.mean(), quarter));
        }
        return evaluate(post, right, notes);
    }

    private List<ClaimResult> evaluate(Posterior post, ParticleAverages right, ParticleAverages notes) {
        double[][] c = post.emCovariance();
        String at = " (O5, σ² = 2/n, Δt = " + DT + ")";
        List<ClaimResult> out = new ArrayList<>();
        out.add(ClaimResult.value(name(), "E Φ₁ = m_N₁" + at, right.mean(0), post.mean()[0], Verdict.CONFIRMED));
        out.add(ClaimResult.value(name(), "E Φ₂ = m_N₂" + at, right.mean(1), post.mean()[1], Verdict.CONFIRMED));
        out.add(ClaimResult.value(name(), "Var Φ₁ = C₁₁, C = S_N(I − Δt/(2n)·S_N⁻¹)⁻¹" + at, right.mean(2), c[0][0],
                Verdict.CONFIRMED));
        out.add(ClaimResult.value(name(), "Var Φ₂ = C₂₂" + at, right.mean(3), c[1][1], Verdict.CONFIRMED));
        out.add(ClaimResult.value(name(), "Cov(Φ₁,Φ₂) = C₁₂" + at, right.mean(4), c[0][1], Verdict.CONFIRMED));
        out.add(ClaimResult.value(name(), "σ² = 2/n samples the posterior: variance ratio E[δᵀC⁻¹δ]/d = 1",
                right.mean(5), 1.0, Verdict.CONFIRMED));
        out.add(ClaimResult.value(name(), "σ² = 1/(2n) samples the posterior (the notes): variance ratio = 1",
                notes.mean(5), 1.0, Verdict.REFUTED));
        out.add(ClaimResult.value(name(), "σ² = 1/(2n) samples exp(−4nL): variance ratio = ¼", notes.mean(5), 0.25,
                Verdict.CONFIRMED));
        return out;
    }
}
