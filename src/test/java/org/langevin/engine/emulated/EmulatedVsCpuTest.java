package org.langevin.engine.emulated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.langevin.engine.ParticleState;
import org.langevin.engine.cpu.CpuEngine;
import org.langevin.engine.device.DeviceCases;
import org.langevin.engine.device.DeviceProblems;
import org.langevin.engine.device.NoiseMode;
import org.langevin.model.Dynamics;

/**
 * The emulated device (the .cu kernels compiled for the host, driven by DeviceEngine) and the Java
 * CPU engine produce the same bytes — final coordinates and window sums — for every combination the
 * kernel contract allows (docs/architecture.md: one piece of mathematics, three executors).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmulatedVsCpuTest {
    private EmulatedEngine emulated;
    private CpuEngine cpu;

    @BeforeAll
    void open() {
        emulated = new EmulatedEngine(NoiseMode.FUSED, 0);
        cpu = new CpuEngine(2);
    }

    @AfterAll
    void close() {
        emulated.close();
        cpu.close();
    }

    static List<DeviceCases.Case> cases() {
        return DeviceCases.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sameBytesAsCpu(DeviceCases.Case c) {
        // The CPU engine is advanced in one call, the emulated device in three (a resumed run).
        ParticleState onCpu = DeviceProblems.run(cpu, c.spec(), DeviceCases.STEPS);
        ParticleState onEmu = DeviceProblems.run(emulated, c.spec(), DeviceCases.STEPS, 1, 97);
        assertNull(DeviceProblems.firstDifference(onCpu, onEmu), c.name());
        int moved = DeviceProblems.movedFinite(c.spec(), onEmu);
        assertTrue(moved > 0, c.name() + ": the run left every particle where it started or produced a non-finite value");
        if (c.spec().dynamics() != Dynamics.GRADIENT_FLOW) {
            // Stochastic dynamics: practically every coordinate moves.
            assertTrue(moved > 0.99 * c.spec().particles() * c.spec().dim(), c.name() + ": only " + moved + " moved");
        }
        if (c.spec().average()) {
            double s = 0;
            for (double v : onEmu.avg()[0]) {
                s += Math.abs(v);
            }
            assertTrue(s > 0, c.name() + ": window sums stayed zero");
        }
        assertEquals(0, emulated.liveBuffers(), "device buffers left after the session closed");
    }
}
