package org.langevin.engine.device;

/**
 * The arguments of one launch of a user model's kernel ({@code lvu_advance} in
 * kernels/lv_model_kernel.cuh), in its parameter order: the particle columns 0..count−1 of the state
 * (coordinate rows of {@code stride} floats), their window sums (rows of doubles, or null), their
 * auxiliary rows (floats, or null with {@code auxRows} 0), the global index of column 0, the global step
 * range, the RNG seed words, the dynamics and its step, the model's constants and packed examples, the SGD
 * parameters, the integrator, the optimiser (its kind and constants: a, b, 1 − a, 1 − b, ε in float, a and
 * b in double for the bias corrections) and underdamped Langevin's e^{−γΔt}-based constant.
 */
public record ModelKernelArgs(DeviceBuffer state, DeviceBuffer avg, DeviceBuffer aux, int auxRows, int count,
                              int stride, long firstParticle,
                              long firstStep, int nSteps, long burnIn, int seedLo, int seedHi, int dynamics, float dt,
                              double dtd, float noiseScale, DeviceBuffer constants, DeviceBuffer examples, int n,
                              float lr, int batch, int distinct, int precond, DeviceBuffer prec, int integrator,
                              int opt, float oa, float ob, float oa1, float ob1, float oeps, double oad, double obd,
                              float ua) {
}
