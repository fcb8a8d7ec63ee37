package org.langevin.linalg;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Shared helpers for the linalg and theory tests: seeded random matrices and tolerant comparisons. */
public final class TestMatrices {

    private TestMatrices() {
    }

    /** A random symmetric positive-definite d×d matrix G Gᵀ + shift·I, G with N(0,1) entries. */
    public static double[][] randomSpd(Random rng, int d, double shift) {
        double[][] g = randomMatrix(rng, d, d);
        double[][] a = Matrices.multiply(g, Matrices.transpose(g));
        for (int i = 0; i < d; i++) {
            a[i][i] += shift;
        }
        return a;
    }

    /** A random m×n matrix with N(0,1) entries. */
    public static double[][] randomMatrix(Random rng, int m, int n) {
        double[][] a = new double[m][n];
        for (double[] row : a) {
            for (int j = 0; j < n; j++) {
                row[j] = rng.nextGaussian();
            }
        }
        return a;
    }

    /** Random regression data (x row-major, y) with Gaussian inputs, a linear signal and noise. */
    public static float[][] regressionData(Random rng, int n, int d, double noise) {
        float[] x = new float[n * d];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            double t = 0;
            for (int k = 0; k < d; k++) {
                float v = (float) (rng.nextGaussian() * (1 + 0.3 * k));
                x[i * d + k] = v;
                t += v * (0.5 - 0.2 * k);
            }
            y[i] = (float) (t + noise * rng.nextGaussian());
        }
        return new float[][] {x, y};
    }

    /** Asserts entrywise |a − b| ≤ relTol · max(max|b|, floor). */
    public static void assertMatrixEquals(double[][] expected, double[][] actual, double relTol, String what) {
        assertEquals(expected.length, actual.length, what + ": rows");
        double scale = Math.max(Matrices.maxAbs(expected), 1e-300);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i].length, actual[i].length, what + ": columns");
            for (int j = 0; j < expected[i].length; j++) {
                assertEquals(expected[i][j], actual[i][j], relTol * scale, what + " at (" + i + "," + j + ")");
            }
        }
    }

    /** Asserts entrywise |a − b| ≤ relTol · max|b|. */
    public static void assertVectorEquals(double[] expected, double[] actual, double relTol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double scale = 1e-300;
        for (double v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], relTol * scale, what + " at " + i);
        }
    }
}
