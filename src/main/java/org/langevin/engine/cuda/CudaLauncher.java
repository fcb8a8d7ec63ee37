package org.langevin.engine.cuda;

import static jcuda.driver.JCudaDriver.cuFuncGetAttribute;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemFreeHost;
import static jcuda.driver.JCudaDriver.cuMemHostAlloc;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoHAsync;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoDAsync;
import static jcuda.driver.JCudaDriver.cuStreamCreate;
import static jcuda.driver.JCudaDriver.cuStreamDestroy;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoD;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.nio.ByteOrder;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUfunction_attribute;
import jcuda.driver.CUstream;
import org.langevin.engine.device.DeviceQueue;
import org.langevin.engine.device.HostStaging;
import org.langevin.engine.device.DeviceBuffer;
import org.langevin.engine.device.DeviceLauncher;
import org.langevin.engine.device.Kernel;
import org.langevin.engine.device.KernelArgs;
import org.langevin.engine.device.NoiseSource;

/**
 * The GPU behind {@link DeviceLauncher}: a driver-API context, the kernels' module, device memory
 * (cuMemAlloc), synchronous copies (cuMemcpyHtoD/DtoH), and for chunked runs streams
 * (cuStreamCreate), pinned host memory (cuMemHostAlloc) and asynchronous copies and launches on a
 * stream. A launch runs blocks of {@link #BLOCK_THREADS} threads, as many as the particles need up to
 * {@link #BLOCKS_PER_SM} per multiprocessor (the kernels are grid-stride loops); a launch on the
 * default stream then synchronises so that a failure is reported by the launch that caused it, one on
 * a stream is reported by the stream's synchronisation. Used from one thread at a time; closing frees every buffer, the
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
    /** Streams not yet destroyed. */
    private final Set<CudaQueue> liveQueues = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Pinned memory not yet freed. */
    private final Set<PinnedStaging> liveStaging = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Local memory per thread of the kernels launched so far (the driver keeps the largest reserved). */
    private long localPerThreadReserved;
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
        if (launchOn(kernel, a, null)) {
            context.synchronize(kernel.entryName);
        }
    }

    /** A launch on a stream: no synchronisation; a failure shows at the stream's synchronisation. */
    @Override
    public void launch(Kernel kernel, KernelArgs a, DeviceQueue queue) {
        launchOn(kernel, a, stream(queue));
    }

    /** @return whether a grid was launched (on {@code stream}, or the default stream when null) */
    private boolean launchOn(Kernel kernel, KernelArgs a, CUstream stream) {
        checkOpen();
        if (a.count() == 0 || a.nSteps() == 0) {
            return false;
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
                () -> cuLaunchKernel(module.function(kernel), grid, 1, 1, BLOCK_THREADS, 1, 1, 0, stream, params, null));
        noteLaunched(module.function(kernel));
        return true;
    }

    /** Records the local memory a launched entry made the driver reserve. */
    private void noteLaunched(CUfunction f) {
        localPerThreadReserved = Math.max(localPerThreadReserved, localBytes(f));
    }

    /** @return the entry's local memory per thread (cuFuncGetAttribute LOCAL_SIZE_BYTES) */
    private long localBytes(CUfunction f) {
        int[] v = new int[1];
        context.makeCurrent();
        CudaCalls.driver(() -> "cuFuncGetAttribute(CU_FUNC_ATTRIBUTE_LOCAL_SIZE_BYTES)",
                () -> cuFuncGetAttribute(v, CUfunction_attribute.CU_FUNC_ATTRIBUTE_LOCAL_SIZE_BYTES, f));
        return v[0];
    }

    /**
     * The local memory the driver reserves at the first launch of the session's entries: the largest of
     * the step entry's and the record reduction's local bytes per thread (cuFuncGetAttribute
     * LOCAL_SIZE_BYTES) × multiprocessors × resident threads per multiprocessor (cuDeviceGetAttribute
     * MULTIPROCESSOR_COUNT, MAX_THREADS_PER_MULTIPROCESSOR), less what launches so far reserved.
     */
    @Override
    public long localMemoryReserve(Kernel kernel) {
        checkOpen();
        long perThread = Math.max(localBytes(module.function(kernel)), localBytes(module.reduceFunction()));
        long more = Math.max(0, perThread - localPerThreadReserved);
        CudaDevice d = context.device();
        return more * Math.max(1, d.multiprocessors()) * Math.max(1, d.maxThreadsPerMultiprocessor());
    }

    @Override
    public DeviceQueue openQueue() {
        checkOpen();
        context.makeCurrent();
        CUstream s = new CUstream();
        CudaCalls.driver(() -> "cuStreamCreate", () -> cuStreamCreate(s, 0));
        CudaQueue q = new CudaQueue(s);
        liveQueues.add(q);
        return q;
    }

    @Override
    public HostStaging allocateStaging(long bytes) {
        checkOpen();
        if (!(bytes > 0)) {
            throw new IllegalArgumentException("staging size must be > 0 bytes, got " + bytes);
        }
        context.makeCurrent();
        Pointer p = new Pointer();
        CudaCalls.driver(() -> "cuMemHostAlloc(" + bytes + " bytes)", () -> cuMemHostAlloc(p, bytes, 0));
        PinnedStaging h = new PinnedStaging(p, bytes);
        liveStaging.add(h);
        return h;
    }

    @Override
    public void copyToDeviceAsync(HostStaging src, long srcByte, DeviceBuffer dst, long dstByte, long bytes,
                                  DeviceQueue queue) {
        DeviceLauncher.checkAsync(src, srcByte, dst, dstByte, bytes);
        if (bytes == 0) {
            return;
        }
        Pointer h = pinned(src).withByteOffset(srcByte);
        CUdeviceptr d = ptr(dst).withByteOffset(dstByte);
        CUstream s = stream(queue);
        context.makeCurrent();
        CudaCalls.driver(() -> "cuMemcpyHtoDAsync(" + bytes + " bytes)", () -> cuMemcpyHtoDAsync(d, h, bytes, s));
    }

    @Override
    public void copyToHostAsync(DeviceBuffer src, long srcByte, HostStaging dst, long dstByte, long bytes,
                                DeviceQueue queue) {
        DeviceLauncher.checkAsync(dst, dstByte, src, srcByte, bytes);
        if (bytes == 0) {
            return;
        }
        Pointer h = pinned(dst).withByteOffset(dstByte);
        CUdeviceptr d = ptr(src).withByteOffset(srcByte);
        CUstream s = stream(queue);
        context.makeCurrent();
        CudaCalls.driver(() -> "cuMemcpyDtoHAsync(" + bytes + " bytes)", () -> cuMemcpyDtoHAsync(h, d, bytes, s));
    }

    /** @return the stream of a live queue of this launcher */
    private CUstream stream(DeviceQueue q) {
        checkOpen();
        if (!(q instanceof CudaQueue c) || c.stream == null || !liveQueues.contains(c)) {
            throw new IllegalArgumentException("not a live queue of this GPU: " + q);
        }
        return c.stream;
    }

    /** @return the host pointer of live pinned memory of this launcher */
    private Pointer pinned(HostStaging h) {
        checkOpen();
        if (!(h instanceof PinnedStaging p) || p.pointer == null || !liveStaging.contains(p)) {
            throw new IllegalArgumentException("not live pinned memory of this GPU: " + h);
        }
        return p.pointer;
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
        noteLaunched(module.reduceFunction());
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
            for (CudaQueue q : liveQueues.toArray(new CudaQueue[0])) {
                q.close();
            }
            for (PinnedStaging h : liveStaging.toArray(new PinnedStaging[0])) {
                h.close();
            }
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

    /** A stream from cuStreamCreate (synchronises with the legacy default stream). */
    private final class CudaQueue implements DeviceQueue {
        /** The stream, null once destroyed. */
        private CUstream stream;

        CudaQueue(CUstream stream) {
            this.stream = stream;
        }

        @Override
        public void synchronize() {
            if (stream == null) {
                throw new IllegalStateException("the stream is destroyed");
            }
            CUstream s = stream;
            context.makeCurrent();
            CudaCalls.driver(() -> "cuStreamSynchronize", () -> cuStreamSynchronize(s));
        }

        /** Waits for the stream's work, then destroys the stream (also when the wait fails). */
        @Override
        public void close() {
            if (stream != null) {
                CUstream s = stream;
                RuntimeException failure = null;
                try {
                    synchronize();
                } catch (RuntimeException e) {
                    failure = e;
                }
                stream = null;
                liveQueues.remove(this);
                try {
                    context.makeCurrent();
                    CudaCalls.driver(() -> "cuStreamDestroy", () -> cuStreamDestroy(s));
                } catch (RuntimeException e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
                if (failure != null) {
                    throw failure;
                }
            }
        }

        @Override
        public String toString() {
            return "CUDA stream" + (stream == null ? " (destroyed)" : "");
        }
    }

    /** Pinned host memory from cuMemHostAlloc, read and written through NIO views of it. */
    private final class PinnedStaging implements HostStaging {
        /** The memory, null once freed. */
        private Pointer pointer;
        /** Size in bytes. */
        private final long bytes;

        PinnedStaging(Pointer pointer, long bytes) {
            this.pointer = pointer;
            this.bytes = bytes;
        }

        @Override
        public long bytes() {
            return bytes;
        }

        /** @return a native-order view of {@code n} bytes at byte offset off */
        private java.nio.ByteBuffer view(long off, long n) {
            if (pointer == null) {
                throw new IllegalStateException("the pinned memory is freed");
            }
            return pointer.getByteBuffer(off, n).order(ByteOrder.nativeOrder());
        }

        @Override
        public void put(long byteOffset, float[] src, int from, int length) {
            HostStaging.checkRange(this, byteOffset, src.length, from, length, 4);
            for (int done = 0; done < length; ) {
                int n = Math.min(length - done, PIECE);
                view(byteOffset + 4L * done, 4L * n).asFloatBuffer().put(src, from + done, n);
                done += n;
            }
        }

        @Override
        public void put(long byteOffset, double[] src, int from, int length) {
            HostStaging.checkRange(this, byteOffset, src.length, from, length, 8);
            for (int done = 0; done < length; ) {
                int n = Math.min(length - done, PIECE);
                view(byteOffset + 8L * done, 8L * n).asDoubleBuffer().put(src, from + done, n);
                done += n;
            }
        }

        @Override
        public void get(long byteOffset, float[] dst, int from, int length) {
            HostStaging.checkRange(this, byteOffset, dst.length, from, length, 4);
            for (int done = 0; done < length; ) {
                int n = Math.min(length - done, PIECE);
                view(byteOffset + 4L * done, 4L * n).asFloatBuffer().get(dst, from + done, n);
                done += n;
            }
        }

        @Override
        public void get(long byteOffset, double[] dst, int from, int length) {
            HostStaging.checkRange(this, byteOffset, dst.length, from, length, 8);
            for (int done = 0; done < length; ) {
                int n = Math.min(length - done, PIECE);
                view(byteOffset + 8L * done, 8L * n).asDoubleBuffer().get(dst, from + done, n);
                done += n;
            }
        }

        @Override
        public void close() {
            if (pointer != null) {
                Pointer p = pointer;
                pointer = null;
                liveStaging.remove(this);
                context.makeCurrent();
                CudaCalls.driver(() -> "cuMemFreeHost(" + bytes + " bytes)", () -> cuMemFreeHost(p));
            }
        }

        @Override
        public String toString() {
            return "pinned host memory of " + bytes + " bytes" + (pointer == null ? " (freed)" : "");
        }
    }

    /** Elements per NIO view of pinned memory (2^27: at most 1 GiB of doubles). */
    private static final int PIECE = 1 << 27;

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
