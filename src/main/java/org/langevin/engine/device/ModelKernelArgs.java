package org.langevin.engine.device;

/**
 * The arguments of one launch of a user model's kernel ({@code lvu_advance} in
 * kernels/lv_model_kernel.cuh), in its parameter order: the particle columns 0..count−1 of the state
 * (coordinate rows of {@code stride} floats), their window sums (rows of doubles, or null), the global
 * index of column 0, the global step range, the RNG seed words, the dynamics and its step, the model's
 * constants and packed examples, the SGD parameters and the integrator.
 */
public record ModelKernelArgs(DeviceBuffer state, DeviceBuffer avg, int count, int stride, long firstParticle,
                              long firstStep, int nSteps, long burnIn, int seedLo, int seedHi, int dynamics, float dt,
                              double dtd, float noiseScale, DeviceBuffer constants, DeviceBuffer examples, int n,
                              float lr, int batch, int distinct, int precond, DeviceBuffer prec, int integrator) {
}
