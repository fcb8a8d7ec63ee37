package org.langevin.check;

import java.util.ArrayList;
import java.util.List;
import org.langevin.engine.CompiledProblem;
import org.langevin.model.Dynamics;
import org.langevin.model.LossKind;
import org.langevin.model.PreconditionerKind;
import org.langevin.model.RunSpec;
import org.langevin.model.RunSpecBuilder;
import org.langevin.model.TrainingSet;

/**
 * {@code two-temperatures} (docs/theory.md §2): SGD on the separable loss ½h_x x² + ½h_y y² with constant
 * diagonal gradient noise (s_x, s_y) and a diagonal preconditioner D is, per coordinate, the exact O1
 * chain Φ_k ← (1 − ηD_k h_k)Φ_k + ηD_k ξ_k, so the temperature T_k = h_k Var Φ_k is exactly
 * η D_k s_k² / (2 − η D_k h_k). With D = I the two temperatures are η s_k²/2 (not Gibbs); with
 * D = Σ⁻¹ both are η/2 (Gibbs); with RMSProp's D = diag(1/s_k) they are η s_k/2 (still two). Here
 * h_k ∝ s_k², so with D = Σ⁻¹ the two temperatures are exactly equal at any η.
 */
public final class TwoTemperaturesCheck implements Check {
    /** Curvatures h_x, h_y (h_k = s_k²). */
    static final double[] H = {1.0, 0.25};
    /** Noise standard deviations s_x, s_y (powers of two: every D below is exact in float). */
    static final double[] S = {1.0, 0.5};
    /** Learning rate. */
    static final double ETA = 0.04;
    /** Burn-in: the slowest coordinate (η h_y = 0.01) relaxes as e^{−0.02 k} in variance. */
    static final long BURN_IN = 1000;
    /** Snapshot spacing, two decorrelation times of the slowest Φ_k². */
    static final long SPACING = 100;

    /** The preconditioners compared. */
    static final PreconditionerKind[] KINDS = {PreconditionerKind.IDENTITY, PreconditionerKind.INVERSE_NOISE,
            PreconditionerKind.RMSPROP};

    @Override
    public String name() {
        return "two-temperatures";
    }

    @Override
    public String description() {
        return "separable 2-D SGD: temperatures ηs_k²/2 (two); D = Σ⁻¹ gives one, η/2; RMSProp gives ηs_k/2 (two)";
    }

    private record Plan(int particles, int snapshots) {
    }

    private static Plan plan(CheckSize size) {
        return new Plan(size.pick(10_000, 50_000, 100_000), size.pick(4, 8, 16));
    }

    /** @return the four rows (±s_x, ±s_y): mean exactly 0, covariance exactly diag(s_x², s_y²) */
    static TrainingSet noiseRows() {
        float[] x = new float[8];
        int r = 0;
        for (int a = -1; a <= 1; a += 2) {
            for (int b = -1; b <= 1; b += 2) {
                x[2 * r] = (float) (a * S[0]);
                x[2 * r + 1] = (float) (b * S[1]);
                r++;
            }
        }
        return new TrainingSet(4, 2, x, new float[4]);
    }

    /** @return the diagonal of D that docs/theory.md prescribes for a preconditioner */
    static double[] theoryD(PreconditionerKind kind) {
        double[] d = new double[2];
        for (int k = 0; k < 2; k++) {
            d[k] = switch (kind) {
                case INVERSE_NOISE -> 1 / (S[k] * S[k]);
                case RMSPROP -> 1 / S[k];
                default -> 1.0;
            };
        }
        return d;
    }

    /** @return the exact temperature η D s²/(2 − η D h) */
    static double temperature(double d, int k) {
        return ETA * d * S[k] * S[k] / (2 - ETA * d * H[k]);
    }

    private static ParticleAverages temperatures(int particles) {
        return new ParticleAverages(particles, 2, (phi, out) -> {
            out[0] = H[0] * phi[0] * phi[0];
            out[1] = H[1] * phi[1] * phi[1];
        });
    }

    @Override
    public List<ClaimResult> run(CheckContext ctx) {
        Plan plan = plan(ctx.size());
        ParticleAverages[] avg = new ParticleAverages[KINDS.length];
        double[][] ds = new double[KINDS.length][];
        for (int c = 0; c < KINDS.length; c++) {
            RunSpec spec = new RunSpecBuilder().dynamics(Dynamics.SGD).loss(LossKind.QUADRATIC).dim(2)
                    .quadratic(new double[][] {{H[0], 0}, {0, H[1]}}, new double[2]).data(noiseRows()).lr(ETA)
                    .batch(1).preconditioner(KINDS[c], null).particles(plan.particles)
                    .steps(BURN_IN + plan.snapshots * SPACING).seed(ctx.seedFor("two-temperatures/" + KINDS[c]))
                    .build();
            ds[c] = compiledD(Simulation.compile(spec), KINDS[c]);
            avg[c] = temperatures(plan.particles);
            Simulation.snapshots(ctx, spec, BURN_IN, plan.snapshots, SPACING, avg[c]);
        }
        return evaluate(avg, ds);
    }

    /** @return the diagonal of D the kernels receive (identity: 1), checking that D is diagonal */
    private static double[] compiledD(CompiledProblem problem, PreconditionerKind kind) {
        if (kind == PreconditionerKind.IDENTITY) {
            return new double[] {1, 1};
        }
        int off = CompiledProblem.fpPrec(2);
        float[] fp = problem.fp();
        if (fp[off + 1] != 0f || fp[off + 2] != 0f) {
            throw new IllegalStateException("preconditioner " + kind + " compiled to a non-diagonal D: "
                    + fp[off + 1] + ", " + fp[off + 2] + " (the noise rows have diagonal covariance)");
        }
        return new double[] {fp[off], fp[off + 3]};
    }

    @Override
    public List<ClaimResult> runOnExactDraws(CheckSize size, long seed) {
        Plan plan = plan(size);
        ExactDraws draws = new ExactDraws(seed);
        ParticleAverages[] avg = new ParticleAverages[KINDS.length];
        double[][] ds = new double[KINDS.length][];
        for (int c = 0; c < KINDS.length; c++) {
            ds[c] = theoryD(KINDS[c]);
            avg[c] = temperatures(plan.particles);
            double[][] cov = new double[2][2];
            for (int k = 0; k < 2; k++) {
                cov[k][k] = temperature(ds[c][k], k) / H[k];
            }
            for (int s = 0; s < plan.snapshots; s++) {
                avg[c].add(draws.gaussian(plan.particles, new double[2], cov));
            }
        }
        return evaluate(avg, ds);
    }

    private List<ClaimResult> evaluate(ParticleAverages[] avg, double[][] ds) {
        List<ClaimResult> out = new ArrayList<>();
        String[] coord = {"x", "y"};
        String[] label = {"D = I: T_k = ηs_k²/(2−ηh_k)", "D = Σ⁻¹: T_k = η/(2−ηh_k/s_k²)",
                "D = diag(1/s_k): T_k = ηs_k/(2−ηh_k/s_k)"};
        for (int c = 0; c < KINDS.length; c++) {
            for (int k = 0; k < 2; k++) {
                out.add(ClaimResult.value(name(), label[c] + ", T_" + coord[k] + " (η = " + ETA + ")", avg[c].mean(k),
                        temperature(ds[c][k], k), Verdict.CONFIRMED));
            }
        }
        Estimate plain = Estimates.ratio(avg[0].values(0), avg[0].values(1));
        Estimate whitened = Estimates.ratio(avg[1].values(0), avg[1].values(1));
        Estimate rms = Estimates.ratio(avg[2].values(0), avg[2].values(1));
        out.add(ClaimResult.value(name(), "D = I gives one temperature, T_x/T_y = 1 (Gibbs)", plain, 1.0,
                Verdict.REFUTED));
        out.add(ClaimResult.value(name(), "D = Σ⁻¹ gives one temperature, T_x/T_y = 1 (Gibbs exp(−2L/η))", whitened,
                1.0, Verdict.CONFIRMED));
        out.add(ClaimResult.value(name(), "RMSProp D = diag(1/s_k) gives one temperature, T_x/T_y = 1", rms, 1.0,
                Verdict.REFUTED));
        return out;
    }
}
