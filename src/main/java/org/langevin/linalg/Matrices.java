package org.langevin.linalg;

import org.ejml.data.Complex_F64;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.decomposition.lu.LUDecompositionBase_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.linsol.LinearSolverDense;

import java.util.Arrays;

/**
 * Dense double-precision linear algebra on plain {@code double[][]} arrays (row-major, {@code a[row][col]}).
 *
 * <p>This is the project's facade over EJML: no EJML type appears in its signatures, and every failure that
 * EJML reports as a {@code boolean} (singular matrix, matrix not positive definite, eigenvalue iteration not
 * converged) is turned into an {@link IllegalArgumentException} or {@link ArithmeticException} whose message
 * names the matrix. Inputs are never modified; outputs are fresh arrays.
 *
 * <p>All methods are static, stateless and thread-safe (they allocate their own work space).
 */
public final class Matrices {

    /** Relative tolerance (to the largest absolute entry) for {@link #requireSymmetric}. */
    public static final double SYMMETRY_TOLERANCE = 1e-12;

    /**
     * Smallest acceptable ratio of the smallest to the largest absolute LU pivot; below it the matrix is
     * treated as singular to working precision (a cheap lower-bound proxy for the reciprocal condition number).
     */
    private static final double SINGULAR_PIVOT_RATIO = 1e-14;

    private Matrices() {
    }

    // ---------------------------------------------------------------- validation

    /**
     * Checks that {@code a} is a non-empty rectangular matrix with finite entries.
     *
     * @param a    the matrix
     * @param name the name used in error messages (e.g. "H")
     * @return the number of rows
     * @throws IllegalArgumentException if null, empty, ragged or containing NaN/infinite entries
     */
    public static int requireMatrix(double[][] a, String name) {
        if (a == null || a.length == 0 || a[0] == null || a[0].length == 0) {
            throw new IllegalArgumentException("Matrix " + name + " is null or empty; give at least a 1x1 matrix");
        }
        int cols = a[0].length;
        for (int i = 0; i < a.length; i++) {
            if (a[i] == null || a[i].length != cols) {
                throw new IllegalArgumentException("Matrix " + name + " is ragged: row " + i + " has "
                        + (a[i] == null ? "no" : a[i].length) + " entries, row 0 has " + cols);
            }
            for (int j = 0; j < cols; j++) {
                if (!Double.isFinite(a[i][j])) {
                    throw new IllegalArgumentException("Matrix " + name + " has a non-finite entry at ("
                            + i + "," + j + "): " + a[i][j]);
                }
            }
        }
        return a.length;
    }

    /**
     * Checks that {@code a} is a square matrix with finite entries.
     *
     * @param a    the matrix
     * @param name the name used in error messages (e.g. "A")
     * @return the dimension (its number of rows, equal to its number of columns)
     * @throws IllegalArgumentException if not square (or see {@link #requireMatrix})
     */
    public static int requireSquare(double[][] a, String name) {
        int n = requireMatrix(a, name);
        if (a[0].length != n) {
            throw new IllegalArgumentException("Matrix " + name + " is not square: " + n + "x" + a[0].length);
        }
        return n;
    }

    /**
     * Whether a square matrix is symmetric to within {@code relTol} times its largest absolute entry.
     *
     * @param a      a square matrix with finite entries
     * @param relTol relative tolerance, ≥ 0
     * @return true when |a[i][j] − a[j][i]| ≤ relTol · max|a| for every pair i, j (always for an all-zero matrix)
     * @throws IllegalArgumentException if {@code a} is not square and finite, or {@code relTol} is negative or NaN
     */
    public static boolean isSymmetric(double[][] a, double relTol) {
        int n = requireSquare(a, "a");
        if (!(relTol >= 0)) {
            throw new IllegalArgumentException("relTol must be >= 0, got " + relTol);
        }
        double scale = maxAbs(a);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                if (Math.abs(a[i][j] - a[j][i]) > relTol * scale) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Throws unless {@code a} is square, finite and symmetric within {@link #SYMMETRY_TOLERANCE}.
     *
     * @param a    the matrix
     * @param name the name used in error messages (e.g. "G = B B^T")
     * @return the dimension
     * @throws IllegalArgumentException if not square and finite, or not symmetric (the message names it)
     */
    public static int requireSymmetric(double[][] a, String name) {
        int n = requireSquare(a, name);
        if (!isSymmetric(a, SYMMETRY_TOLERANCE)) {
            throw new IllegalArgumentException("Matrix " + name + " is not symmetric (relative tolerance "
                    + SYMMETRY_TOLERANCE + "); symmetrise it as (M + M^T)/2 or check its source");
        }
        return n;
    }

    // ---------------------------------------------------------------- elementary operations

    /**
     * The d×d identity matrix.
     *
     * @param d the dimension, ≥ 1
     * @return a fresh d×d identity matrix
     * @throws IllegalArgumentException if {@code d < 1}
     */
    public static double[][] identity(int d) {
        if (d < 1) {
            throw new IllegalArgumentException("dimension d must be >= 1, got " + d);
        }
        double[][] r = new double[d][d];
        for (int i = 0; i < d; i++) {
            r[i][i] = 1.0;
        }
        return r;
    }

    /**
     * A diagonal matrix with the given diagonal.
     *
     * @param diag the diagonal entries, finite and at least one
     * @return a fresh n×n matrix with {@code diag[i]} at (i, i) and zeros elsewhere, n = {@code diag.length}
     * @throws IllegalArgumentException if {@code diag} is null, empty or has a non-finite entry
     */
    public static double[][] diagonal(double... diag) {
        if (diag == null || diag.length == 0) {
            throw new IllegalArgumentException("diagonal is null or empty");
        }
        double[][] r = new double[diag.length][diag.length];
        for (int i = 0; i < diag.length; i++) {
            if (!Double.isFinite(diag[i])) {
                throw new IllegalArgumentException("diagonal entry " + i + " is not finite: " + diag[i]);
            }
            r[i][i] = diag[i];
        }
        return r;
    }

    /**
     * A deep copy (no validation: ragged rows are copied as they are).
     *
     * @param a the matrix
     * @return a new array whose rows are clones of {@code a}'s rows
     */
    public static double[][] copy(double[][] a) {
        double[][] r = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i].clone();
        }
        return r;
    }

    /**
     * The transpose.
     *
     * @param a an m×n matrix with finite entries
     * @return the fresh n×m matrix aᵀ
     * @throws IllegalArgumentException if {@code a} is null, empty, ragged or not finite
     */
    public static double[][] transpose(double[][] a) {
        int m = requireMatrix(a, "a");
        int n = a[0].length;
        double[][] r = new double[n][m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                r[j][i] = a[i][j];
            }
        }
        return r;
    }

    /**
     * The matrix product a·b.
     *
     * @param a an m×k matrix with finite entries
     * @param b a k×n matrix with finite entries
     * @return the fresh m×n product
     * @throws IllegalArgumentException if either matrix is invalid or the inner dimensions differ
     */
    public static double[][] multiply(double[][] a, double[][] b) {
        requireMatrix(a, "a");
        requireMatrix(b, "b");
        if (a[0].length != b.length) {
            throw new IllegalArgumentException("Cannot multiply " + a.length + "x" + a[0].length + " by "
                    + b.length + "x" + b[0].length);
        }
        DMatrixRMaj r = new DMatrixRMaj(a.length, b[0].length);
        CommonOps_DDRM.mult(toEjml(a), toEjml(b), r);
        return fromEjml(r);
    }

    /**
     * The product a·b·a<sup>T</sup> (a congruence), e.g. D S D<sup>T</sup>.
     *
     * @param a an m×k matrix
     * @param b a k×k matrix
     * @return the fresh m×m product a·b·a<sup>T</sup> (symmetric when b is)
     * @throws IllegalArgumentException if the shapes do not agree or an entry is not finite
     */
    public static double[][] congruence(double[][] a, double[][] b) {
        return multiply(multiply(a, b), transpose(a));
    }

    /**
     * The matrix-vector product a·x.
     *
     * @param a an m×n matrix with finite entries
     * @param x a vector of length n
     * @return the fresh vector a·x of length m
     * @throws IllegalArgumentException if {@code a} is invalid, or {@code x} is null or of the wrong length
     */
    public static double[] multiply(double[][] a, double[] x) {
        requireMatrix(a, "a");
        if (x == null || x.length != a[0].length) {
            throw new IllegalArgumentException("Vector length " + (x == null ? "null" : x.length)
                    + " does not match matrix columns " + a[0].length);
        }
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            double s = 0;
            for (int j = 0; j < x.length; j++) {
                s += a[i][j] * x[j];
            }
            r[i] = s;
        }
        return r;
    }

    /**
     * The sum a + b of equally shaped matrices.
     *
     * @param a an m×n matrix with finite entries
     * @param b an m×n matrix with finite entries
     * @return the fresh m×n sum
     * @throws IllegalArgumentException if either matrix is invalid or the shapes differ
     */
    public static double[][] add(double[][] a, double[][] b) {
        return linear(1.0, a, 1.0, b);
    }

    /**
     * The linear combination αa + βb of equally shaped matrices.
     *
     * @param alpha the coefficient of {@code a}
     * @param a     an m×n matrix with finite entries
     * @param beta  the coefficient of {@code b}
     * @param b     an m×n matrix with finite entries
     * @return the fresh m×n matrix αa + βb
     * @throws IllegalArgumentException if either matrix is invalid or the shapes differ
     */
    public static double[][] linear(double alpha, double[][] a, double beta, double[][] b) {
        requireMatrix(a, "a");
        requireMatrix(b, "b");
        if (a.length != b.length || a[0].length != b[0].length) {
            throw new IllegalArgumentException("Shapes differ: " + a.length + "x" + a[0].length + " and "
                    + b.length + "x" + b[0].length);
        }
        double[][] r = new double[a.length][a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                r[i][j] = alpha * a[i][j] + beta * b[i][j];
            }
        }
        return r;
    }

    /**
     * The trace of a square matrix.
     *
     * @param a a square matrix with finite entries
     * @return the sum of its diagonal entries
     * @throws IllegalArgumentException if {@code a} is not square and finite
     */
    public static double trace(double[][] a) {
        int n = requireSquare(a, "a");
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += a[i][i];
        }
        return s;
    }

    /**
     * The largest absolute entry (no validation).
     *
     * @param a the matrix (its rows may be ragged)
     * @return max |a[i][j]|, 0 for an all-zero or empty matrix, NaN if an entry is NaN
     */
    public static double maxAbs(double[][] a) {
        double m = 0;
        for (double[] row : a) {
            for (double v : row) {
                m = Math.max(m, Math.abs(v));
            }
        }
        return m;
    }

    // ---------------------------------------------------------------- factorisations and solves

    /**
     * The lower-triangular Cholesky factor L with L L<sup>T</sup> = a.
     *
     * @param a    a symmetric positive-definite matrix
     * @param name the matrix's name for error messages (e.g. "Sigma")
     * @return the fresh lower-triangular factor L (zeros above the diagonal, positive diagonal)
     * @throws IllegalArgumentException if a is not symmetric or not positive definite (the message names it)
     */
    public static double[][] cholesky(double[][] a, String name) {
        int n = requireSymmetric(a, name);
        CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(n, true);
        DMatrixRMaj m = toEjml(a);
        if (!chol.decompose(m)) {
            throw new IllegalArgumentException("Matrix " + name + " (" + n + "x" + n
                    + ") is not positive definite, so it has no Cholesky factor; its smallest eigenvalue is "
                    + symmetricEigenvalues(a, name)[0]);
        }
        double[][] l = fromEjml(chol.getT(null));
        for (int i = 0; i < n; i++) {
            // EJML leaves the strict upper triangle of the factor as it was; clear it.
            Arrays.fill(l[i], i + 1, n, 0.0);
            if (!(l[i][i] > 0) || !Double.isFinite(l[i][i])) {
                throw new IllegalArgumentException("Matrix " + name + " is not numerically positive definite "
                        + "(Cholesky pivot " + i + " = " + l[i][i] + ")");
            }
        }
        return l;
    }

    /**
     * The inverse of a square non-singular matrix, by LU decomposition.
     *
     * @param a    a square matrix with finite entries
     * @param name the matrix's name for error messages
     * @return the fresh inverse a⁻¹
     * @throws IllegalArgumentException if the matrix is singular to working precision (message names it)
     */
    public static double[][] inverse(double[][] a, String name) {
        int n = requireSquare(a, name);
        return fromEjml(luSolve(toEjml(a), toEjml(identity(n)), name));
    }

    /**
     * Solves a·x = b for x, by LU decomposition.
     *
     * @param a    a square n×n matrix with finite entries
     * @param b    the right-hand side, of length n
     * @param name the matrix's name for error messages
     * @return the fresh solution x, of length n
     * @throws IllegalArgumentException if a is singular to working precision or the shapes disagree
     */
    public static double[] solve(double[][] a, double[] b, String name) {
        int n = requireSquare(a, name);
        if (b == null || b.length != n) {
            throw new IllegalArgumentException("Right-hand side has length " + (b == null ? "null" : b.length)
                    + " but matrix " + name + " is " + n + "x" + n);
        }
        DMatrixRMaj rhs = new DMatrixRMaj(n, 1, true, b);
        return luSolve(toEjml(a), rhs, name).getData().clone();
    }

    /**
     * Solves a·X = b for the matrix X (see {@link #solve(double[][], double[], String)}).
     *
     * @param a    a square n×n matrix with finite entries
     * @param b    the right-hand sides, an n×k matrix with finite entries
     * @param name the matrix's name for error messages
     * @return the fresh n×k solution X
     * @throws IllegalArgumentException if a is singular to working precision or the shapes disagree
     */
    public static double[][] solve(double[][] a, double[][] b, String name) {
        int n = requireSquare(a, name);
        requireMatrix(b, "right-hand side");
        if (b.length != n) {
            throw new IllegalArgumentException("Right-hand side has " + b.length + " rows but matrix " + name
                    + " is " + n + "x" + n);
        }
        return fromEjml(luSolve(toEjml(a), toEjml(b), name));
    }

    /** Package-level LU solve on EJML matrices; inputs are not modified. */
    static DMatrixRMaj luSolve(DMatrixRMaj a, DMatrixRMaj b, String name) {
        LinearSolverDense<DMatrixRMaj> lu = LinearSolverFactory_DDRM.lu(a.numRows);
        DMatrixRMaj aw = lu.modifiesA() ? a.copy() : a;
        boolean ok = lu.setA(aw);
        double ratio = 0;
        if (ok) {
            DMatrixRMaj factors = ((LUDecompositionBase_DDRM) lu.getDecomposition()).getLU();
            double lo = Double.POSITIVE_INFINITY;
            double hi = 0;
            for (int i = 0; i < a.numRows; i++) {
                double p = Math.abs(factors.get(i, i));
                lo = Math.min(lo, p);
                hi = Math.max(hi, p);
            }
            ratio = lo / hi;
        }
        if (!ok || !(ratio > SINGULAR_PIVOT_RATIO)) {
            throw new IllegalArgumentException("Matrix " + name + " (" + a.numRows + "x" + a.numCols
                    + ") is singular to working precision (smallest/largest LU pivot " + ratio + ")");
        }
        DMatrixRMaj x = new DMatrixRMaj(b.numRows, b.numCols);
        lu.solve(lu.modifiesB() ? b.copy() : b, x);
        for (double v : x.getData()) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("Solving with matrix " + name + " gave a non-finite result; "
                        + "the matrix is singular or badly scaled");
            }
        }
        return x;
    }

    // ---------------------------------------------------------------- eigenvalues

    /**
     * The eigenvalues of a symmetric matrix, in ascending order.
     *
     * @param a    a symmetric matrix with finite entries
     * @param name the matrix's name for error messages
     * @return its n real eigenvalues, ascending
     * @throws IllegalArgumentException if not square, finite and symmetric
     * @throws ArithmeticException      if the eigenvalue iteration does not converge
     */
    public static double[] symmetricEigenvalues(double[][] a, String name) {
        int n = requireSymmetric(a, name);
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, false, true);
        if (!eig.decompose(toEjml(a))) {
            throw new ArithmeticException("Symmetric eigenvalue iteration did not converge for matrix " + name);
        }
        double[] ev = new double[n];
        for (int i = 0; i < n; i++) {
            ev[i] = eig.getEigenvalue(i).getReal();
        }
        Arrays.sort(ev);
        return ev;
    }

    /**
     * The eigenvalues of a general square matrix as {re, im} pairs, in no particular order.
     *
     * @param a    a square matrix with finite entries
     * @param name the matrix's name for error messages
     * @return an n×2 array whose row i is the real and imaginary part of the i-th eigenvalue
     *         (complex eigenvalues come with their conjugates)
     * @throws IllegalArgumentException if {@code a} is not square and finite
     * @throws ArithmeticException if the eigenvalue iteration does not converge
     */
    public static double[][] eigenvalues(double[][] a, String name) {
        int n = requireSquare(a, name);
        return eigenvalues(toEjml(a), name, n);
    }

    /**
     * Spectral radius max |λ| of a general square matrix.
     *
     * @param a    a square matrix with finite entries
     * @param name the matrix's name for error messages
     * @return the largest modulus of its eigenvalues, ≥ 0
     * @throws IllegalArgumentException if {@code a} is not square and finite
     * @throws ArithmeticException      if the eigenvalue iteration does not converge
     */
    public static double spectralRadius(double[][] a, String name) {
        requireSquare(a, name);
        return spectralRadius(toEjml(a), name);
    }

    static double spectralRadius(DMatrixRMaj a, String name) {
        double r = 0;
        for (double[] z : eigenvalues(a, name, a.numRows)) {
            r = Math.max(r, Math.hypot(z[0], z[1]));
        }
        return r;
    }

    private static double[][] eigenvalues(DMatrixRMaj a, String name, int n) {
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, false, false);
        if (!eig.decompose(a.copy())) {
            throw new ArithmeticException("Eigenvalue iteration did not converge for matrix " + name);
        }
        double[][] r = new double[n][2];
        for (int i = 0; i < n; i++) {
            Complex_F64 z = eig.getEigenvalue(i);
            r[i][0] = z.getReal();
            r[i][1] = z.getImaginary();
        }
        return r;
    }

    // ---------------------------------------------------------------- conversion (package-private)

    static DMatrixRMaj toEjml(double[][] a) {
        return new DMatrixRMaj(a);
    }

    static double[][] fromEjml(DMatrixRMaj m) {
        double[][] r = new double[m.numRows][m.numCols];
        for (int i = 0; i < m.numRows; i++) {
            System.arraycopy(m.data, i * m.numCols, r[i], 0, m.numCols);
        }
        return r;
    }
}
