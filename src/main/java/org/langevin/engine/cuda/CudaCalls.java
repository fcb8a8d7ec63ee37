package org.langevin.engine.cuda;

import java.util.function.Supplier;
import java.util.function.IntSupplier;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;
import jcuda.jcurand.JCurand;
import jcuda.jcurand.curandStatus;

/**
 * Runs JCuda calls with JCuda's exceptions enabled and turns every failure into a
 * {@link CudaException} naming the call and the CUDA error. Thread-safe.
 */
final class CudaCalls {
    private CudaCalls() {
    }

    /** Enables JCuda's driver exceptions (loads its native library: may throw LinkageError). */
    static void enableDriverExceptions() {
        JCudaDriver.setExceptionsEnabled(true);
    }

    /** Enables JCurand's exceptions (loads its native library: may throw LinkageError). */
    static void enableCurandExceptions() {
        JCurand.setExceptionsEnabled(true);
    }

    /** Runs a driver call; {@code call} describes it for the message. */
    static void driver(Supplier<String> call, IntSupplier f) {
        int rc;
        try {
            rc = f.getAsInt();
        } catch (jcuda.CudaException e) {
            throw new CudaException(call.get(), errorName(e.getMessage()), e);
        }
        if (rc != CUresult.CUDA_SUCCESS) {
            throw new CudaException(call.get(), CUresult.stringFor(rc), null);
        }
    }

    /** Runs a cuRAND call. */
    static void curand(Supplier<String> call, IntSupplier f) {
        int rc;
        try {
            rc = f.getAsInt();
        } catch (jcuda.CudaException e) {
            throw new CudaException(call.get(), errorName(e.getMessage()), e);
        }
        if (rc != curandStatus.CURAND_STATUS_SUCCESS) {
            throw new CudaException(call.get(), curandStatus.stringFor(rc), null);
        }
    }

    /** JCuda's message is the error name, sometimes followed by details: keep the name. */
    private static String errorName(String message) {
        if (message == null || message.isBlank()) {
            return "unknown CUDA error";
        }
        String m = message.trim();
        int sp = m.indexOf(' ');
        return sp < 0 ? m : m.substring(0, sp);
    }
}
