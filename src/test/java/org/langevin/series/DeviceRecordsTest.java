package org.langevin.series;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.langevin.cli.SpecOptions;
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
 * Records reduced on the emulated device (one thread per block of particles, only the block records
 * copied back) against records reduced on the host by the CPU engine: series.csv, trace.npy and
 * series_histograms.csv byte for byte, with the recorder's counters showing where each record was reduced
 * (on the device for the polynomial losses and user models, on the host for the logistic loss, chunked runs
 * and {@code -Dlangevin.records=host}).
 */
class DeviceRecordsTest {
    @TempDir
    Path tmp;

    /** The outputs of one run and where its records were reduced. */
    record Out(byte[] csv, byte[] trace, byte[] histograms, int device, int host, List<SeriesPoint> points) {
    }

    static RunSpec spec(String... args) {
        SpecOptions o = new SpecOptions();
        new CommandLine(o).parseArgs(args);
        return o.toSpec();
    }

    static Recording recording(String... args) {
        SpecOptions o = new SpecOptions();
        new CommandLine(o).parseArgs(args);
        return o.recording(o.toSpec());
    }

    Out run(String name, Engine engine, String... args) throws Exception {
        RunSpec spec = spec(args);
        Recording rec = recording(args);
        CompiledProblem problem = ProblemCompiler.compile(spec);
        SeriesRecorder r = new SeriesRecorder(spec, rec, List.of(), 2);
        ParticleState s = InitialStates.create(spec);
        Sampler.run(problem, engine, s, spec.steps(), Sampler.Options.none().withRecorder(r));
        Path dir = Files.createDirectories(tmp.resolve(name));
        SeriesOutputs.write(dir, spec, rec, r.points());
        return new Out(Files.readAllBytes(dir.resolve(SeriesOutputs.CSV)), bytesOrNull(dir.resolve(SeriesOutputs.TRACE)),
                bytesOrNull(dir.resolve(SeriesOutputs.HISTOGRAMS)), r.deviceRecords(), r.hostRecords(), r.points());
    }

    static byte[] serialized(Object o) throws java.io.IOException {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(b)) {
            out.writeObject(o);
        }
        return b.toByteArray();
    }

    static byte[] bytesOrNull(Path p) throws java.io.IOException {
        return Files.exists(p) ? Files.readAllBytes(p) : null;
    }

    /** Runs on the CPU and on the emulated device; asserts the same bytes; returns both. */
    Out[] compare(String name, long emuBudget, String... args) throws Exception {
        Out cpu;
        try (CpuEngine e = new CpuEngine(2)) {
            cpu = run(name + "-cpu", e, args);
        }
        Out emu;
        try (EmulatedEngine e = new EmulatedEngine(NoiseMode.FUSED, emuBudget)) {
            emu = run(name + "-emu", e, args);
        }
        assertArrayEquals(cpu.csv(), emu.csv(), name + ": series.csv");
        assertArrayEquals(cpu.trace(), emu.trace(), name + ": trace.npy");
        assertArrayEquals(cpu.histograms(), emu.histograms(), name + ": series_histograms.csv");
        assertEquals(cpu.points().size(), emu.points().size(), name + ": records");
        for (int i = 0; i < cpu.points().size(); i++) {
            // Every field of the statistics (min and max included, which series.csv does not show).
            assertArrayEquals(serialized(cpu.points().get(i)), serialized(emu.points().get(i)),
                    name + ": record at step " + cpu.points().get(i).step());
        }
        assertEquals(0, cpu.device(), name + ": the CPU engine reduces on the host");
        assertEquals(cpu.points().size(), cpu.host());
        assertTrue(cpu.points().size() > 3, name + ": records");
        return new Out[] {cpu, emu};
    }

    static String[] with(String[] base, String... more) {
        List<String> a = new ArrayList<>(List.of(base));
        a.addAll(List.of(more));
        return a.toArray(new String[0]);
    }

    static void onDevice(Out[] r) {
        assertEquals(r[1].points().size(), r[1].device(), "every record reduced on the device");
        assertEquals(0, r[1].host(), "no record reduced on the host");
    }

    static void onHost(Out[] r) {
        assertEquals(0, r[1].device(), "no record reduced on the device");
        assertEquals(r[1].points().size(), r[1].host(), "every record reduced on the host");
    }

    static final String[] HIST = {"--record-histograms", "--histogram", "40,-3,3"};

    @Test
    void brownianWithHistograms() throws Exception {
        // 10000 particles: two full blocks and a short one.
        onDevice(compare("bm", 0, with(HIST, "--dynamics", "brownian", "--dim", "2", "--sigma", "1.3", "--dt", "0.05",
                "--particles", "10000", "--steps", "60", "--seed", "5", "--record", "every:6", "--trace", "4")));
    }

    @Test
    void quadraticLangevin() throws Exception {
        onDevice(compare("quad", 0, with(HIST, "--dynamics", "langevin", "--loss", "quadratic", "--dim", "2",
                "--quadratic-matrix", "2,0.5;0.5,1", "--quadratic-center", "1,-1", "--sigma", "0.9", "--dt", "0.02",
                "--particles", "9000", "--init", "normal:2,0.5", "--seed", "99", "--steps", "70", "--record", "log:9",
                "--trace", "6")));
    }

    @Test
    void doubleWellWithDivergedParticlesCountedTheSame() throws Exception {
        // A step this large throws the particles that start far out past the divergence bound and on to
        // infinity and NaN; those near the wells stay.
        Out[] r = compare("dw", 0, with(HIST, "--dynamics", "langevin", "--loss", "double-well", "--dim", "1",
                "--sigma", "0.5", "--dt", "0.2", "--particles", "12000", "--init", "normal:0,1.6", "--seed", "3",
                "--steps", "12", "--record", "every:1", "--trace", "2", "--max-diverged-fraction", "1"));
        onDevice(r);
        long diverged = r[1].points().get(r[1].points().size() - 1).summary().diverged();
        assertTrue(diverged > 0 && diverged < 12000, "some particles diverged: " + diverged);
    }

    @Test
    void sgdOnLinregWithPriorAndSchedule() throws Exception {
        onDevice(compare("sgd", 0, "--dynamics", "sgd", "--loss", "linreg", "--synthetic", "n=50,d=2,noise=0.3,seed=4",
                "--lr", "0.05", "--lr-schedule", "step:0.5@30,60", "--prior-variance", "2", "--particles", "10000",
                "--steps", "90", "--seed", "8", "--init", "normal:1,0.5", "--record", "every:4", "--trace", "3"));
    }

    @Test
    void logisticLossFallsBackToTheHost() throws Exception {
        onHost(compare("logistic", 0, "--dynamics", "sgd", "--loss", "logistic", "--synthetic",
                "n=40,d=2,noise=0.5,seed=2", "--lr", "0.1", "--particles", "5000", "--steps", "20", "--seed", "1",
                "--record", "every:5", "--trace", "2"));
    }

    @Test
    void userModelPotentialOnTheDevice() throws Exception {
        onDevice(compare("rosenbrock", 0, with(HIST, "--dynamics", "langevin", "--model", "examples/rosenbrock.model",
                "--dt", "0.001", "--sigma", "0.5", "--particles", "9000", "--init", "normal:0,1", "--steps", "30",
                "--seed", "13", "--record", "every:5", "--trace", "2")));
    }

    @Test
    void userModelWithTrainingDataOnTheDevice() throws Exception {
        onDevice(compare("student", 0, "--dynamics", "sgd", "--model", "examples/student.model", "--synthetic",
                "n=200,d=2,seed=1", "--init", "normal:0,1", "--lr", "0.05", "--batch", "8", "--particles", "5000",
                "--steps", "20", "--seed", "4", "--record", "every:4", "--trace", "3"));
    }

    @Test
    void userModelWithoutLossOnTheDevice() throws Exception {
        Out[] r = compare("ou", 0, "--dynamics", "sde", "--model", "examples/ou.model", "--dt", "0.1", "--particles",
                "5000", "--steps", "20", "--seed", "6", "--record", "every:5");
        onDevice(r);
        assertEquals(null, r[1].points().get(0).summary().loss(), "no loss statistic");
    }

    @Test
    void chunkedRunFallsBackToTheHost() throws Exception {
        // Room for one chunk of 4096 particles (1 float each) and the parameters: 3 chunks, on the host.
        onHost(compare("chunked", 4096 * 4 + 8192, "--dynamics", "brownian", "--particles", "10000", "--steps", "20",
                "--seed", "2", "--record", "every:5", "--trace", "2"));
    }

    @Test
    void hostPropertyKeepsEveryRecordOnTheHost() throws Exception {
        String[] args = {"--dynamics", "brownian", "--particles", "6000", "--steps", "20", "--seed", "2",
            "--record", "every:5"};
        System.setProperty(SeriesRecorder.WHERE_PROPERTY, "host");
        Out[] r;
        try {
            r = compare("host", 0, args);
        } finally {
            System.clearProperty(SeriesRecorder.WHERE_PROPERTY);
        }
        onHost(r);
        onDevice(compare("device", 0, args));
    }

    @Test
    void stoppedAndResumedOnTheDeviceGivesTheUninterruptedSeries() throws Exception {
        String[] args = with(HIST, "--dynamics", "langevin", "--loss", "quadratic", "--dim", "2", "--quadratic-matrix",
                "2,0.5;0.5,1", "--sigma", "0.9", "--dt", "0.02", "--particles", "9000", "--init", "normal:2,0.5",
                "--seed", "31", "--steps", "60", "--record", "every:3", "--trace", "4");
        Out whole;
        try (CpuEngine e = new CpuEngine(2)) {
            whole = run("whole", e, args);
        }
        RunSpec spec = spec(args);
        Recording rec = recording(args);
        CompiledProblem problem = ProblemCompiler.compile(spec);
        Path ck = Files.createDirectories(tmp.resolve("ck"));
        java.util.concurrent.atomic.AtomicInteger segments = new java.util.concurrent.atomic.AtomicInteger();
        SeriesRecorder first = new SeriesRecorder(spec, rec, List.of(), 1);
        try (EmulatedEngine e = new EmulatedEngine(NoiseMode.FUSED, 0)) {
            Sampler.run(problem, e, InitialStates.create(spec), spec.steps(), new Sampler.Options(ck, 0,
                    (k, n, t) -> segments.incrementAndGet(), () -> segments.get() >= 7).withRecorder(first));
        }
        ParticleState back = org.langevin.engine.Checkpoint.load(ck);
        assertTrue(back.stepsDone() > 0 && back.stepsDone() < spec.steps(), "stopped at " + back.stepsDone());
        assertTrue(first.deviceRecords() > 0, "records before the stop reduced on the device");
        SeriesRecorder second = new SeriesRecorder(spec, rec, SeriesRecorder.load(ck, rec, back.stepsDone()), 1);
        try (EmulatedEngine e = new EmulatedEngine(NoiseMode.FUSED, 0)) {
            Sampler.run(problem, e, back, spec.steps(), Sampler.Options.none().withRecorder(second));
        }
        assertEquals(second.takenHere(), second.deviceRecords(), "records after the resume reduced on the device");
        Path dir = Files.createDirectories(tmp.resolve("resumed"));
        SeriesOutputs.write(dir, spec, rec, second.points());
        assertArrayEquals(whole.csv(), Files.readAllBytes(dir.resolve(SeriesOutputs.CSV)), "series.csv");
        assertArrayEquals(whole.trace(), Files.readAllBytes(dir.resolve(SeriesOutputs.TRACE)), "trace.npy");
        assertArrayEquals(whole.histograms(), Files.readAllBytes(dir.resolve(SeriesOutputs.HISTOGRAMS)),
                "series_histograms.csv");
    }
}
