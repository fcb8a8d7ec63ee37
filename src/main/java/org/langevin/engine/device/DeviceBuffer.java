package org.langevin.engine.device;

/**
 * A block of device memory allocated by a {@link DeviceLauncher}. Closing it frees the memory; a
 * closed buffer must not be used again. Closing twice is harmless. Not thread-safe.
 */
public interface DeviceBuffer extends AutoCloseable {
    /** @return the size in bytes, as allocated */
    long bytes();

    /** Frees the memory. */
    @Override
    void close();
}
