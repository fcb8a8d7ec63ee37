package org.langevin.engine.cuda;

/**
 * The GPU backend cannot be used on this machine; the message says precisely what is missing
 * (kernels not built, no libcuda.so.1, JCuda's native library, cuInit, no device, PTX newer than
 * the driver, cuRAND).
 */
public final class GpuUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** The reason in a few words, for "auto: GPU unavailable (...)". */
    private final String shortReason;

    /**
     * @param shortReason a few words, e.g. "no libcuda.so.1"
     * @param detail the full explanation and what to do
     * @param cause the underlying error, or null
     */
    public GpuUnavailableException(String shortReason, String detail, Throwable cause) {
        super("gpu backend unavailable: " + detail, cause);
        this.shortReason = shortReason;
    }

    /** @return the reason in a few words */
    public String shortReason() {
        return shortReason;
    }
}
