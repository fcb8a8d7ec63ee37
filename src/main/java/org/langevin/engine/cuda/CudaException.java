package org.langevin.engine.cuda;

/**
 * A CUDA driver or cuRAND call failed. The message names the call and the CUDA error name
 * (e.g. {@code cuMemAlloc(1073741824 bytes) failed: CUDA_ERROR_OUT_OF_MEMORY}).
 */
public final class CudaException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** The CUDA error name, e.g. CUDA_ERROR_OUT_OF_MEMORY or CURAND_STATUS_LAUNCH_FAILURE. */
    private final String errorName;

    /**
     * @param call the call and its salient arguments
     * @param errorName the CUDA error name
     * @param cause JCuda's exception, or null
     */
    public CudaException(String call, String errorName, Throwable cause) {
        this(call, errorName, "", cause);
    }

    /**
     * @param call the call and its salient arguments
     * @param errorName the CUDA error name
     * @param more text appended to the message right after the error name (e.g. the JIT's log), or ""
     * @param cause JCuda's exception, or null
     */
    public CudaException(String call, String errorName, String more, Throwable cause) {
        super(call + " failed: " + errorName + (more == null ? "" : more), cause);
        this.errorName = errorName;
    }

    /** @return the CUDA error name */
    public String errorName() {
        return errorName;
    }
}
