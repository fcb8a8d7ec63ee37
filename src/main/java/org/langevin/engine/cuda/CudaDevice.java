package org.langevin.engine.cuda;

/**
 * What the driver reports about one GPU. Immutable.
 *
 * @param index device ordinal
 * @param name marketing name
 * @param major compute capability, major
 * @param minor compute capability, minor
 * @param totalBytes global memory in bytes
 * @param multiprocessors streaming multiprocessors
 * @param maxThreadsPerMultiprocessor resident threads per multiprocessor at most (the driver reserves
 *                                    local memory for that many threads on every multiprocessor)
 */
public record CudaDevice(int index, String name, int major, int minor, long totalBytes, int multiprocessors,
                         int maxThreadsPerMultiprocessor) {
    /** Oldest compute capability the PTX targets (compute_75). */
    public static final int MIN_CC = 75;

    /** @return true when the kernels' PTX (compute_75) can run on it */
    public boolean supported() {
        return major * 10 + minor >= MIN_CC;
    }

    /** @return e.g. "NVIDIA H100 80GB HBM3, compute capability 9.0, 79.6 GiB, 132 SMs" */
    public String describe() {
        return String.format(java.util.Locale.ROOT, "%s, compute capability %d.%d, %.1f GiB, %d SMs", name, major, minor,
                totalBytes / (double) (1L << 30), multiprocessors);
    }
}
