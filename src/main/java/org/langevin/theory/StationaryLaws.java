package org.langevin.theory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import org.langevin.linalg.Lyapunov;
import org.langevin.model.Dynamics;
import org.langevin.model.LossKind;
import org.langevin.model.RunSpec;

/**
 * The one-coordinate law a run's histogram is drawn against, where docs/theory.md gives one, and whether it
 * is the exact law of the simulated chain: Brownian motion N(z₀, σ²t) (exact at any Δt, O7); Langevin on
 * a quadratic or linear regression, the Euler–Maruyama stationary Gaussian with covariance solving
 * A C + C Aᵀ − Δt A C Aᵀ = σ² I (exact for the discrete chain, O4, O5); one-dimensional SGD on linear
 * regression with every x_i = 1 (L_i = ½h(Φ − y_i)², h = 1/s²), the law of Φ_N of O1 (exact for the
 * chain at step N); Langevin on the double well, the Gibbs density exp(−2L/σ²)/Z (the continuous-time
 * law only: Euler–Maruyama differs by O(Δt), so no z-score against it is meaningful).
 *
 * @param label legend text
 * @param densities per coordinate, or null for coordinates without one
 * @param values reference values for results.json ("theory"), e.g. variances, with {@link #KIND_KEY}
 * @param exactForScheme true when the values are exact for the simulated discrete chain (a z-score
 *                       against them tests the run); false for a continuous-time reference, which the
 *                       chain misses by a bias O(Δt)
 * @param stationary true for a stationary law (then time averages of a run in its stationary state
 *                   estimate the same variance); false for the law at the final step N only
 */
public record StationaryLaws(String label, DoubleUnaryOperator[] densities, Map<String, Object> values,
                             boolean exactForScheme, boolean stationary) {

    /** Key of results.json's theory map that says which kind of reference the values are. */
    public static final String KIND_KEY = "reference";
    /** Its value for values exact for the simulated chain. */
    public static final String EXACT = "exact for the simulated scheme";
    /** Its value for continuous-time values. */
    public static final String CONTINUOUS = "continuous-time reference, bias O(dt)";
    /** {@link #KIND_KEY} of a continuous-time reference for Leimkuhler–Matthews (no bias for a quadratic loss). */
    public static final String CONTINUOUS_LM = "continuous-time reference, bias O(dt^2) (Leimkuhler-Matthews; none for a quadratic)";

    /**
     * Key of the theory map holding the exact expectation dσ²/2 of the Euler–Maruyama stationarity
     * identity E[Φ·∇L − (Δt/2)‖∇L‖²] (the reduction's observable of the same name), present for
     * Langevin on the double well.
     */
    public static final String EM_IDENTITY = "emIdentity";

    /**
     * Whether a z-score of the run's variance against these values tests the run: the values must be
     * exact for the scheme, and a law at the final step only cannot be compared with time averages.
     *
     * @param timeAveraged true when the run's statistics are time averages over a window (--average)
     * @return exactForScheme and (stationary or not timeAveraged)
     */
    public boolean zMeaningful(boolean timeAveraged) {
        return exactForScheme && (stationary || !timeAveraged);
    }

    private static StationaryLaws exact(String label, DoubleUnaryOperator[] f, Map<String, Object> v,
                                        boolean stationary) {
        v.put("exactForScheme", true);
        v.put(KIND_KEY, EXACT);
        return new StationaryLaws(label, f, v, true, stationary);
    }

    /**
     * The reference law of a run, as listed in the class comment. For Langevin on a user model with a
     * time-independent loss: the Gibbs law by quadrature ({@link ModelGibbs}) when the model is
     * one-dimensional, and in every dimension the Euler-chain identity's value dσ²/2 under
     * {@link #EM_IDENTITY}.
     *
     * @param spec a validated run specification
     * @return the laws for a spec, or null when docs/theory.md gives none
     */
    public static StationaryLaws of(RunSpec spec) {
        if (spec.model() != null) {
            return ofModel(spec);
        }
        int d = spec.dim();
        Map<String, Object> v = new LinkedHashMap<>();
        DoubleUnaryOperator[] f = new DoubleUnaryOperator[d];
        if (spec.dynamics() == Dynamics.BROWNIAN && spec.init().sd() == 0) {
            double t = spec.steps() * spec.dt();
            double var = spec.sigma() * spec.sigma() * t;
            double[] z0 = spec.init().point();
            double[] vars = new double[d];
            for (int j = 0; j < d; j++) {
                f[j] = normal(z0[j], var);
                vars[j] = var;
            }
            v.put("variance", vars);
            v.put("law", "N(z0, sigma^2 t), exact (docs/theory.md O7)");
            return exact("exact N(z₀, σ²t)", f, v, false);
        }
        if (spec.dynamics() == Dynamics.LANGEVIN && spec.loss() == LossKind.QUADRATIC && !spec.hasPrior()
                && d <= 16 && spec.sigma() > 0 && Lyapunov.hasStationaryLaw(spec.quadraticMatrix())) {
            eulerGaussian(spec, spec.quadraticMatrix(), spec.quadraticCenter(), f, v);
            v.put("law", "stationary N(m, C), A C + C A^T - dt A C A^T = sigma^2 I (Euler-Maruyama, exact; docs/theory.md O4)");
            return exact("stationary law of the Euler chain (exact)", f, v, true);
        }
        if (spec.dynamics() == Dynamics.LANGEVIN && spec.loss() == LossKind.LINREG && d <= 16 && spec.sigma() > 0) {
            // The linear-regression loss is quadratic: L = ½(Φ−Φ*)ᵀH(Φ−Φ*) + const, so the Euler chain's
            // stationary law is N(Φ*, C) with A C + C Aᵀ − Δt A C Aᵀ = σ² I, A = H (O5 when σ² = 2/n).
            org.langevin.linalg.NoiseGeometry g = org.langevin.linalg.NoiseGeometry.of(spec);
            v.put("mean", g.minimiser());
            eulerGaussian(spec, g.hessian(), g.minimiser(), f, v);
            v.put("law", "stationary N(phi*, C), H C + C H - dt H C H = sigma^2 I (Euler-Maruyama, exact; "
                    + "docs/theory.md O5 when sigma^2 = 2/n)");
            return exact("stationary law of the Euler chain (exact)", f, v, true);
        }
        if (isO1(spec)) {
            return o1(spec, f, v);
        }
        if (spec.dynamics() == Dynamics.LANGEVIN && spec.loss() == LossKind.DOUBLE_WELL && spec.sigma() > 0) {
            double beta = 2.0 / (spec.sigma() * spec.sigma());
            double z = gibbsZ(beta);
            DoubleUnaryOperator p = x -> Math.exp(-beta * (x * x - 1) * (x * x - 1)) / z;
            double ex2 = integrate(x -> x * x * Math.exp(-beta * (x * x - 1) * (x * x - 1)), beta) / z;
            double[] vars = new double[d];
            for (int j = 0; j < d; j++) {
                f[j] = p;
                vars[j] = ex2;
            }
            v.put("beta", beta);
            v.put("Z", z);
            v.put("variance", vars);
            v.put("law", "Gibbs exp(-2L/sigma^2)/Z, continuous time (docs/theory.md §2, O6); Euler-Maruyama differs by O(dt)");
            v.put("exactForScheme", false);
            v.put(KIND_KEY, CONTINUOUS);
            if (!spec.hasPrior()) {
                v.put(EM_IDENTITY, d * spec.sigma() * spec.sigma() / 2);
            }
            return new StationaryLaws("Gibbs exp(−2L/σ²)/Z (continuous time, bias O(Δt))", f, v, false, true);
        }
        return null;
    }

    /**
     * The exact joint density of coordinates 1 and 2 (d ≥ 2) of the law these values describe, for the
     * contours of the 2-D heat map: the bivariate normal marginal of N(m, C) for Langevin on a quadratic
     * or linear regression, and the product of the two coordinates' densities where the coordinates are
     * independent (Brownian motion from a fixed point, the built-in double well, whose loss is a sum over
     * coordinates).
     *
     * @param spec the run these laws were made for
     * @return the density per unit of x1 per unit of x2, or null where none is known
     */
    public DoubleBinaryOperator joint12(RunSpec spec) {
        if (spec.dim() < 2 || densities == null || densities[0] == null || densities[1] == null) {
            return null;
        }
        if (values.get("covariance") instanceof double[][] c) {
            double[] m = values.get("mean") instanceof double[] mm ? mm : spec.quadraticCenter();
            double a = c[0][0];
            double b = c[0][1];
            double e = c[1][1];
            double det = a * e - b * b;
            if (!(det > 0)) {
                return null;
            }
            double norm = 1 / (2 * Math.PI * Math.sqrt(det));
            double m0 = m[0];
            double m1 = m[1];
            return (x, y) -> {
                double u = x - m0;
                double w = y - m1;
                return norm * Math.exp(-(e * u * u - 2 * b * u * w + a * w * w) / (2 * det));
            };
        }
        if (spec.model() == null && (spec.dynamics() == Dynamics.BROWNIAN || spec.loss() == LossKind.DOUBLE_WELL)) {
            DoubleUnaryOperator f0 = densities[0];
            DoubleUnaryOperator f1 = densities[1];
            return (x, y) -> f0.applyAsDouble(x) * f1.applyAsDouble(y);
        }
        return null;
    }

    /**
     * Langevin on a user model with a time-independent loss: the Euler–Maruyama stationarity identity
     * E[Φ·∇L − (Δt/2)‖∇L‖²] = dσ²/2 (exact for the chain at any Δt, whatever the loss), and for d = 1
     * the Gibbs density exp(−2L/σ²)/Z by quadrature (a continuous-time reference), when L confines.
     */
    private static StationaryLaws ofModel(RunSpec spec) {
        var m = spec.model().model();
        if (spec.dynamics() != Dynamics.LANGEVIN || !m.hasLoss() || !(spec.sigma() > 0) || m.lossUsesTime()) {
            return null;
        }
        int d = spec.dim();
        Map<String, Object> v = new LinkedHashMap<>();
        DoubleUnaryOperator[] f = new DoubleUnaryOperator[d];
        boolean lm = spec.integrator() == org.langevin.model.Integrator.LEIMKUHLER_MATTHEWS;
        if (!lm) {
            // The Euler chain's identity; Leimkuhler–Matthews' noise (ξ_k + ξ_{k+1})/2 is correlated with x_k.
            v.put(EM_IDENTITY, d * spec.sigma() * spec.sigma() / 2);
        }
        String label = "no closed-form law";
        if (d == 1) {
            ModelGibbs g = ModelGibbs.of(spec);
            if (g != null) {
                f[0] = g::density;
                v.put("variance", new double[] {g.variance()});
                v.put("Z", g.normaliser());
                label = "Gibbs exp(−2L/σ²)/Z by quadrature (continuous time, bias " + (lm ? "O(Δt²))" : "O(Δt))");
            }
        }
        v.put("law", d == 1 && f[0] != null
                ? "Gibbs exp(-2L/sigma^2)/Z of the model by quadrature, continuous time; " + (lm
                        ? "Leimkuhler-Matthews differs by O(dt^2) for a smooth potential (exact for a quadratic)"
                        : "Euler-Maruyama differs by O(dt)")
                : lm ? "no closed form (Leimkuhler-Matthews: the Gibbs law exp(-2L/sigma^2)/Z up to O(dt^2))"
                : "no closed form; the Euler-chain identity E[x.grad L - (dt/2)|grad L|^2] = d sigma^2/2 holds exactly");
        v.put("exactForScheme", false);
        v.put(KIND_KEY, lm ? CONTINUOUS_LM : CONTINUOUS);
        return new StationaryLaws(label, f, v, false, true);
    }

    /**
     * Whether the spec is docs/theory.md's O1 problem: SGD on one-dimensional linear regression with every
     * feature 1 (so L_i = ½h(Φ − y_i)² with h = 1/s²), D = I, a constant rate, no prior, a fixed start.
     */
    private static boolean isO1(RunSpec spec) {
        if (spec.dynamics() != Dynamics.SGD || spec.loss() != LossKind.LINREG || spec.dim() != 1
                || spec.hasPrior() || spec.preconditioner() != org.langevin.model.PreconditionerKind.IDENTITY
                || spec.schedule().boundaries().length > 0 || spec.init().sd() != 0) {
            return false;
        }
        org.langevin.model.TrainingSet t = spec.data();
        for (int i = 0; i < t.n(); i++) {
            if (t.x(i, 0) != 1f) {
                return false;
            }
        }
        double eh = spec.schedule().base() / spec.noiseVariance();
        return eh > 0 && eh < 2;
    }

    /** The law of Φ_N of O1 (its mean and variance; the law itself is not Gaussian, so no density). */
    private static StationaryLaws o1(RunSpec spec, DoubleUnaryOperator[] f, Map<String, Object> v) {
        org.langevin.model.TrainingSet t = spec.data();
        int n = t.n();
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += t.y(i);
        }
        mean /= n;
        double s2 = 0;
        for (int i = 0; i < n; i++) {
            s2 += (t.y(i) - mean) * (t.y(i) - mean);
        }
        s2 /= n;
        QuadraticSgd1D q = new QuadraticSgd1D(1 / spec.noiseVariance(), mean, s2);
        double kappa = spec.sampling() == org.langevin.model.Sampling.WITHOUT_REPLACEMENT
                ? BatchNoise.kappaWithoutReplacement(n, spec.batch()) : BatchNoise.kappaWithReplacement(spec.batch());
        double eta = spec.schedule().base();
        v.put("mean", new double[] {q.transientMean(spec.init().point()[0], eta, spec.steps())});
        v.put("variance", new double[] {q.transientVariance(eta, kappa, spec.steps())});
        v.put("stationaryVariance", q.stationaryVariance(eta, kappa));
        v.put("law", "law of Phi_N of 1-D quadratic SGD, L_i = h(Phi - y_i)^2/2 with h = 1/s^2 (exact for the chain; "
                + "docs/theory.md O1)");
        return exact("O1 law of Φ_N (exact)", f, v, false);
    }

    /**
     * The Euler–Maruyama chain's stationary N(m, C) for the gradient A(Φ − m) and noise σ²I (A C + C Aᵀ −
     * Δt A C Aᵀ = σ² I): the marginal densities into f, "variance" and "covariance" into v.
     */
    private static void eulerGaussian(RunSpec spec, double[][] a, double[] m, DoubleUnaryOperator[] f,
            Map<String, Object> v) {
        int d = m.length;
        double[][] q = new double[d][d];
        for (int j = 0; j < d; j++) {
            q[j][j] = spec.sigma() * spec.sigma();
        }
        double[][] c = Lyapunov.eulerMaruyamaStationary(a, q, spec.dt());
        double[] vars = new double[d];
        for (int j = 0; j < d; j++) {
            f[j] = normal(m[j], c[j][j]);
            vars[j] = c[j][j];
        }
        v.put("variance", vars);
        v.put("covariance", c);
    }

    private static DoubleUnaryOperator normal(double mean, double var) {
        double c = 1 / Math.sqrt(2 * Math.PI * var);
        return x -> c * Math.exp(-(x - mean) * (x - mean) / (2 * var));
    }

    /** Z(β) = ∫ exp(−β(x²−1)²) dx by composite Simpson on a range covering the mass. */
    static double gibbsZ(double beta) {
        return integrate(x -> Math.exp(-beta * (x * x - 1) * (x * x - 1)), beta);
    }

    private static double integrate(DoubleUnaryOperator g, double beta) {
        // exp(−β(x²−1)²) < 1e-30 once (x²−1)² > 69/β: integrate over |x| ≤ sqrt(1 + sqrt(69/β)).
        double r = Math.sqrt(1 + Math.sqrt(69 / beta));
        int n = 200_000;
        double h = 2 * r / n;
        double s = g.applyAsDouble(-r) + g.applyAsDouble(r);
        for (int i = 1; i < n; i++) {
            s += (i % 2 == 1 ? 4 : 2) * g.applyAsDouble(-r + i * h);
        }
        return s * h / 3;
    }
}
