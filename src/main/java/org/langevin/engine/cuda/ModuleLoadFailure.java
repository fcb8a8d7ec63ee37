package org.langevin.engine.cuda;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why the driver did not load the kernels' PTX (cuModuleLoadDataEx failed), as a pure function of what
 * is known then: the CUDA error, the driver's CUDA version, the PTX's ISA version and the oldest CUDA
 * release whose driver knows it ({@link Ptx#minimumCudaRelease()}), and the JIT compiler's error and
 * info logs. It says "PTX newer than the driver" only when the driver's version is in fact older than
 * that release; otherwise a PTX error is the JIT's own rejection and its log says what failed.
 * Immutable.
 *
 * @param errorName the CUDA error, e.g. CUDA_ERROR_INVALID_PTX
 * @param driverVersion the driver's CUDA version ("12.4", cuDriverGetVersion), or null when unknown
 * @param isaVersion the PTX's {@code .version}, e.g. "7.0"
 * @param minimumCudaRelease the oldest CUDA release whose driver knows that ISA, e.g. "11.0" ("unknown" allowed)
 * @param nvccRelease the release of the nvcc that wrote the PTX, e.g. "13.0" ("unknown" allowed)
 * @param errorLog the JIT's error log (CU_JIT_ERROR_LOG_BUFFER), null or blank when it wrote none
 * @param infoLog the JIT's info log (CU_JIT_INFO_LOG_BUFFER), null or blank when it wrote none
 */
record ModuleLoadFailure(String errorName, String driverVersion, String isaVersion, String minimumCudaRelease,
                         String nvccRelease, String errorLog, String infoLog) {
    /** Errors that mean the driver cannot make machine code of this PTX (as opposed to, e.g., no memory). */
    static final Set<String> PTX_ERRORS = Set.of("CUDA_ERROR_INVALID_PTX", "CUDA_ERROR_UNSUPPORTED_PTX_VERSION",
            "CUDA_ERROR_NO_BINARY_FOR_GPU", "CUDA_ERROR_INVALID_IMAGE", "CUDA_ERROR_JIT_COMPILER_NOT_FOUND",
            "CUDA_ERROR_JIT_COMPILATION_DISABLED", "CUDA_ERROR_SHARED_OBJECT_INIT_FAILED");
    /** Characters of each log kept in a message. */
    static final int MAX_LOG_CHARS = 4000;

    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)");

    /** @return whether the error is one of {@link #PTX_ERRORS} */
    boolean ptxRejected() {
        return PTX_ERRORS.contains(errorName);
    }

    /**
     * @return whether the driver's CUDA version is known and older than {@link #minimumCudaRelease()}
     *         (false when either is unknown)
     */
    boolean driverOlderThanPtx() {
        int[] drv = parse(driverVersion);
        int[] min = parse(minimumCudaRelease);
        if (drv == null || min == null) {
            return false;
        }
        return drv[0] != min[0] ? drv[0] < min[0] : drv[1] < min[1];
    }

    /** @return a few words for "auto: GPU unavailable (...)" */
    String shortReason() {
        if (ptxRejected() && driverOlderThanPtx()) {
            return "PTX newer than the driver";
        }
        return ptxRejected() ? "the driver's JIT rejected the PTX (" + errorName + ")" : errorName;
    }

    /** @return the whole explanation: what the driver said, what that means, the JIT's logs */
    String detail() {
        String ptx = "the kernels' PTX (.version " + isaVersion + ", drivers for CUDA " + minimumCudaRelease
                + " or newer; from nvcc release " + nvccRelease + ")";
        String drv = driverVersion == null ? "the driver (CUDA version unknown)" : "the driver (CUDA " + driverVersion
                + ", cuDriverGetVersion)";
        StringBuilder sb = new StringBuilder();
        if (ptxRejected() && driverOlderThanPtx()) {
            sb.append(drv).append(" is older than ").append(ptx).append(" needs and cannot load it: ").append(errorName)
                    .append("; install an NVIDIA driver for CUDA ").append(minimumCudaRelease).append(" or newer");
        } else if (ptxRejected()) {
            sb.append(drv).append(" failed to compile ").append(ptx).append(": ").append(errorName);
            if (driverVersion != null && parse(minimumCudaRelease) != null) {
                sb.append(" (the driver is new enough for this PTX version, so this is the JIT compiler's own failure")
                        .append(isBlank(errorLog) ? "" : ", see its log").append(')');
            }
        } else {
            sb.append("cuModuleLoadDataEx of ").append(ptx).append(" failed: ").append(errorName);
        }
        sb.append(logs());
        return sb.toString();
    }

    /** @return the JIT's logs for a message ("" when it wrote none), each trimmed to {@link #MAX_LOG_CHARS} */
    String logs() {
        StringBuilder sb = new StringBuilder();
        if (!isBlank(errorLog)) {
            sb.append("\nJIT error log:\n").append(trimmed(errorLog));
        } else if (ptxRejected()) {
            sb.append("; the JIT wrote no error log");
        }
        if (!isBlank(infoLog)) {
            sb.append("\nJIT info log:\n").append(trimmed(infoLog));
        }
        return sb.toString();
    }

    /**
     * @param call the driver call, for a {@link CudaException}
     * @param cause the driver's exception
     * @return a {@link GpuUnavailableException} for a PTX error (this jar's kernels cannot run on this
     *         driver), else a {@link CudaException} with the logs appended
     */
    RuntimeException toException(String call, Throwable cause) {
        if (ptxRejected()) {
            return new GpuUnavailableException(shortReason(), detail(), cause);
        }
        return new CudaException(call, errorName, logs(), cause);
    }

    private static String trimmed(String log) {
        String s = log.strip();
        return s.length() <= MAX_LOG_CHARS ? s : s.substring(0, MAX_LOG_CHARS) + "\n... (" + (s.length() - MAX_LOG_CHARS)
                + " more characters)";
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private static int[] parse(String v) {
        if (v == null) {
            return null;
        }
        Matcher m = VERSION.matcher(v.strip());
        return m.matches() ? new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))} : null;
    }
}
