package org.langevin.engine.emulated;

import com.sun.jna.Library;
import com.sun.jna.Pointer;

/** The C entry point of a user model's emulated kernel (kernels/lv_model_kernel.cuh), bound by JNA. */
public interface ModelEmulatorLibrary extends Library {
    /**
     * Runs {@code lvu_advance} over a grid of {@code grid} blocks of {@code block} threads on the
     * calling thread. Returns 0, or 1 for an invalid grid or auxiliary row count. The arguments after
     * {@code block} are those of {@code lvu_advance}, in its order ({@code ModelKernelArgs}), with host
     * pointers.
     *
     * @param grid blocks in the grid, ≥ 1
     * @param block threads per block, ≥ 1
     * @param state particle coordinates, d rows of {@code stride} floats
     * @param avg window sums, 2d+1 rows of {@code stride} doubles, or null when not accumulated
     * @param aux auxiliary rows (the optimiser's state, underdamped Langevin's momentum), {@code auxRows} rows
     *            of {@code stride} floats, or null when auxRows is 0
     * @param auxRows A, the number of auxiliary rows
     * @param count particles advanced (columns 0..count−1), ≥ 0
     * @param stride row stride of state, avg and aux, ≥ count
     * @param firstParticle global index of column 0 (its RNG subsequence), ≥ 0
     * @param firstStep global 0-based index of the first step, ≥ 0
     * @param nSteps steps to take, ≥ 0
     * @param burnIn step k is added to the window sums when k + 1 &gt; burnIn
     * @param seedLo low 32 bits of the Philox seed
     * @param seedHi high 32 bits of the Philox seed
     * @param dynamics the dynamics' code ({@code Dynamics.code}: 1 gradient flow, 2 Langevin, 3 SGD, 5 SDE,
     *                 6 underdamped)
     * @param dt Δt as a float, the step of the time-continuous dynamics
     * @param dtd Δt in double, from which the model's time t = (float)(k·Δt) is formed at step k
     * @param noiseScale the noise scale of these steps ({@code CompiledProblem.noiseScaleAt})
     * @param c the model's constant values
     * @param e the packed examples, n rows of the model's features then its target
     * @param n the number of examples (0 without a training set)
     * @param lr SGD's learning rate of these steps
     * @param batch SGD's batch size B
     * @param distinct 1 to draw the batch without replacement, 0 with
     * @param precond SGD's preconditioner: 0 identity, 1 diagonal, 2 full matrix
     * @param prec the preconditioner's d×d matrix, row-major
     * @param integrator the integrator's code ({@code Integrator.code}): 0 Euler–Maruyama, 1
     *                   Leimkuhler–Matthews, 2 BAOAB
     * @param opt the optimiser's code: 0 plain SGD, 1 momentum, 2 Nesterov, 3 RMSProp, 4 Adam
     * @param oa the optimiser's a (μ, ρ or β₁) as a float
     * @param ob the optimiser's b (β₂) as a float
     * @param oa1 (float)(1 − a)
     * @param ob1 (float)(1 − b)
     * @param oeps the optimiser's ε
     * @param oad a in double (Adam's bias correction)
     * @param obd b in double (Adam's bias correction)
     * @param ua underdamped Langevin's c₁ = e^{−γΔt} (BAOAB) or γΔt (Euler–Maruyama), else 0
     * @return 0 when the kernel ran, 1 for an invalid grid or auxiliary row count
     */
    int lvu_emu_launch(int grid, int block, Pointer state, Pointer avg, Pointer aux, int auxRows, int count, int stride,
                       long firstParticle, long firstStep, int nSteps, long burnIn, int seedLo, int seedHi, int dynamics,
                       float dt, double dtd, float noiseScale, Pointer c, Pointer e, int n, float lr, int batch,
                       int distinct, int precond, Pointer prec, int integrator, int opt, float oa, float ob, float oa1,
                       float ob1, float oeps, double oad, double obd, float ua);

    /**
     * Runs the record reduction {@code lvu_reduce} over a grid of {@code grid} blocks of {@code block}
     * threads on the calling thread.
     *
     * @param grid thread blocks of the emulated grid, ≥ 1
     * @param block threads per block, ≥ 1
     * @param state particle coordinates, d rows of stride floats
     * @param out the block records, one per block of 4096 particles, back to back
     * @param count particles (columns 0 … count−1)
     * @param stride row stride of state, ≥ count
     * @param withLoss 1 when the records hold the loss's moments, else 0
     * @param rp the reduction's parameters (kernels/README.md, "Record reduction")
     * @param c the model's constants
     * @param e the model's packed examples
     * @param n examples (0 without data)
     * @param t the time at which the loss is evaluated
     * @return 0, or 1 for an invalid grid or argument
     */
    int lvu_emu_reduce(int grid, int block, Pointer state, Pointer out, int count, int stride, int withLoss, Pointer rp,
                       Pointer c, Pointer e, int n, float t);
}
