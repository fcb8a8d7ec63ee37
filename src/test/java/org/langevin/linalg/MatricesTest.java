package org.langevin.linalg;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.langevin.linalg.TestMatrices.assertMatrixEquals;
import static org.langevin.linalg.TestMatrices.assertVectorEquals;

/**
 * Tests of the EJML facade. Tolerances: backward-stable factorisations of well-conditioned 6×6 matrices
 * (condition number below 1e3 by construction) reproduce their input to ~1e−15·cond, so 1e−11 relative.
 */
class MatricesTest {

    private static final double TOL = 1e-11;

    @Test
    void choleskyReproducesMatrixAndIsLowerTriangular() {
        double[][] a = TestMatrices.randomSpd(new Random(1), 6, 1.0);
        double[][] l = Matrices.cholesky(a, "A");
        assertMatrixEquals(a, Matrices.multiply(l, Matrices.transpose(l)), TOL, "L L^T");
        for (int i = 0; i < 6; i++) {
            assertTrue(l[i][i] > 0, "positive pivot");
            for (int j = i + 1; j < 6; j++) {
                assertEquals(0.0, l[i][j], "upper triangle");
            }
        }
    }

    @Test
    void choleskyOfIndefiniteMatrixThrowsNamingIt() {
        double[][] a = {{1, 2}, {2, 1}};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Matrices.cholesky(a, "Sigma"));
        assertTrue(e.getMessage().contains("Sigma") && e.getMessage().contains("positive definite"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Matrices.cholesky(new double[][] {{1, 0.5}, {0, 1}}, "N"));
    }

    @Test
    void inverseAndSolveAgree() {
        Random rng = new Random(2);
        double[][] a = Matrices.add(TestMatrices.randomMatrix(rng, 5, 5), Matrices.diagonal(6, 6, 6, 6, 6));
        double[][] inv = Matrices.inverse(a, "A");
        assertMatrixEquals(Matrices.identity(5), Matrices.multiply(a, inv), TOL, "A A^-1");
        double[] b = {1, -2, 0.5, 3, 0};
        assertVectorEquals(Matrices.multiply(inv, b), Matrices.solve(a, b, "A"), TOL, "solve");
        double[] x = Matrices.solve(a, b, "A");
        assertVectorEquals(b, Matrices.multiply(a, x), TOL, "residual");
    }

    @Test
    void singularMatrixThrowsNamingIt() {
        double[][] s = {{1, 2}, {2, 4}};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Matrices.inverse(s, "H"));
        assertTrue(e.getMessage().contains("H") && e.getMessage().contains("singular"), e.getMessage());
    }

    @Test
    void symmetricEigenvaluesOfRotatedDiagonal() {
        double[] lambda = {-1.5, 0.25, 2.0, 7.0};
        double[][] q = orthogonal(new Random(3), 4);
        double[][] a = Matrices.multiply(Matrices.multiply(q, Matrices.diagonal(lambda)), Matrices.transpose(q));
        a = Matrices.linear(0.5, a, 0.5, Matrices.transpose(a));
        assertVectorEquals(lambda, Matrices.symmetricEigenvalues(a, "A"), 1e-13, "eigenvalues");
    }

    @Test
    void spectralRadiusOfComplexPairAndCompanionMatrix() {
        // [[a,-b],[b,a]] has eigenvalues a ± ib.
        assertEquals(Math.hypot(0.6, 0.7), Matrices.spectralRadius(new double[][] {{0.6, -0.7}, {0.7, 0.6}}, "R"),
                1e-15);
        // companion matrix of (x-0.5)(x+0.9)(x-0.2) = x^3 + 0.2x^2 - 0.53x + 0.09
        double[][] c = {{-0.2, 0.53, -0.09}, {1, 0, 0}, {0, 1, 0}};
        assertEquals(0.9, Matrices.spectralRadius(c, "C"), 1e-13);
    }

    @Test
    void symmetryCheckAndValidation() {
        assertTrue(Matrices.isSymmetric(new double[][] {{1, 2}, {2, 3}}, 0));
        assertFalse(Matrices.isSymmetric(new double[][] {{1, 2}, {2.001, 3}}, 1e-6));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Matrices.requireSquare(new double[][] {{1, Double.NaN}, {0, 1}}, "D"));
        assertTrue(e.getMessage().contains("D") && e.getMessage().contains("NaN"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Matrices.requireSquare(new double[][] {{1, 2}}, "D"));
        assertThrows(IllegalArgumentException.class, () -> Matrices.multiply(new double[2][3], new double[2][3]));
    }

    @Test
    void congruenceAndTrace() {
        double[][] d = {{1, 2}, {0, 3}};
        double[][] s = {{2, 1}, {1, 4}};
        // D S D^T computed by hand: D S = [[4, 9], [3, 12]]; (D S) D^T = [[22, 27], [27, 36]]
        assertMatrixEquals(new double[][] {{22, 27}, {27, 36}}, Matrices.congruence(d, s), 1e-15, "D S D^T");
        assertEquals(6.0, Matrices.trace(s), 0.0);
        assertTrue(Arrays.equals(new double[] {1, 0}, Matrices.identity(2)[0]));
    }

    /** A random orthogonal matrix by Gram–Schmidt on a Gaussian matrix. */
    static double[][] orthogonal(Random rng, int d) {
        double[][] g = TestMatrices.randomMatrix(rng, d, d);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < i; j++) {
                double dot = 0;
                for (int k = 0; k < d; k++) {
                    dot += g[i][k] * g[j][k];
                }
                for (int k = 0; k < d; k++) {
                    g[i][k] -= dot * g[j][k];
                }
            }
            double norm = 0;
            for (int k = 0; k < d; k++) {
                norm += g[i][k] * g[i][k];
            }
            for (int k = 0; k < d; k++) {
                g[i][k] /= Math.sqrt(norm);
            }
        }
        return g;
    }
}
