package org.langevin.engine.emulated;

import com.sun.jna.Library;
import com.sun.jna.Pointer;

/** The C entry point of a user model's emulated kernel (kernels/lv_model_kernel.cuh), bound by JNA. */
public interface ModelEmulatorLibrary extends Library {
    /**
     * Runs {@code lvu_advance} over a grid of {@code grid} blocks of {@code block} threads on the
     * calling thread. Returns 0, or 1 for an invalid grid or auxiliary row count.
     */
    int lvu_emu_launch(int grid, int block, Pointer state, Pointer avg, Pointer aux, int auxRows, int count, int stride,
                       long firstParticle, long firstStep, int nSteps, long burnIn, int seedLo, int seedHi, int dynamics,
                       float dt, double dtd, float noiseScale, Pointer c, Pointer e, int n, float lr, int batch,
                       int distinct, int precond, Pointer prec, int integrator, int opt, float oa, float ob, float oa1,
                       float ob1, float oeps, double oad, double obd, float ua);

    /**
     * Runs the record reduction {@code lvu_reduce} over a grid of {@code grid} blocks of {@code block}
     * threads on the calling thread. Returns 0, or 1 for an invalid grid or argument.
     */
    int lvu_emu_reduce(int grid, int block, Pointer state, Pointer out, int count, int stride, int withLoss, Pointer rp,
                       Pointer c, Pointer e, int n, float t);
}
