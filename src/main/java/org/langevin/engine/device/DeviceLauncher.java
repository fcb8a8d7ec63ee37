package org.langevin.engine.device;

/**
 * One device that runs the kernels: device memory, host↔device copies and kernel launches. The GPU
 * ({@code org.langevin.engine.cuda}) and the emulated device ({@code org.langevin.engine.emulated})
 * implement it, so that {@link DeviceEngine}'s buffers, chunking and argument lists are the same code
 * on both. Offsets and lengths are in elements of the host array and in bytes on the device.
 * A launcher is used from one thread at a time; closing it frees everything it still holds.
 */
public interface DeviceLauncher extends AutoCloseable {
    /** @return the device in one line for people (name, memory) */
    String description();

    /** @return bytes of device memory that may be allocated now (free memory) */
    long availableBytes();

    /**
     * @param bytes size, ≥ 1
     * @return a new buffer (contents undefined)
     */
    DeviceBuffer allocate(long bytes);

    /**
     * Copies {@code src[from .. from+length)} to {@code dst} at byte offset {@code dstByte}.
     *
     * @param src the host array
     * @param from first element of src copied, ≥ 0
     * @param length elements copied, ≥ 0, with from + length ≤ src.length
     * @param dst the device buffer written
     * @param dstByte byte offset in dst, ≥ 0, with the copied bytes inside the buffer
     * @throws IllegalArgumentException when either range is outside its array or buffer
     */
    void copyToDevice(float[] src, int from, int length, DeviceBuffer dst, long dstByte);

    /**
     * Copies {@code src[from .. from+length)} to {@code dst} at byte offset {@code dstByte}.
     *
     * @param src the host array
     * @param from first element of src copied, ≥ 0
     * @param length elements copied, ≥ 0, with from + length ≤ src.length
     * @param dst the device buffer written
     * @param dstByte byte offset in dst, ≥ 0, with the copied bytes inside the buffer
     * @throws IllegalArgumentException when either range is outside its array or buffer
     */
    void copyToDevice(double[] src, int from, int length, DeviceBuffer dst, long dstByte);

    /**
     * Copies {@code src[from .. from+length)} to {@code dst} at byte offset {@code dstByte}.
     *
     * @param src the host array
     * @param from first element of src copied, ≥ 0
     * @param length elements copied, ≥ 0, with from + length ≤ src.length
     * @param dst the device buffer written
     * @param dstByte byte offset in dst, ≥ 0, with the copied bytes inside the buffer
     * @throws IllegalArgumentException when either range is outside its array or buffer
     */
    void copyToDevice(int[] src, int from, int length, DeviceBuffer dst, long dstByte);

    /**
     * Copies {@code length} floats at byte offset {@code srcByte} of {@code src} to {@code dst[from ..]}.
     *
     * @param src the device buffer read
     * @param srcByte byte offset in src, ≥ 0, with the copied bytes inside the buffer
     * @param dst the host array written
     * @param from first element of dst written, ≥ 0
     * @param length elements copied, ≥ 0, with from + length ≤ dst.length
     * @throws IllegalArgumentException when either range is outside its array or buffer
     */
    void copyToHost(DeviceBuffer src, long srcByte, float[] dst, int from, int length);

    /**
     * Copies {@code length} doubles at byte offset {@code srcByte} of {@code src} to {@code dst[from ..]}.
     *
     * @param src the device buffer read
     * @param srcByte byte offset in src, ≥ 0, with the copied bytes inside the buffer
     * @param dst the host array written
     * @param from first element of dst written, ≥ 0
     * @param length elements copied, ≥ 0, with from + length ≤ dst.length
     * @throws IllegalArgumentException when either range is outside its array or buffer
     */
    void copyToHost(DeviceBuffer src, long srcByte, double[] dst, int from, int length);

    /**
     * Runs one kernel over {@code args.count()} particles and returns when it has finished (errors of
     * the launch are reported here, not later).
     *
     * @param kernel the entry point: a built-in dynamics' general or d = 1 entry
     * @param args its argument list, in the kernel ABI's order (kernels/README.md)
     */
    void launch(Kernel kernel, KernelArgs args);

    /**
     * Runs the record reduction {@code lv_reduce_blocks} (one thread per block of particles) and returns
     * when it has finished.
     *
     * @param args the particles' buffer, the output buffer for one record per block, the counts and the
     *             reduction's parameters
     */
    void launchReduce(ReduceArgs args);

    /**
     * Compiles (at first use, then from a cache) and loads a user model's kernel on this device.
     *
     * @param model the user model's IR (with its derived gradients)
     * @return the loaded kernel, valid until this launcher is closed
     * @throws IllegalStateException when this device's compiler is missing (the message names it and the fix)
     *                               or rejects the model
     */
    ModelKernel loadModel(org.langevin.model.lang.Model model);

    /**
     * @param seed the run's seed
     * @param particles the run's particles P, all sessions and partitions together (cuRAND's stream
     *                  layout is a function of it: kernels/README.md, "cuRAND buffer noise")
     * @return the normal generator of buffer mode on this device
     */
    NoiseSource openNoiseSource(long seed, long particles);

    /**
     * Opens a queue of device work ({@link DeviceQueue}: a CUDA stream). The default, for a device that
     * runs every operation when it is called (the emulated device), is {@link DeviceQueue#inOrder()}.
     *
     * @return a new queue, closed by the caller (or with this launcher)
     */
    default DeviceQueue openQueue() {
        return DeviceQueue.inOrder();
    }

    /**
     * Allocates host memory for asynchronous copies (pinned memory on a GPU). The default is native
     * memory ({@link HostStaging#nativeMemory}).
     *
     * @param bytes size, ≥ 1
     * @return new staging memory, closed by the caller (or with this launcher)
     */
    default HostStaging allocateStaging(long bytes) {
        return HostStaging.nativeMemory(bytes);
    }

    /**
     * Enqueues a copy of {@code bytes} bytes from staging memory to a device buffer on a queue: it runs
     * after the queue's earlier work, and the staging bytes must stay unchanged until the queue is
     * synchronised. The default copies at once (through {@link #copyToDevice(float[], int, int, DeviceBuffer, long)}).
     *
     * @param src the staging memory read
     * @param srcByte byte offset in src
     * @param dst the device buffer written
     * @param dstByte byte offset in dst
     * @param bytes bytes copied, a multiple of 4
     * @param queue the queue (of this launcher)
     * @throws IllegalArgumentException when a range is outside its memory or bytes is not a multiple of 4
     */
    default void copyToDeviceAsync(HostStaging src, long srcByte, DeviceBuffer dst, long dstByte, long bytes,
                                   DeviceQueue queue) {
        checkAsync(src, srcByte, dst, dstByte, bytes);
        float[] piece = new float[(int) Math.min(bytes / 4, ASYNC_PIECE_FLOATS)];
        for (long done = 0; done < bytes; ) {
            int n = (int) Math.min(piece.length, (bytes - done) / 4);
            src.get(srcByte + done, piece, 0, n);
            copyToDevice(piece, 0, n, dst, dstByte + done);
            done += 4L * n;
        }
    }

    /**
     * Enqueues a copy of {@code bytes} bytes from a device buffer to staging memory on a queue: it runs
     * after the queue's earlier work, and the staging bytes are defined only once the queue has been
     * synchronised. The default copies at once (through {@link #copyToHost(DeviceBuffer, long, float[], int, int)}).
     *
     * @param src the device buffer read
     * @param srcByte byte offset in src
     * @param dst the staging memory written
     * @param dstByte byte offset in dst
     * @param bytes bytes copied, a multiple of 4
     * @param queue the queue (of this launcher)
     * @throws IllegalArgumentException when a range is outside its memory or bytes is not a multiple of 4
     */
    default void copyToHostAsync(DeviceBuffer src, long srcByte, HostStaging dst, long dstByte, long bytes,
                                 DeviceQueue queue) {
        checkAsync(dst, dstByte, src, srcByte, bytes);
        float[] piece = new float[(int) Math.min(bytes / 4, ASYNC_PIECE_FLOATS)];
        for (long done = 0; done < bytes; ) {
            int n = (int) Math.min(piece.length, (bytes - done) / 4);
            copyToHost(src, srcByte + done, piece, 0, n);
            dst.put(dstByte + done, piece, 0, n);
            done += 4L * n;
        }
    }

    /**
     * Enqueues a kernel launch on a queue: it runs after the queue's earlier work; its failure is reported
     * by a later synchronisation of the queue. The default runs it at once ({@link #launch(Kernel, KernelArgs)}).
     *
     * @param kernel the entry point
     * @param args its argument list
     * @param queue the queue (of this launcher)
     */
    default void launch(Kernel kernel, KernelArgs args, DeviceQueue queue) {
        launch(kernel, args);
    }

    /**
     * Device memory the driver reserves for the local memory (register spills, per-thread arrays) of a
     * session's kernels when they are first launched, beyond what {@link #availableBytes()} shows now:
     * local bytes per thread (the largest of the step entry and the record reduction) × multiprocessors ×
     * resident threads per multiprocessor, less what earlier launches reserved already. The default, for
     * a device whose local memory is host stack (the emulated device), is 0.
     *
     * @param kernel the step entry point the session launches
     * @return bytes, ≥ 0
     */
    default long localMemoryReserve(Kernel kernel) {
        return 0;
    }

    /** Floats per piece of the default asynchronous copies (16 MiB). */
    int ASYNC_PIECE_FLOATS = 1 << 22;

    /** Frees the device and everything allocated on it. */
    @Override
    void close();

    /**
     * Checks an asynchronous copy's ranges; throws IllegalArgumentException.
     *
     * @param staging the staging memory
     * @param stagingByte byte offset in it
     * @param buffer the device buffer
     * @param bufferByte byte offset in it
     * @param bytes bytes copied
     * @throws IllegalArgumentException when a range is outside its memory or bytes is not a multiple of 4
     */
    static void checkAsync(HostStaging staging, long stagingByte, DeviceBuffer buffer, long bufferByte, long bytes) {
        if (bytes < 0 || bytes % 4 != 0) {
            throw new IllegalArgumentException("an asynchronous copy is a whole number of 4-byte words, got " + bytes
                    + " bytes");
        }
        if (stagingByte < 0 || stagingByte > staging.bytes() - bytes) {
            throw new IllegalArgumentException("staging range of " + bytes + " bytes at offset " + stagingByte
                    + " is outside staging memory of " + staging.bytes() + " bytes");
        }
        if (bufferByte < 0 || bufferByte > buffer.bytes() - bytes) {
            throw new IllegalArgumentException("device range of " + bytes + " bytes at offset " + bufferByte
                    + " is outside a buffer of " + buffer.bytes() + " bytes");
        }
    }

    /**
     * Checks a copy's range against the host array and the buffer; throws IllegalArgumentException.
     *
     * @param hostLength length of the host array
     * @param from first host element of the copy
     * @param length elements copied
     * @param buffer the device buffer
     * @param byteOffset byte offset of the copy in the buffer
     * @param elementBytes bytes per element: 4 for float and int, 8 for double
     * @throws IllegalArgumentException when the host range or the device range is outside its array or buffer
     */
    static void checkRange(int hostLength, int from, int length, DeviceBuffer buffer, long byteOffset, int elementBytes) {
        if (from < 0 || length < 0 || from > hostLength - length) {
            throw new IllegalArgumentException("host range [" + from + ", " + from + "+" + length
                    + ") is outside an array of length " + hostLength);
        }
        if (byteOffset < 0 || byteOffset > buffer.bytes() - (long) length * elementBytes) {
            throw new IllegalArgumentException("device range of " + ((long) length * elementBytes) + " bytes at offset "
                    + byteOffset + " is outside a buffer of " + buffer.bytes() + " bytes");
        }
    }
}
