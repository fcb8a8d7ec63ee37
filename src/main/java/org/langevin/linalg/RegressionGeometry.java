package org.langevin.linalg;

import org.ejml.simple.SimpleMatrix;
import org.langevin.model.TrainingSet;

/**
 * Minimiser, Hessian and gradient-noise covariance of the per-example regression losses at Φ*, in
 * double: linear regression (x_iᵀΦ − y_i)²/(2s²) in closed form, logistic regression
 * ln(1 + exp(−y_i x_iᵀΦ)) by Newton's method; an optional prior adds ½·prior·‖Φ‖² to L.
 * Σ(Φ*) = (1/n) Σ_i (∇L_i − g)(∇L_i − g)ᵀ, the covariance of one uniformly drawn example's gradient.
 *
 * @param dataHessian XᵀX/(n s²) (linear regression; null for logistic)
 * @param dataVector Xᵀy/(n s²) (linear regression; null for logistic)
 * @param minimiser Φ*
 * @param hessian ∇²L(Φ*), prior included
 * @param noise Σ(Φ*)
 * @param gradNormSq E_i ‖∇L_i(Φ*)‖² (without the prior term)
 */
public record RegressionGeometry(double[][] dataHessian, double[] dataVector, double[] minimiser,
                                 double[][] hessian, double[][] noise, double gradNormSq) {

    /** Linear regression with noise variance s² and prior coefficient 1/(nτ²) (0 for none). */
    public static RegressionGeometry linear(TrainingSet t, double s2, double prior) {
        int n = t.n();
        int d = t.d();
        double[][] hd = new double[d][d];
        double[] b = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double xj = t.x(i, j);
                b[j] += xj * t.y(i);
                for (int k = 0; k < d; k++) {
                    hd[j][k] += xj * t.x(i, k);
                }
            }
        }
        for (int j = 0; j < d; j++) {
            b[j] /= n * s2;
            for (int k = 0; k < d; k++) {
                hd[j][k] /= n * s2;
            }
        }
        double[][] h = NoiseGeometry.copy(hd);
        for (int j = 0; j < d; j++) {
            h[j][j] += prior;
        }
        SimpleMatrix hm = new SimpleMatrix(h);
        if (!(Math.abs(hm.determinant()) > 0)) {
            throw new IllegalArgumentException("linear regression has no unique minimiser: XᵀX is singular "
                    + "(fewer independent examples than --dim); add --prior-variance");
        }
        double[] phi = column(hm.solve(new SimpleMatrix(d, 1, true, b)));
        double[][] grads = new double[n][d];
        for (int i = 0; i < n; i++) {
            double r = -t.y(i);
            for (int k = 0; k < d; k++) {
                r += t.x(i, k) * phi[k];
            }
            for (int j = 0; j < d; j++) {
                grads[i][j] = t.x(i, j) * r / s2;
            }
        }
        return new RegressionGeometry(hd, b, phi, h, covariance(grads), meanNormSq(grads));
    }

    /**
     * Logistic regression (labels ±1) with prior coefficient 1/(nτ²) (0 for none).
     *
     * @throws IllegalArgumentException when Newton's method does not converge (separable data
     *                                  without a prior has no minimiser)
     */
    public static RegressionGeometry logistic(TrainingSet t, double prior) {
        int n = t.n();
        int d = t.d();
        double[] phi = new double[d];
        double[][] h = null;
        boolean converged = false;
        for (int iter = 0; iter < 200 && !converged; iter++) {
            double[] g = new double[d];
            h = new double[d][d];
            for (int i = 0; i < n; i++) {
                double z = 0;
                for (int k = 0; k < d; k++) {
                    z += t.x(i, k) * phi[k];
                }
                double y = t.y(i);
                double sNeg = sigmoid(-y * z);
                double w = sNeg * (1 - sNeg);
                for (int j = 0; j < d; j++) {
                    g[j] += -y * sNeg * t.x(i, j) / n;
                    for (int k = 0; k < d; k++) {
                        h[j][k] += w * t.x(i, j) * t.x(i, k) / n;
                    }
                }
            }
            double gn = 0;
            for (int j = 0; j < d; j++) {
                g[j] += prior * phi[j];
                h[j][j] += prior;
                gn += g[j] * g[j];
            }
            if (Math.sqrt(gn) < 1e-12) {
                converged = true;
                break;
            }
            double[] step = column(new SimpleMatrix(h).solve(new SimpleMatrix(d, 1, true, g)));
            double norm = 0;
            for (int j = 0; j < d; j++) {
                phi[j] -= step[j];
                norm += phi[j] * phi[j];
            }
            if (!Double.isFinite(norm) || norm > 1e12) {
                break;
            }
        }
        if (converged && prior == 0) {
            // Separable data: Newton drifts to huge ‖Φ‖ where the gradient and the Hessian vanish together.
            double lmin = Double.POSITIVE_INFINITY;
            var evd = new SimpleMatrix(h).eig();
            for (int i = 0; i < evd.getNumberOfEigenvalues(); i++) {
                lmin = Math.min(lmin, evd.getEigenvalue(i).getReal());
            }
            if (!(lmin > 1e-6)) {
                converged = false;
            }
        }
        if (!converged) {
            throw new IllegalArgumentException("logistic regression has no finite minimiser for this training set "
                    + "(the classes are separable or nearly so); add --prior-variance τ²");
        }
        double[][] grads = new double[n][d];
        for (int i = 0; i < n; i++) {
            double z = 0;
            for (int k = 0; k < d; k++) {
                z += t.x(i, k) * phi[k];
            }
            double y = t.y(i);
            double sNeg = sigmoid(-y * z);
            for (int j = 0; j < d; j++) {
                grads[i][j] = -y * sNeg * t.x(i, j);
            }
        }
        return new RegressionGeometry(null, null, phi, h, covariance(grads), meanNormSq(grads));
    }

    /** @return the population covariance (1/n) Σ (x_i − x̄)(x_i − x̄)ᵀ of the data rows */
    public static double[][] rowCovariance(TrainingSet t) {
        double[][] rows = new double[t.n()][t.d()];
        for (int i = 0; i < t.n(); i++) {
            for (int j = 0; j < t.d(); j++) {
                rows[i][j] = t.x(i, j);
            }
        }
        return covariance(rows);
    }

    static double[][] covariance(double[][] v) {
        int n = v.length;
        int d = v[0].length;
        double[] mean = new double[d];
        for (double[] r : v) {
            for (int j = 0; j < d; j++) {
                mean[j] += r[j] / n;
            }
        }
        double[][] c = new double[d][d];
        for (double[] r : v) {
            for (int j = 0; j < d; j++) {
                for (int k = 0; k < d; k++) {
                    c[j][k] += (r[j] - mean[j]) * (r[k] - mean[k]) / n;
                }
            }
        }
        return c;
    }

    private static double meanNormSq(double[][] v) {
        double s = 0;
        for (double[] r : v) {
            for (double x : r) {
                s += x * x;
            }
        }
        return s / v.length;
    }

    private static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }

    private static double[] column(SimpleMatrix m) {
        double[] v = new double[m.getNumRows()];
        for (int i = 0; i < v.length; i++) {
            v[i] = m.get(i, 0);
        }
        return v;
    }
}
