package org.langevin.engine.cuda;

import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoD;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import org.langevin.engine.device.DeviceBuffer;
import org.langevin.engine.device.DeviceLauncher;
import org.langevin.engine.device.Kernel;
import org.langevin.engine.device.KernelArgs;
import org.langevin.engine.device.NoiseSource;

/**
 * The GPU behind {@link DeviceLauncher}: a driver-API context, the kernels' module, device memory
 * (cuMemAlloc) and synchronous copies (cuMemcpyHtoD/DtoH). A launch runs blocks of
 * {@link #BLOCK_THREADS} threads, as many as the particles need up to {@link #BLOCKS_PER_SM} per
 * multiprocessor (the kernels are grid-stride loops), then synchronises so that a failure is reported
 * by the launch that caused it. Used from one thread at a time; closing frees every buffer, the
 * module and the context.
 */
final class CudaLauncher implements DeviceLauncher {
    /** Threads per block. */
    static final int BLOCK_THREADS = 256;
    /**
     * Blocks per multiprocessor in a grid: the kernels' {@code __launch_bounds__(256, 4)} keeps 4 of
     * them resident (64 registers, 50 % occupancy on sm_90), so the grid is one wave.
     */
    static final int BLOCKS_PER_SM = 4;

    /** The context. */
    private final CudaContext context;
    /** The kernels. */
    private final CudaModule module;
    /** Buffers not yet freed. */
    private final Set<CudaBuffer> live = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Set by close(). */
    private boolean closed;

    /** Takes ownership of a context and module. */
    CudaLauncher(CudaContext context, CudaModule module) {
        this.context = context;
        this.module = module;
    }

    /** @return the device */
    CudaDevice device() {
        return context.device();
    }

    /** @return {free, total} device memory in bytes */
    long[] memInfo() {
        return context.memInfo();
    }

    @Override
    public String description() {
        return "GPU " + context.device().index() + ": " + context.device().describe();
    }

    @Override
    public long availableBytes() {
        return context.memInfo()[0];
    }

    @Override
    public DeviceBuffer allocate(long bytes) {
        checkOpen();
        if (!(bytes > 0)) {
            throw new IllegalArgumentException("buffer size must be > 0 bytes, got " + bytes);
        }
        context.makeCurrent();
        CUdeviceptr p = new CUdeviceptr();
        CudaCalls.driver(() -> "cuMemAlloc(" + bytes + " bytes)", () -> cuMemAlloc(p, bytes));
        CudaBuffer b = new CudaBuffer(p, bytes);
        live.add(b);
        return b;
    }

    @Override
    public void copyToDevice(float[] src, int from, int length, DeviceBuffer dst, long dstByte) {
        DeviceLauncher.checkRange(src.length, from, length, dst, dstByte, 4);
        htod(Pointer.to(src).withByteOffset(4L * from), dst, dstByte, 4L * length);
    }

    @Override
    public void copyToDevice(double[] src, int from, int length, DeviceBuffer dst, long dstByte) {
        DeviceLauncher.checkRange(src.length, from, length, dst, dstByte, 8);
        htod(Pointer.to(src).withByteOffset(8L * from), dst, dstByte, 8L * length);
    }

    @Override
    public void copyToDevice(int[] src, int from, int length, DeviceBuffer dst, long dstByte) {
        DeviceLauncher.checkRange(src.length, from, length, dst, dstByte, 4);
        htod(Pointer.to(src).withByteOffset(4L * from), dst, dstByte, 4L * length);
    }

    @Override
    public void copyToHost(DeviceBuffer src, long srcByte, float[] dst, int from, int length) {
        DeviceLauncher.checkRange(dst.length, from, length, src, srcByte, 4);
        dtoh(src, srcByte, Pointer.to(dst).withByteOffset(4L * from), 4L * length);
    }

    @Override
    public void copyToHost(DeviceBuffer src, long srcByte, double[] dst, int from, int length) {
        DeviceLauncher.checkRange(dst.length, from, length, src, srcByte, 8);
        dtoh(src, srcByte, Pointer.to(dst).withByteOffset(8L * from), 8L * length);
    }

    private void htod(Pointer host, DeviceBuffer dst, long dstByte, long bytes) {
        if (bytes == 0) {
            return;
        }
        CUdeviceptr d = ptr(dst).withByteOffset(dstByte);
        context.makeCurrent();
        CudaCalls.driver(() -> "cuMemcpyHtoD(" + bytes + " bytes)", () -> cuMemcpyHtoD(d, host, bytes));
    }

    private void dtoh(DeviceBuffer src, long srcByte, Pointer host, long bytes) {
        if (bytes == 0) {
            return;
        }
        CUdeviceptr d = ptr(src).withByteOffset(srcByte);
        context.makeCurrent();
        CudaCalls.driver(() -> "cuMemcpyDtoH(" + bytes + " bytes)", () -> cuMemcpyDtoH(host, d, bytes));
    }

    @Override
    public void launch(Kernel kernel, KernelArgs a) {
        checkOpen();
        if (a.count() == 0 || a.nSteps() == 0) {
            return;
        }
        int maxBlocks = Math.max(1, context.device().multiprocessors() * BLOCKS_PER_SM);
        int grid = (int) Math.min(maxBlocks, (a.count() + (long) BLOCK_THREADS - 1) / BLOCK_THREADS);
        Pointer params = Pointer.to(
                Pointer.to(ptr(a.state())),
                Pointer.to(ptrOrNull(a.avg())),
                Pointer.to(new int[] {a.count()}),
                Pointer.to(new int[] {a.stride()}),
                Pointer.to(new long[] {a.firstParticle()}),
                Pointer.to(new long[] {a.firstStep()}),
                Pointer.to(new int[] {a.nSteps()}),
                Pointer.to(new long[] {a.burnIn()}),
                Pointer.to(new int[] {a.seedLo()}),
                Pointer.to(new int[] {a.seedHi()}),
                Pointer.to(new float[] {a.lr()}),
                Pointer.to(new float[] {a.noiseScale()}),
                Pointer.to(ptr(a.ip())),
                Pointer.to(ptr(a.fp())),
                Pointer.to(ptrOrNull(a.data())),
                Pointer.to(ptrOrNull(a.noise())));
        context.makeCurrent();
        CudaCalls.driver(() -> "cuLaunchKernel(" + kernel.entryName + ", grid " + grid + "x" + BLOCK_THREADS + ")",
                () -> cuLaunchKernel(module.function(kernel), grid, 1, 1, BLOCK_THREADS, 1, 1, 0, null, params, null));
        context.synchronize(kernel.entryName);
    }

    /** Threads per block of the record reduction (its {@code __launch_bounds__}, LV_REDUCE_THREADS). */
    static final int REDUCE_THREADS = 64;

    /** The record reduction: one thread per block of particles, then a synchronisation. */
    @Override
    public void launchReduce(org.langevin.engine.device.ReduceArgs a) {
        checkOpen();
        int grid = (int) ((a.blocks() + (long) REDUCE_THREADS - 1) / REDUCE_THREADS);
        Pointer params = Pointer.to(
                Pointer.to(ptr(a.state())),
                Pointer.to(ptr(a.out())),
                Pointer.to(new int[] {a.count()}),
                Pointer.to(new int[] {a.stride()}),
                Pointer.to(new int[] {a.d()}),
                Pointer.to(new int[] {a.withLoss() ? 1 : 0}),
                Pointer.to(ptr(a.rp())));
        context.makeCurrent();
        CudaCalls.driver(() -> "cuLaunchKernel(" + CudaModule.REDUCE_ENTRY + ", grid " + grid + "x" + REDUCE_THREADS + ")",
                () -> cuLaunchKernel(module.reduceFunction(), grid, 1, 1, REDUCE_THREADS, 1, 1, 0, null, params, null));
        context.synchronize(CudaModule.REDUCE_ENTRY);
    }

    /** A user model's kernel: its CUDA C compiled to PTX at first use ({@link ModelPtx}), loaded here. */
    @Override
    public org.langevin.engine.device.ModelKernel loadModel(org.langevin.model.lang.Model model) {
        checkOpen();
        return new CudaModelKernel(this, Ptx.parse(ModelPtx.compile(model)));
    }

    /** @return a buffer's device pointer, or a null device pointer for none */
    CUdeviceptr ptrOrNullDevice(DeviceBuffer b) {
        return ptrOrNull(b);
    }

    /** Waits for the context's work, reporting a failed launch as {@code after}'s. */
    void synchronize(String after) {
        context.synchronize(after);
    }

    @Override
    public NoiseSource openNoiseSource(long seed, long particles) {
        checkOpen();
        context.makeCurrent();
        return new CurandNoise(this, seed, particles);
    }

    /** Copies {@code bytes} bytes between device buffers (cuMemcpyDtoD). */
    void copyOnDevice(DeviceBuffer src, long srcByte, DeviceBuffer dst, long dstByte, long bytes) {
        checkOpen();
        if (srcByte < 0 || bytes < 0 || srcByte > src.bytes() - bytes || dstByte < 0 || dstByte > dst.bytes() - bytes) {
            throw new IllegalArgumentException("device copy of " + bytes + " bytes from offset " + srcByte + " of "
                    + src.bytes() + " to offset " + dstByte + " of " + dst.bytes() + " is out of range");
        }
        if (bytes == 0) {
            return;
        }
        CUdeviceptr s = ptr(src).withByteOffset(srcByte);
        CUdeviceptr d = ptr(dst).withByteOffset(dstByte);
        context.makeCurrent();
        CudaCalls.driver(() -> "cuMemcpyDtoD(" + bytes + " bytes)", () -> cuMemcpyDtoD(d, s, bytes));
    }

    /** Frees every live buffer, unloads the module and destroys the context. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException first = null;
        try {
            context.makeCurrent();
            for (CudaBuffer b : live.toArray(new CudaBuffer[0])) {
                b.close();
            }
            module.close();
        } catch (RuntimeException e) {
            first = e;
        }
        try {
            context.close();
        } catch (RuntimeException e) {
            if (first == null) {
                first = e;
            } else {
                first.addSuppressed(e);
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Makes the context current (for cuRAND). */
    void makeCurrent() {
        context.makeCurrent();
    }

    /** @return the device pointer of a live buffer of this launcher */
    CUdeviceptr ptr(DeviceBuffer b) {
        if (!(b instanceof CudaBuffer c) || c.pointer == null || !live.contains(c)) {
            throw new IllegalArgumentException("not a live buffer of this GPU: " + b);
        }
        return c.pointer;
    }

    private CUdeviceptr ptrOrNull(DeviceBuffer b) {
        return b == null ? new CUdeviceptr() : ptr(b);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the GPU launcher is closed");
        }
    }

    /** Device memory from cuMemAlloc. */
    private final class CudaBuffer implements DeviceBuffer {
        /** The allocation, null once freed. */
        private CUdeviceptr pointer;
        /** Size in bytes. */
        private final long bytes;

        CudaBuffer(CUdeviceptr pointer, long bytes) {
            this.pointer = pointer;
            this.bytes = bytes;
        }

        @Override
        public long bytes() {
            return bytes;
        }

        @Override
        public void close() {
            if (pointer != null) {
                CUdeviceptr p = pointer;
                pointer = null;
                live.remove(this);
                context.makeCurrent();
                CudaCalls.driver(() -> "cuMemFree(" + bytes + " bytes)", () -> cuMemFree(p));
            }
        }

        @Override
        public String toString() {
            return "GPU buffer of " + bytes + " bytes" + (pointer == null ? " (freed)" : "");
        }
    }
}
