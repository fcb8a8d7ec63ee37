package org.langevin.engine.device;

/**
 * The argument list of every kernel entry point (kernels/README.md, "Kernel ABI"), with device
 * buffers in place of pointers. A null buffer is passed as a null pointer. Immutable.
 *
 * @param state particle coordinates, SoA with row stride {@code stride}
 * @param avg window sums ((2d+1) rows of stride), or null when not accumulated
 * @param count particles in this launch, ≥ 0
 * @param stride row stride of state and avg, ≥ count
 * @param firstParticle global index of column 0 (the RNG subsequence), ≥ 0
 * @param firstStep global 0-based index of the first step, ≥ 0
 * @param nSteps steps to take, ≥ 0
 * @param burnIn step k is added to the window sums when k + 1 &gt; burnIn, ≥ 0
 * @param seed the 64-bit Philox seed (split into seedLo, seedHi)
 * @param lr learning rate of these steps
 * @param noiseScale σ√Δt or √(ηΔt) of these steps
 * @param ip integer parameters
 * @param fp float parameters
 * @param data training set, or null when n = 0
 * @param noise precomputed normals (buffer mode), or null (fused)
 */
public record KernelArgs(DeviceBuffer state, DeviceBuffer avg, int count, int stride, long firstParticle,
                         long firstStep, int nSteps, long burnIn, long seed, float lr, float noiseScale,
                         DeviceBuffer ip, DeviceBuffer fp, DeviceBuffer data, DeviceBuffer noise) {

    /**
     * Checks the required buffers and the ranges.
     *
     * @param state particle coordinates, SoA with row stride {@code stride}; required
     * @param avg window sums ((2d+1) rows of stride), or null when not accumulated
     * @param count particles in this launch, ≥ 0
     * @param stride row stride of state and avg, ≥ count
     * @param firstParticle global index of column 0 (the RNG subsequence), ≥ 0
     * @param firstStep global 0-based index of the first step, ≥ 0
     * @param nSteps steps to take, ≥ 0
     * @param burnIn step k is added to the window sums when k + 1 &gt; burnIn, ≥ 0
     * @param seed the 64-bit Philox seed (split into seedLo, seedHi)
     * @param lr learning rate of these steps
     * @param noiseScale σ√Δt or √(ηΔt) of these steps
     * @param ip integer parameters; required
     * @param fp float parameters; required
     * @param data training set, or null when n = 0
     * @param noise precomputed normals (buffer mode), or null (fused)
     * @throws IllegalArgumentException when state, ip or fp is null, or a count, step or index is out of range
     */
    public KernelArgs {
        if (state == null || ip == null || fp == null) {
            throw new IllegalArgumentException("state, ip and fp buffers are required (got state=" + state
                    + ", ip=" + ip + ", fp=" + fp + ")");
        }
        if (count < 0 || stride < count) {
            throw new IllegalArgumentException("need 0 <= count <= stride, got count=" + count + ", stride=" + stride);
        }
        if (firstParticle < 0 || firstStep < 0 || nSteps < 0 || burnIn < 0) {
            throw new IllegalArgumentException("firstParticle, firstStep, nSteps and burnIn must be >= 0, got "
                    + firstParticle + ", " + firstStep + ", " + nSteps + ", " + burnIn);
        }
    }

    /** @return the low 32 bits of the seed (the kernels' {@code seedLo}, as an unsigned int's bits) */
    public int seedLo() {
        return (int) seed;
    }

    /** @return the high 32 bits of the seed (the kernels' {@code seedHi}) */
    public int seedHi() {
        return (int) (seed >>> 32);
    }
}
