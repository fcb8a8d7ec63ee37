package org.langevin.check;

import java.util.ArrayList;
import java.util.List;
import org.langevin.engine.ParticleState;
import org.langevin.model.Dynamics;
import org.langevin.model.InitialState;
import org.langevin.model.LossKind;
import org.langevin.model.RunSpec;
import org.langevin.model.RunSpecBuilder;
import org.langevin.model.TrainingSet;
import org.langevin.reduce.Moments;
import org.langevin.series.Recording;
import org.langevin.series.SeriesPoint;
import org.langevin.theory.QuadraticSgd1D;

/**
 * {@code gradient-flow-limit} (docs/theory.md O8 with the O1 transient): SGD with N = t/η steps on
 * L_i = ½h(Φ − a_i)² approaches the gradient flow Φ(t) = ā + (Φ₀ − ā)e^{−ht} with mean error O(η) and
 * root-mean-square error O(√η). The errors are measured at η, η/2, η/4, η/8 over independent particles,
 * and their exponents fitted on log-log axes with weights from the error bars. The exponent the same fit
 * gives on the exact O1 values (which tends to 1 and ½ as η → 0) is the expected value. At the smallest η
 * the run is recorded ({@code sample --record}'s recorder) at {@value #RECORDS} steps, and the O1 transient
 * mean and variance curves are checked at every record, one Bonferroni-combined claim per curve
 * ({@link CurveClaims}), next to the final-step values.
 */
public final class GradientFlowLimitCheck implements Check {
    /** Curvature h. */
    static final double H = 1.0;
    /** Initial value Φ₀ (ā = 0). */
    static final double PHI0 = 1.0;
    /** Time t = Nη. */
    static final double T = 1.0;
    /** Gradient-noise rows ±√0.1: the variance is small enough that the mean error is resolved. */
    static final float NOISE = (float) Math.sqrt(0.1);
    /** Learning rates η, η/2, η/4, η/8 (N = t/η steps each). */
    static final double[] ETAS = {0.04, 0.02, 0.01, 0.005};
    /** Records of the smallest-η run (every N/RECORDS steps; step 0 is the fixed start and not a claim). */
    static final int RECORDS = 20;

    @Override
    public String name() {
        return "gradient-flow-limit";
    }

    @Override
    public String description() {
        return "SGD with N = t/η steps → gradient flow: mean error O(η), RMS error O(√η) (O8, O1 transient)";
    }

    private static int particles(CheckSize size) {
        return size.pick(20_000, 200_000, 1_000_000);
    }

    /** @return O1 for a_i = ±NOISE/h */
    static QuadraticSgd1D law() {
        double a = NOISE / H;
        return new QuadraticSgd1D(H, 0.0, a * a);
    }

    /** @return the learning rate as the kernels receive it (float) */
    static double kernelEta(double eta) {
        return (float) eta;
    }

    static long steps(double eta) {
        return Math.round(T / eta);
    }

    /** @return the gradient-flow value at t */
    static double gradientFlow() {
        return PHI0 * Math.exp(-H * T);
    }

    @Override
    public List<ClaimResult> run(CheckContext ctx) {
        int p = particles(ctx.size());
        double[][] samples = new double[ETAS.length][];
        TrainingSet rows = new TrainingSet(2, 1, new float[] {-NOISE, NOISE}, new float[2]);
        Curves curves = null;
        for (int k = 0; k < ETAS.length; k++) {
            RunSpec spec = new RunSpecBuilder().dynamics(Dynamics.SGD).loss(LossKind.QUADRATIC).dim(1)
                    .quadratic(new double[][] {{H}}, new double[1]).data(rows).lr(ETAS[k]).batch(1)
                    .init(new InitialState(new double[] {PHI0}, 0)).particles(p).steps(steps(ETAS[k]))
                    .seed(ctx.seedFor("gradient-flow-limit/" + ETAS[k])).build();
            ParticleState s;
            if (k == ETAS.length - 1) {
                Simulation.Recorded r = Simulation.recorded(ctx, spec, recording(spec.steps(), p));
                s = r.last();
                curves = Curves.of(r.points());
            } else {
                s = Simulation.run(ctx, spec);
            }
            samples[k] = Simulation.coordinates(s)[0];
        }
        return evaluate(samples, curves);
    }

    /** @return every:N/RECORDS over N steps */
    static Recording recording(long steps, int particles) {
        return Recording.parse("every:" + steps / RECORDS, steps, false, 0, particles, 1);
    }

    /**
     * The recorded mean and variance of Φ (coordinate 0) with their standard errors, records after step 0.
     */
    record Curves(long[] steps, double[] mean, double[] meanSe, double[] var, double[] varSe) {
        static Curves of(List<SeriesPoint> points) {
            List<Moments> m = new ArrayList<>();
            List<Long> st = new ArrayList<>();
            for (SeriesPoint pt : points) {
                if (pt.step() > 0) {
                    st.add(pt.step());
                    m.add(pt.summary().state(0));
                }
            }
            return of(st.stream().mapToLong(Long::longValue).toArray(), m);
        }

        /**
         * The records of P independent chains Φ ← decay·Φ ± kick (the sign a fair coin each step), from Φ₀, in
         * double, at the recording's steps 1..n.
         */
        static Curves ofChain(ExactDraws draws, int p, double phi0, double decay, double kick, Recording rec, long n) {
            double[] phi = new double[p];
            java.util.Arrays.fill(phi, phi0);
            List<Moments> m = new ArrayList<>();
            List<Long> st = new ArrayList<>();
            for (long k = 1; k <= n; k++) {
                for (int i = 0; i < p; i++) {
                    phi[i] = decay * phi[i] + (draws.uniform() < 0.5 ? -kick : kick);
                }
                if (rec.isRecord(k)) {
                    st.add(k);
                    m.add(Moments.ofValues(phi, p));
                }
            }
            return of(st.stream().mapToLong(Long::longValue).toArray(), m);
        }

        static Curves of(long[] steps, List<Moments> m) {
            int r = steps.length;
            Curves c = new Curves(steps, new double[r], new double[r], new double[r], new double[r]);
            for (int i = 0; i < r; i++) {
                c.mean[i] = m.get(i).getMean();
                c.meanSe[i] = m.get(i).getMeanStdErr();
                c.var[i] = m.get(i).getVariance();
                c.varSe[i] = m.get(i).getVarianceStdErr();
            }
            return c;
        }
    }

    @Override
    public List<ClaimResult> runOnExactDraws(CheckSize size, long seed) {
        int p = particles(size);
        ExactDraws draws = new ExactDraws(seed);
        double[][] samples = new double[ETAS.length][p];
        Curves curves = exactChainCurves(draws, p);
        for (int k = 0; k < ETAS.length; k++) {
            double eta = kernelEta(ETAS[k]);
            double m = law().transientMean(PHI0, eta, steps(ETAS[k]));
            double sd = Math.sqrt(law().transientVariance(eta, 1.0, steps(ETAS[k])));
            for (int i = 0; i < p; i++) {
                samples[k][i] = m + sd * draws.normal();
            }
        }
        return evaluate(samples, curves);
    }

    /**
     * The records of the smallest-η run drawn from the exact chain itself: Φ ← (1 − ηh)Φ + ηh·a with a = ±NOISE/h
     * equally likely, in double, at the kernel's η.
     */
    private static Curves exactChainCurves(ExactDraws draws, int p) {
        double eta = kernelEta(ETAS[ETAS.length - 1]);
        long n = steps(ETAS[ETAS.length - 1]);
        return Curves.ofChain(draws, p, PHI0, 1 - eta * H, eta * NOISE, recording(n, p), n);
    }

    private List<ClaimResult> evaluate(double[][] samples, Curves curves) {
        int n = ETAS.length;
        double gf = gradientFlow();
        double[] meanErr = new double[n];
        double[] meanSe = new double[n];
        double[] rms = new double[n];
        double[] rmsSe = new double[n];
        double[] exactMean = new double[n];
        double[] exactRms = new double[n];
        Estimate lastMean = null;
        Estimate lastVar = null;
        for (int k = 0; k < n; k++) {
            double[] e = new double[samples[k].length];
            double[] e2 = new double[e.length];
            for (int i = 0; i < e.length; i++) {
                e[i] = gf - samples[k][i];
                e2[i] = e[i] * e[i];
            }
            Estimate m = Estimates.mean(e);
            Estimate mse = Estimates.mean(e2);
            meanErr[k] = m.value();
            meanSe[k] = m.stdErr();
            rms[k] = Math.sqrt(mse.value());
            rmsSe[k] = mse.stdErr() / (2 * rms[k]);
            double eta = kernelEta(ETAS[k]);
            long steps = steps(ETAS[k]);
            double em = gf - law().transientMean(PHI0, eta, steps);
            exactMean[k] = em;
            exactRms[k] = Math.sqrt(em * em + law().transientVariance(eta, 1.0, steps));
            if (k == n - 1) {
                lastMean = new Estimate(gf - m.value(), m.stdErr());
                double[] centred = new double[e.length];
                for (int i = 0; i < e.length; i++) {
                    double d = samples[k][i] - lastMean.value();
                    centred[i] = d * d * e.length / (e.length - 1.0);
                }
                lastVar = Estimates.mean(centred);
            }
        }
        LeastSquares.Fit meanFit = LeastSquares.powerLaw(ETAS, meanErr, meanSe);
        LeastSquares.Fit rmsFit = LeastSquares.powerLaw(ETAS, rms, rmsSe);
        double meanExpected = LeastSquares.powerLaw(ETAS, exactMean, meanSe).coefficients()[1];
        double rmsExpected = LeastSquares.powerLaw(ETAS, exactRms, rmsSe).coefficients()[1];
        double etaMin = ETAS[n - 1];
        long stepsMin = steps(etaMin);
        List<ClaimResult> out = new ArrayList<>();
        out.add(ClaimResult.value(name(), String.format("mean error ∝ η^p, p → 1 (O8; exact O1 fit over η = %s…%s: %.4f)",
                ETAS[0], etaMin, meanExpected), meanFit.coefficient(1), meanExpected, Verdict.CONFIRMED));
        out.add(ClaimResult.value(name(), String.format("RMS error ∝ η^p, p → ½ (O8; exact O1 fit over η = %s…%s: %.4f)",
                ETAS[0], etaMin, rmsExpected), rmsFit.coefficient(1), rmsExpected, Verdict.CONFIRMED));
        out.add(ClaimResult.value(name(), "E Φ_N = ā + (Φ₀−ā)(1−ηh)^N (O1 transient), η = " + etaMin, lastMean,
                law().transientMean(PHI0, kernelEta(etaMin), stepsMin), Verdict.CONFIRMED));
        out.add(ClaimResult.value(name(), "Var Φ_N = ηhs²(1−(1−ηh)^{2N})/(2−ηh) (O1 transient), η = " + etaMin,
                lastVar, law().transientVariance(kernelEta(etaMin), 1.0, stepsMin), Verdict.CONFIRMED));
        int r = curves.steps().length;
        double[] exactM = new double[r];
        double[] exactV = new double[r];
        for (int i = 0; i < r; i++) {
            exactM[i] = law().transientMean(PHI0, kernelEta(etaMin), curves.steps()[i]);
            exactV[i] = law().transientVariance(kernelEta(etaMin), 1.0, curves.steps()[i]);
        }
        out.add(CurveClaims.of(name(), "the O1 transient mean curve E Φ_k, η = " + etaMin, curves.steps(), curves.mean(),
                curves.meanSe(), exactM, Verdict.CONFIRMED));
        out.add(CurveClaims.of(name(), "the O1 transient variance curve Var Φ_k, η = " + etaMin, curves.steps(),
                curves.var(), curves.varSe(), exactV, Verdict.CONFIRMED));
        return out;
    }
}
