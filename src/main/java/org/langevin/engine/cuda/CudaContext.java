package org.langevin.engine.cuda;

import static jcuda.driver.JCudaDriver.cuCtxCreate;
import static jcuda.driver.JCudaDriver.cuCtxDestroy;
import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuCtxSynchronize;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDeviceTotalMem;
import static jcuda.driver.JCudaDriver.cuDriverGetVersion;
import static jcuda.driver.JCudaDriver.cuInit;
import static jcuda.driver.JCudaDriver.cuMemGetInfo;

import java.nio.charset.StandardCharsets;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;

/**
 * A CUDA driver-API context on one device (cuInit, cuDeviceGet, cuCtxCreate). Every operation makes
 * the context current on the calling thread first, so it may be used from any one thread at a time.
 * Closing destroys the context and with it every allocation and module still in it.
 */
final class CudaContext implements AutoCloseable {
    /** The device. */
    private final CUdevice device;
    /** What the driver says about it. */
    private final CudaDevice info;
    /** The context, null once destroyed. */
    private CUcontext context;

    private CudaContext(CUdevice device, CudaDevice info, CUcontext context) {
        this.device = device;
        this.info = info;
        this.context = context;
    }

    /** cuInit(0); idempotent. */
    static void init() {
        CudaCalls.enableDriverExceptions();
        CudaCalls.driver(() -> "cuInit(0)", () -> cuInit(0));
    }

    /** @return the driver's CUDA version as "major.minor" (cuDriverGetVersion) */
    static String driverVersion() {
        int[] v = new int[1];
        CudaCalls.driver(() -> "cuDriverGetVersion", () -> cuDriverGetVersion(v));
        return (v[0] / 1000) + "." + (v[0] % 1000) / 10;
    }

    /** @return the number of CUDA devices */
    static int deviceCount() {
        int[] n = new int[1];
        CudaCalls.driver(() -> "cuDeviceGetCount", () -> cuDeviceGetCount(n));
        return n[0];
    }

    /** @return the device's name, capability, memory and SM count */
    static CudaDevice query(int index) {
        CUdevice dev = new CUdevice();
        CudaCalls.driver(() -> "cuDeviceGet(" + index + ")", () -> cuDeviceGet(dev, index));
        return query(index, dev);
    }

    private static CudaDevice query(int index, CUdevice dev) {
        byte[] name = new byte[256];
        CudaCalls.driver(() -> "cuDeviceGetName", () -> cuDeviceGetName(name, name.length, dev));
        int len = 0;
        while (len < name.length && name[len] != 0) {
            len++;
        }
        long[] mem = new long[1];
        CudaCalls.driver(() -> "cuDeviceTotalMem", () -> cuDeviceTotalMem(mem, dev));
        return new CudaDevice(index, new String(name, 0, len, StandardCharsets.UTF_8),
                attribute(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR),
                attribute(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR), mem[0],
                attribute(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT),
                attribute(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_MULTIPROCESSOR));
    }

    private static int attribute(CUdevice dev, int attr) {
        int[] v = new int[1];
        CudaCalls.driver(() -> "cuDeviceGetAttribute(" + CUdevice_attribute.stringFor(attr) + ")",
                () -> cuDeviceGetAttribute(v, attr, dev));
        return v[0];
    }

    /**
     * Creates a context on a device (after {@link #init()}).
     *
     * @param index device ordinal, 0 ≤ index &lt; deviceCount()
     */
    static CudaContext create(int index) {
        CUdevice dev = new CUdevice();
        CudaCalls.driver(() -> "cuDeviceGet(" + index + ")", () -> cuDeviceGet(dev, index));
        CudaDevice info = query(index, dev);
        CUcontext ctx = new CUcontext();
        CudaCalls.driver(() -> "cuCtxCreate(device " + index + ")", () -> cuCtxCreate(ctx, 0, dev));
        return new CudaContext(dev, info, ctx);
    }

    /** @return the device */
    CudaDevice device() {
        return info;
    }

    /** Makes this context current on the calling thread. */
    void makeCurrent() {
        if (context == null) {
            throw new IllegalStateException("the CUDA context of device " + info.index() + " is closed");
        }
        CudaCalls.driver(() -> "cuCtxSetCurrent", () -> cuCtxSetCurrent(context));
    }

    /** Waits for all work of the context (reports asynchronous launch errors). */
    void synchronize(String after) {
        makeCurrent();
        CudaCalls.driver(() -> "cuCtxSynchronize after " + after, () -> cuCtxSynchronize());
    }

    /** @return {free, total} device memory in bytes (cuMemGetInfo) */
    long[] memInfo() {
        makeCurrent();
        long[] free = new long[1];
        long[] total = new long[1];
        CudaCalls.driver(() -> "cuMemGetInfo", () -> cuMemGetInfo(free, total));
        return new long[] {free[0], total[0]};
    }

    /** Destroys the context. Idempotent. */
    @Override
    public void close() {
        if (context != null) {
            CUcontext c = context;
            context = null;
            CudaCalls.driver(() -> "cuCtxDestroy", () -> cuCtxDestroy(c));
        }
    }

    /** @return the driver handle, for the module and the launcher */
    CUdevice handle() {
        return device;
    }
}
