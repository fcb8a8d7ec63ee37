package org.langevin.engine.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.langevin.engine.CompiledProblem;
import org.langevin.engine.ParticleState;
import org.langevin.engine.cpu.CpuEngine;
import org.langevin.engine.device.ChunkPlan;
import org.langevin.engine.device.DeviceCases;
import org.langevin.engine.device.DeviceProblems;
import org.langevin.engine.device.NoiseMode;
import org.langevin.model.Dynamics;
import org.langevin.model.LossKind;
import org.langevin.model.RunSpec;

/** On a real GPU: the PTX kernels produce the CPU engine's bytes, also when the run is chunked. */
class GpuVsCpuIT {
    static List<DeviceCases.Case> cases() {
        return DeviceCases.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sameBytesAsCpu(DeviceCases.Case c) {
        GpuTests.requireGpu("GPU vs CPU bytes: " + c.name());
        try (GpuEngine gpu = GpuEngine.open(0, NoiseMode.FUSED, 0); CpuEngine cpu = new CpuEngine(2)) {
            ParticleState a = DeviceProblems.run(cpu, c.spec(), DeviceCases.STEPS);
            ParticleState b = DeviceProblems.run(gpu, c.spec(), DeviceCases.STEPS, 1, 97);
            assertNull(DeviceProblems.firstDifference(a, b), c.name());
            assertTrue(DeviceProblems.movedFinite(c.spec(), b) > 0, c.name());
        }
    }

    @Test
    void runLargerThanTheBudgetIsChunkedCorrectly() {
        GpuTests.requireGpu("chunked GPU run");
        RunSpec s = DeviceCases.base(Dynamics.LANGEVIN, LossKind.DOUBLE_WELL, 3).particles(5 * ChunkPlan.QUANTUM + 321)
                .steps(150).average(true).burnIn(20).build();
        CompiledProblem cp = DeviceProblems.compile(s);
        // d = 3 with window sums: 12 + 56 bytes a particle; room for 2 quanta, not 3: two slots of one quantum
        // (copies overlapping compute), 6 chunks, the last of 321 particles.
        long budget = 2L * ChunkPlan.QUANTUM * 68 + ChunkPlan.QUANTUM;
        try (GpuEngine gpu = GpuEngine.open(0, NoiseMode.FUSED, budget); CpuEngine cpu = new CpuEngine(2)) {
            ChunkPlan plan = gpu.plan(cp, DeviceProblems.state(s));
            assertEquals(6, plan.chunks());
            assertEquals(2, plan.slots());
            assertEquals(ChunkPlan.QUANTUM, plan.chunkParticles());
            assertNull(DeviceProblems.firstDifference(DeviceProblems.run(cpu, s, 150),
                    DeviceProblems.run(gpu, s, 150, 64)));
        }
    }
}
