package org.langevin.check;

import org.langevin.model.LossKind;
import org.langevin.model.TrainingSet;

/**
 * Per-example losses and gradients of linear and logistic regression (no prior) in double precision on
 * the host, from the float training set the kernels read: L(Φ), ∇L(Φ) and the mean squared per-example
 * gradient norm m₂(Φ) = (1/n)Σ‖∇L_i(Φ)‖², from which the expected squared batch gradient follows:
 * E‖ĝ‖² = ‖∇L‖² + κ(m₂ − ‖∇L‖²). Immutable and thread-safe.
 */
final class ExampleLosses {
    /** Linear or logistic regression. */
    private final LossKind kind;
    /** Examples. */
    private final int n;
    /** Dimension. */
    private final int d;
    /** Features, n rows of d. */
    private final double[][] x;
    /** Targets (linreg) or ±1 labels (logistic). */
    private final double[] y;
    /** 1/s² of linear regression. */
    private final double invS2;

    ExampleLosses(TrainingSet data, LossKind kind, double noiseVariance) {
        if (kind != LossKind.LINREG && kind != LossKind.LOGISTIC) {
            throw new IllegalArgumentException("ExampleLosses supports linreg and logistic, got " + kind);
        }
        this.kind = kind;
        this.n = data.n();
        this.d = data.d();
        this.x = new double[n][d];
        this.y = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i][j] = data.x(i, j);
            }
            y[i] = data.y(i);
        }
        this.invS2 = 1.0 / noiseVariance;
    }

    /** @return the mean loss L(Φ) */
    double loss(double[] phi) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            double z = dot(i, phi);
            if (kind == LossKind.LINREG) {
                double r = z - y[i];
                s += 0.5 * invS2 * r * r;
            } else {
                double t = -y[i] * z;
                s += Math.max(t, 0) + Math.log1p(Math.exp(-Math.abs(t)));
            }
        }
        return s / n;
    }

    /**
     * Full gradient and mean squared per-example gradient norm.
     *
     * @param phi the point
     * @param grad receives ∇L(Φ) (length d)
     * @return m₂(Φ) = (1/n)Σ‖∇L_i(Φ)‖²
     */
    double gradient(double[] phi, double[] grad) {
        java.util.Arrays.fill(grad, 0, d, 0.0);
        double m2 = 0;
        double[] xi;
        for (int i = 0; i < n; i++) {
            xi = x[i];
            double z = dot(i, phi);
            double w;
            if (kind == LossKind.LINREG) {
                w = (z - y[i]) * invS2;
            } else {
                double t = y[i] * z;
                w = -y[i] / (1 + Math.exp(t));
            }
            double norm2 = 0;
            for (int j = 0; j < d; j++) {
                double g = w * xi[j];
                grad[j] += g;
                norm2 += g * g;
            }
            m2 += norm2;
        }
        for (int j = 0; j < d; j++) {
            grad[j] /= n;
        }
        return m2 / n;
    }

    private double dot(int i, double[] phi) {
        double s = 0;
        for (int j = 0; j < d; j++) {
            s += x[i][j] * phi[j];
        }
        return s;
    }

    /** @return n */
    int examples() {
        return n;
    }

    /** @return d */
    int dim() {
        return d;
    }
}
