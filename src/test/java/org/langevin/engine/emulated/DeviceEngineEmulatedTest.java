package org.langevin.engine.emulated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.langevin.engine.CompiledProblem;
import org.langevin.engine.EngineSession;
import org.langevin.engine.ParticleState;
import org.langevin.engine.device.ChunkPlan;
import org.langevin.engine.device.DeviceCases;
import org.langevin.engine.device.DeviceProblems;
import org.langevin.engine.device.NoiseMode;
import org.langevin.model.Dynamics;
import org.langevin.model.LearningRateSchedule;
import org.langevin.model.LossKind;
import org.langevin.model.RunSpec;
import org.langevin.model.SdeNoise;

/**
 * DeviceEngine's host-side logic on the emulated device: chunking and noise-buffer modes do not
 * change a bit; sessions validate their use and free what they allocate.
 */
class DeviceEngineEmulatedTest {
    /** Bytes per particle of a d = 2 run with window sums: 2 floats + 5 doubles. */
    private static final long PER_PARTICLE_D2_AVG = 2 * 4 + 5 * 8;

    private static RunSpec langevinD2(int particles, long steps) {
        return DeviceCases.base(Dynamics.LANGEVIN, LossKind.QUADRATIC, 2).quadratic(DeviceCases.quadraticA(2),
                DeviceCases.center(2)).particles(particles).steps(steps).average(true).burnIn(10).build();
    }

    @Test
    void chunkedRunGivesTheSameBytesAsOneChunk() {
        RunSpec s = langevinD2(3 * ChunkPlan.QUANTUM + 1234, 60);
        CompiledProblem cp = DeviceProblems.compile(s);
        // Room for one chunk of 4096 particles (plus the parameters) but not two: 4 chunks.
        long budget = 4096 * PER_PARTICLE_D2_AVG + 4096;
        try (EmulatedEngine whole = new EmulatedEngine(NoiseMode.FUSED, 0);
             EmulatedEngine chunked = new EmulatedEngine(NoiseMode.FUSED, budget)) {
            ChunkPlan p = chunked.plan(cp, DeviceProblems.state(s));
            assertEquals(4, p.chunks());
            assertEquals(ChunkPlan.QUANTUM, p.chunkParticles());
            assertEquals(1, whole.plan(cp, DeviceProblems.state(s)).chunks());
            ParticleState a = DeviceProblems.run(whole, s, 60);
            ParticleState b = DeviceProblems.run(chunked, s, 60, 7, 33);
            assertNull(DeviceProblems.firstDifference(a, b));
            assertEquals(0, chunked.liveBuffers());
        }
    }

    @Test
    void chunkedSessionUpdatesTheHostStateAfterEveryAdvance() {
        RunSpec s = langevinD2(2 * ChunkPlan.QUANTUM, 20);
        ParticleState st = DeviceProblems.state(s);
        float before = st.x()[1][2 * ChunkPlan.QUANTUM - 1];
        try (EmulatedEngine e = new EmulatedEngine(NoiseMode.FUSED, 4096 * PER_PARTICLE_D2_AVG + 4096);
             EngineSession session = e.open(DeviceProblems.compile(s), st)) {
            session.advance(0, 5);
            // The last particle of the second chunk moved without download().
            assertTrue(st.x()[1][2 * ChunkPlan.QUANTUM - 1] != before);
        }
    }

    @Test
    void aSliceOfARunDrawsItsGlobalParticlesRandomNumbers() {
        RunSpec s = langevinD2(3 * ChunkPlan.QUANTUM + 100, 30);
        int offset = ChunkPlan.QUANTUM;
        int n = s.particlesInOneJvm() - offset;
        ParticleState whole = DeviceProblems.state(s);
        ParticleState slice = new ParticleState(2, n, true, offset);
        for (int j = 0; j < 2; j++) {
            System.arraycopy(whole.x()[j], offset, slice.x()[j], 0, n);
        }
        CompiledProblem cp = DeviceProblems.compile(s);
        // The slice is chunked (2 chunks), the whole run is not.
        try (EmulatedEngine e = new EmulatedEngine(NoiseMode.BUFFER, 0);
             EmulatedEngine small = new EmulatedEngine(NoiseMode.FUSED, 4096 * PER_PARTICLE_D2_AVG + 4096)) {
            try (EngineSession a = e.open(cp, whole); EngineSession b = small.open(cp, slice)) {
                a.advance(0, 30);
                a.download();
                b.advance(0, 30);
                b.download();
            }
        }
        for (int j = 0; j < 2; j++) {
            for (int i = 0; i < n; i++) {
                assertEquals(Float.floatToRawIntBits(whole.x()[j][offset + i]), Float.floatToRawIntBits(slice.x()[j][i]),
                        "x[" + j + "][" + i + "] of the slice");
            }
        }
        for (int r = 0; r < 5; r++) {
            for (int i = 0; i < n; i++) {
                assertEquals(whole.avg()[r][offset + i], slice.avg()[r][i], 0.0, "avg[" + r + "][" + i + "] of the slice");
            }
        }
    }

    @Test
    void bufferModeWithPhiloxNormalsEqualsFusedMode() {
        // Steps > MAX_BUFFER_STEPS so that buffer mode splits launches, and a schedule boundary.
        long steps = 2L * ChunkPlan.MAX_BUFFER_STEPS + 9;
        RunSpec[] specs = {
            DeviceCases.base(Dynamics.BROWNIAN, LossKind.NONE, 3).steps(steps).average(true).build(),
            langevinD2(DeviceCases.P, steps),
            DeviceCases.base(Dynamics.SGD_SDE, LossKind.LINREG, 3).data(DeviceCases.regression(3)).steps(steps)
                    .schedule(new LearningRateSchedule(0.05, 0.5, new long[] {41})).sdeNoise(SdeNoise.STATE).build(),
            // No normals (q = 0): buffer mode must not allocate or fill a buffer.
            DeviceCases.base(Dynamics.SGD, LossKind.LINREG, 1).data(DeviceCases.regression(1)).lr(0.05).batch(2)
                    .steps(steps).build(),
        };
        try (EmulatedEngine fused = new EmulatedEngine(NoiseMode.FUSED, 0);
             EmulatedEngine buffer = new EmulatedEngine(NoiseMode.BUFFER, 0)) {
            for (RunSpec s : specs) {
                ParticleState a = DeviceProblems.run(fused, s, steps);
                ParticleState b = DeviceProblems.run(buffer, s, steps, 5);
                assertNull(DeviceProblems.firstDifference(a, b), s.dynamics() + " d" + s.dim());
                assertTrue(DeviceProblems.movedFinite(s, b) > 0);
            }
            // Buffer mode and chunking together.
            RunSpec s = langevinD2(2 * ChunkPlan.QUANTUM + 10, 40);
            long budget = 4096 * (PER_PARTICLE_D2_AVG + 4L * 2 * ChunkPlan.MAX_BUFFER_STEPS) + 8192;
            try (EmulatedEngine small = new EmulatedEngine(NoiseMode.BUFFER, budget)) {
                assertEquals(3, small.plan(DeviceProblems.compile(s), DeviceProblems.state(s)).chunks());
                assertNull(DeviceProblems.firstDifference(DeviceProblems.run(fused, s, 40), DeviceProblems.run(small, s, 40)));
            }
        }
    }

    @Test
    void sessionValidatesItsUseAndFreesItsBuffers() {
        RunSpec s = langevinD2(100, 20);
        CompiledProblem cp = DeviceProblems.compile(s);
        try (EmulatedEngine e = new EmulatedEngine()) {
            ParticleState st = DeviceProblems.state(s);
            EngineSession session = e.open(cp, st);
            assertTrue(e.liveBuffers() > 0);
            IllegalStateException twice = assertThrows(IllegalStateException.class, () -> e.open(cp, st));
            assertTrue(twice.getMessage().contains("already open"), twice.getMessage());
            IllegalArgumentException gap = assertThrows(IllegalArgumentException.class, () -> session.advance(3, 5));
            assertTrue(gap.getMessage().contains("advance from 0"), gap.getMessage());
            assertThrows(IllegalArgumentException.class, () -> session.advance(0, -1));
            session.advance(0, 4);
            session.close();
            session.close();
            assertEquals(0, e.liveBuffers());
            assertThrows(IllegalStateException.class, () -> session.advance(4, 5));
            // Not downloaded: the host state is untouched.
            assertNull(DeviceProblems.firstDifference(DeviceProblems.state(s), st));
            // A new session may open after the first closed.
            try (EngineSession again = e.open(cp, st)) {
                assertNotNull(again);
            }
        }
    }

    @Test
    void rejectsAStateThatDoesNotMatchTheProblem() {
        RunSpec s = langevinD2(100, 20);
        CompiledProblem cp = DeviceProblems.compile(s);
        try (EmulatedEngine e = new EmulatedEngine()) {
            IllegalArgumentException dim = assertThrows(IllegalArgumentException.class,
                    () -> e.open(cp, new ParticleState(3, 100, true)));
            assertTrue(dim.getMessage().contains("dimension"), dim.getMessage());
            IllegalArgumentException avg = assertThrows(IllegalArgumentException.class,
                    () -> e.open(cp, new ParticleState(2, 100, false)));
            assertTrue(avg.getMessage().contains("withAverages"), avg.getMessage());
            IllegalArgumentException tiny = assertThrows(IllegalArgumentException.class,
                    () -> new EmulatedEngine(NoiseMode.FUSED, 1000).plan(cp, DeviceProblems.state(s)));
            assertTrue(tiny.getMessage().contains("cannot hold one chunk"), tiny.getMessage());
            assertEquals(0, e.liveBuffers());
        }
    }
}
