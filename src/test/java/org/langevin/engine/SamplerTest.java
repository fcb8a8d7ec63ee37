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
}
