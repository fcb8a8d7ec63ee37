package org.langevin.theory;

import org.langevin.model.Dynamics;
import org.langevin.model.LearningRateSchedule;
import org.langevin.model.LossKind;
import org.langevin.model.PreconditionerKind;
import org.langevin.model.RunSpec;
import org.langevin.model.TrainingSet;
import org.langevin.rng.NormalTransform;

/**
 * The divergence bound B of a run: a particle with a final coordinate |x_j| > B (or, with --average,
 * a time average |avg x_j| > B or avg x_j² > B²) counts as diverged and is left out of the statistics.
 * B is the user's --divergence-bound, or derived from the problem:
 *
 * <ul>
 * <li><b>Double well</b> (gradient flow, Langevin, the SGD SDE, and SGD with D = I): the escape bound
 *     B = 2·max(r, I, ν), with r = √(1 + 1/(2h)) the radius beyond which the gradient step
 *     x − 4h·x(x²−1) of step size h (Δt; the smallest η of an SGD schedule) increases |x|, I the
 *     largest |initial coordinate| (|mean| + {@link NormalTransform#MAX_ABS}·sd) and ν the largest noise
 *     increment of one step (σ√Δt·MAX_ABS for Langevin; η·max|x_ij − x̄_j| for SGD;
 *     √(ηΔt)·MAX_ABS·d·max|x_ij − x̄_j| for the SGD SDE; the fused Philox normals never exceed MAX_ABS,
 *     and cuRAND's Box–Muller normals on 32-bit uniforms stay below √(64 ln 2) ≈ 6.66 &lt; MAX_ABS). For |x| ≥ B ≥ 2r the drift step has |x − 4hx(x²−1)| = |x|(4h(x²−1) − 1)
 *     ≥ |x|(4h(4r²−1) − 1) = |x|(12h + 7) ≥ 7|x|, and the noise moves it by at most ν ≤ B/2, so
 *     |x'| ≥ 6.5|x| > B: a particle beyond B never comes back and overflows within
 *     log(3.4·10³⁸/B)/log 6.5 ≤ 47 steps. Such a particle is diverged from the step it crosses B on,
 *     whichever step the bound is checked at.</li>
 * <li><b>Every other problem</b>: B = 10⁶·S with S = max(1, I, ‖m‖∞ of a quadratic, ‖Φ*‖∞ of linear
 *     regression (normal equations, when H is positive definite), the largest |x_ij| and |y_i| of a
 *     training set, the diffusive spread σ√(NΔt) (Brownian, Langevin), η_max·max|x_ij − x̄_j|·√N
 *     (SGD's additive noise), √(η_max·NΔt)·d·max|x_ij − x̄_j| (SGD SDE), and t·max|x_ij| for logistic
 *     regression, whose gradient is bounded by max|x_ij| per coordinate over the time t = NΔt or Ση_k).
 *     A stable Euler chain on a quadratic stays Gaussian with its mean between the start and m and a
 *     variance of at most (initial sd)² + σ²NΔt, so beyond 10⁶·S it has mass below e^(−10¹¹); for the
 *     other problems the same is assumed of their natural scales, while exploding states (10³⁰, growing
 *     geometrically or faster) are caught. This is a heuristic, not a proof: give --divergence-bound
 *     for a problem with a larger natural scale.</li>
 * </ul>
 *
 * @param value B, finite and {@code > 0}
 * @param rule how B was obtained, for results.json and the summary
 */
public record DivergenceBound(double value, String rule) {

    /**
     * Validates the bound.
     *
     * @param value B, finite and {@code > 0}
     * @param rule how B was obtained, non-empty
     * @throws IllegalArgumentException when B is not finite and positive or the rule is null or empty
     */
    public DivergenceBound {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("divergence bound must be finite and > 0, got " + value);
        }
        if (rule == null || rule.isEmpty()) {
            throw new IllegalArgumentException("divergence bound rule must be a non-empty text");
        }
    }

    /** Factor between the generic bound and the problem's scale S. */
    public static final double GENERIC_FACTOR = 1e6;
    /** Factor between the double-well bound and the escape radius (see the class comment). */
    public static final double ESCAPE_FACTOR = 2;

    /**
     * @param spec a validated run specification
     * @return the user's bound, or the one derived from the problem (class comment)
     */
    public static DivergenceBound of(RunSpec spec) {
        if (spec.divergenceBoundGiven()) {
            return new DivergenceBound(spec.divergenceBound(), "given (--divergence-bound)");
        }
        double init = initialScale(spec);
        if (spec.loss() == LossKind.DOUBLE_WELL) {
            DivergenceBound b = doubleWell(spec, init);
            if (b != null) {
                return b;
            }
        }
        return generic(spec, init);
    }

    /** The double-well escape bound, or null for a dynamics it does not cover. */
    private static DivergenceBound doubleWell(RunSpec spec, double init) {
        double h;
        double noise;
        Dynamics dyn = spec.dynamics();
        if (dyn == Dynamics.GRADIENT_FLOW || dyn == Dynamics.LANGEVIN) {
            h = spec.dt();
            noise = spec.sigma() * Math.sqrt(spec.dt()) * NormalTransform.MAX_ABS;
        } else if (dyn == Dynamics.SGD_SDE) {
            h = spec.dt();
            noise = spec.data() == null ? 0 : Math.sqrt(spec.schedule().max() * spec.dt()) * NormalTransform.MAX_ABS
                    * spec.dim() * maxDeviation(spec.data());
        } else if (dyn == Dynamics.SGD && spec.preconditioner() == PreconditionerKind.IDENTITY) {
            h = minRate(spec.schedule(), spec.steps());
            noise = spec.schedule().max() * maxDeviation(spec.data());
        } else {
            return null;
        }
        double r = Math.sqrt(1 + 1 / (2 * h));
        double b = ESCAPE_FACTOR * Math.max(r, Math.max(init, noise));
        return new DivergenceBound(b, String.format(java.util.Locale.ROOT,
                "derived: double-well escape bound 2*max(r, init, noise) with r = sqrt(1 + 1/(2h)) = %.6g "
                        + "(h = %.6g), init = %.6g, noise = %.6g", r, h, init, noise));
    }

    private static DivergenceBound generic(RunSpec spec, double init) {
        double s = Math.max(1, init);
        if (spec.quadraticCenter() != null) {
            s = Math.max(s, maxAbs(spec.quadraticCenter()));
        }
        TrainingSet t = spec.data();
        double dev = t == null ? 0 : maxDeviation(t);
        double dataScale = 0;
        if (t != null) {
            dataScale = Math.max(maxAbs(t.features()), maxAbs(t.targets()));
            s = Math.max(s, dataScale);
        }
        if (spec.loss() == LossKind.LINREG) {
            s = Math.max(s, maxAbs(linregMinimiser(spec)));
        }
        double time;
        switch (spec.dynamics()) {
            case BROWNIAN, LANGEVIN -> {
                s = Math.max(s, spec.sigma() * Math.sqrt(spec.steps() * spec.dt()));
                time = spec.steps() * spec.dt();
            }
            case SGD -> {
                s = Math.max(s, spec.schedule().max() * dev * Math.sqrt(spec.steps()));
                time = spec.schedule().time(spec.steps());
            }
            case SGD_SDE -> {
                s = Math.max(s, Math.sqrt(spec.schedule().max() * spec.steps() * spec.dt()) * spec.dim() * dev);
                time = spec.steps() * spec.dt();
            }
            default -> time = spec.steps() * spec.dt();
        }
        if (spec.loss() == LossKind.LOGISTIC && t != null) {
            s = Math.max(s, time * maxAbs(t.features()));
        }
        double b = GENERIC_FACTOR * s;
        if (!Double.isFinite(b)) {
            b = Double.MAX_VALUE;
        }
        return new DivergenceBound(b, String.format(java.util.Locale.ROOT,
                "derived: 1e6 * S with S = %.6g, the largest scale of the problem (initial state, centre or "
                        + "minimiser, data, diffusive spread)", s));
    }

    /** @return the largest |initial coordinate| any particle can have */
    private static double initialScale(RunSpec spec) {
        return maxAbs(spec.init().point()) + NormalTransform.MAX_ABS * spec.init().sd();
    }

    /** @return the smallest learning rate of the schedule over steps 0 … N−1 */
    private static double minRate(LearningRateSchedule s, long steps) {
        double m = s.at(0);
        for (long b : s.boundaries()) {
            if (b < steps) {
                m = Math.min(m, s.at(b));
            }
        }
        return m;
    }

    /** @return max over i, j of |x_ij − x̄_j| (the additive gradient noise of SGD on built-in losses) */
    private static double maxDeviation(TrainingSet t) {
        if (t == null) {
            return 0;
        }
        int n = t.n();
        int d = t.d();
        double m = 0;
        for (int j = 0; j < d; j++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += t.x(i, j);
            }
            mean /= n;
            for (int i = 0; i < n; i++) {
                m = Math.max(m, Math.abs(t.x(i, j) - mean));
            }
        }
        return m;
    }

    /** Φ* of linear regression from the normal equations (with the prior), or null when H is singular. */
    private static double[] linregMinimiser(RunSpec spec) {
        TrainingSet t = spec.data();
        int n = t.n();
        int d = t.d();
        double[][] h = new double[d][d + 1];
        for (int i = 0; i < n; i++) {
            double y = t.y(i);
            for (int j = 0; j < d; j++) {
                double xj = t.x(i, j);
                h[j][d] += xj * y;
                for (int k = 0; k <= j; k++) {
                    h[j][k] += xj * t.x(i, k);
                }
            }
        }
        double prior = spec.hasPrior() ? spec.noiseVariance() / spec.priorVariance() : 0;
        double scale = 0;
        for (int j = 0; j < d; j++) {
            for (int k = 0; k < j; k++) {
                h[k][j] = h[j][k];
            }
            h[j][j] += prior;
            scale = Math.max(scale, h[j][j]);
        }
        // Gauss–Jordan with partial pivoting on [H | b]; the common factor 1/(n s²) cancels.
        for (int c = 0; c < d; c++) {
            int p = c;
            for (int r = c + 1; r < d; r++) {
                if (Math.abs(h[r][c]) > Math.abs(h[p][c])) {
                    p = r;
                }
            }
            if (!(Math.abs(h[p][c]) > 1e-12 * scale)) {
                return null;
            }
            double[] tmp = h[c];
            h[c] = h[p];
            h[p] = tmp;
            for (int r = 0; r < d; r++) {
                if (r != c) {
                    double f = h[r][c] / h[c][c];
                    for (int k = c; k <= d; k++) {
                        h[r][k] -= f * h[c][k];
                    }
                }
            }
        }
        double[] phi = new double[d];
        for (int j = 0; j < d; j++) {
            phi[j] = h[j][d] / h[j][j];
        }
        return phi;
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        if (v != null) {
            for (double x : v) {
                m = Math.max(m, Math.abs(x));
            }
        }
        return m;
    }

    private static double maxAbs(float[] v) {
        double m = 0;
        for (float x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }
}
