package org.langevin.model;

/**
 * Everything that determines a sampling run's result: the same spec and seed give the same bits on
 * every backend, thread count and partitioning. Immutable; build with {@link RunSpecBuilder}.
 *
 * @param dynamics which update rule
 * @param loss which loss (NONE for Brownian motion)
 * @param dim dimension d of Φ, 1 … 64
 * @param quadraticMatrix A of the quadratic loss (d×d, symmetric positive semi-definite), or null
 * @param quadraticCenter m of the quadratic loss (length d), or null
 * @param data training set (linreg, logistic; optional additive gradient noise for quadratic and
 *             double-well SGD / SGD SDE), or null
 * @param noiseVariance s² of the linreg per-example loss (xᵀΦ−y)²/(2s²), > 0
 * @param priorVariance τ² of the Gaussian prior (adds ‖Φ‖²/(2nτ²) to L), or 0 for no prior
 * @param sigma σ of Brownian motion and Langevin dynamics, ≥ 0
 * @param dt Δt of gradient flow, Langevin and the SGD SDE, > 0
 * @param schedule learning rates of SGD and the η of the SGD SDE, or null for other dynamics
 * @param batch B, 1 … n
 * @param sampling with or without replacement
 * @param preconditioner D of SGD
 * @param preconditionerMatrix the user's D for DIAGONAL (d values on the diagonal) or FULL, else null
 * @param sdeNoise constant Σ(Φ*) or state-dependent Σ(Φ) for the SGD SDE
 * @param particles P ≥ 1 (a run held in one JVM has at most {@link #MAX_ONE_JVM_PARTICLES}; the Spark launcher
 *                  splits larger runs into partitions)
 * @param steps N, ≥ 0
 * @param init initial state
 * @param seed Philox seed
 * @param burnIn steps excluded from time averages
 * @param average accumulate per-particle time averages over steps burnIn+1 … N
 * @param histogram binning, or null for an automatic range
 * @param divergenceBound the user's divergence bound B (finite, > 0), or 0 for the bound derived from
 *                        the problem ({@code theory.DivergenceBound.of}); a particle with |x_j| > B is
 *                        counted as diverged and excluded from the statistics
 * @param maxDivergedFraction the largest diverged fraction a run may have and still succeed, in [0, 1]
 * @param model the user's model (loss {@link LossKind#MODEL}, or the drift and diffusion of
 *              {@link Dynamics#SDE}), or null for the built-in losses
 * @param integrator the discretisation of Langevin dynamics (Euler–Maruyama for every other dynamics)
 * @param optimizer the update rule of SGD given ĝ ({@link Optimizer#SGD} for every other dynamics)
 * @param friction γ of underdamped Langevin, > 0 (0 for every other dynamics)
 */
public record RunSpec(
        Dynamics dynamics,
        LossKind loss,
        int dim,
        double[][] quadraticMatrix,
        double[] quadraticCenter,
        TrainingSet data,
        double noiseVariance,
        double priorVariance,
        double sigma,
        double dt,
        LearningRateSchedule schedule,
        int batch,
        Sampling sampling,
        PreconditionerKind preconditioner,
        double[][] preconditionerMatrix,
        SdeNoise sdeNoise,
        long particles,
        long steps,
        InitialState init,
        long seed,
        long burnIn,
        boolean average,
        HistogramSpec histogram,
        double divergenceBound,
        double maxDivergedFraction,
        UserModel model,
        Integrator integrator,
        Optimizer optimizer,
        double friction) {

    /** Largest supported dimension (register state in the kernels). */
    public static final int MAX_DIM = 64;

    /** Most particles one JVM holds: a state row of P floats is one Java array. */
    public static final long MAX_ONE_JVM_PARTICLES = Integer.MAX_VALUE - 8;

    /**
     * P as the int of a run held in one JVM (sample, check, bench, the Java API, one Spark partition).
     *
     * @return P
     * @throws IllegalArgumentException when P exceeds {@link #MAX_ONE_JVM_PARTICLES}, naming the Spark
     *                                  launcher, which splits such a run into partitions
     */
    public int particlesInOneJvm() {
        if (particles > MAX_ONE_JVM_PARTICLES) {
            throw new IllegalArgumentException("--particles " + particles + " is more than one JVM holds ("
                    + MAX_ONE_JVM_PARTICLES + ": a state row is one Java array); run it with the Spark launcher, which "
                    + "splits it into partitions of at most " + MAX_ONE_JVM_PARTICLES + " particles each");
        }
        return (int) particles;
    }

    /** @return n, the number of training examples, or 0 */
    public int examples() {
        return data == null ? 0 : data.n();
    }

    /** @return true when the user gave the divergence bound (else it is derived from the problem) */
    public boolean divergenceBoundGiven() {
        return divergenceBound > 0;
    }

    /**
     * @return float rows of auxiliary state per particle beyond Φ: the optimiser's (v; s; m then s), the
     *         momentum p of underdamped Langevin (d rows), else 0
     */
    public int auxRows() {
        if (dynamics == Dynamics.UNDERDAMPED) {
            return dim;
        }
        return optimizer == null ? 0 : optimizer.auxRows(dim);
    }

    /** @return true when a Gaussian prior is part of the loss */
    public boolean hasPrior() {
        return priorVariance > 0;
    }

    /** @return a builder initialised with this spec */
    public RunSpecBuilder toBuilder() {
        return RunSpecBuilder.from(this);
    }
}
