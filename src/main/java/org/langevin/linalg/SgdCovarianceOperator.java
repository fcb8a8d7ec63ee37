package org.langevin.linalg;

import org.ejml.simple.SimpleMatrix;
import org.langevin.model.RunSpec;
import org.langevin.model.TrainingSet;

/**
 * The linear operator of THEORY.md O2 generalised to a preconditioner D: the covariance C of Φ − Φ*
 * under SGD Φ ← Φ − ηDĝ on linear regression evolves as
 * C ← (I−ηDH) C (I−ηDH)ᵀ + η²κ E_i[D(A_i−H) C (A_i−H)Dᵀ] + η²κ D S Dᵀ, A_i = x_i x_iᵀ/s².
 * On vec(C) its matrix is (I−ηDH)⊗(I−ηDH) + η²κ E_i[(D(A_i−H))⊗(D(A_i−H))]; SGD is mean-square
 * stable iff its spectral radius is below 1. Computed for d ≤ 16 (a d²×d² matrix).
 */
public final class SgdCovarianceOperator {
    /** Largest dimension for which the d²×d² operator is formed. */
    public static final int MAX_DIM = 16;

    private SgdCovarianceOperator() {
    }

    /**
     * @return the spectral radius of the operator at learning rate η, or 0 when d > MAX_DIM (not checked)
     */
    public static double spectralRadius(RunSpec spec, NoiseGeometry geo, double eta) {
        int d = spec.dim();
        if (d > MAX_DIM) {
            return 0;
        }
        double[][] dm = switch (spec.preconditioner()) {
            case IDENTITY -> NoiseGeometry.scaledIdentity(d, 1);
            case DIAGONAL, FULL -> spec.preconditionerMatrix();
            case INVERSE_NOISE -> geo.inverseNoise();
            case RMSPROP -> geo.rmsprop();
        };
        return operator(spec.data(), spec.noiseVariance(), geo.hessian(), dm, eta,
                spec.sampling().kappa(spec.batch(), spec.examples())).spectralRadius();
    }

    /** The operator for data X, noise variance s², Hessian H (prior included), preconditioner D. */
    public static Operator operator(TrainingSet t, double s2, double[][] h, double[][] dm, double eta, double kappa) {
        int d = h.length;
        SimpleMatrix hm = new SimpleMatrix(h);
        SimpleMatrix dmat = new SimpleMatrix(dm);
        SimpleMatrix m = SimpleMatrix.identity(d).minus(dmat.mult(hm).scale(eta));
        SimpleMatrix op = m.kron(m);
        SimpleMatrix noise = new SimpleMatrix(d * d, d * d);
        // E A_i: the data part of H (the prior is the same for every example and cancels in A_i − E A_i).
        SimpleMatrix hd = new SimpleMatrix(d, d);
        for (int i = 0; i < t.n(); i++) {
            hd = hd.plus(exampleHessian(t, i, s2));
        }
        hd = hd.scale(1.0 / t.n());
        for (int i = 0; i < t.n(); i++) {
            SimpleMatrix diff = dmat.mult(exampleHessian(t, i, s2).minus(hd));
            noise = noise.plus(diff.kron(diff));
        }
        op = op.plus(noise.scale(eta * eta * kappa / t.n()));
        return new Operator(op);
    }

    private static SimpleMatrix exampleHessian(TrainingSet t, int i, double s2) {
        int d = t.d();
        SimpleMatrix a = new SimpleMatrix(d, d);
        for (int j = 0; j < d; j++) {
            for (int k = 0; k < d; k++) {
                a.set(j, k, t.x(i, j) * t.x(i, k) / s2);
            }
        }
        return a;
    }

    /** A d²×d² operator on vec(C). */
    public static final class Operator {
        private final SimpleMatrix m;

        Operator(SimpleMatrix m) {
            this.m = m;
        }

        /** @return the spectral radius */
        public double spectralRadius() {
            return NoiseGeometry.spectralRadius(m);
        }
    }
}
