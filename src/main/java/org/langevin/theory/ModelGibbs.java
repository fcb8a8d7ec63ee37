package org.langevin.theory;

import org.langevin.model.RunSpec;
import org.langevin.model.lang.ModelFunctions;

/**
 * The Gibbs law p(x) ∝ exp(−2L(x)/σ²) of a one-dimensional user model, by quadrature: L is evaluated
 * with the model's own generated code (in float), its support found on a grid over [−100, 100] as where
 * 2L/σ² is within 50 of its minimum, and Z, the mean and the
 * variance integrated there by Simpson's rule on 20 000 intervals. Immutable and thread-safe.
 */
public final class ModelGibbs {
    private static final int GRID = 200_000;
    private static final int SIMPSON = 20_000;
    private static final double RANGE = 100;

    private final ModelFunctions f;
    private final double beta;
    private final double shift;
    private final double z;
    private final double mean;
    private final double variance;

    private ModelGibbs(ModelFunctions f, double beta, double shift, double z, double mean, double variance) {
        this.f = f;
        this.beta = beta;
        this.shift = shift;
        this.z = z;
        this.mean = mean;
        this.variance = variance;
    }

    /** @return the law, or null when L does not confine the particle within ±100 */
    static ModelGibbs of(RunSpec spec) {
        ModelFunctions f = ModelFunctions.of(spec.model(), spec.data());
        double beta = 2 / (spec.sigma() * spec.sigma());
        float[] out = new float[2];
        float[] scratch = new float[2];
        double min = Double.POSITIVE_INFINITY;
        double[] e = new double[GRID + 1];
        for (int i = 0; i <= GRID; i++) {
            double x = -RANGE + 2 * RANGE * i / GRID;
            f.lossAndGradient(new float[] {(float) x}, 0f, scratch, out);
            e[i] = Double.isFinite(out[0]) ? beta * out[0] : Double.POSITIVE_INFINITY;
            min = Math.min(min, e[i]);
        }
        if (!Double.isFinite(min) || e[0] < min + 50 || e[GRID] < min + 50) {
            return null;
        }
        int lo = 0;
        while (e[lo] > min + 50) {
            lo++;
        }
        int hi = GRID;
        while (e[hi] > min + 50) {
            hi--;
        }
        double a = -RANGE + 2 * RANGE * Math.max(0, lo - 1) / GRID;
        double b = -RANGE + 2 * RANGE * Math.min(GRID, hi + 1) / GRID;
        ModelGibbs unnormalised = new ModelGibbs(f, beta, min, 1, 0, 0);
        double z = unnormalised.simpson(a, b, 0);
        double m1 = unnormalised.simpson(a, b, 1) / z;
        double m2 = unnormalised.simpson(a, b, 2) / z;
        return new ModelGibbs(f, beta, min, z, m1, m2 - m1 * m1);
    }

    /** ∫ x^k exp(−βL + shift) dx over [a, b]. */
    private double simpson(double a, double b, int k) {
        double h = (b - a) / SIMPSON;
        double s = 0;
        for (int i = 0; i <= SIMPSON; i++) {
            double x = a + i * h;
            double w = i == 0 || i == SIMPSON ? 1 : (i % 2 == 1 ? 4 : 2);
            s += w * Math.pow(x, k) * unnormalised(x);
        }
        return s * h / 3;
    }

    private double unnormalised(double x) {
        float[] out = new float[2];
        f.lossAndGradient(new float[] {(float) x}, 0f, new float[2], out);
        return Double.isFinite(out[0]) ? Math.exp(-(beta * out[0] - shift)) : 0;
    }

    /**
     * The normalised density, L evaluated at x rounded to float.
     *
     * @param x the coordinate
     * @return p(x) = exp(−2L(x)/σ²)/Z (units 1/x); 0 where the model's L is not finite
     */
    public double density(double x) {
        return unnormalised(x) / z;
    }

    /** @return Z (times e^{min 2L/σ²}, the shift that keeps it in range) */
    public double normaliser() {
        return z;
    }

    /** @return E x */
    public double mean() {
        return mean;
    }

    /** @return Var x */
    public double variance() {
        return variance;
    }
}
