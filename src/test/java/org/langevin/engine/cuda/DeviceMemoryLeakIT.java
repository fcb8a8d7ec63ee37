package org.langevin.engine.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.langevin.engine.CompiledProblem;
import org.langevin.engine.EngineSession;
import org.langevin.engine.ParticleState;
import org.langevin.engine.device.DeviceCases;
import org.langevin.engine.device.DeviceProblems;
import org.langevin.engine.device.NoiseMode;
import org.langevin.model.Dynamics;
import org.langevin.model.LossKind;
import org.langevin.model.RunSpec;

/**
 * 1,000 session open/close cycles leave the device's free memory (cuMemGetInfo) where it was. Each
 * session allocates about 1.8 MB (65,536 particles, d = 1, window sums), so a single leaked session
 * would exceed the 1 MiB allowed for the driver's page-granular accounting. Likewise 200 engines
 * opened, used and closed (a context, a module and buffers each) while another engine stays open.
 */
class DeviceMemoryLeakIT {
    @Test
    void openCloseCyclesDoNotLeakDeviceMemory() {
        GpuTests.requireGpu("device-memory leak over 1,000 sessions");
        RunSpec s = DeviceCases.base(Dynamics.LANGEVIN, LossKind.DOUBLE_WELL, 1).particles(1 << 16).steps(2).average(true)
                .build();
        CompiledProblem cp = DeviceProblems.compile(s);
        for (NoiseMode mode : NoiseMode.values()) {
            try (GpuEngine gpu = GpuEngine.open(0, mode, 0)) {
                ParticleState st = DeviceProblems.state(s);
                // Warm-up: the first session may trigger one-time driver allocations.
                try (EngineSession session = gpu.open(cp, st)) {
                    session.advance(0, 1);
                }
                long before = gpu.memoryInfo()[0];
                for (int i = 0; i < 1000; i++) {
                    try (EngineSession session = gpu.open(cp, st)) {
                        if (i % 100 == 0) {
                            session.advance(0, 1);
                            session.download();
                        }
                    }
                }
                long after = gpu.memoryInfo()[0];
                assertTrue(before - after <= (1L << 20), mode + ": free device memory fell by " + (before - after)
                        + " bytes over 1,000 sessions");
            }
        }
    }

    @Test
    void openCloseCyclesOfEnginesDoNotLeakDeviceMemory() {
        GpuTests.requireGpu("device-memory leak over 200 engines");
        RunSpec s = DeviceCases.base(Dynamics.LANGEVIN, LossKind.DOUBLE_WELL, 2).particles(1 << 14).steps(2).average(true)
                .build();
        CompiledProblem cp = DeviceProblems.compile(s);
        try (GpuEngine watcher = GpuEngine.open(0, NoiseMode.FUSED, 0)) {
            long before = watcher.memoryInfo()[0];
            for (int i = 0; i < 200; i++) {
                NoiseMode mode = i % 2 == 0 ? NoiseMode.FUSED : NoiseMode.BUFFER;
                try (GpuEngine gpu = GpuEngine.open(0, mode, 0); EngineSession session = gpu.open(cp, DeviceProblems.state(s))) {
                    session.advance(0, 2);
                    session.download();
                }
            }
            long after = watcher.memoryInfo()[0];
            assertTrue(before - after <= (1L << 20), "free device memory fell by " + (before - after) + " bytes over 200 engines");
        }
    }
}
