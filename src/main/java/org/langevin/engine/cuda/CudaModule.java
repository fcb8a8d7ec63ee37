package org.langevin.engine.cuda;

import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.driver.JCudaDriver.cuModuleUnload;

import java.util.EnumMap;
import java.util.Map;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import org.langevin.engine.device.Kernel;

/**
 * The kernels' PTX loaded into a context (cuModuleLoadData), with each entry point's function
 * handle looked up once (cuModuleGetFunction) and cached. Used from one thread at a time, with its
 * context current; closing unloads the module.
 */
final class CudaModule implements AutoCloseable {
    /** The module, null once unloaded. */
    private CUmodule module;
    /** Function handles by kernel. */
    private final Map<Kernel, CUfunction> functions = new EnumMap<>(Kernel.class);

    /**
     * Loads the PTX into the current context and resolves every {@link Kernel}.
     *
     * @throws CudaException e.g. CUDA_ERROR_UNSUPPORTED_PTX_VERSION when the driver is older than the PTX
     */
    CudaModule(Ptx ptx) {
        CUmodule m = new CUmodule();
        byte[] image = ptx.imageBytes();
        CudaCalls.driver(() -> "cuModuleLoadData(" + ptx.describe() + ")", () -> cuModuleLoadData(m, image));
        module = m;
        try {
            for (Kernel k : Kernel.values()) {
                CUfunction f = new CUfunction();
                CudaCalls.driver(() -> "cuModuleGetFunction(" + k.entryName + ")",
                        () -> cuModuleGetFunction(f, m, k.entryName));
                functions.put(k, f);
            }
        } catch (RuntimeException e) {
            try {
                close();
            } catch (RuntimeException e2) {
                e.addSuppressed(e2);
            }
            throw e;
        }
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
