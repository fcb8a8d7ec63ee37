package org.langevin.series;

import org.langevin.model.Dynamics;
import org.langevin.model.LossKind;
import org.langevin.model.RunSpec;
import org.langevin.model.TrainingSet;
import org.langevin.theory.BatchNoise;

/**
 * The exact mean, variance and (where known) expected loss at every record step, for the runs where
 * docs/theory.md gives them for the simulated chain, or null:
 * <ul>
 *   <li>Brownian motion (O7): mean z₀, variance sd₀² + σ²t at every Δt;</li>
 *   <li>SGD on 1-D linear regression with every x_i = 1 (O1, L_i = ½h(Φ − a_i)², h = 1/s²), D = I, no
 *       prior, any step-decay schedule: m_{k+1} = ā + (1 − η_k h)(m_k − ā), v_{k+1} = (1 − η_k h)² v_k +
 *       η_k² h² s² κ, and E L = ½h((m − ā)² + v + s²);</li>
 *   <li>Langevin on a quadratic (O4, no prior, d ≤ 16): the Euler–Maruyama Gaussian transient
 *       m_{k+1} = m + (I − ΔtA)(m_k − m), C_{k+1} = (I − ΔtA) C_k (I − ΔtA)ᵀ + σ²Δt I, and
 *       E L = ½((m_k − m)ᵀA(m_k − m) + tr A C_k).</li>
 * </ul>
 * Each starts from the initial law (a point, or N(point, sd² I)); the recursions run in double over
 * every step, so the curves are the same on every backend.
 *
 * @param label legend text
 * @param mean per record, per coordinate
 * @param variance per record, per coordinate
 * @param loss per record, or null
 */
public record ExactCurves(String label, double[][] mean, double[][] variance, double[] loss) {
    /** Largest steps·d³ a transient recursion may cost. */
    private static final double MAX_WORK = 2e8;

    /**
     * The exact curves of a run at its record steps.
     *
     * @param spec the run; a user model ({@code --model}) or a run outside the three cases above gives null
     * @param steps the record steps, sorted ascending, not empty (as {@link Recording#steps()})
     * @return the curves at the given sorted steps, one row per step, or null when the theory gives none for
     *         the run (also when the O1 run is longer than 10⁸ steps or the O4 recursion would cost more than
     *         2·10⁸ steps·d³)
     */
    public static ExactCurves of(RunSpec spec, long[] steps) {
        if (spec.model() != null) {
            return null;
        }
        int d = spec.dim();
        int r = steps.length;
        long last = steps[r - 1];
        double sd2 = spec.init().sd() * spec.init().sd();
        double[] p0 = spec.init().point();
        if (spec.dynamics() == Dynamics.BROWNIAN) {
            double[][] m = new double[r][d];
            double[][] v = new double[r][d];
            for (int i = 0; i < r; i++) {
                double t = steps[i] * spec.dt();
                for (int j = 0; j < d; j++) {
                    m[i][j] = p0[j];
                    v[i][j] = sd2 + spec.sigma() * spec.sigma() * t;
                }
            }
            return new ExactCurves("exact: z0, sd0^2 + sigma^2 t (O7)", m, v, null);
        }
        if (isO1(spec) && last <= 100_000_000L) {
            TrainingSet ts = spec.data();
            int n = ts.n();
            double abar = 0;
            for (int i = 0; i < n; i++) {
                abar += ts.y(i);
            }
            abar /= n;
            double s2 = 0;
            for (int i = 0; i < n; i++) {
                s2 += (ts.y(i) - abar) * (ts.y(i) - abar);
            }
            s2 /= n;
            double h = 1 / spec.noiseVariance();
            double kappa = spec.sampling() == org.langevin.model.Sampling.WITHOUT_REPLACEMENT
                    ? BatchNoise.kappaWithoutReplacement(n, spec.batch()) : BatchNoise.kappaWithReplacement(spec.batch());
            double[][] m = new double[r][1];
            double[][] v = new double[r][1];
            double[] loss = new double[r];
            double mk = p0[0];
            double vk = sd2;
            int i = 0;
            for (long k = 0; i < r; k++) {
                while (i < r && steps[i] == k) {
                    m[i][0] = mk;
                    v[i][0] = vk;
                    loss[i] = 0.5 * h * ((mk - abar) * (mk - abar) + vk + s2);
                    i++;
                }
                double eta = spec.schedule().at(k);
                double q = 1 - eta * h;
                mk = abar + q * (mk - abar);
                vk = q * q * vk + eta * eta * h * h * s2 * kappa;
            }
            return new ExactCurves("exact O1 transient", m, v, loss);
        }
        if (spec.dynamics() == Dynamics.LANGEVIN && spec.loss() == LossKind.QUADRATIC && !spec.hasPrior() && d <= 16
                && (double) last * d * d * d <= MAX_WORK) {
            double[][] a = spec.quadraticMatrix();
            double[] c = spec.quadraticCenter();
            double dt = spec.dt();
            double q = spec.sigma() * spec.sigma() * dt;
            double[][] b = new double[d][d];
            for (int x = 0; x < d; x++) {
                for (int y = 0; y < d; y++) {
                    b[x][y] = (x == y ? 1 : 0) - dt * a[x][y];
                }
            }
            double[] mk = new double[d];
            double[][] ck = new double[d][d];
            for (int j = 0; j < d; j++) {
                mk[j] = p0[j] - c[j];
                ck[j][j] = sd2;
            }
            double[][] m = new double[r][d];
            double[][] v = new double[r][d];
            double[] loss = new double[r];
            double[][] tmp = new double[d][d];
            double[] mt = new double[d];
            int i = 0;
            for (long k = 0; i < r; k++) {
                while (i < r && steps[i] == k) {
                    double l = 0;
                    for (int x = 0; x < d; x++) {
                        m[i][x] = mk[x] + c[x];
                        v[i][x] = ck[x][x];
                        for (int y = 0; y < d; y++) {
                            l += mk[x] * a[x][y] * mk[y] + a[x][y] * ck[y][x];
                        }
                    }
                    loss[i] = 0.5 * l;
                    i++;
                }
                if (i == r) {
                    break;
                }
                for (int x = 0; x < d; x++) {
                    double s = 0;
                    for (int y = 0; y < d; y++) {
                        s += b[x][y] * mk[y];
                    }
                    mt[x] = s;
                }
                System.arraycopy(mt, 0, mk, 0, d);
                for (int x = 0; x < d; x++) {
                    for (int y = 0; y < d; y++) {
                        double s = 0;
                        for (int z = 0; z < d; z++) {
                            s += b[x][z] * ck[z][y];
                        }
                        tmp[x][y] = s;
                    }
                }
                for (int x = 0; x < d; x++) {
                    for (int y = 0; y < d; y++) {
                        double s = 0;
                        for (int z = 0; z < d; z++) {
                            s += tmp[x][z] * b[y][z];
                        }
                        ck[x][y] = s + (x == y ? q : 0);
                    }
                }
            }
            return new ExactCurves("exact Euler-Maruyama Gaussian transient (O4)", m, v, loss);
        }
        return null;
    }

    /** O1's conditions, with any learning-rate schedule and initial law (the recursion is exact for them). */
    private static boolean isO1(RunSpec spec) {
        if (spec.dynamics() != Dynamics.SGD || spec.loss() != LossKind.LINREG || spec.dim() != 1 || spec.hasPrior()
                || spec.preconditioner() != org.langevin.model.PreconditionerKind.IDENTITY || spec.data() == null) {
            return false;
        }
        TrainingSet t = spec.data();
        for (int i = 0; i < t.n(); i++) {
            if (t.x(i, 0) != 1f) {
                return false;
            }
        }
        return true;
    }
}
