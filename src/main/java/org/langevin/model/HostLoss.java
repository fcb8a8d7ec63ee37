package org.langevin.model;

/**
 * The loss L(Φ) of a run in double precision, evaluated on the host for the reductions (the same Java
 * code for every backend, so the statistics agree as exactly as the particles do). Linear regression
 * uses the exact quadratic form ½ΦᵀHΦ − bᵀΦ + c (precomputed in double); logistic regression sums
 * over the examples; a user model's loss is its generated code's L (float, as the dynamics see it).
 * Thread-safe (immutable).
 */
public final class HostLoss {
    private final LossKind kind;
    private final int d;
    /** Quadratic: A, row-major; linreg: H. */
    private final double[] mat;
    /** Quadratic: m; linreg: b. */
    private final double[] vec;
    /** Linreg: c = mean(y²)/(2s²). */
    private final double c;
    /** Prior coefficient 1/(nτ²), 0 without a prior. */
    private final double prior;
    private final TrainingSet data;
    /** A user model's functions, or null. */
    private final org.langevin.model.lang.ModelFunctions model;
    /** The time at which a user model's loss is evaluated (the run's last step). */
    private final float time;
    /** Per reducer thread: the user model's output and scratch arrays (1 + d floats each). */
    private final ThreadLocal<float[][]> modelScratch;

    /**
     * Builds the loss of a validated spec: precomputes H, b and c for linear regression and, for a user
     * model with a loss, its generated functions on the spec's training set.
     *
     * @param spec a validated run (its loss kind, dimension, training set, prior and model)
     */
    public HostLoss(RunSpec spec) {
        this.kind = spec.loss();
        this.d = spec.dim();
        this.data = spec.data();
        int n = spec.examples();
        this.prior = spec.hasPrior() ? 1.0 / (n * spec.priorVariance()) : 0.0;
        double[] a = new double[d * d];
        double[] v = new double[d];
        double cc = 0;
        if (kind == LossKind.QUADRATIC) {
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    a[i * d + j] = spec.quadraticMatrix()[i][j];
                }
                v[i] = spec.quadraticCenter()[i];
            }
        } else if (kind == LossKind.LINREG) {
            double s2 = spec.noiseVariance();
            for (int i = 0; i < n; i++) {
                double yi = data.y(i);
                for (int j = 0; j < d; j++) {
                    double xj = data.x(i, j);
                    v[j] += xj * yi;
                    for (int k = 0; k < d; k++) {
                        a[j * d + k] += xj * data.x(i, k);
                    }
                }
                cc += yi * yi;
            }
            for (int j = 0; j < d * d; j++) {
                a[j] /= n * s2;
            }
            for (int j = 0; j < d; j++) {
                v[j] /= n * s2;
            }
            cc /= 2.0 * n * s2;
        }
        this.mat = a;
        this.vec = v;
        this.c = cc;
        this.model = kind == LossKind.MODEL && spec.model().model().hasLoss()
                ? org.langevin.model.lang.ModelFunctions.of(spec.model(), spec.data()) : null;
        this.time = (float) (spec.steps() * spec.dt());
        this.modelScratch = ThreadLocal.withInitial(() -> new float[][] {new float[1 + d], new float[1 + d]});
    }

    /**
     * The loss as the record reduction on a device evaluates it ({@code kernels/lv_reduce.cuh},
     * {@code lv_reduce_loss}), where that gives {@link #value}'s bits: the polynomial losses, whose double
     * arithmetic the kernel repeats operation for operation. Layout: the kernel's loss kind (1 none,
     * 2 quadratic, 3 double well, 4 linear regression), the prior coefficient, linreg's constant c, the
     * d×d matrix (A or H, row-major), the d-vector (m or b).
     *
     * @return the coefficients, or null where the device cannot reproduce the host's value bit for bit
     *         (logistic regression: Java's {@code Math.log1p}/{@code Math.exp} in double) and for user
     *         models (their loss is the model kernel's own: {@link #modelLossForm()})
     */
    public double[] polynomialCoefficients() {
        int code = switch (kind) {
            case NONE -> 1;
            case QUADRATIC -> 2;
            case DOUBLE_WELL -> 3;
            case LINREG -> 4;
            case LOGISTIC, MODEL -> 0;
        };
        if (code == 0) {
            return null;
        }
        double[] r = new double[3 + d * d + d];
        r[0] = code;
        r[1] = prior;
        r[2] = c;
        System.arraycopy(mat, 0, r, 3, d * d);
        System.arraycopy(vec, 0, r, 3 + d * d, d);
        return r;
    }

    /**
     * A user model's loss as the model's record reduction on a device evaluates it
     * ({@code lvu_reduce} in {@code kernels/lv_model_kernel.cuh}): the model's generated float code
     * (the same operations on every backend) at the time {@link #value} uses, widened to double, plus the
     * prior term. Layout: that time (a float's value), the prior coefficient.
     *
     * @return the two numbers, or null when this is not a user model's loss (or the model has none)
     */
    public double[] modelLossForm() {
        return model == null ? null : new double[] {time, prior};
    }

    /**
     * Evaluates the run's loss at one particle, prior share included.
     *
     * @param phi the particle's state; at least d entries, only the first d are read
     * @return L(Φ) in double; 0 for a run without a loss or a user model without one
     */
    public double value(float[] phi) {
        double l = switch (kind) {
            case NONE -> 0.0;
            case MODEL -> {
                if (model == null) {
                    yield 0.0;
                }
                float[][] w = modelScratch.get();
                model.lossAndGradient(phi.length == d ? phi : java.util.Arrays.copyOf(phi, d), time, w[1], w[0]);
                yield w[0][0];
            }
            case QUADRATIC -> {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    double r = 0;
                    for (int k = 0; k < d; k++) {
                        r += mat[j * d + k] * (phi[k] - vec[k]);
                    }
                    s += (phi[j] - vec[j]) * r;
                }
                yield 0.5 * s;
            }
            case DOUBLE_WELL -> {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    double t = (double) phi[j] * phi[j] - 1.0;
                    s += t * t;
                }
                yield s;
            }
            case LINREG -> {
                double quad = 0;
                double lin = 0;
                for (int j = 0; j < d; j++) {
                    double r = 0;
                    for (int k = 0; k < d; k++) {
                        r += mat[j * d + k] * phi[k];
                    }
                    quad += phi[j] * r;
                    lin += vec[j] * phi[j];
                }
                yield 0.5 * quad - lin + c;
            }
            case LOGISTIC -> {
                int n = data.n();
                double s = 0;
                for (int i = 0; i < n; i++) {
                    double z = 0;
                    for (int k = 0; k < d; k++) {
                        z += data.x(i, k) * (double) phi[k];
                    }
                    double t = -data.y(i) * z;
                    s += t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t));
                }
                yield s / n;
            }
        };
        if (prior > 0) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                s += (double) phi[j] * phi[j];
            }
            l += 0.5 * prior * s;
        }
        return l;
    }
}
