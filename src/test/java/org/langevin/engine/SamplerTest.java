package org.langevin.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.langevin.engine.cpu.CpuEngine;
import org.langevin.model.Dynamics;
import org.langevin.model.LearningRateSchedule;
import org.langevin.model.LossKind;
import org.langevin.model.RunSpec;
import org.langevin.model.RunSpecBuilder;
import org.langevin.model.TrainingSets;

/** The sampler driver: stopping, checkpoints and resuming change no bit of the result. */
class SamplerTest {
    @TempDir
    Path tmp;

    static RunSpec spec(long steps) {
        return new RunSpecBuilder().dynamics(Dynamics.SGD).loss(LossKind.LINREG).dim(2)
                .data(TrainingSets.synthetic(40, 2, 0.5, 4, false))
                .schedule(LearningRateSchedule.parse("step:0.5@7,19", 0.1)).particles(5000).steps(steps)
                .average(true).burnIn(5).seed(21).build();
    }

    static ParticleState runWhole(RunSpec s) {
        ParticleState st = InitialStates.create(s);
        try (CpuEngine e = new CpuEngine(2)) {
            Sampler.run(ProblemCompiler.compile(s), e, st, s.steps(), Sampler.Options.none());
        }
        return st;
    }

    @Test
    void stoppedAndResumedRunEqualsUninterruptedRun() throws Exception {
        RunSpec s = spec(40);
        ParticleState whole = runWhole(s);
        ParticleState st = InitialStates.create(s);
        AtomicInteger polls = new AtomicInteger();
        Path ck = tmp.resolve("ck");
        try (CpuEngine e = new CpuEngine(1)) {
            // Stop at the third poll: after two segments.
            Sampler.Outcome o = Sampler.run(ProblemCompiler.compile(s), e, st, s.steps(),
                    new Sampler.Options(ck, 0, null, () -> polls.incrementAndGet() > 2));
            assertFalse(o.completed());
            assertTrue(st.stepsDone() > 0 && st.stepsDone() < 40, "stopped mid-run at " + st.stepsDone());
        }
        ParticleState loaded = Checkpoint.load(ck);
        assertEquals(st.stepsDone(), loaded.stepsDone());
        try (CpuEngine e = new CpuEngine(2)) {
            Sampler.Outcome o = Sampler.run(ProblemCompiler.compile(s), e, loaded, s.steps(), Sampler.Options.none());
            assertTrue(o.completed());
        }
        for (int j = 0; j < 2; j++) {
            assertArrayEquals(whole.x()[j], loaded.x()[j]);
        }
        for (int r = 0; r < 5; r++) {
            assertArrayEquals(whole.avg()[r], loaded.avg()[r]);
        }
    }

    @Test
    void segmentsNeverSpanALearningRateChange() {
        RunSpec s = spec(30);
        CompiledProblem p = ProblemCompiler.compile(s);
        assertEquals(7, p.nextChangeAfter(0));
        assertEquals(19, p.nextChangeAfter(7));
        assertEquals(Long.MAX_VALUE, p.nextChangeAfter(19));
        assertEquals(0.025f, p.lrAt(25));
        assertThrows(IllegalArgumentException.class, () -> {
            try (CpuEngine e = new CpuEngine(1)) {
                ParticleState st = InitialStates.create(s);
                try (EngineSession session = e.open(p, st)) {
                    session.advance(0, 10);
                }
            }
        });
    }

    @Test
    void checkpointRoundTripIsExact() throws Exception {
        RunSpec s = spec(12);
        ParticleState st = runWhole(s);
        Checkpoint.save(tmp, st);
        ParticleState back = Checkpoint.load(tmp);
        assertEquals(12, back.stepsDone());
        assertArrayEquals(st.x()[1], back.x()[1]);
        assertArrayEquals(st.avg()[4], back.avg()[4]);
        assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(tmp.resolve("nowhere")));
    }

    @Test
    void checkpointKeepsTheAuxiliaryRowsAndStillReadsFormatTwo() throws Exception {
        ParticleState st = new ParticleState(2, 5, true, 0L, 3);
        for (int i = 0; i < 5; i++) {
            st.x()[0][i] = i;
            st.x()[1][i] = -i;
            st.avg()[2][i] = 0.25 * i;
            for (int r = 0; r < 3; r++) {
                st.aux()[r][i] = Float.intBitsToFloat(0x3f800001 + 7 * r + i);
            }
        }
        st.setStepsDone(9);
        java.nio.file.Path a = tmp.resolve("aux");
        Checkpoint.save(a, st);
        ParticleState back = Checkpoint.load(a);
        assertEquals(3, back.auxRows());
        for (int r = 0; r < 3; r++) {
            assertArrayEquals(st.aux()[r], back.aux()[r], "aux row " + r);
        }
        assertArrayEquals(st.avg()[2], back.avg()[2]);
        // A format-2 file (no auxiliary count, no rows) of the same state without aux is read as A = 0.
        ParticleState plain = new ParticleState(2, 5, false);
        plain.x()[1][3] = 2.5f;
        plain.setStepsDone(4);
        java.nio.file.Path b = tmp.resolve("v2");
        Checkpoint.save(b, plain);
        byte[] v3 = java.nio.file.Files.readAllBytes(b.resolve(Checkpoint.STATE_FILE));
        int header = 28 + Checkpoint.DIGEST_BYTES;
        byte[] body = new byte[v3.length - 4 - 32];
        System.arraycopy(v3, 0, body, 0, header);
        System.arraycopy(v3, header + 4, body, header, body.length - header);
        body[4] = 2; // the version field, little-endian
        byte[] sum = java.security.MessageDigest.getInstance("SHA-256").digest(body);
        byte[] v2 = java.util.Arrays.copyOf(body, body.length + 32);
        System.arraycopy(sum, 0, v2, body.length, 32);
        java.nio.file.Files.write(b.resolve(Checkpoint.STATE_FILE), v2);
        ParticleState old = Checkpoint.load(b);
        assertEquals(0, old.auxRows());
        assertEquals(4, old.stepsDone());
        assertArrayEquals(plain.x()[1], old.x()[1]);
        // A damaged auxiliary row fails the checksum.
        byte[] bad = java.nio.file.Files.readAllBytes(a.resolve(Checkpoint.STATE_FILE));
        bad[bad.length - 33] ^= 1;
        java.nio.file.Files.write(a.resolve(Checkpoint.STATE_FILE), bad);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(a)).getMessage().contains("checksum"));
    }

    /**
     * Segments (and bench repetitions) take about their target, but at least 32 steps where those fit in four
     * targets: the short segments of a huge ensemble are bound by memory.
     */
    @Test
    void segmentsReachThirtyTwoStepsWithinFourTargets() {
        assertEquals(250, Sampler.segmentSteps(0.001, 0.25), "fast steps: the target's");
        assertEquals(32, Sampler.segmentSteps(0.025, 0.25), "10 steps a target: 32 steps fit in four");
        assertEquals(20, Sampler.segmentSteps(0.05, 0.25), "5 steps a target: four targets' 20");
        assertEquals(1, Sampler.segmentSteps(10.0, 0.25), "a step longer than the target: one");
        assertEquals(Sampler.MIN_SEGMENT_STEPS, Sampler.segmentSteps(0.25 / Sampler.MIN_SEGMENT_STEPS * 2, 0.25));
    }
}
