package org.langevin.engine.cuda;

import static jcuda.driver.JCudaDriver.cuCtxCreate;
import static jcuda.driver.JCudaDriver.cuCtxDestroy;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.atomic.AtomicReference;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The driver rules the GPU engine relies on, checked through JCuda: a copy must stay inside one live
 * allocation, an allocation beyond the free memory fails and is not charged, a thread without a current
 * context can do nothing, handles die with their context, and a block larger than an entry point's
 * {@code .maxntid} is refused. They are a real driver's rules, and what the stand-in CUDA driver
 * enforces in {@code mvn verify}; the NaN fill of new allocations is the stand-in's own.
 */
class DriverRulesIT {
    private static String error(Runnable call) {
        return assertThrows(CudaException.class, call::run).errorName();
    }

    private static void driver(String what, java.util.function.IntSupplier f) {
        CudaCalls.driver(() -> what, f);
    }

    @BeforeEach
    void gpu() {
        GpuTests.requireGpu("driver rules");
    }

    @Test
    void copiesStayInsideOneLiveAllocation() {
        try (CudaContext ctx = CudaContext.create(0)) {
            ctx.makeCurrent();
            CUdeviceptr p = new CUdeviceptr();
            driver("alloc", () -> cuMemAlloc(p, 64));
            byte[] host = new byte[128];
            driver("inside", () -> cuMemcpyHtoD(p.withByteOffset(32), Pointer.to(host), 32));
            assertEquals("CUDA_ERROR_INVALID_VALUE", error(() -> driver("past the end", () -> cuMemcpyHtoD(p, Pointer.to(host), 65))));
            assertEquals("CUDA_ERROR_INVALID_VALUE",
                    error(() -> driver("straddles the end", () -> cuMemcpyDtoH(Pointer.to(host), p.withByteOffset(40), 32))));
            driver("free", () -> cuMemFree(p));
            assertEquals("CUDA_ERROR_INVALID_VALUE", error(() -> driver("freed", () -> cuMemcpyDtoH(Pointer.to(host), p, 4))));
        }
    }

    @Test
    void allocationBeyondTheFreeMemoryFailsAndIsNotCharged() {
        try (CudaContext ctx = CudaContext.create(0)) {
            long[] before = ctx.memInfo();
            ctx.makeCurrent();
            CUdeviceptr p = new CUdeviceptr();
            assertEquals("CUDA_ERROR_OUT_OF_MEMORY", error(() -> driver("too big", () -> cuMemAlloc(p, before[1] + 1))));
            assertEquals(before[0], ctx.memInfo()[0]);
            driver("alloc", () -> cuMemAlloc(p, 4L << 20));
            assertTrue(ctx.memInfo()[0] <= before[0] - (4L << 20), "a 4 MiB allocation is charged");
            driver("free", () -> cuMemFree(p));
        }
    }

    @Test
    void aThreadWithoutACurrentContextCannotAllocate() throws Exception {
        try (CudaContext ctx = CudaContext.create(0)) {
            AtomicReference<String> got = new AtomicReference<>();
            Thread t = new Thread(() -> got.set(error(() -> driver("no context", () -> cuMemAlloc(new CUdeviceptr(), 16)))));
            t.start();
            t.join();
            assertEquals("CUDA_ERROR_INVALID_CONTEXT", got.get());
        }
    }

    @Test
    void handlesDieWithTheirContext() {
        CUdevice dev = new CUdevice();
        driver("device", () -> cuDeviceGet(dev, 0));
        CUcontext a = new CUcontext();
        driver("create", () -> cuCtxCreate(a, 0, dev));
        CUdeviceptr p = new CUdeviceptr();
        driver("alloc", () -> cuMemAlloc(p, 256));
        try (CudaModule module = new CudaModule(GpuEngine.requirePtx())) {
            driver("destroy", () -> cuCtxDestroy(a));
            CUcontext b = new CUcontext();
            driver("create another", () -> cuCtxCreate(b, 0, dev));
            try {
                assertEquals("CUDA_ERROR_INVALID_VALUE", error(() -> driver("free in a dead context", () -> cuMemFree(p))));
                String unload = error(module::close);
                assertTrue(unload.startsWith("CUDA_ERROR_INVALID") || unload.equals("CUDA_ERROR_CONTEXT_IS_DESTROYED"),
                        "unloading a dead context's module: " + unload);
            } finally {
                driver("destroy another", () -> cuCtxDestroy(b));
            }
        }
    }

    @Test
    void newAllocationsHoldNaNAndBlocksBeyondMaxntidAreRefused() {
        assumeTrue(GpuTests.standin(), "the NaN fill is the stand-in's own");
        try (GpuEngine gpu = GpuEngine.open(0, org.langevin.engine.device.NoiseMode.FUSED, 0)) {
            CudaLauncher l = gpu.cudaLauncher();
            try (var buf = l.allocate(64)) {
                float[] f = new float[8];
                double[] d = new double[8];
                l.copyToHost(buf, 0, f, 0, 8);
                l.copyToHost(buf, 0, d, 0, 8);
                for (int i = 0; i < 8; i++) {
                    assertTrue(Float.isNaN(f[i]) && Double.isNaN(d[i]), "element " + i);
                }
            }
            // the entry points declare __launch_bounds__(256, 4): .maxntid 256
            l.makeCurrent();
            try (CudaModule module = new CudaModule(GpuEngine.requirePtx())) {
                CUfunction fn = module.function(org.langevin.engine.device.Kernel.values()[0]);
                Pointer[] each = new Pointer[16];
                for (int i = 0; i < 16; i++) {
                    each[i] = Pointer.to(new long[] {0});
                }
                Pointer params = Pointer.to(each);
                assertEquals("CUDA_ERROR_INVALID_VALUE", error(() -> driver("512 threads",
                        () -> cuLaunchKernel(fn, 1, 1, 1, 512, 1, 1, 0, null, params, null))));
            }
        }
    }

    @Test
    void aFaultingLaunchIsStickyUntilItsContextIsDestroyed() {
        try (CudaContext ctx = CudaContext.create(0)) {
            ctx.makeCurrent();
            try (CudaModule module = new CudaModule(GpuEngine.requirePtx())) {
                CUfunction fn = module.function(org.langevin.engine.device.Kernel.values()[0]);
                CUdeviceptr ip = new CUdeviceptr();
                driver("alloc", () -> cuMemAlloc(ip, 64));
                driver("ip", () -> cuMemcpyHtoD(ip, Pointer.to(new int[16]), 64));
                // state points at an address no allocation holds; the kernel writes there
                long[][] values = {{0x1000}, {0}, {1000}, {1000}, {0}, {0}, {1}, {0}, {1}, {0}, {0}, {0}, {0}, {0}, {0}, {0}};
                Pointer[] each = new Pointer[16];
                for (int i = 0; i < 16; i++) {
                    each[i] = i == 12 ? Pointer.to(ip) : Pointer.to(values[i]);
                }
                Pointer params = Pointer.to(each);
                String launched;
                try {
                    driver("launch", () -> cuLaunchKernel(fn, 1, 1, 1, 32, 1, 1, 0, null, params, null));
                    launched = error(() -> ctx.synchronize("the faulting launch"));
                } catch (CudaException e) {
                    launched = e.errorName();
                }
                assertTrue(launched.equals("CUDA_ERROR_ILLEGAL_ADDRESS") || launched.equals("CUDA_ERROR_LAUNCH_FAILED"), launched);
                String later = launched;
                assertEquals(later, error(() -> driver("alloc after the fault", () -> cuMemAlloc(new CUdeviceptr(), 16))));
                assertEquals(later, error(() -> ctx.synchronize("again")));
            } catch (CudaException e) {
                // unloading in the faulted context reports the fault too
                assertTrue(e.errorName().equals("CUDA_ERROR_ILLEGAL_ADDRESS") || e.errorName().equals("CUDA_ERROR_LAUNCH_FAILED"),
                        e.getMessage());
            }
        }
        try (CudaContext fresh = CudaContext.create(0)) {
            fresh.makeCurrent();
            CUdeviceptr p = new CUdeviceptr();
            driver("alloc in a new context", () -> cuMemAlloc(p, 16));
            driver("free", () -> cuMemFree(p));
        }
    }
}
