package org.langevin.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.langevin.engine.CompiledProblem;
import org.langevin.model.Dynamics;
import org.langevin.model.InitialState;
import org.langevin.model.LossKind;
import org.langevin.model.RunSpec;
import org.langevin.model.RunSpecBuilder;
import org.junit.jupiter.api.Test;

/**
 * The native kernel (kernels/lv_cpu_dw.c through {@link NativeCpu}) against the Java paths, bit for bit: on a
 * machine whose CPU has AVX-512F/DQ/BW/VL (this build machine's does) it must load and give the scalar path's
 * particles; on any other it must not load, and the engine's Java paths run (asserted, not skipped).
 */
class NativeCpuTest {
    private static boolean cpuHasAvx512() throws Exception {
        Path info = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(info)) {
            return false;
        }
        for (String line : Files.readAllLines(info)) {
            if (line.startsWith("flags")) {
                String f = " " + line.substring(line.indexOf(':') + 1).trim() + " ";
                return f.contains(" avx512f ") && f.contains(" avx512dq ") && f.contains(" avx512bw ") && f.contains(" avx512vl ");
            }
        }
        return false;
    }

    @Test
    void loadsExactlyWhereTheCpuHasAvx512() throws Exception {
        boolean linuxX64 = System.getProperty("os.name").toLowerCase().startsWith("linux")
                && System.getProperty("os.arch").matches("amd64|x86_64");
        assertEquals(linuxX64 && cpuHasAvx512(), NativeCpu.enabled(), NativeCpu.describe());
    }

    private static RunSpec spec(int particles, double sd) {
        return new RunSpecBuilder().dynamics(Dynamics.LANGEVIN).loss(LossKind.DOUBLE_WELL).dim(1).particles(particles)
                .steps(1000).seed(0x1234_5678_9ABC_DEF0L).sigma(0.8).dt(0.02).init(new InitialState(new double[] {0.3}, sd))
                .build();
    }

    /** Step ranges that start and end inside Philox blocks, chunks of the copy, ranges across 2³² particles. */
    @Test
    void nativeParticlesAreTheJavaPathsBits() {
        assertTrue(!NativeCpu.enabled() || NativeCpu.handles(problem(spec(8, 0)), false), "the kernel takes 1-D double-well Langevin");
        long[][] ranges = {{0, 1}, {1, 6}, {7, 4}, {11, 37}};
        for (int count : new int[] {1, 15, 16, 17, 100, 40_000}) {
            for (long first : new long[] {0, (1L << 32) - 21}) {
                RunSpec s = spec(count, 0.5);
                CpuProblem p = problem(s);
                float[][] a = TestProblems.state(s).x();
                float[][] b = TestProblems.state(s).x();
                float[][] c = TestProblems.state(s).x();
                float ns = (float) (0.8 * Math.sqrt(0.02));
                for (long[] r : ranges) {
                    CpuKernels.advance(p, a, null, first, 0, count, r[0], r[1], 0, s.seed(), 0f, ns);
                    CpuKernels.advanceJava(p, b, null, first, 0, count, r[0], r[1], 0, s.seed(), 0f, ns);
                    CpuKernels.advanceScalar(p, c, null, first, 0, count, r[0], r[1], 0, s.seed(), 0f, ns);
                }
                assertArrayEquals(c[0], b[0], "java vector path, P=" + count + " from " + first);
                assertArrayEquals(c[0], a[0], "CpuKernels.advance (" + NativeCpu.describe() + "), P=" + count + " from " + first);
            }
        }
    }

    @Test
    void otherProblemsStayOnTheJavaPaths() {
        CpuProblem averaged = problem(new RunSpecBuilder().dynamics(Dynamics.LANGEVIN).loss(LossKind.DOUBLE_WELL).dim(1)
                .particles(8).steps(10).sigma(1).dt(0.01).average(true).build());
        assertFalse(NativeCpu.handles(averaged, true), "window sums");
        CpuProblem twoDim = problem(new RunSpecBuilder().dynamics(Dynamics.LANGEVIN).loss(LossKind.DOUBLE_WELL).dim(2)
                .particles(8).steps(10).sigma(1).dt(0.01).build());
        assertFalse(NativeCpu.handles(twoDim, false), "d = 2");
    }

    private static CpuProblem problem(RunSpec s) {
        CompiledProblem cp = TestProblems.compile(s);
        return new CpuProblem(cp.ip(), cp.fp(), cp.data());
    }
}
