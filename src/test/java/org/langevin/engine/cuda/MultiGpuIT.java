package org.langevin.engine.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.langevin.engine.Engine;
import org.langevin.engine.ParticleState;
import org.langevin.engine.device.ChunkPlan;
import org.langevin.engine.device.DeviceCases;
import org.langevin.engine.device.DeviceProblems;
import org.langevin.engine.device.NoiseMode;
import org.langevin.model.Dynamics;
import org.langevin.model.LossKind;
import org.langevin.model.RunSpec;

/**
 * Several GPUs as one engine give the bytes of one GPU: every dynamics on three devices (the stand-in
 * driver has three in {@code mvn verify}; a real machine needs at least two, else the test skips), on a
 * chosen pair, resumed across sessions, and with cuRAND noise.
 */
class MultiGpuIT {
    /** Three blocks and a part: every device gets particles, the last range is not whole blocks. */
    private static final int P = 3 * ChunkPlan.QUANTUM + 123;

    private static int devices() {
        GpuTests.requireGpu("multi-GPU");
        int n = CudaContext.deviceCount();
        if (GpuTests.standin()) {
            assertEquals(3, n, "the stand-in is configured with 3 devices (LV_STANDIN_DEVICES in pom.xml)");
        }
        assumeTrue(n >= 2, "multi-GPU tests need two GPUs, this machine has " + n);
        return n;
    }

    @Test
    void splitGivesWholeBlocksInDeviceOrder() {
        assertArrayEquals(new int[] {0, 2 * ChunkPlan.QUANTUM, 3 * ChunkPlan.QUANTUM + 5}, MultiGpuEngine.split(3 * ChunkPlan.QUANTUM + 5, 2));
        assertArrayEquals(new int[] {0, 10, 10, 10}, MultiGpuEngine.split(10, 3));
        assertArrayEquals(new int[] {0, 4096, 8192, 12288}, MultiGpuEngine.split(12288, 3));
    }

    @Test
    void everyDynamicsOnAllDevicesGivesTheBytesOfOne() {
        devices();
        try (Engine all = GpuEngine.openDevices(null, NoiseMode.FUSED, 0); GpuEngine one = GpuEngine.open(0, NoiseMode.FUSED, 0)) {
            assertInstanceOf(MultiGpuEngine.class, all);
            for (DeviceCases.Case c : DeviceCases.all()) {
                RunSpec s = c.spec().toBuilder().particles(P).steps(30).burnIn(10).build();
                ParticleState a = DeviceProblems.run(one, s, 30, 7);
                ParticleState b = DeviceProblems.run(all, s, 30, 7);
                assertNull(DeviceProblems.firstDifference(a, b), c.name());
            }
        }
    }

    @Test
    void chosenDevicesAndCurandNoiseGiveTheBytesOfOne() {
        int n = devices();
        int[] pair = {0, n - 1};
        RunSpec s = DeviceCases.base(Dynamics.LANGEVIN, LossKind.DOUBLE_WELL, 2).particles(P).steps(40).average(true).burnIn(5)
                .build();
        for (NoiseMode mode : NoiseMode.values()) {
            try (Engine two = GpuEngine.openDevices(pair, mode, 0); GpuEngine one = GpuEngine.open(0, mode, 0)) {
                assertEquals(List.of(0, n - 1), ((MultiGpuEngine) two).devices().stream().map(CudaDevice::index).toList());
                assertNull(DeviceProblems.firstDifference(DeviceProblems.run(one, s, 40), DeviceProblems.run(two, s, 40, 13)),
                        mode.toString());
            }
        }
        assertThrows(IllegalArgumentException.class, () -> GpuEngine.openDevices(new int[] {0, 0}, NoiseMode.FUSED, 0));
        assertThrows(IllegalArgumentException.class, () -> GpuEngine.openDevices(new int[] {0, n}, NoiseMode.FUSED, 0));
    }
}
