package org.langevin.model;

import java.util.Arrays;

/**
 * A training set of n examples (x_i ∈ R^d, y_i ∈ R), stored row-major in float as the kernels read it.
 * Immutable: the arrays are copied on construction and never handed out.
 */
public final class TrainingSet {
    /** Number of examples. */
    private final int n;
    /** Features per example. */
    private final int d;
    /** Row-major features, n·d values. */
    private final float[] x;
    /** Targets or labels, n values. */
    private final float[] y;

    /**
     * @param n examples, at least 1
     * @param d features per example, at least 0 (0: a target only, for a model whose data line has no features)
     * @param x row-major features, n·d finite values
     * @param y targets, n finite values
     */
    public TrainingSet(int n, int d, float[] x, float[] y) {
        if (n < 1) {
            throw new IllegalArgumentException("training set has no examples (n = " + n + ")");
        }
        if (d < 0) {
            throw new IllegalArgumentException("training set has a negative number of features (d = " + d + ")");
        }
        if (x.length != (long) n * d || y.length != n) {
            throw new IllegalArgumentException("training set arrays do not match n = " + n + ", d = " + d
                    + ": got " + x.length + " features and " + y.length + " targets");
        }
        for (int i = 0; i < x.length; i++) {
            if (!Float.isFinite(x[i])) {
                throw new IllegalArgumentException("feature " + (i % Math.max(1, d) + 1) + " of example " + (i / Math.max(1, d) + 1)
                        + " is not finite: " + x[i]);
            }
        }
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(y[i])) {
                throw new IllegalArgumentException("target of example " + (i + 1) + " is not finite: " + y[i]);
            }
        }
        this.n = n;
        this.d = d;
        this.x = x.clone();
        this.y = y.clone();
    }

    /** @return the number of examples */
    public int n() {
        return n;
    }

    /** @return the number of features */
    public int d() {
        return d;
    }

    /**
     * One feature of one example.
     *
     * @param i the example's 0-based index, 0 ≤ i &lt; n
     * @param j the feature's 0-based index, 0 ≤ j &lt; d
     * @return feature j of example i (the indices are checked only against the array's bounds)
     */
    public float x(int i, int j) {
        return x[i * d + j];
    }

    /**
     * The target (or label) of one example.
     *
     * @param i the example's 0-based index, 0 ≤ i &lt; n
     * @return target of example i
     * @throws ArrayIndexOutOfBoundsException if i is out of range
     */
    public float y(int i) {
        return y[i];
    }

    /** @return a copy of the row-major features */
    public float[] features() {
        return x.clone();
    }

    /** @return a copy of the targets */
    public float[] targets() {
        return y.clone();
    }

    /** @return the kernel's data array: features (n·d, row-major) then targets (n) */
    public float[] kernelData() {
        float[] out = Arrays.copyOf(x, x.length + n);
        System.arraycopy(y, 0, out, x.length, n);
        return out;
    }

    /**
     * The mean data row x̄ = (1/n) Σ_i x_i in double (summed in example order, then divided): the centre of
     * the quadratic's and double well's additive SGD noise x_i − x̄.
     *
     * @return x̄, d values (a new array)
     */
    public double[] meanRow() {
        double[] m = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                m[j] += x(i, j);
            }
        }
        for (int j = 0; j < d; j++) {
            m[j] /= n;
        }
        return m;
    }

    /** @return a copy with labels mapped 0 → −1 (logistic regression accepts 0/1 or ±1 labels) */
    public TrainingSet withSignLabels() {
        float[] yy = y.clone();
        for (int i = 0; i < n; i++) {
            if (yy[i] == 0f) {
                yy[i] = -1f;
            } else if (yy[i] != 1f && yy[i] != -1f) {
                throw new IllegalArgumentException("logistic regression needs labels 0/1 or -1/+1; example "
                        + (i + 1) + " has y = " + yy[i]);
            }
        }
        return new TrainingSet(n, d, x, yy);
    }
}
