package org.langevin.engine;

import org.langevin.model.RunSpec;

/**
 * A run specification flattened into the kernels' parameter arrays (kernels/README.md): the integer
 * parameters {@code ip}, the float parameters {@code fp} and the training data. Every backend receives
 * exactly these arrays, which is what makes their results identical. Immutable.
 *
 * @param spec the validated run specification it was compiled from
 * @param ip integer parameters (length {@link #IP_LEN})
 * @param fp float parameters (length 8 + 3d² + 2d)
 * @param data features (n·d, row-major) then targets (n); empty when there is no training set
 */
public record CompiledProblem(RunSpec spec, int[] ip, float[] fp, float[] data) {
    /** Length of the integer parameter array. */
    public static final int IP_LEN = 16;
    /**
     * Index in {@code ip} of the dynamics' code ({@code Dynamics.code}: 0 brownian, 1 gradient-flow, 2 langevin, 3
     * sgd, 4 sgd-sde, 5 sde, 6 underdamped).
     */
    public static final int IP_DYNAMICS = 0;
    /**
     * Index in {@code ip} of the loss's code ({@code LossKind.code}: 0 none, 1 quadratic, 2 double-well, 3 linreg,
     * 4 logistic, 5 a user model).
     */
    public static final int IP_LOSS = 1;
    /** Index in {@code ip} of the dimension d. */
    public static final int IP_DIM = 2;
    /** Index in {@code ip} of n, the number of training examples (0 without a training set). */
    public static final int IP_N = 3;
    /** Index in {@code ip} of the batch size B. */
    public static final int IP_BATCH = 4;
    /** Index in {@code ip} of the batch sampling: 0 with replacement, 1 without. */
    public static final int IP_SAMPLING = 5;
    /**
     * Index in {@code ip} of the preconditioner: 0 identity, 1 diagonal (of the {@link #fpPrec} matrix), 2 full
     * matrix.
     */
    public static final int IP_PRECOND = 6;
    /**
     * Index in {@code ip} of the SGD SDE's noise: 0 the constant Cholesky factor at {@link #fpChol}, 1 the exact
     * Σ(Φ) (linreg).
     */
    public static final int IP_SDE_NOISE = 7;
    /**
     * Index in {@code ip} of the prior flag: 1 when the Gaussian prior term (coefficient {@link #FP_PRIOR}) is
     * added.
     */
    public static final int IP_PRIOR = 8;
    /** Index in {@code ip} of the averaging flag: 1 when window sums are accumulated (--average). */
    public static final int IP_AVERAGE = 9;
    /**
     * Index in {@code ip} of the flag by which quadratic and double-well SGD use ĝ = ∇L(Φ) − (x_i − x̄) (x̄ at
     * {@link #fpShift}).
     */
    public static final int IP_SHIFT_NOISE = 10;
    /** 1 for Leimkuhler–Matthews Langevin (user models), else 0. */
    public static final int IP_INTEGRATOR = 11;

    /** Offset in {@code fp} of Δt, the time step ({@code RunSpec.dt()}; SGD steps by its learning rate instead). */
    public static final int FP_DT = 0;
    /**
     * Offset in {@code fp} of the prior coefficient 1/(nτ²): gradient += coef·Φ, loss += ½·coef·‖Φ‖² (0 without a
     * prior).
     */
    public static final int FP_PRIOR = 1;
    /** Offset in {@code fp} of 1/s² of linear regression, whose loss is (xᵀΦ − y)²/(2s²). */
    public static final int FP_INVS2 = 2;
    /** Offset in {@code fp} of the d×d row-major matrix: A (quadratic) or H = XᵀX/(n s²) (linreg's full gradient). */
    public static final int FP_MAT = 8;

    /**
     * @param d the dimension d, ≥ 1
     * @return offset in {@code fp} of the d-vector m (quadratic) or b = Xᵀy/(n s²) (linreg's full gradient)
     */
    public static int fpVec(int d) {
        return FP_MAT + d * d;
    }

    /**
     * @param d the dimension d, ≥ 1
     * @return offset in {@code fp} of the d×d row-major preconditioner matrix D
     */
    public static int fpPrec(int d) {
        return FP_MAT + d * d + d;
    }

    /**
     * @param d the dimension d, ≥ 1
     * @return offset in {@code fp} of the d×d row-major lower-triangular S with S Sᵀ = Σ(Φ*) (SGD SDE,
     *         constant noise)
     */
    public static int fpChol(int d) {
        return FP_MAT + 2 * d * d + d;
    }

    /**
     * @param d the dimension d, ≥ 1
     * @return offset in {@code fp} of x̄, the mean data row ({@link #IP_SHIFT_NOISE})
     */
    public static int fpShift(int d) {
        return FP_MAT + 3 * d * d + d;
    }

    /**
     * @param d the dimension d, ≥ 1
     * @return length of {@code fp}: 8 + 3d² + 2d
     */
    public static int fpLen(int d) {
        return FP_MAT + 3 * d * d + 2 * d;
    }

    /** @return d */
    public int dim() {
        return ip[IP_DIM];
    }

    /**
     * @param k a global step, ≥ 0
     * @return the learning rate the kernels receive for step k (0 for dynamics without one)
     */
    public float lrAt(long k) {
        return spec.schedule() == null ? 0f : spec.schedule().at(k);
    }

    /**
     * @param k a global step, ≥ 0
     * @return the noise scale the kernels receive for step k: σ√Δt (Brownian, Langevin), √(η_kΔt) (SGD SDE),
     *         √Δt (SDE, whose diffusion carries the rest), c₃ or σ√(γΔt) (underdamped, BAOAB or
     *         Euler–Maruyama), 0 otherwise
     */
    public float noiseScaleAt(long k) {
        return switch (spec.dynamics()) {
            case BROWNIAN, LANGEVIN -> (float) (spec.sigma() * Math.sqrt(spec.dt()));
            case SGD_SDE -> (float) Math.sqrt((double) lrAt(k) * spec.dt());
            case SDE -> (float) Math.sqrt(spec.dt());
            case UNDERDAMPED -> spec.integrator() == org.langevin.model.Integrator.BAOAB
                    ? (float) (spec.sigma() * Math.sqrt((1.0 - baoabC1() * baoabC1()) / 2.0))
                    : (float) (spec.sigma() * Math.sqrt(spec.friction() * spec.dt()));
            default -> 0f;
        };
    }

    /** e^{−γΔt} in double, BAOAB's O-step contraction. */
    private double baoabC1() {
        return Math.exp(-spec.friction() * spec.dt());
    }

    /**
     * The friction constant the underdamped kernels receive: c₁ = (float)e^{−γΔt} for BAOAB (whose noise
     * scale is c₃ = σ√((1 − c₁²)/2) = √((1 − c₁²)T)), (float)(γΔt) for Euler–Maruyama (noise scale
     * σ√(γΔt) = √(2γTΔt)); 0 for every other dynamics.
     *
     * @return c₁ or γΔt as the kernels receive it, or 0
     */
    public float underdampedA() {
        if (spec.dynamics() != org.langevin.model.Dynamics.UNDERDAMPED) {
            return 0f;
        }
        return spec.integrator() == org.langevin.model.Integrator.BAOAB ? (float) baoabC1()
                : (float) (spec.friction() * spec.dt());
    }

    /**
     * @param k a global step, ≥ 0
     * @return the first step ≥ k+1 at which lr or the noise scale may change (a launch must not span it);
     *         Long.MAX_VALUE when they never change
     */
    public long nextChangeAfter(long k) {
        return spec.schedule() == null ? Long.MAX_VALUE : spec.schedule().nextChangeAfter(k);
    }
}
