package org.langevin.engine.emulated;

import com.sun.jna.Library;
import com.sun.jna.Pointer;

/**
 * The C entry points of liblangevin-emu (kernels/lv_emulator.cpp), bound by JNA.
 * {@code lv_emu_launch} runs a kernel over a grid of {@code grid} blocks of {@code block} threads on
 * the calling thread. Unsigned ints are passed as
 * the bits of a Java int. Calls on different buffers may run from different threads.
 */
public interface EmulatorLibrary extends Library {
    /**
     * Runs the entry point named {@code entry} (its PTX {@code .entry} name, {@code Kernel.entryName})
     * over the grid. Returns 0, 1 for an invalid grid, 2 for an unknown name. The arguments after
     * {@code block} are the kernel ABI's list ({@code KernelArgs}, kernels/README.md) with host pointers.
     *
     * @param entry the entry point's name, e.g. {@code lv_langevin}
     * @param grid blocks in the grid, ≥ 1
     * @param block threads per block, ≥ 1
     * @param state particle coordinates, d rows of {@code stride} floats
     * @param avg window sums, 2d+1 rows of {@code stride} doubles, or null when not accumulated
     * @param count particles advanced (columns 0..count−1), ≥ 0
     * @param stride row stride of state and avg, ≥ count
     * @param firstParticle global index of column 0 (its RNG subsequence), ≥ 0
     * @param firstStep global 0-based index of the first step, ≥ 0
     * @param nSteps steps to take, ≥ 0
     * @param burnIn step k is added to the window sums when k + 1 &gt; burnIn
     * @param seedLo low 32 bits of the Philox seed
     * @param seedHi high 32 bits of the Philox seed
     * @param lr learning rate of these steps
     * @param noiseScale σ√Δt or √(ηΔt) of these steps
     * @param ip the integer parameters ({@code CompiledProblem.IP_LEN} ints)
     * @param fp the float parameters
     * @param data the training set (features then targets), or null when n = 0
     * @param noise precomputed normals (buffer mode), or null (the kernel's own Philox normals)
     * @return 0 when the kernel ran, 1 for an invalid grid, 2 for an unknown entry name
     */
    int lv_emu_launch(String entry, int grid, int block, Pointer state, Pointer avg, int count, int stride,
                      long firstParticle, long firstStep, int nSteps, long burnIn, int seedLo, int seedHi, float lr,
                      float noiseScale, Pointer ip, Pointer fp, Pointer data, Pointer noise);

    /**
     * Runs blocks [firstBlock, endBlock) of the record reduction lv_reduce_blocks over a grid.
     *
     * @param grid thread blocks of the emulated grid, ≥ 1
     * @param block threads per block, ≥ 1
     * @param firstBlock first particle block (of 4096 particles) reduced
     * @param endBlock one past the last particle block reduced
     * @param state particle coordinates, d rows of stride floats
     * @param out the block records, one per particle block, back to back (kernels/README.md, "Record reduction")
     * @param count particles (columns 0 … count−1)
     * @param stride row stride of state, ≥ count
     * @param d coordinates
     * @param withLoss 1 when the records hold the loss's moments, else 0
     * @param rp the reduction's parameters (doubles: bound, loss kind and coefficients, histogram binning)
     * @return 0, or 1 for an invalid grid or argument
     */
    int lv_emu_reduce_blocks(int grid, int block, int firstBlock, int endBlock, Pointer state, Pointer out, int count,
                             int stride, int d, int withLoss, Pointer rp);

    /**
     * Writes normal firstNormal + m of particle firstParticle + i at noise[m*count + i] for
     * m &lt; perParticle, i &lt; count. Returns 0, or 1 for a negative argument.
     *
     * @param noise the buffer written, at least perParticle · count floats
     * @param count particles, the buffer's row stride
     * @param firstParticle global index of the first particle (its RNG subsequence)
     * @param firstNormal index of the first normal in each particle's stream (step · q for q normals per step)
     * @param perParticle normals written per particle (steps · q)
     * @param seedLo low 32 bits of the Philox seed
     * @param seedHi high 32 bits of the Philox seed
     * @return 0, or 1 for a negative argument
     */
    int lv_emu_fill_normals(Pointer noise, int count, long firstParticle, long firstNormal, long perParticle,
                            int seedLo, int seedHi);

    /** @return LV_MAX_DIM of the compiled kernels, or −1 when they do not define it */
    int lv_emu_max_dim();
}
