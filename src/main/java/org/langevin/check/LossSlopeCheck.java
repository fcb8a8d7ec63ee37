package org.langevin.check;

import java.util.ArrayList;
import java.util.List;
import org.langevin.linalg.LogisticStats;
import org.langevin.model.Dynamics;
import org.langevin.model.InitialState;
import org.langevin.model.LossKind;
import org.langevin.model.RunSpec;
import org.langevin.model.RunSpecBuilder;
import org.langevin.model.TrainingSet;
import org.langevin.model.TrainingSets;

/**
 * {@code loss-slope} (docs/theory.md O2, O3): for SGD (batch 1, with replacement) on linear regression the
 * stationary excess loss satisfies L(η) − L* = (η/4)E‖∇L_i(Φ)‖² exactly at every stable η, checked with
 * paired per-particle differences at η, η/2, η/4, η/8; it equals ½tr(HC) with C the exact O2 covariance.
 * The slope at η = 0 is ¼E_i‖g_i‖² = ¼tr Σ(Φ*), estimated by a weighted fit of a + bη + cη² to the
 * measured L(η) − L*, for linear regression (d = 3) and for logistic regression (d = 2, slope only). The
 * fit's own bias (from the curvature beyond η²) is evaluated on the exact O2 values and reported.
 * Particles start at Φ* and burn in for 6 relaxation times 1/(ηλ_min(H)); snapshots are one relaxation
 * time apart and averaged per particle.
 */
public final class LossSlopeCheck implements Check {
    /** Linear regression: examples, dimension, target noise, data seed. */
    static final int LIN_N = 100;
    static final int LIN_D = 3;
    static final double LIN_NOISE = 0.5;
    static final long LIN_SEED = 31L;
    /** Learning rates of the linear-regression runs. */
    static final double[] LIN_ETAS = {0.02, 0.01, 0.005, 0.0025};
    /** Logistic regression: examples, dimension, data seed. */
    static final int LOG_N = 64;
    static final int LOG_D = 2;
    static final long LOG_SEED = 39L;
    /** Learning rates of the logistic-regression runs. */
    static final double[] LOG_ETAS = {0.16, 0.08, 0.04, 0.02};
    /** Burn-in in relaxation times. */
    static final double BURN_IN_TIMES = 6;

    @Override
    public String name() {
        return "loss-slope";
    }

    @Override
    public String description() {
        return "L(η) − L* = (η/4)E‖∇L_i‖² exactly (linreg, O2/O3); slope ¼tr Σ(Φ*) by a + bη + cη² fits (linreg, logistic)";
    }

    private record Plan(int particles, int snapshots, int logisticParticles, int logisticSnapshots) {
    }

    private static Plan plan(CheckSize size) {
        return new Plan(size.pick(5_000, 20_000, 100_000), size.pick(4, 8, 20), size.pick(5_000, 10_000, 50_000),
                size.pick(4, 8, 16));
    }

    static TrainingSet linregData() {
        return TrainingSets.synthetic(LIN_N, LIN_D, LIN_NOISE, LIN_SEED, false);
    }

    static TrainingSet logisticData() {
        return TrainingSets.synthetic(LOG_N, LOG_D, 1.0, LOG_SEED, true);
    }

    static double smallestEigenvalue(double[][] h) {
        return LinregOracle.smallestEigenvalue(h);
    }

    /** @return the Newton minimiser of the logistic set (seed chosen so that it converges, see the report) */
    static LogisticStats logisticStats(TrainingSet t) {
        return LogisticStats.of(t.features(), t.targets(), t.d());
    }

    /** Measured L(η) − L* (and, for linear regression, the identity) at each η. */
    private record Points(double[] etas, Estimate[] excess, PairedEstimate[] identity) {
    }

    private static RunSpec spec(TrainingSet data, LossKind loss, double eta, double[] start, int particles, long steps,
                                long seed) {
        return new RunSpecBuilder().dynamics(Dynamics.SGD).loss(loss).dim(data.d()).data(data).noiseVariance(1.0)
                .lr(eta).batch(1).init(new InitialState(start, 0)).particles(particles).steps(steps).seed(seed)
                .build();
    }

    @Override
    public List<ClaimResult> run(CheckContext ctx) {
        Plan plan = plan(ctx.size());
        TrainingSet lin = linregData();
        LinregOracle oracle = new LinregOracle(lin, 1.0);
        ExampleLosses linLoss = oracle.losses;
        double linMin = oracle.smallestCurvature();
        double lStar = oracle.minimumLoss;
        int n = LIN_ETAS.length;
        Estimate[] excess = new Estimate[n];
        PairedEstimate[] identity = new PairedEstimate[n];
        for (int k = 0; k < n; k++) {
            double eta = LIN_ETAS[k];
            ParticleAverages avg = identityAverages(plan.particles, linLoss, lStar, eta);
            runSnapshots(ctx, lin, LossKind.LINREG, eta, oracle.phiStar(), linMin, plan.particles, plan.snapshots, avg,
                    "loss-slope/linreg/" + eta);
            excess[k] = avg.mean(0);
            identity[k] = Estimates.paired(avg.values(0), avg.values(1));
        }
        TrainingSet logData = logisticData();
        LogisticStats logGeo = logisticStats(logData);
        ExampleLosses logLoss = new ExampleLosses(logData, LossKind.LOGISTIC, 1.0);
        double logMin = smallestEigenvalue(logGeo.hessian());
        double logStar = logLoss.loss(logGeo.phiStar());
        Estimate[] logExcess = new Estimate[LOG_ETAS.length];
        for (int k = 0; k < LOG_ETAS.length; k++) {
            double eta = LOG_ETAS[k];
            ParticleAverages avg = new ParticleAverages(plan.logisticParticles, 1,
                    (phi, out) -> out[0] = logLoss.loss(phi) - logStar);
            runSnapshots(ctx, logData, LossKind.LOGISTIC, eta, logGeo.phiStar(), logMin, plan.logisticParticles,
                    plan.logisticSnapshots, avg, "loss-slope/logistic/" + eta);
            logExcess[k] = avg.mean(0);
        }
        List<ClaimResult> out = new ArrayList<>(evaluateLinreg(oracle, new Points(LIN_ETAS, excess, identity),
                ctx.figures()));
        double logSlope = 0.25 * logGeo.meanSquaredGradientNorm();
        out.add(slopeClaim("logistic regression (d = " + LOG_D + ")", LOG_ETAS, logExcess, logSlope, Double.NaN));
        excessFigure(ctx.figures(), "loss-slope-logistic.png", "SGD on logistic regression: L(η) − L* vs η "
                + "(line: slope ¼tr Σ)", LOG_ETAS, logExcess, eta -> logSlope * eta);
        return out;
    }

    private static ParticleAverages identityAverages(int particles, ExampleLosses loss, double lStar, double eta) {
        int d = loss.dim();
        return new ParticleAverages(particles, 2, (phi, out) -> {
            double[] g = new double[d];
            double m2 = loss.gradient(phi, g);
            out[0] = loss.loss(phi) - lStar;
            out[1] = 0.25 * eta * m2;
        });
    }

    private static void runSnapshots(CheckContext ctx, TrainingSet data, LossKind loss, double eta, double[] start,
                                     double lambdaMin, int particles, int snapshots, ParticleAverages avg, String label) {
        long relax = (long) Math.ceil(1 / (eta * lambdaMin));
        long burn = (long) Math.ceil(BURN_IN_TIMES * relax);
        RunSpec spec = spec(data, loss, eta, start, particles, burn + snapshots * relax, ctx.seedFor(label));
        Simulation.snapshots(ctx, spec, burn, snapshots, relax, avg);
    }

    @Override
    public List<ClaimResult> runOnExactDraws(CheckSize size, long seed) {
        Plan plan = plan(size);
        TrainingSet lin = linregData();
        LinregOracle oracle = new LinregOracle(lin, 1.0);
        ExampleLosses linLoss = oracle.losses;
        double lStar = oracle.minimumLoss;
        ExactDraws draws = new ExactDraws(seed);
        int n = LIN_ETAS.length;
        Estimate[] excess = new Estimate[n];
        PairedEstimate[] identity = new PairedEstimate[n];
        for (int k = 0; k < n; k++) {
            double eta = LIN_ETAS[k];
            double[][] c = oracle.sgdCovariance(eta, 1.0);
            ParticleAverages avg = identityAverages(plan.particles, linLoss, lStar, eta);
            for (int s = 0; s < plan.snapshots; s++) {
                avg.add(draws.gaussian(plan.particles, oracle.phiStar(), c));
            }
            excess[k] = avg.mean(0);
            identity[k] = Estimates.paired(avg.values(0), avg.values(1));
        }
        return evaluateLinreg(oracle, new Points(LIN_ETAS, excess, identity), FigureSink.NONE);
    }

    private List<ClaimResult> evaluateLinreg(LinregOracle oracle, Points points, FigureSink figures) {
        List<ClaimResult> out = new ArrayList<>();
        int n = points.etas().length;
        for (int k = 0; k < n; k++) {
            out.add(ClaimResult.identity(name(), "L(η) − L* = (η/4)E‖∇L_i‖² (O3, linreg d = " + LIN_D + "), η = "
                    + points.etas()[k], points.identity()[k], Verdict.CONFIRMED));
        }
        double eta0 = points.etas()[0];
        out.add(ClaimResult.value(name(), "L(η) − L* = ½tr(HC), C the O2 covariance, η = " + eta0,
                points.excess()[0], oracle.excessLoss((float) eta0, 1.0), Verdict.CONFIRMED));
        double[] exact = new double[n];
        double[] se = new double[n];
        for (int k = 0; k < n; k++) {
            exact[k] = oracle.excessLoss((float) points.etas()[k], 1.0);
            se[k] = points.excess()[k].stdErr();
        }
        double fitOnExact = LeastSquares.polynomial(points.etas(), exact, se, 2).coefficients()[1];
        double slope = oracle.slopeAtZero();
        out.add(slopeClaim("linreg (d = " + LIN_D + ")", points.etas(), points.excess(), slope, fitOnExact - slope));
        excessFigure(figures, "loss-slope-linreg.png", "SGD on linear regression: L(η) − L* vs η (theory: O2)",
                points.etas(), points.excess(), eta -> oracle.excessLoss(eta, 1.0));
        return out;
    }

    private ClaimResult slopeClaim(String problem, double[] etas, Estimate[] excess, double slope, double fitBias) {
        double[] y = new double[etas.length];
        double[] se = new double[etas.length];
        for (int k = 0; k < etas.length; k++) {
            y[k] = excess[k].value();
            se[k] = excess[k].stdErr();
        }
        LeastSquares.Fit fit = LeastSquares.polynomial(etas, y, se, 2);
        String bias = Double.isNaN(fitBias) ? "" : String.format("; fit bias on exact O2 values %.1e", fitBias);
        return ClaimResult.value(name(), "dL/dη at 0 = ¼tr Σ(Φ*), fit a + bη + cη² over η = " + etas[etas.length - 1]
                + "…" + etas[0] + ", " + problem + bias, fit.coefficient(1), slope, Verdict.CONFIRMED);
    }

    private static void excessFigure(FigureSink figures, String file, String title, double[] etas, Estimate[] excess,
                                     java.util.function.DoubleUnaryOperator theory) {
        double[] y = new double[etas.length];
        double[] se = new double[etas.length];
        for (int k = 0; k < etas.length; k++) {
            y[k] = excess[k].value();
            se[k] = excess[k].stdErr();
        }
        figures.pointsWithTheory(file, title, "η", "L(η) − L*", etas, y, se, theory, etas[etas.length - 1] / 2,
                etas[0] * 1.1);
    }
}
