package org.langevin.check;

import org.langevin.linalg.Matrices;
import org.langevin.linalg.RegressionStats;
import org.langevin.linalg.SgdStationaryCovariance;
import org.langevin.model.LossKind;
import org.langevin.model.TrainingSet;

/**
 * Exact oracles of SGD on linear regression (no prior) for the checks, from the linalg package: Φ*, H,
 * Σ(Φ*), L*, and the stationary O2 covariance and excess loss ½tr(HC); plus the host per-example losses.
 * Immutable and thread-safe.
 */
final class LinregOracle {
    /** Statistics at Φ*. */
    private final RegressionStats stats;
    /** The O2 solver. */
    private final SgdStationaryCovariance o2;
    /** Per-example losses on the host. */
    final ExampleLosses losses;
    /** L* = L(Φ*). */
    final double minimumLoss;

    /**
     * @param data the training set (as the kernels read it)
     * @param noiseVariance s² of the per-example loss (xᵀΦ − y)²/(2s²)
     */
    LinregOracle(TrainingSet data, double noiseVariance) {
        this.stats = RegressionStats.of(data.features(), data.targets(), data.d(), noiseVariance);
        this.o2 = SgdStationaryCovariance.forRegression(stats);
        this.losses = new ExampleLosses(data, LossKind.LINREG, noiseVariance);
        this.minimumLoss = stats.minimumLoss();
    }

    /** @return Φ* */
    double[] phiStar() {
        return stats.phiStar();
    }

    /** @return H */
    double[][] hessian() {
        return stats.hessian();
    }

    /** @return Σ(Φ*) */
    double[][] noise() {
        return stats.noiseCovariance();
    }

    /** @return the smallest eigenvalue of H (sets the slowest relaxation, 1/(ηλ) steps) */
    double smallestCurvature() {
        return smallestEigenvalue(stats.hessian());
    }

    /** @return the smallest eigenvalue of a symmetric matrix */
    static double smallestEigenvalue(double[][] h) {
        double min = Double.POSITIVE_INFINITY;
        for (double v : Matrices.symmetricEigenvalues(h, "H")) {
            min = Math.min(min, v);
        }
        return min;
    }

    /** @return the O2 stationary covariance of Φ − Φ* at learning rate η and batch factor κ */
    double[][] sgdCovariance(double eta, double kappa) {
        return o2.solve(eta, kappa).covariance();
    }

    /** @return the stationary excess loss ½tr(HC) */
    double excessLoss(double eta, double kappa) {
        return o2.solve(eta, kappa).excessLoss();
    }

    /** @return ¼E_i‖g_i‖² = ¼tr Σ(Φ*), the slope of L(η) at η = 0 for batch 1 */
    double slopeAtZero() {
        return 0.25 * stats.meanSquaredGradientNorm();
    }
}
