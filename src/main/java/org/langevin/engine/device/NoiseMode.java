package org.langevin.engine.device;

/** Where a device engine's Gaussian normals come from (kernels/README.md, the {@code noise} argument). */
public enum NoiseMode {
    /** The kernels generate the project's Philox normals themselves ({@code noise = null}). */
    FUSED("fused"),
    /**
     * A launcher-provided {@link NoiseSource} fills a device buffer before every launch: cuRAND's
     * {@code curandGenerateNormal} on the GPU, the project's Philox normals on the emulated device.
     */
    BUFFER("buffer");

    /** Name in descriptions. */
    public final String label;

    NoiseMode(String label) {
        this.label = label;
    }

    @Override
    public String toString() {
        return label;
    }
}
