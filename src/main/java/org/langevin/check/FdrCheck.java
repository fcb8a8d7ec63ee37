package org.langevin.check;

import java.util.ArrayList;
import java.util.List;
import org.langevin.linalg.LogisticStats;
import org.langevin.model.Dynamics;
import org.langevin.model.InitialState;
import org.langevin.model.LossKind;
import org.langevin.model.RunSpec;
import org.langevin.model.RunSpecBuilder;
import org.langevin.model.Sampling;
import org.langevin.model.TrainingSet;
import org.langevin.model.TrainingSets;

/**
 * {@code fdr} (docs/theory.md O3, Yaida's FDR1): at stationarity of SGD, for any loss and any fixed c,
 * E[(Φ − c)·∇L(Φ)] = (η/2)E‖ĝ‖², where for a batch of B examples E‖ĝ‖² = ‖∇L‖² + κ(m₂ − ‖∇L‖²),
 * m₂ = (1/n)Σ‖∇L_i‖², κ = 1/B with replacement and (n − B)/(B(n − 1)) without. Both sides are computed
 * per particle from its state and their paired difference averaged. Checked on logistic regression (not
 * quadratic) for several c and batch sizes, with and without replacement, and on linear regression with
 * B = n/2 without replacement, where κ is half of 1/B. The difference of two centres gives E∇L = 0.
 */
public final class FdrCheck implements Check {
    /** Logistic regression: examples, dimension, data seed (the loss-slope set). */
    static final int LOG_N = 64;
    static final int LOG_D = 2;
    /** Logistic learning rate. */
    static final double LOG_ETA = 0.4;
    /** Linear regression: examples, dimension, noise, seed, batch, learning rate. */
    static final int LIN_N = 16;
    static final int LIN_D = 2;
    static final double LIN_NOISE = 0.5;
    static final long LIN_SEED = 41L;
    static final int LIN_BATCH = 8;
    static final double LIN_ETA = 0.1;
    /** Burn-in and spacing in relaxation times 1/(ηλ_min). */
    static final double BURN_IN_TIMES = 8;

    @Override
    public String name() {
        return "fdr";
    }

    @Override
    public String description() {
        return "FDR1: E[(Φ−c)·∇L] = (η/2)E‖ĝ‖² for several c, batch sizes, logistic loss, with/without replacement";
    }

    private record Plan(int particles, int snapshots) {
    }

    private static Plan plan(CheckSize size) {
        return new Plan(size.pick(5_000, 20_000, 100_000), size.pick(4, 8, 16));
    }

    /** One SGD configuration. */
    private record Config(String label, TrainingSet data, LossKind loss, double eta, int batch, Sampling sampling,
                          double[] phiStar, double lambdaMin) {
        double kappa() {
            return sampling.kappa(batch, data.n());
        }
    }

    /**
     * Per-particle averages of (Φ−c)·∇L for the centres, then ‖∇L‖², m₂ and ∇L itself.
     * Rows: 0..k−1 the centres, k: ‖∇L‖², k+1: m₂, k+2..k+1+d: ∇L.
     */
    private static ParticleAverages averages(int particles, ExampleLosses loss, double[][] centres) {
        int d = loss.dim();
        int k = centres.length;
        return new ParticleAverages(particles, k + 2 + d, (phi, out) -> {
            double[] g = new double[d];
            double m2 = loss.gradient(phi, g);
            double g2 = 0;
            for (int j = 0; j < d; j++) {
                g2 += g[j] * g[j];
                out[k + 2 + j] = g[j];
            }
            for (int c = 0; c < k; c++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += (phi[j] - centres[c][j]) * g[j];
                }
                out[c] = s;
            }
            out[k] = g2;
            out[k + 1] = m2;
        });
    }

    private static List<Config> configs() {
        TrainingSet log = TrainingSets.synthetic(LOG_N, LOG_D, 1.0, LossSlopeCheck.LOG_SEED, true);
        LogisticStats ls = LossSlopeCheck.logisticStats(log);
        double logMin = LossSlopeCheck.smallestEigenvalue(ls.hessian());
        TrainingSet lin = linregData();
        LinregOracle rs = new LinregOracle(lin, 1.0);
        double linMin = rs.smallestCurvature();
        return List.of(
                new Config("logistic, B = 1", log, LossKind.LOGISTIC, LOG_ETA, 1, Sampling.WITH_REPLACEMENT,
                        ls.phiStar(), logMin),
                new Config("logistic, B = 4 with replacement", log, LossKind.LOGISTIC, LOG_ETA, 4,
                        Sampling.WITH_REPLACEMENT, ls.phiStar(), logMin),
                new Config("logistic, B = 4 without replacement", log, LossKind.LOGISTIC, LOG_ETA, 4,
                        Sampling.WITHOUT_REPLACEMENT, ls.phiStar(), logMin),
                new Config("linreg n = " + LIN_N + ", B = " + LIN_BATCH + " without replacement", lin, LossKind.LINREG,
                        LIN_ETA, LIN_BATCH, Sampling.WITHOUT_REPLACEMENT, rs.phiStar(), linMin));
    }

    static TrainingSet linregData() {
        return TrainingSets.synthetic(LIN_N, LIN_D, LIN_NOISE, LIN_SEED, false);
    }

    /** @return the centres of a configuration: Φ*, and for the first configuration also 0 and (1, −1) */
    private static double[][] centres(Config c, boolean first) {
        if (!first) {
            return new double[][] {c.phiStar()};
        }
        double[] other = new double[c.phiStar().length];
        other[0] = 1;
        other[1] = -1;
        return new double[][] {c.phiStar(), new double[c.phiStar().length], other};
    }

    @Override
    public List<ClaimResult> run(CheckContext ctx) {
        Plan plan = plan(ctx.size());
        List<ClaimResult> out = new ArrayList<>();
        List<Config> configs = configs();
        for (int i = 0; i < configs.size(); i++) {
            Config c = configs.get(i);
            ExampleLosses loss = new ExampleLosses(c.data(), c.loss(), 1.0);
            double[][] centres = centres(c, i == 0);
            ParticleAverages avg = averages(plan.particles, loss, centres);
            long relax = (long) Math.ceil(1 / (c.eta() * c.lambdaMin()));
            long burn = (long) Math.ceil(BURN_IN_TIMES * relax);
            RunSpec spec = new RunSpecBuilder().dynamics(Dynamics.SGD).loss(c.loss()).dim(c.data().d()).data(c.data())
                    .noiseVariance(1.0).lr(c.eta()).batch(c.batch()).sampling(c.sampling())
                    .init(new InitialState(c.phiStar(), 0)).particles(plan.particles)
                    .steps(burn + plan.snapshots * relax).seed(ctx.seedFor("fdr/" + i)).build();
            Simulation.snapshots(ctx, spec, burn, plan.snapshots, relax, avg);
            out.addAll(evaluate(c, centres, avg, i == 0));
        }
        return out;
    }

    @Override
    public List<ClaimResult> runOnExactDraws(CheckSize size, long seed) {
        // Only linear regression has an exact stationary law (Gaussian moments from O2 suffice: both sides
        // of FDR1 are quadratic in Φ there); the logistic configurations have no exact sampler.
        Plan plan = plan(size);
        List<Config> configs = configs();
        Config c = configs.get(configs.size() - 1);
        double[][] cov = new LinregOracle(c.data(), 1.0).sgdCovariance(c.eta(), c.kappa());
        ExampleLosses loss = new ExampleLosses(c.data(), c.loss(), 1.0);
        double[][] centres = centres(c, true);
        ParticleAverages avg = averages(plan.particles, loss, centres);
        ExactDraws draws = new ExactDraws(seed);
        for (int s = 0; s < plan.snapshots; s++) {
            avg.add(draws.gaussian(plan.particles, c.phiStar(), cov));
        }
        return evaluate(c, centres, avg, true);
    }

    private List<ClaimResult> evaluate(Config c, double[][] centres, ParticleAverages avg, boolean withGradientMean) {
        int k = centres.length;
        double[] g2 = avg.values(k);
        double[] m2 = avg.values(k + 1);
        double kappa = c.kappa();
        double[] rhs = new double[g2.length];
        for (int p = 0; p < rhs.length; p++) {
            rhs[p] = 0.5 * c.eta() * (g2[p] + kappa * (m2[p] - g2[p]));
        }
        String[] names = {"c = Φ*", "c = 0", "c = (1, −1)"};
        List<ClaimResult> out = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            out.add(ClaimResult.identity(name(), "E[(Φ−c)·∇L] = (η/2)E‖ĝ‖², " + names[i] + ", " + c.label()
                    + String.format(", κ = %.4g, η = %s", kappa, c.eta()), Estimates.paired(avg.values(i), rhs),
                    Verdict.CONFIRMED));
        }
        if (withGradientMean) {
            for (int j = 0; j < 2; j++) {
                out.add(ClaimResult.value(name(), "E ∂L/∂Φ" + (j == 0 ? "₁" : "₂") + " = 0 at stationarity, " + c.label(),
                        avg.mean(k + 2 + j), 0.0, Verdict.CONFIRMED));
            }
        }
        return out;
    }
}
