package org.langevin.engine.cuda;

import static jcuda.driver.CUjit_option.CU_JIT_ERROR_LOG_BUFFER;
import static jcuda.driver.CUjit_option.CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES;
import static jcuda.driver.CUjit_option.CU_JIT_INFO_LOG_BUFFER;
import static jcuda.driver.CUjit_option.CU_JIT_INFO_LOG_BUFFER_SIZE_BYTES;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadDataJIT;
import static jcuda.driver.JCudaDriver.cuModuleUnload;

import java.util.EnumMap;
import java.util.Map;
import jcuda.Pointer;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.JITOptions;
import org.langevin.engine.device.Kernel;

/**
 * The kernels' PTX loaded into a context (cuModuleLoadDataEx, through JCuda's
 * {@code cuModuleLoadDataJIT}, with the JIT compiler's error and info logs captured), with each
 * entry point's function handle looked up once (cuModuleGetFunction) and cached. Used from one thread
 * at a time, with its context current; closing unloads the module.
 */
final class CudaModule implements AutoCloseable {
    /** The module, null once unloaded. */
    private CUmodule module;
    /** Function handles by kernel. */
    private final Map<Kernel, CUfunction> functions = new EnumMap<>(Kernel.class);

    /** Bytes of each JIT log buffer. */
    static final int LOG_BYTES = 16 * 1024;

    /**
     * Loads the PTX into the current context and resolves every {@link Kernel}.
     *
     * @throws GpuUnavailableException when the driver cannot compile the PTX (INVALID_PTX,
     *         UNSUPPORTED_PTX_VERSION, NO_BINARY_FOR_GPU, ...): the message says whether the driver is
     *         older than the PTX needs and includes the JIT's logs ({@link ModuleLoadFailure})
     * @throws CudaException for any other driver failure (its message includes the JIT's logs)
     */
    CudaModule(Ptx ptx) {
        CUmodule m = load(ptx);
        module = m;
        try {
            for (Kernel k : Kernel.values()) {
                CUfunction f = new CUfunction();
                CudaCalls.driver(() -> "cuModuleGetFunction(" + k.entryName + ")",
                        () -> cuModuleGetFunction(f, m, k.entryName));
                functions.put(k, f);
            }
            CUfunction r = new CUfunction();
            CudaCalls.driver(() -> "cuModuleGetFunction(" + REDUCE_ENTRY + ")", () -> cuModuleGetFunction(r, m, REDUCE_ENTRY));
            reduce = r;
        } catch (RuntimeException e) {
            try {
                close();
            } catch (RuntimeException e2) {
                e.addSuppressed(e2);
            }
            throw e;
        }
    }

    /**
     * Loads PTX into the current context with the JIT's logs captured.
     *
     * @throws GpuUnavailableException when the driver cannot compile the PTX ({@link ModuleLoadFailure})
     * @throws CudaException for any other driver failure
     */
    static CUmodule load(Ptx ptx) {
        CUmodule m = new CUmodule();
        byte[] image = ptx.imageBytes();
        JITOptions jit = new JITOptions();
        jit.putInt(CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES, LOG_BYTES);
        jit.putBytes(CU_JIT_ERROR_LOG_BUFFER, new byte[LOG_BYTES]);
        jit.putInt(CU_JIT_INFO_LOG_BUFFER_SIZE_BYTES, LOG_BYTES);
        jit.putBytes(CU_JIT_INFO_LOG_BUFFER, new byte[LOG_BYTES]);
        String call = "cuModuleLoadDataEx(" + ptx.describe() + ")";
        try {
            CudaCalls.driver(() -> call, () -> cuModuleLoadDataJIT(m, Pointer.to(image), jit));
        } catch (CudaException e) {
            String driver;
            try {
                driver = CudaContext.driverVersion();
            } catch (RuntimeException e2) {
                e.addSuppressed(e2);
                driver = null;
            }
            throw new ModuleLoadFailure(e.errorName(), driver, ptx.isaVersion(), ptx.minimumCudaRelease(),
                    ptx.cudaRelease(), jit.getString(CU_JIT_ERROR_LOG_BUFFER), jit.getString(CU_JIT_INFO_LOG_BUFFER))
                    .toException(call, e);
        }
        return m;
    }

    /** The record reduction's entry point (kernels/lv_reduce.cuh). */
    static final String REDUCE_ENTRY = "lv_reduce_blocks";

    /** The record reduction's function handle. */
    private CUfunction reduce;

    /** @return the function handle of the record reduction {@value #REDUCE_ENTRY} */
    CUfunction reduceFunction() {
        if (module == null) {
            throw new IllegalStateException("the kernel module is unloaded");
        }
        return reduce;
    }

    /** @return the cached function handle of a kernel */
    CUfunction function(Kernel k) {
        if (module == null) {
            throw new IllegalStateException("the kernel module is unloaded");
        }
        return functions.get(k);
    }

    /** Unloads the module. Idempotent. */
    @Override
    public void close() {
        if (module != null) {
            CUmodule m = module;
            module = null;
            functions.clear();
            CudaCalls.driver(() -> "cuModuleUnload", () -> cuModuleUnload(m));
        }
    }
}
