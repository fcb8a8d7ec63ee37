package org.langevin.engine.device;

import com.sun.jna.Memory;

/**
 * Host memory the device copies from and to asynchronously: page-locked ("pinned") memory on a GPU
 * ({@code cuMemHostAlloc}), native memory on the emulated device. Offsets are in bytes. The contents
 * written by an asynchronous copy to the host are defined only after the copy's queue was
 * synchronised. Not thread-safe; closing frees the memory (closing twice is harmless).
 */
public interface HostStaging extends AutoCloseable {
    /** @return the size in bytes */
    long bytes();

    /**
     * Writes {@code src[from .. from+length)} at byte offset {@code byteOffset}.
     *
     * @param byteOffset byte offset in this staging memory
     * @param src the host array read
     * @param from first element of src
     * @param length elements copied
     * @throws IllegalArgumentException when either range is outside its array or this memory
     */
    void put(long byteOffset, float[] src, int from, int length);

    /**
     * Writes {@code src[from .. from+length)} at byte offset {@code byteOffset}.
     *
     * @param byteOffset byte offset in this staging memory
     * @param src the host array read
     * @param from first element of src
     * @param length elements copied
     * @throws IllegalArgumentException when either range is outside its array or this memory
     */
    void put(long byteOffset, double[] src, int from, int length);

    /**
     * Reads {@code length} floats at byte offset {@code byteOffset} into {@code dst[from ..]}.
     *
     * @param byteOffset byte offset in this staging memory
     * @param dst the host array written
     * @param from first element of dst
     * @param length elements copied
     * @throws IllegalArgumentException when either range is outside its array or this memory
     */
    void get(long byteOffset, float[] dst, int from, int length);

    /**
     * Reads {@code length} doubles at byte offset {@code byteOffset} into {@code dst[from ..]}.
     *
     * @param byteOffset byte offset in this staging memory
     * @param dst the host array written
     * @param from first element of dst
     * @param length elements copied
     * @throws IllegalArgumentException when either range is outside its array or this memory
     */
    void get(long byteOffset, double[] dst, int from, int length);

    /** Frees the memory. */
    @Override
    void close();

    /**
     * Checks a range of staging memory and of a host array; throws IllegalArgumentException.
     *
     * @param staging the staging memory
     * @param byteOffset byte offset in it
     * @param hostLength length of the host array
     * @param from first host element
     * @param length elements
     * @param elementBytes bytes per element
     * @throws IllegalArgumentException when a range is outside its array or memory
     */
    static void checkRange(HostStaging staging, long byteOffset, int hostLength, int from, int length, int elementBytes) {
        if (from < 0 || length < 0 || from > hostLength - length) {
            throw new IllegalArgumentException("host range [" + from + ", " + from + "+" + length
                    + ") is outside an array of length " + hostLength);
        }
        if (byteOffset < 0 || byteOffset > staging.bytes() - (long) length * elementBytes) {
            throw new IllegalArgumentException("staging range of " + ((long) length * elementBytes) + " bytes at offset "
                    + byteOffset + " is outside staging memory of " + staging.bytes() + " bytes");
        }
    }

    /**
     * @param bytes size, ≥ 1
     * @return staging memory in native memory (JNA), the default of {@link DeviceLauncher#allocateStaging}
     */
    static HostStaging nativeMemory(long bytes) {
        if (!(bytes > 0)) {
            throw new IllegalArgumentException("staging size must be > 0 bytes, got " + bytes);
        }
        return new NativeStaging(new Memory(bytes));
    }

    /** Staging memory in JNA native memory. */
    final class NativeStaging implements HostStaging {
        /** The memory, null once freed. */
        private Memory memory;
        /** Its size. */
        private final long bytes;

        NativeStaging(Memory memory) {
            this.memory = memory;
            this.bytes = memory.size();
        }

        @Override
        public long bytes() {
            return bytes;
        }

        private Memory memory() {
            if (memory == null) {
                throw new IllegalStateException("the staging memory is freed");
            }
            return memory;
        }

        @Override
        public void put(long byteOffset, float[] src, int from, int length) {
            HostStaging.checkRange(this, byteOffset, src.length, from, length, 4);
            memory().write(byteOffset, src, from, length);
        }

        @Override
        public void put(long byteOffset, double[] src, int from, int length) {
            HostStaging.checkRange(this, byteOffset, src.length, from, length, 8);
            memory().write(byteOffset, src, from, length);
        }

        @Override
        public void get(long byteOffset, float[] dst, int from, int length) {
            HostStaging.checkRange(this, byteOffset, dst.length, from, length, 4);
            memory().read(byteOffset, dst, from, length);
        }

        @Override
        public void get(long byteOffset, double[] dst, int from, int length) {
            HostStaging.checkRange(this, byteOffset, dst.length, from, length, 8);
            memory().read(byteOffset, dst, from, length);
        }

        @Override
        public void close() {
            if (memory != null) {
                memory.close();
                memory = null;
            }
        }

        @Override
        public String toString() {
            return "native staging memory of " + bytes + " bytes" + (memory == null ? " (freed)" : "");
        }
    }
}
