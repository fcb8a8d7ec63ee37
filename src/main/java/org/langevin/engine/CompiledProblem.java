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
    public static final int IP_DYNAMICS = 0;
    public static final int IP_LOSS = 1;
    public static final int IP_DIM = 2;
    public static final int IP_N = 3;
    public static final int IP_BATCH = 4;
    public static final int IP_SAMPLING = 5;
    public static final int IP_PRECOND = 6;
    public static final int IP_SDE_NOISE = 7;
    public static final int IP_PRIOR = 8;
    public static final int IP_AVERAGE = 9;
    public static final int IP_SHIFT_NOISE = 10;
    /** 1 for Leimkuhler–Matthews Langevin (user models), else 0. */
    public static final int IP_INTEGRATOR = 11;

    public static final int FP_DT = 0;
    public static final int FP_PRIOR = 1;
    public static final int FP_INVS2 = 2;
    public static final int FP_MAT = 8;

    /** @return offset of the vector m or b */
    public static int fpVec(int d) {
        return FP_MAT + d * d;
    }

    /** @return offset of the preconditioner matrix */
    public static int fpPrec(int d) {
        return FP_MAT + d * d + d;
    }

    /** @return offset of the Cholesky factor */
    public static int fpChol(int d) {
        return FP_MAT + 2 * d * d + d;
    }

    /** @return offset of the mean data row x̄ */
    public static int fpShift(int d) {
        return FP_MAT + 3 * d * d + d;
    }

    /** @return length of fp */
    public static int fpLen(int d) {
        return FP_MAT + 3 * d * d + 2 * d;
    }

    /** @return d */
    public int dim() {
        return ip[IP_DIM];
    }

    /** @return the learning rate the kernels receive for step k (0 for dynamics without one) */
    public float lrAt(long k) {
        return spec.schedule() == null ? 0f : spec.schedule().at(k);
    }

    /** @return the noise scale the kernels receive for step k (σ√Δt, √(ηΔt) or 0) */
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
     */
    public float underdampedA() {
        if (spec.dynamics() != org.langevin.model.Dynamics.UNDERDAMPED) {
            return 0f;
        }
        return spec.integrator() == org.langevin.model.Integrator.BAOAB ? (float) baoabC1()
                : (float) (spec.friction() * spec.dt());
    }

    /** @return the first step ≥ k+1 at which lr or the noise scale may change (a launch must not span it) */
    public long nextChangeAfter(long k) {
        return spec.schedule() == null ? Long.MAX_VALUE : spec.schedule().nextChangeAfter(k);
    }
}
