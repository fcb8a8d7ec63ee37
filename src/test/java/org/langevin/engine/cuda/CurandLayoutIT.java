package org.langevin.engine.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.langevin.engine.device.DeviceBuffer;
import org.langevin.engine.device.NoiseMode;

/**
 * cuRAND keeps the promises {@link CurandLayout} relies on: after curandSetGeneratorOffset(o),
 * curandGenerateNormal's normals are elements o, o+1, ... of the one sequence a single call from
 * offset 0 makes (with even o and even counts), so a launch's buffer filled piecewise, odd run
 * boundaries picked from their pairs, holds exactly the normals at the layout's positions.
 */
class CurandLayoutIT {
    @Test
    void piecewiseFillsAtLayoutOffsetsEqualOneLongCall() {
        GpuTests.requireGpu("cuRAND offsets");
        long seed = 0x5eed_1234_abcdL;
        int particles = 4099; // odd: runs start and end at odd positions
        int q = 2;
        int steps = 6;
        int total = particles * q * steps; // even
        try (GpuEngine e = GpuEngine.open(0, NoiseMode.BUFFER, 0)) {
            CudaLauncher l = e.cudaLauncher();
            float[] reference = new float[total];
            try (DeviceBuffer ref = l.allocate(4L * total); CurandNoise one = new CurandNoise(l, seed, total)) {
                // a run of `total` particles with one normal per step: step 0 is one call from offset 0
                one.fill(ref, 0, total, 0, 1, 1);
                l.copyToHost(ref, 0, reference, 0, total);
            }
            CurandLayout layout = new CurandLayout(particles, q);
            int[][] launches = {{0, particles, 0, steps}, {1, 4097, 2, 3}, {4096, 3, 1, 5}, {7, 1, 5, 1}};
            for (int[] a : launches) {
                int first = a[0];
                int count = a[1];
                int firstStep = a[2];
                int n = a[3];
                float[] got = new float[count * n * q];
                try (DeviceBuffer buf = l.allocate(4L * got.length); CurandNoise noise = new CurandNoise(l, seed, particles)) {
                    noise.fill(buf, first, count, firstStep, n, q);
                    l.copyToHost(buf, 0, got, 0, got.length);
                }
                for (int s = 0; s < n; s++) {
                    for (int j = 0; j < q; j++) {
                        for (int i = 0; i < count; i++) {
                            long at = layout.position(firstStep + s, j, first + i);
                            assertEquals(Float.floatToRawIntBits(reference[(int) at]),
                                    Float.floatToRawIntBits(got[(s * q + j) * count + i]),
                                    "normal " + j + " of step " + (firstStep + s) + " of particle " + (first + i));
                        }
                    }
                }
            }
        }
    }
}
