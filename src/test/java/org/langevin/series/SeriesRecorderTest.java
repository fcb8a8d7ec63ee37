package org.langevin.series;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.langevin.cli.SpecOptions;
import org.langevin.engine.Checkpoint;
import org.langevin.engine.CompiledProblem;
import org.langevin.engine.Engine;
import org.langevin.engine.InitialStates;
import org.langevin.engine.ParticleState;
import org.langevin.engine.ProblemCompiler;
import org.langevin.engine.Sampler;
import org.langevin.engine.cpu.CpuEngine;
import org.langevin.engine.device.NoiseMode;
import org.langevin.engine.emulated.EmulatedEngine;
import org.langevin.model.RunSpec;
import picocli.CommandLine;

/**
 * The recorder under the sampler: a run stopped between segments and resumed from its checkpoint (with
 * records taken after the last checkpoint dropped and taken again) and a run on the emulated device split
 * into chunks give the series of one uninterrupted CPU run, byte for byte. No statistics are tested here.
 */
class SeriesRecorderTest {
    @TempDir
    Path tmp;

    static final String[] ARGS = {"--dynamics", "sgd", "--loss", "linreg", "--synthetic", "n=50,d=2,noise=0.3,seed=4",
        "--lr", "0.05", "--lr-schedule", "step:0.5@30,60", "--particles", "10000", "--steps", "90", "--seed", "8",
        "--init", "normal:1,0.5", "--record", "every:4", "--trace", "3"};

    static SpecOptions options() {
        SpecOptions o = new SpecOptions();
        new CommandLine(o).parseArgs(ARGS);
        return o;
    }

    private List<SeriesPoint> run(Engine engine, ParticleState state, RunSpec spec, Recording rec, List<SeriesPoint> taken,
                                  Sampler.Options opts) {
        CompiledProblem problem = ProblemCompiler.compile(spec);
        SeriesRecorder r = new SeriesRecorder(spec, rec, taken, 1);
        Sampler.run(problem, engine, state, spec.steps(), opts.withRecorder(r));
        return r.points();
    }

    @Test
    void stoppedAndResumedAndChunkedRunsGiveTheSameSeries() throws Exception {
        SpecOptions o = options();
        RunSpec spec = o.toSpec();
        Recording rec = o.recording(spec);
        List<SeriesPoint> ref;
        try (CpuEngine cpu = new CpuEngine(2)) {
            ref = run(cpu, InitialStates.create(spec), spec, rec, List.of(), Sampler.Options.none());
        }
        assertEquals(23, ref.size(), "steps 0, 4, ..., 88");
        Path refDir = Files.createDirectories(tmp.resolve("ref"));
        SeriesOutputs.write(refDir, spec, rec, ref);
        byte[] want = Files.readAllBytes(refDir.resolve("series.csv"));

        // Stopped after a few segments, with a checkpoint after every segment.
        Path ck = Files.createDirectories(tmp.resolve("ck"));
        AtomicInteger segments = new AtomicInteger();
        ParticleState s = InitialStates.create(spec);
        Sampler.Options stopping = new Sampler.Options(ck, 0, (k, n, e) -> segments.incrementAndGet(),
                () -> segments.get() >= 9);
        try (CpuEngine cpu = new CpuEngine(1)) {
            run(cpu, s, spec, rec, List.of(), stopping);
        }
        ParticleState back = Checkpoint.load(ck);
        assertTrue(back.stepsDone() > 0 && back.stepsDone() < spec.steps(), "stopped at " + back.stepsDone());
        List<SeriesPoint> kept = SeriesRecorder.load(ck, rec, back.stepsDone());
        assertFalse(kept.isEmpty());
        // Pretend the last saved state is older than the records: those after it are dropped and taken again.
        List<SeriesPoint> older = SeriesRecorder.load(ck, rec, kept.get(kept.size() - 1).step());
        assertEquals(kept.size(), older.size());
        List<SeriesPoint> all;
        try (CpuEngine cpu = new CpuEngine(2)) {
            all = run(cpu, back, spec, rec, kept, Sampler.Options.none());
        }
        Path resumed = Files.createDirectories(tmp.resolve("resumed"));
        SeriesOutputs.write(resumed, spec, rec, all);
        assertArrayEquals(want, Files.readAllBytes(resumed.resolve("series.csv")), "stopped and resumed");
        assertArrayEquals(Files.readAllBytes(refDir.resolve("trace.npy")), Files.readAllBytes(resumed.resolve("trace.npy")));

        // The emulated device with room for one chunk of 4096 particles (2 floats each) and the parameters: 3 chunks.
        try (EmulatedEngine emu = new EmulatedEngine(NoiseMode.FUSED, 4096 * 8 + 8192)) {
            ParticleState e = InitialStates.create(spec);
            assertTrue(emu.plan(ProblemCompiler.compile(spec), e).chunks() > 1, "several chunks");
            List<SeriesPoint> chunked = run(emu, e, spec, rec, List.of(), Sampler.Options.none());
            Path cd = Files.createDirectories(tmp.resolve("chunked"));
            SeriesOutputs.write(cd, spec, rec, chunked);
            assertArrayEquals(want, Files.readAllBytes(cd.resolve("series.csv")), "emulated in chunks");
        }
    }
}
