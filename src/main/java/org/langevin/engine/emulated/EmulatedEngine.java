package org.langevin.engine.emulated;

import org.langevin.engine.device.DeviceEngine;
import org.langevin.engine.device.NoiseMode;

/**
 * The emulated device backend ({@code --backend emulated}): the GPU engine's Java code path
 * ({@link DeviceEngine}) over the kernels compiled for the host ({@link EmulatedLauncher}). Produces
 * the same bits as the GPU and the CPU engine, slowly: it exists to run the device code path where
 * there is no GPU. Thread-safety as {@link DeviceEngine}.
 */
public final class EmulatedEngine extends DeviceEngine {
    /** Backend name on the command line. */
    public static final String NAME = "emulated";

    /**
     * @param noiseMode fused, or buffer (the buffer is filled with the kernels' own Philox normals)
     * @param memoryBudget bytes a session may use; 0 for the default (a fraction of half the free memory)
     * @throws IllegalStateException when the emulator library cannot be loaded or compiled
     */
    public EmulatedEngine(NoiseMode noiseMode, long memoryBudget) {
        super(NAME, new EmulatedLauncher(), noiseMode, memoryBudget);
    }

    /** Fused noise, automatic memory budget. */
    public EmulatedEngine() {
        this(NoiseMode.FUSED, 0);
    }

    /** @return buffers the device still holds (0 after every session closed) */
    public int liveBuffers() {
        return ((EmulatedLauncher) launcher()).liveBuffers();
    }
}
