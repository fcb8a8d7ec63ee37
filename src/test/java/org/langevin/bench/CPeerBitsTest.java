package org.langevin.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.langevin.cli.Main;
import org.langevin.engine.CompiledProblem;
import org.langevin.engine.EngineSession;
import org.langevin.engine.InitialStates;
import org.langevin.engine.ParticleState;
import org.langevin.engine.ProblemCompiler;
import org.langevin.engine.cpu.CpuEngine;
import org.langevin.model.Dynamics;
import org.langevin.model.InitialState;
import org.langevin.model.LossKind;
import org.langevin.model.RunSpec;
import org.langevin.model.RunSpecBuilder;
import org.langevin.report.NpyReader;

/**
 * The same-arithmetic C peer of the double-well benchmark (benchmarks/c-peer) against the CPU engine: built
 * with gcc by its build script, run on both of its paths (AVX-512 where this CPU has it, and scalar), its
 * final particles must be the engine's bit for bit — for a step range that starts and ends inside a Philox
 * block, a particle range whose counter's low word wraps (the high word then changes inside a vector), a
 * particle count that leaves a partial vector, two threads, and a normal initial state; and for a whole
 * {@code sample} run of the command line with {@code --save-particles}. Fails (does not skip) without gcc.
 */
class CPeerBitsTest {
    private static final long SEED = 0x9E3779B97F4A7C15L;
    private static final double DT = 0.02;
    private static final double SIGMA = 0.8;
    private static final int P = 1000;
    private static final int STEPS = 37;
    /** Step 5 is lane 1 of block 1; the last step, 41, is lane 1 of block 10. */
    private static final long FIRST_STEP = 5;

    @TempDir
    static Path tmp;

    private static Path program;

    @BeforeAll
    static void build() throws Exception {
        Path out = tmp.resolve("c-peer");
        String log = exec(List.of("bash", Path.of("benchmarks", "c-peer", "build.sh").toString(), out.toString()));
        program = out.resolve("langevin_dw");
        assertTrue(Files.isExecutable(program), "build.sh wrote no program: " + log);
    }

    /** Runs a command, fails the test on a non-zero exit, and returns its output. */
    private static String exec(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log;
        try {
            log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                fail("timed out: " + String.join(" ", cmd));
            }
        } finally {
            p.destroyForcibly();
        }
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + "\n" + log);
        return log;
    }

    /** The C program's final state for particles [firstParticle, firstParticle + count). */
    private static float[] peer(boolean scalar, long firstParticle, int count, long firstStep, long steps, double x0,
            double sd, long seed, double dt, double sigma, String name) throws Exception {
        Path f = tmp.resolve(name + (scalar ? "-scalar" : "-default") + ".f32");
        List<String> cmd = new ArrayList<>(List.of(program.toString(), "-p", Integer.toString(count), "-n",
                Long.toString(steps), "-s", Long.toString(seed), "--dt", Double.toString(dt), "--sigma",
                Double.toString(sigma), "-t", "2", "--x0", Double.toString(x0), "--init-sd", Double.toString(sd),
                "--first-step", Long.toString(firstStep), "--first-particle", Long.toString(firstParticle),
                "--out", f.toString(), "--json"));
        if (scalar) {
            cmd.add("--scalar");
        }
        String line = exec(cmd);
        assertTrue(line.contains(scalar ? "\"path\":\"scalar\"" : "\"path\":"), line);
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(4L * count, b.capacity(), "the size of " + f);
        float[] x = new float[count];
        b.asFloatBuffer().get(x);
        return x;
    }

    /** The engine's state of particles [first, first + count) of a spec, advanced over steps [from, to). */
    private static float[] engine(RunSpec spec, long first, int count, long from, long to) {
        ParticleState st = InitialStates.create(spec, first, count);
        st.setStepsDone(from);
        CompiledProblem cp = ProblemCompiler.compile(spec);
        try (CpuEngine e = new CpuEngine(2); EngineSession s = e.open(cp, st)) {
            s.advance(from, to);
            s.download();
        }
        return st.x()[0];
    }

    private static RunSpec spec(long particles, long steps, double x0, double sd) {
        return new RunSpecBuilder().dynamics(Dynamics.LANGEVIN).loss(LossKind.DOUBLE_WELL).dim(1).particles(particles)
                .steps(steps).seed(SEED).dt(DT).sigma(SIGMA).init(new InitialState(new double[] {x0}, sd)).build();
    }

    /** Bit equality, reporting the first particle that differs. */
    private static void assertSameBits(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": particle count");
        int differ = 0;
        int firstDiffer = -1;
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                if (firstDiffer < 0) {
                    firstDiffer = i;
                }
                differ++;
            }
        }
        if (differ > 0) {
            fail(what + ": " + differ + " of " + expected.length + " particles differ, first " + firstDiffer
                    + ": engine " + expected[firstDiffer] + " (0x" + Integer.toHexString(Float.floatToRawIntBits(
                    expected[firstDiffer])) + "), C peer " + actual[firstDiffer] + " (0x" + Integer.toHexString(
                    Float.floatToRawIntBits(actual[firstDiffer])) + ")");
        }
    }

    /** The state moved away from where it started, so that the comparison is not of two initial states. */
    private static void assertMoved(float[] start, float[] end) {
        int moved = 0;
        for (int i = 0; i < start.length; i++) {
            moved += start[i] != end[i] ? 1 : 0;
        }
        assertEquals(start.length, moved, "particles that moved");
    }

    @Test
    void stepRangeInsidePhiloxBlocksFromAPoint() throws Exception {
        RunSpec s = spec(P, FIRST_STEP + STEPS, 0.25, 0);
        float[] expected = engine(s, 0, P, FIRST_STEP, FIRST_STEP + STEPS);
        assertMoved(InitialStates.create(s).x()[0], expected);
        for (boolean scalar : new boolean[] {false, true}) {
            assertSameBits(expected, peer(scalar, 0, P, FIRST_STEP, STEPS, 0.25, 0, SEED, DT, SIGMA, "point"),
                    (scalar ? "scalar" : "default") + " path, steps " + FIRST_STEP + ".." + (FIRST_STEP + STEPS - 1));
        }
    }

    @Test
    void particlesAcrossTheCounterLowWordFromANormalStart() throws Exception {
        // particles 2^32 − 500 … 2^32 + 499: a vector's particle words cross from (2^32 − k, 0) to (k, 1)
        long first = (1L << 32) - 500;
        RunSpec s = spec(1L << 33, FIRST_STEP + STEPS, -0.5, 0.7);
        float[] expected = engine(s, first, P, FIRST_STEP, FIRST_STEP + STEPS);
        assertMoved(InitialStates.create(s, first, P).x()[0], expected);
        for (boolean scalar : new boolean[] {false, true}) {
            assertSameBits(expected, peer(scalar, first, P, FIRST_STEP, STEPS, -0.5, 0.7, SEED, DT, SIGMA, "wrap"),
                    (scalar ? "scalar" : "default") + " path, particles from " + first);
        }
    }

    @Test
    void aSampleRunOfTheCommandLine() throws Exception {
        Path dir = tmp.resolve("sample");
        int particles = 777;
        int steps = 50;
        int code = Main.commandLine().execute("sample", "--backend", "cpu", "--threads", "2", "--dynamics", "langevin",
                "--loss", "double-well", "--particles", Integer.toString(particles), "--steps", Integer.toString(steps),
                "--seed", "7", "--init", "normal:0.1,0.4", "--save-particles", "--out", dir.toString());
        assertEquals(0, code, "sample exit code");
        float[][] x = NpyReader.read(dir.resolve("particles.npy"));
        assertEquals(1, x.length, "particles.npy columns");
        // the command line's defaults: dt 0.01, sigma 1
        for (boolean scalar : new boolean[] {false, true}) {
            assertSameBits(x[0], peer(scalar, 0, particles, 0, steps, 0.1, 0.4, 7, 0.01, 1.0, "sample"),
                    (scalar ? "scalar" : "default") + " path, sample run");
        }
    }

    /**
     * The generic driver (langevin_gen, the engine's lv_cpu.c called from C) is built exactly where this CPU has
     * AVX-512F (gcc -march=native then compiles AVX-512; this build machine's does), and there it runs every workload of
     * the matrix, at d = 1 and 3 (no compile-time body), on two threads: exit 0, the steps it was given, a
     * positive rate.
     */
    @Test
    void theGenericDriverRunsEveryMatrixWorkload() throws Exception {
        Path gen = program.resolveSibling("langevin_gen");
        boolean avx512 = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .filter(l -> l.startsWith("flags")).findFirst().map(l -> (l + " ").contains(" avx512f ")).orElse(false);
        assertEquals(avx512, Files.isExecutable(gen), "langevin_gen built exactly where the CPU has AVX-512F");
        if (!Files.isExecutable(gen)) {
            return;
        }
        for (String w : List.of("langevin", "langevin-quadratic", "langevin-logistic", "sgd", "sgd-logistic")) {
            for (int d : new int[] {1, 3}) {
                String line = exec(List.of(gen.toString(), "--workload", w, "--dim", Integer.toString(d), "-p", "1000",
                        "-n", "8", "-t", "2", "-r", "1", "--json")).trim();
                assertTrue(line.contains("\"workload\": \"" + w + "\"") && line.contains("\"steps\": 8,"), line);
                double rate = Double.parseDouble(line.replaceAll(".*\"particleStepsPerSecond\": ([0-9.]+)}.*", "$1"));
                assertTrue(rate > 0, line);
            }
        }
    }
}
