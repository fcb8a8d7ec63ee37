package org.langevin.engine.emulated;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.langevin.engine.CompiledProblem;
import org.langevin.engine.EngineSession;
import org.langevin.engine.InitialStates;
import org.langevin.engine.ParticleState;
import org.langevin.engine.ProblemCompiler;
import org.langevin.engine.Sampler;
import org.langevin.engine.cpu.CpuEngine;
import org.langevin.engine.device.ModelDeviceSession;
import org.langevin.engine.device.NoiseMode;
import org.langevin.model.Dynamics;
import org.langevin.model.RunSpec;
import org.langevin.model.RunSpecBuilder;
import org.langevin.model.UserModel;

/**
 * The device session of a user model ({@link ModelDeviceSession}, the code the GPU runs too) on the
 * emulated device: the same bits as the CPU engine across segments, its memory budget enforced up front
 * with the bytes it needs, one session at a time, and every buffer freed on close.
 */
class ModelDeviceSessionTest {
    private static RunSpec spec(int particles) {
        return new RunSpecBuilder().dynamics(Dynamics.LANGEVIN).model(UserModel.load(Path.of("double-well"), null))
                .dt(0.01).sigma(1.0).particles(particles).steps(40).seed(42).build();
    }

    @Test
    void sameBitsAsTheCpuEngineOverUnevenSegments() {
        RunSpec spec = spec(1000);
        CompiledProblem problem = ProblemCompiler.compile(spec);
        ParticleState cpu = InitialStates.create(spec);
        Sampler.run(problem, new CpuEngine(2), cpu, 40, Sampler.Options.none());
        ParticleState emu = InitialStates.create(spec);
        try (EmulatedEngine engine = new EmulatedEngine()) {
            try (EngineSession s = engine.open(problem, emu)) {
                s.advance(0, 3);
                s.advance(3, 17);
                s.advance(17, 40);
                s.download();
            }
            assertEquals(0, engine.liveBuffers(), "buffers left after the session closed");
        }
        assertArrayEquals(cpu.x()[0], emu.x()[0]);
    }

    @Test
    void aBudgetTooSmallIsRefusedWithTheBytesNeeded() {
        RunSpec spec = spec(100_000);
        CompiledProblem problem = ProblemCompiler.compile(spec);
        ParticleState state = InitialStates.create(spec);
        try (EmulatedEngine engine = new EmulatedEngine(NoiseMode.FUSED, 64 * 1024)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> engine.open(problem, state));
            assertTrue(e.getMessage().contains("100000 particles of d = 1 need 0.4 MiB"), e.getMessage());
            assertTrue(e.getMessage().contains("budget of 0.1 MiB"), e.getMessage());
            assertEquals(0, engine.liveBuffers());
        }
    }

    @Test
    void oneSessionAtATime() {
        RunSpec spec = spec(100);
        CompiledProblem problem = ProblemCompiler.compile(spec);
        try (EmulatedEngine engine = new EmulatedEngine()) {
            EngineSession first = engine.open(problem, InitialStates.create(spec));
            assertThrows(IllegalStateException.class, () -> engine.open(problem, InitialStates.create(spec)));
            first.close();
            engine.open(problem, InitialStates.create(spec)).close();
            assertEquals(0, engine.liveBuffers());
        }
    }
}
