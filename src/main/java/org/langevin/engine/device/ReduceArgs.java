package org.langevin.engine.device;

/**
 * The argument list of the record reduction's entry point {@code lv_reduce_blocks}
 * (kernels/README.md, "Record reduction"), with device buffers in place of pointers. Immutable.
 *
 * @param state particle coordinates, d rows of stride floats
 * @param out the block records, {@code ceil(count / 4096)} of them back to back
 * @param count particles (columns 0 .. count−1), ≥ 1
 * @param stride row stride of state, ≥ count
 * @param d coordinates, ≥ 1
 * @param withLoss whether the records hold the loss's moments
 * @param rp the reduction's parameters (doubles: bound, loss kind and coefficients, histogram binning)
 */
public record ReduceArgs(DeviceBuffer state, DeviceBuffer out, int count, int stride, int d, boolean withLoss,
                         DeviceBuffer rp) {
    /**
     * Validates the arguments.
     *
     * @param state particle coordinates, d rows of stride floats
     * @param out the block records
     * @param count particles, ≥ 1
     * @param stride row stride of state, ≥ count
     * @param d coordinates, ≥ 1
     * @param withLoss whether the records hold the loss's moments
     * @param rp the reduction's parameters
     * @throws IllegalArgumentException for a missing buffer or counts out of range
     */
    public ReduceArgs {
        if (state == null || out == null || rp == null) {
            throw new IllegalArgumentException("state, out and rp buffers are required");
        }
        if (count < 1 || stride < count || d < 1) {
            throw new IllegalArgumentException("need 1 <= count <= stride and d >= 1, got count=" + count + ", stride="
                    + stride + ", d=" + d);
        }
    }

    /** @return the number of particle blocks, one record each */
    public int blocks() {
        return (int) ((count + (long) org.langevin.reduce.Blocks.SIZE - 1) / org.langevin.reduce.Blocks.SIZE);
    }
}
