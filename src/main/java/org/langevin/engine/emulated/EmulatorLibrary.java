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
     * over the grid. Returns 0, 1 for an invalid grid, 2 for an unknown name.
     */
    int lv_emu_launch(String entry, int grid, int block, Pointer state, Pointer avg, int count, int stride,
                      long firstParticle, long firstStep, int nSteps, long burnIn, int seedLo, int seedHi, float lr,
                      float noiseScale, Pointer ip, Pointer fp, Pointer data, Pointer noise);

    /**
     * Runs blocks [firstBlock, endBlock) of the record reduction lv_reduce_blocks over a grid. Returns 0,
     * or 1 for an invalid grid or argument.
     */
    int lv_emu_reduce_blocks(int grid, int block, int firstBlock, int endBlock, Pointer state, Pointer out, int count,
                             int stride, int d, int withLoss, Pointer rp);

    /**
     * Writes normal firstNormal + m of particle firstParticle + i at noise[m*count + i] for
     * m &lt; perParticle, i &lt; count. Returns 0, or 1 for a negative argument.
     */
    int lv_emu_fill_normals(Pointer noise, int count, long firstParticle, long firstNormal, long perParticle,
                            int seedLo, int seedHi);

    /** @return LV_MAX_DIM of the compiled kernels, or −1 when they do not define it */
    int lv_emu_max_dim();
}
