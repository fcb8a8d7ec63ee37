package org.langevin.engine.emulated;

import com.sun.jna.Library;
import com.sun.jna.Pointer;

/**
 * The C entry points of liblangevin-emu (kernels/lv_emulator.cpp), bound by JNA. Each
 * {@code lv_emu_<kernel>} runs the kernel over a grid of {@code grid} blocks of {@code block}
 * threads on the calling thread and returns 0, or 1 for an invalid grid. Unsigned ints are passed as
 * the bits of a Java int. Calls on different buffers may run from different threads.
 */
public interface EmulatorLibrary extends Library {
    int lv_emu_brownian(int grid, int block, Pointer state, Pointer avg, int count, int stride, long firstParticle,
                        long firstStep, int nSteps, long burnIn, int seedLo, int seedHi, float lr, float noiseScale,
                        Pointer ip, Pointer fp, Pointer data, Pointer noise);

    int lv_emu_gradient_flow(int grid, int block, Pointer state, Pointer avg, int count, int stride,
                             long firstParticle, long firstStep, int nSteps, long burnIn, int seedLo, int seedHi,
                             float lr, float noiseScale, Pointer ip, Pointer fp, Pointer data, Pointer noise);

    int lv_emu_langevin(int grid, int block, Pointer state, Pointer avg, int count, int stride, long firstParticle,
                        long firstStep, int nSteps, long burnIn, int seedLo, int seedHi, float lr, float noiseScale,
                        Pointer ip, Pointer fp, Pointer data, Pointer noise);

    int lv_emu_sgd(int grid, int block, Pointer state, Pointer avg, int count, int stride, long firstParticle,
                   long firstStep, int nSteps, long burnIn, int seedLo, int seedHi, float lr, float noiseScale,
                   Pointer ip, Pointer fp, Pointer data, Pointer noise);

    int lv_emu_sgd_sde(int grid, int block, Pointer state, Pointer avg, int count, int stride, long firstParticle,
                       long firstStep, int nSteps, long burnIn, int seedLo, int seedHi, float lr, float noiseScale,
                       Pointer ip, Pointer fp, Pointer data, Pointer noise);

    // The d = 1 entry points.
    int lv_emu_brownian_d1(int grid, int block, Pointer state, Pointer avg, int count, int stride, long firstParticle,
            long firstStep, int nSteps, long burnIn, int seedLo, int seedHi, float lr, float noiseScale,
            Pointer ip, Pointer fp, Pointer data, Pointer noise);

    int lv_emu_gradient_flow_d1(int grid, int block, Pointer state, Pointer avg, int count, int stride, long firstParticle,
            long firstStep, int nSteps, long burnIn, int seedLo, int seedHi, float lr, float noiseScale,
            Pointer ip, Pointer fp, Pointer data, Pointer noise);

    int lv_emu_langevin_d1(int grid, int block, Pointer state, Pointer avg, int count, int stride, long firstParticle,
            long firstStep, int nSteps, long burnIn, int seedLo, int seedHi, float lr, float noiseScale,
            Pointer ip, Pointer fp, Pointer data, Pointer noise);

    int lv_emu_sgd_d1(int grid, int block, Pointer state, Pointer avg, int count, int stride, long firstParticle,
            long firstStep, int nSteps, long burnIn, int seedLo, int seedHi, float lr, float noiseScale,
            Pointer ip, Pointer fp, Pointer data, Pointer noise);

    int lv_emu_sgd_sde_d1(int grid, int block, Pointer state, Pointer avg, int count, int stride, long firstParticle,
            long firstStep, int nSteps, long burnIn, int seedLo, int seedHi, float lr, float noiseScale,
            Pointer ip, Pointer fp, Pointer data, Pointer noise);

    /**
     * Writes normal firstNormal + m of particle firstParticle + i at noise[m*count + i] for
     * m &lt; perParticle, i &lt; count. Returns 0, or 1 for a negative argument.
     */
    int lv_emu_fill_normals(Pointer noise, int count, long firstParticle, long firstNormal, long perParticle,
                            int seedLo, int seedHi);

    /** @return LV_MAX_DIM of the compiled kernels, or −1 when they do not define it */
    int lv_emu_max_dim();
}
