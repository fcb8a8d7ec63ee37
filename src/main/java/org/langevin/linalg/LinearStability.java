package org.langevin.linalg;

import java.util.function.DoubleUnaryOperator;
import org.langevin.model.Dynamics;
import org.langevin.model.Integrator;
import org.langevin.model.Optimizer;

/**
 * Up-front stability of the optimisers and integrators on a loss whose Hessian H at the minimum is
 * known (the built-in losses; docs/theory.md §1, "stable ranges"). Along an eigenvector of H with
 * eigenvalue λ each scheme's mean is a linear map of its state — (Φ, v) for heavy ball and Nesterov,
 * (q, p) for underdamped Langevin — and the scheme is stable exactly when that map's spectral radius
 * is below 1 (the noise is additive there, so the covariance recursion C ← MCMᵀ + Q converges iff the
 * mean map M contracts). The maps, in the kernels' conventions:
 * <ul>
 *   <li>heavy ball (v ← μv + ĝ, Φ ← Φ − ηv): [[1 − ηλ, −ημ], [λ, μ]], stable iff 0 &lt; ηλ &lt; 2(1 + μ);</li>
 *   <li>Nesterov (Φ ← Φ − η(ĝ + μv)): [[1 − ηλ(1 + μ), −ημ²], [λ, μ]], stable iff ηλ(1 + 2μ) &lt; 2(1 + μ);</li>
 *   <li>BAOAB (B(h/2) A(h/2) O A(h/2) B(h/2), O's mean factor c = e^{−γh}): stable iff h²λ &lt; 4 for any γ &gt; 0;</li>
 *   <li>Euler–Maruyama for underdamped Langevin (q ← q + hp, p ← p − hλq − γhp): [[1, h], [−hλ, 1 − γh]];</li>
 *   <li>Leimkuhler–Matthews (overdamped): the Euler map 1 − hλ, stable iff hλ &lt; 2.</li>
 * </ul>
 * RMSProp and Adam are not linear maps (their step depends on the gradient's running moments), so no
 * range is checked for them; their diverged particles are counted and reported as for every run.
 * Eigenvalues ≤ 10⁻¹²·λ_max (a flat direction, where every scheme only diffuses) are not checked.
 * Stateless.
 */
public final class LinearStability {

    private LinearStability() {
    }

    /**
     * Refuses a learning rate or step beyond the stable range of the run's scheme.
     *
     * @param dynamics SGD, Langevin or underdamped Langevin
     * @param integrator the integrator (Langevin and underdamped)
     * @param optimizer the optimiser (SGD)
     * @param step η (SGD: the schedule's largest rate) or Δt
     * @param friction γ (underdamped), else ignored
     * @param hessian H at the minimum, symmetric
     * @throws IllegalArgumentException naming the option, the value, the spectral radius and the bound
     */
    public static void check(Dynamics dynamics, Integrator integrator, Optimizer optimizer, double step, double friction,
                             double[][] hessian) {
        double[] ev = Matrices.symmetricEigenvalues(hessian, "H");
        double lmax = ev[ev.length - 1];
        if (!(lmax > 0)) {
            return;
        }
        DoubleUnaryOperator radius = radiusAt(dynamics, integrator, optimizer, friction, ev);
        if (radius == null) {
            return;
        }
        double r = radius.applyAsDouble(step);
        if (r < 1) {
            return;
        }
        double limit = largestStable(radius, step);
        String option = dynamics == Dynamics.SGD ? "--lr" : "--dt";
        String scheme = dynamics == Dynamics.SGD ? "--optimizer " + optimizer : "--integrator " + integrator
                + (dynamics == Dynamics.UNDERDAMPED ? " (underdamped, --friction " + friction + ")" : "");
        throw new IllegalArgumentException(option + " " + step + " is beyond the stable range of " + scheme + " on this loss: "
                + "its linearised map at the minimum has spectral radius " + fmt(r) + " ≥ 1 (λ_max(H) = " + fmt(lmax)
                + bound(dynamics, integrator, optimizer) + "); use " + option + " below " + fmt(limit));
    }

    /** @return the spectral radius of the scheme's mean map as a function of the step, maximised over ev; null: not linear */
    static DoubleUnaryOperator radiusAt(Dynamics dynamics, Integrator integrator, Optimizer optimizer, double friction,
                                        double[] ev) {
        double lmax = ev[ev.length - 1];
        return switch (dynamics) {
            case SGD -> switch (optimizer.kind()) {
                case MOMENTUM -> h -> max(ev, lmax, l -> radius2(1 - h * l, -h * optimizer.a(), l, optimizer.a()));
                case NESTEROV -> h -> max(ev, lmax, l -> radius2(1 - h * l * (1 + optimizer.a()),
                        -h * optimizer.a() * optimizer.a(), l, optimizer.a()));
                case SGD -> h -> max(ev, lmax, l -> Math.abs(1 - h * l));
                default -> null;
            };
            case LANGEVIN, GRADIENT_FLOW -> h -> max(ev, lmax, l -> Math.abs(1 - h * l));
            case UNDERDAMPED -> integrator == Integrator.BAOAB
                    ? h -> max(ev, lmax, l -> baoab(h, l, Math.exp(-friction * h)))
                    : h -> max(ev, lmax, l -> radius2(1, h, -h * l, 1 - friction * h));
            default -> null;
        };
    }

    /** The largest step below {@code unstable} at which the radius is below 1 (bisection; the boundary is a single crossing for these maps). */
    static double largestStable(DoubleUnaryOperator radius, double unstable) {
        double lo = 0;
        double hi = unstable;
        for (int i = 0; i < 200 && hi - lo > 1e-15 * hi; i++) {
            double mid = 0.5 * (lo + hi);
            if (radius.applyAsDouble(mid) < 1) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Spectral radius of the BAOAB mean map for eigenvalue λ, step h, O-factor c. */
    static double baoab(double h, double l, double c) {
        // Columns: the images of (q, p) = (1, 0) and (0, 1) through B A O A B.
        double[] e1 = baoabStep(1, 0, h, l, c);
        double[] e2 = baoabStep(0, 1, h, l, c);
        return radius2(e1[0], e2[0], e1[1], e2[1]);
    }

    private static double[] baoabStep(double q, double p, double h, double l, double c) {
        p -= 0.5 * h * l * q;
        q += 0.5 * h * p;
        p *= c;
        q += 0.5 * h * p;
        p -= 0.5 * h * l * q;
        return new double[] {q, p};
    }

    /** @return the spectral radius of [[a, b], [c, d]] */
    static double radius2(double a, double b, double c, double d) {
        double half = 0.5 * (a + d);
        double det = a * d - b * c;
        double disc = half * half - det;
        if (disc >= 0) {
            double s = Math.sqrt(disc);
            return Math.max(Math.abs(half + s), Math.abs(half - s));
        }
        return Math.sqrt(det);
    }

    private static double max(double[] ev, double lmax, DoubleUnaryOperator f) {
        double r = 0;
        for (double l : ev) {
            if (l > 1e-12 * lmax) {
                r = Math.max(r, f.applyAsDouble(l));
            }
        }
        return r;
    }

    private static String bound(Dynamics dynamics, Integrator integrator, Optimizer optimizer) {
        if (dynamics == Dynamics.SGD && optimizer.kind() == Optimizer.Kind.MOMENTUM) {
            return "; heavy ball needs η·λ_max < 2(1 + μ)";
        }
        if (dynamics == Dynamics.SGD && optimizer.kind() == Optimizer.Kind.NESTEROV) {
            return "; Nesterov needs η·λ_max·(1 + 2μ) < 2(1 + μ)";
        }
        if (dynamics == Dynamics.UNDERDAMPED && integrator == Integrator.BAOAB) {
            return "; BAOAB needs Δt·√λ_max < 2";
        }
        return "";
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.6g", v);
    }
}
