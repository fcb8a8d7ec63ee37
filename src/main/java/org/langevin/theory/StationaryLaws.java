package org.langevin.theory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.langevin.linalg.Lyapunov;
import org.langevin.model.Dynamics;
import org.langevin.model.LossKind;
import org.langevin.model.RunSpec;

/**
 * The exact one-coordinate law a run's histogram is drawn against, where THEORY.md gives one:
 * Brownian motion N(z₀, σ²t) (exact at any Δt, O7); Langevin on a quadratic, the Euler–Maruyama
 * stationary Gaussian with covariance solving A C + C Aᵀ − Δt A C Aᵀ = σ² I (exact for the discrete
 * chain, O4); Langevin on the double well, the Gibbs density exp(−2L/σ²)/Z (the continuous-time law,
 * so Euler–Maruyama differs by O(Δt)).
 *
 * @param label legend text
 * @param densities per coordinate, or null for coordinates without one
 * @param values exact values for results.json ("theory"), e.g. variances
 */
public record StationaryLaws(String label, DoubleUnaryOperator[] densities, Map<String, Object> values) {

    /** @return the laws for a spec, or null when THEORY.md gives none */
    public static StationaryLaws of(RunSpec spec) {
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
            v.put("law", "N(z0, sigma^2 t), exact (THEORY.md O7)");
            return new StationaryLaws("exact N(z₀, σ²t)", f, v);
        }
        if (spec.dynamics() == Dynamics.LANGEVIN && spec.loss() == LossKind.QUADRATIC && !spec.hasPrior()
                && d <= 16 && spec.sigma() > 0 && Lyapunov.hasStationaryLaw(spec.quadraticMatrix())) {
            eulerGaussian(spec, spec.quadraticMatrix(), spec.quadraticCenter(), f, v);
            v.put("law", "stationary N(m, C), A C + C A^T - dt A C A^T = sigma^2 I (Euler-Maruyama, exact; THEORY.md O4)");
            return new StationaryLaws("stationary law of the Euler chain", f, v);
        }
        if (spec.dynamics() == Dynamics.LANGEVIN && spec.loss() == LossKind.LINREG && d <= 16 && spec.sigma() > 0) {
            // The linear-regression loss is quadratic: L = ½(Φ−Φ*)ᵀH(Φ−Φ*) + const, so the Euler chain's
            // stationary law is N(Φ*, C) with A C + C Aᵀ − Δt A C Aᵀ = σ² I, A = H (O5 when σ² = 2/n).
            org.langevin.linalg.NoiseGeometry g = org.langevin.linalg.NoiseGeometry.of(spec);
            v.put("mean", g.minimiser());
            eulerGaussian(spec, g.hessian(), g.minimiser(), f, v);
            v.put("law", "stationary N(phi*, C), H C + C H - dt H C H = sigma^2 I (Euler-Maruyama, exact; "
                    + "THEORY.md O5 when sigma^2 = 2/n)");
            return new StationaryLaws("stationary law of the Euler chain", f, v);
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
            v.put("law", "Gibbs exp(-2L/sigma^2)/Z, continuous time (THEORY.md §2, O6); Euler-Maruyama differs by O(dt)");
            return new StationaryLaws("Gibbs exp(−2L/σ²)/Z", f, v);
        }
        return null;
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
