package org.langevin.engine.device;

/**
 * The argument list of a user model's record reduction {@code lvu_reduce}
 * (kernels/lv_model_kernel.cuh), with device buffers in place of pointers. Immutable.
 *
 * @param state particle coordinates, d rows of stride floats
 * @param out the block records, {@code ceil(count / 4096)} of them back to back
 * @param count particles, ≥ 1
 * @param stride row stride of state, ≥ count
 * @param withLoss whether the records hold the loss's moments
 * @param rp the reduction's parameters (kernels/README.md, "Record reduction")
 * @param constants the model's constants
 * @param examples the model's packed examples
 * @param n examples (0 without data)
 * @param t the time at which the loss is evaluated
 */
public record ModelReduceArgs(DeviceBuffer state, DeviceBuffer out, int count, int stride, boolean withLoss,
                              DeviceBuffer rp, DeviceBuffer constants, DeviceBuffer examples, int n, float t) {
    /**
     * Validates the arguments.
     *
     * @param state particle coordinates, d rows of stride floats
     * @param out the block records
     * @param count particles, ≥ 1
     * @param stride row stride of state, ≥ count
     * @param withLoss whether the records hold the loss's moments
     * @param rp the reduction's parameters
     * @param constants the model's constants
     * @param examples the model's packed examples
     * @param n examples, ≥ 0
     * @param t the time at which the loss is evaluated
     * @throws IllegalArgumentException for a missing buffer or counts out of range
     */
    public ModelReduceArgs {
        if (state == null || out == null || rp == null || constants == null || examples == null) {
            throw new IllegalArgumentException("state, out, rp, constants and examples buffers are required");
        }
        if (count < 1 || stride < count || n < 0) {
            throw new IllegalArgumentException("need 1 <= count <= stride and n >= 0, got count=" + count + ", stride="
                    + stride + ", n=" + n);
        }
    }

    /** @return the number of particle blocks, one record each */
    public int blocks() {
        return (int) ((count + (long) org.langevin.reduce.Blocks.SIZE - 1) / org.langevin.reduce.Blocks.SIZE);
    }
}
