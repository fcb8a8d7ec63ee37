package org.langevin.check;

import org.langevin.linalg.RegressionGeometry;
import org.langevin.model.TrainingSet;

/**
 * Exact oracles of SGD on linear regression (no prior) for the checks: Φ*, H, Σ(Φ*) from
 * {@link RegressionGeometry}, L* in double, and the stationary O2 covariance and excess loss ½tr(HC)
 * (solved here, independently of the linalg package). Immutable and thread-safe.
 */
final class LinregOracle {
    /** The geometry at Φ*. */
    final RegressionGeometry geometry;
    /** Features as doubles, n rows of d. */
    private final double[][] rows;
    /** s². */
    private final double noiseVariance;
    /** Per-example losses. */
    final ExampleLosses losses;
    /** L* = L(Φ*). */
    final double minimumLoss;

    LinregOracle(TrainingSet data, double noiseVariance) {
        this.geometry = RegressionGeometry.linear(data, noiseVariance, 0.0);
        this.noiseVariance = noiseVariance;
        this.rows = new double[data.n()][data.d()];
        for (int i = 0; i < data.n(); i++) {
            for (int j = 0; j < data.d(); j++) {
                rows[i][j] = data.x(i, j);
            }
        }
        this.losses = new ExampleLosses(data, org.langevin.model.LossKind.LINREG, noiseVariance);
        this.minimumLoss = losses.loss(geometry.minimiser());
    }

    /** @return Φ* */
    double[] phiStar() {
        return geometry.minimiser();
    }

    /** @return H */
    double[][] hessian() {
        return geometry.hessian();
    }

    /** @return the smallest eigenvalue of H (sets the slowest relaxation, 1/(ηλ) steps) */
    double smallestCurvature() {
        return SmallMatrices.symmetricEigenvalues(geometry.hessian())[0];
    }

    /** @return the O2 stationary covariance of Φ − Φ* at learning rate η and batch factor κ */
    double[][] sgdCovariance(double eta, double kappa) {
        return SmallMatrices.sgdStationaryCovariance(rows, noiseVariance, geometry.noise(), eta, kappa);
    }

    /** @return the stationary excess loss ½tr(HC) */
    double excessLoss(double eta, double kappa) {
        return 0.5 * SmallMatrices.trace(SmallMatrices.multiply(geometry.hessian(), sgdCovariance(eta, kappa)));
    }

    /** @return ¼E_i‖g_i‖² = ¼tr Σ(Φ*), the slope of L(η) at η = 0 for batch 1 */
    double slopeAtZero() {
        return 0.25 * geometry.gradNormSq();
    }
}
