package org.langevin.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.langevin.engine.CompiledProblem;
import org.langevin.engine.ParticleState;
import org.langevin.model.Dynamics;
import org.langevin.model.InitialState;
import org.langevin.model.LossKind;
import org.langevin.model.RunSpec;
import org.langevin.model.RunSpecBuilder;
import org.langevin.model.Sampling;
import org.langevin.model.SdeNoise;
import org.langevin.model.TrainingSet;
import org.langevin.model.TrainingSets;
import org.junit.jupiter.api.Test;

/**
 * The native kernels (kernels/lv_cpu_dw.c and lv_cpu.c through {@link NativeCpu}) against the Java paths, bit for bit: on a
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

    private static RunSpecBuilder base(Dynamics dyn, LossKind loss, int d, int particles) {
        return new RunSpecBuilder().dynamics(dyn).loss(loss).dim(d).particles(particles).steps(1000).seed(0x5EED_0F_A11L)
                .init(new InitialState(new double[d], 1.2));
    }

    /** A symmetric positive-definite A with every entry non-zero, and a centre m. */
    private static RunSpecBuilder quadratic(Dynamics dyn, int d, int particles) {
        return TestProblems.denseQuadratic(base(dyn, LossKind.QUADRATIC, d, particles), d);
    }

    /** Every problem of one dimension the generic kernel (kernels/lv_cpu.c) takes. */
    private static List<RunSpec> problems(int d, int c) {
        TrainingSet lin = TrainingSets.synthetic(Math.max(37, 2 * d), d, 0.5, 5, false);
        // labels noisy enough (temperature 2√d) that the set is not separable: the compiler's Newton solve converges
        TrainingSet log = TrainingSets.synthetic(Math.max(23, 4 * d), d, 2 * Math.sqrt(d), 9, true);
        List<RunSpec> specs = new ArrayList<>();
        for (Dynamics dyn : new Dynamics[] {Dynamics.LANGEVIN, Dynamics.GRADIENT_FLOW}) {
            specs.add(base(dyn, LossKind.DOUBLE_WELL, d, c).sigma(0.7).dt(0.02).build());
            specs.add(quadratic(dyn, d, c).sigma(0.7).dt(0.05).build());
            specs.add(base(dyn, LossKind.LINREG, d, c).data(lin).sigma(0.5).dt(0.02).build());
            specs.add(base(dyn, LossKind.LOGISTIC, d, c).data(log).sigma(0.5).dt(0.05).build());
        }
        specs.add(base(Dynamics.LANGEVIN, LossKind.LOGISTIC, d, c).data(log).sigma(0.5).dt(0.05).priorVariance(2.0).build());
        specs.add(base(Dynamics.LANGEVIN, LossKind.LINREG, d, c).data(lin).sigma(0.5).dt(0.02).priorVariance(4.0).build());
        specs.add(base(Dynamics.BROWNIAN, LossKind.NONE, d, c).sigma(1.3).dt(0.1).build());
        // the SGD SDE with constant noise Σ(Φ*) (a dense Cholesky factor)
        specs.add(base(Dynamics.SGD_SDE, LossKind.LINREG, d, c).data(lin).lr(0.05).dt(0.1).build());
        specs.add(base(Dynamics.SGD_SDE, LossKind.LINREG, d, c).data(lin).lr(0.05).dt(0.1).priorVariance(4.0).build());
        // and with the state-dependent Σ(x), factored at every step (a zero pivot where the examples span < d)
        specs.add(base(Dynamics.SGD_SDE, LossKind.LINREG, d, c).data(lin).lr(0.05).dt(0.1).sdeNoise(SdeNoise.STATE).build());
        return specs;
    }

    /**
     * The generic kernel against the scalar paths, bit for bit (raw bits, NaN payloads included): every dynamics and
     * loss it takes (the SGD SDE with constant noise included), with and without the prior, dimensions with a
     * compile-time body (1, 2, 3, 4, 8) and without (5, 13, 64), particle counts that leave full tiles, single vectors
     * and masked lanes, chunks of the copy (1500 particles of d = 64 are six), step ranges that start and end inside
     * Philox blocks, particles across 2³².
     */
    @Test
    void everyDynamicsLossAndDimensionIsTheScalarPathsBits() {
        for (int d : new int[] {1, 2, 3, 4, 5, 8, 13, 64}) {
            for (int c : d == 64 ? new int[] {70, 300} : new int[] {1, 17, 70, 129}) {
                for (RunSpec s : problems(d, c)) {
                    CpuProblem p = problem(s);
                    assertTrue(!NativeCpu.enabled() || NativeCpu.handles(p, false), "the kernel takes " + s.dynamics()
                            + " " + s.loss() + " d=" + d);
                    for (long first : d == 3 ? new long[] {0, (1L << 32) - 37} : new long[] {5}) {
                        assertSameBits(s, first, s.dynamics() + " " + s.loss() + (p.prior ? " prior" : "") + " d=" + d
                                + " P=" + c + " from " + first);
                    }
                }
            }
        }
    }

    /**
     * Diverging particles (Δt set, after the compiler's stability check, far beyond the stable range): the infinities
     * and NaNs are the scalar path's bits.
     */
    @Test
    void divergingParticlesKeepTheScalarPathsBits() {
        assertSameBits(base(Dynamics.LANGEVIN, LossKind.DOUBLE_WELL, 3, 70).sigma(1.0).dt(0.01).build(), 0, 0.9f,
                "double well");
        TrainingSet log = TrainingSets.synthetic(40, 2, 3.0, 9, true);
        assertSameBits(base(Dynamics.LANGEVIN, LossKind.LOGISTIC, 2, 70).data(log).sigma(30).dt(0.05).build(), 0, 50f,
                "logistic");
        assertSameBits(quadratic(Dynamics.GRADIENT_FLOW, 4, 70).dt(0.05).build(), 0, 3.0f, "quadratic");
    }

    private static void assertSameBits(RunSpec s, long firstParticle, String what) {
        assertSameBits(s, firstParticle, what, cp -> { });
    }

    /** dt: Δt in place of the spec's, after the compiler's checks. */
    private static void assertSameBits(RunSpec s, long firstParticle, float dt, String what) {
        assertSameBits(s, firstParticle, what, cp -> cp.fp()[CompiledProblem.FP_DT] = dt);
    }

    /** tweak: changes to the compiled problem (a prior, a preconditioner, a step beyond the stable range). */
    private static void assertSameBits(RunSpec s, long firstParticle, String what, Consumer<CompiledProblem> tweak) {
        CompiledProblem cp = TestProblems.compile(s);
        tweak.accept(cp);
        CpuProblem p = new CpuProblem(cp.ip(), cp.fp(), cp.data());
        assertTrue(!NativeCpu.enabled() || NativeCpu.handles(p, p.average), "the kernel takes " + what);
        ParticleState sa = TestProblems.state(s);
        ParticleState sb = TestProblems.state(s);
        float[][] a = sa.x();
        float[][] b = sb.x();
        double[][] va = p.average ? sa.avg() : null;
        double[][] vb = p.average ? sb.avg() : null;
        int count = a[0].length;
        int cut = count / 3;
        long[][] pieces = {{0, 3}, {3, 10}, {10, 11}, {11, 26}};
        for (long[] piece : pieces) {
            long k0 = piece[0];
            long n = piece[1] - piece[0];
            float ns = cp.noiseScaleAt(k0);
            float lr = s.dynamics() == Dynamics.SGD ? cp.lrAt(k0) : 0f;
            CpuKernels.advance(p, a, va, firstParticle, 0, cut, k0, n, s.burnIn(), s.seed(), lr, ns);
            CpuKernels.advance(p, a, va, firstParticle, cut, count, k0, n, s.burnIn(), s.seed(), lr, ns);
            CpuKernels.advanceScalar(p, b, vb, firstParticle, 0, count, k0, n, s.burnIn(), s.seed(), lr, ns);
        }
        for (int j = 0; j < a.length; j++) {
            assertArrayEquals(raw(b[j]), raw(a[j]), what + ": coordinate " + j + " (" + NativeCpu.describe() + ")");
        }
        if (p.average) {
            for (int r = 0; r < va.length; r++) {
                long[] eb = new long[vb[r].length];
                long[] ea = new long[va[r].length];
                for (int i = 0; i < ea.length; i++) {
                    eb[i] = Double.doubleToRawLongBits(vb[r][i]);
                    ea[i] = Double.doubleToRawLongBits(va[r][i]);
                }
                assertArrayEquals(eb, ea, what + ": window sum row " + r + " (" + NativeCpu.describe() + ")");
            }
        }
    }

    /**
     * SGD in the native kernel against the scalar path, bit for bit: linear and logistic regression and the quadratic
     * and double well with data noise; batches of 1 (with and without replacement), 3 (not a power of two: the
     * division) and 4 (a whole Philox block of words a step); without replacement at B = n (every example, Floyd's
     * replacements at every draw); the prior; diagonal and full preconditioners; dimensions with and without a
     * compile-time body; masked lanes and chunks; particles across 2³².
     */
    @Test
    void sgdIsTheScalarPathsBits() {
        for (int d : new int[] {1, 2, 3, 8, 13}) {
            TrainingSet lin = TrainingSets.synthetic(Math.max(37, 2 * d), d, 0.5, 5, false);
            TrainingSet log = TrainingSets.synthetic(Math.max(23, 4 * d), d, 2 * Math.sqrt(d), 9, true);
            TrainingSet rows = TrainingSets.synthetic(29, d, 0.5, 13, false);
            for (int c : d == 13 ? new int[] {70} : new int[] {1, 17, 70, 129}) {
                for (int b : new int[] {1, 3, 4}) {
                    for (Sampling sampling : Sampling.values()) {
                        String at = " d=" + d + " B=" + b + " " + sampling + " P=" + c;
                        assertSameBits(base(Dynamics.SGD, LossKind.LINREG, d, c).data(lin).lr(0.02).batch(b)
                                .sampling(sampling).build(), 5, "sgd linreg" + at);
                        assertSameBits(base(Dynamics.SGD, LossKind.LOGISTIC, d, c).data(log).lr(0.2).batch(b)
                                .sampling(sampling).build(), 5, "sgd logistic" + at);
                        assertSameBits(quadratic(Dynamics.SGD, d, c).data(rows).lr(0.05).batch(b).sampling(sampling)
                                .build(), 5, "sgd quadratic" + at);
                        assertSameBits(base(Dynamics.SGD, LossKind.DOUBLE_WELL, d, c).data(rows).lr(0.01).batch(b)
                                .sampling(sampling).build(), 5, "sgd double well" + at);
                    }
                }
            }
            assertSameBits(base(Dynamics.SGD, LossKind.LINREG, d, 40).data(lin).lr(0.02).batch(lin.n())
                    .sampling(Sampling.WITHOUT_REPLACEMENT).build(), 0, "sgd linreg, the whole set without replacement d=" + d);
            assertSameBits(base(Dynamics.SGD, LossKind.LINREG, d, 40).data(lin).lr(0.02).batch(2).build(), 0,
                    "sgd linreg prior d=" + d, TestProblems.PRIOR);
            assertSameBits(base(Dynamics.SGD, LossKind.LOGISTIC, d, 40).data(log).lr(0.2).batch(2).build(), 0,
                    "sgd logistic diagonal D d=" + d, TestProblems.precond(CpuProblem.PREC_DIAGONAL));
            assertSameBits(quadratic(Dynamics.SGD, d, 40).data(rows).lr(0.05).batch(2).build(), 0,
                    "sgd quadratic full D and prior d=" + d,
                    TestProblems.PRIOR.andThen(TestProblems.precond(CpuProblem.PREC_FULL)));
        }
        TrainingSet lin = TrainingSets.synthetic(37, 3, 0.5, 5, false);
        assertSameBits(base(Dynamics.SGD, LossKind.LINREG, 3, 1500).data(lin).lr(0.02).batch(3).build(), (1L << 32) - 700,
                "sgd linreg across 2^32, chunks");
    }

    private static int[] raw(float[] v) {
        int[] r = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = Float.floatToRawIntBits(v[i]);
        }
        return r;
    }

    /**
     * Window sums (Σx_j, Σx_j² in double, ΣL of CpuLoss.value: the double well, the quadratic, linreg and logistic
     * over the training set, softplus included, the prior) against the scalar path, raw bits: every dynamics and
     * loss, burn-in ending inside the step ranges, with and without the prior, masked lanes and chunks; diverging
     * particles (their infinities and NaNs in the sums).
     */
    @Test
    void windowSumsAreTheScalarPathsBits() {
        for (int d : new int[] {1, 2, 3, 8, 13}) {
            TrainingSet lin = TrainingSets.synthetic(Math.max(37, 2 * d), d, 0.5, 5, false);
            TrainingSet log = TrainingSets.synthetic(Math.max(23, 4 * d), d, 2 * Math.sqrt(d), 9, true);
            TrainingSet rows = TrainingSets.synthetic(29, d, 0.5, 13, false);
            for (int c : d == 13 ? new int[] {70} : new int[] {1, 17, 70, 129}) {
                String at = " averaged d=" + d + " P=" + c;
                for (long burnIn : new long[] {0, 7}) {
                    assertSameBits(base(Dynamics.LANGEVIN, LossKind.DOUBLE_WELL, d, c).sigma(0.7).dt(0.02).average(true)
                            .burnIn(burnIn).build(), 5, "langevin double well" + at + " burn-in " + burnIn);
                }
                assertSameBits(quadratic(Dynamics.LANGEVIN, d, c).sigma(0.7).dt(0.05).average(true).burnIn(3).build(), 5,
                        "langevin quadratic" + at);
                assertSameBits(base(Dynamics.GRADIENT_FLOW, LossKind.LINREG, d, c).data(lin).dt(0.02).average(true).burnIn(3)
                        .build(), 5, "gradient flow linreg" + at);
                assertSameBits(base(Dynamics.LANGEVIN, LossKind.LOGISTIC, d, c).data(log).sigma(0.5).dt(0.05).average(true)
                        .burnIn(3).priorVariance(2.0).build(), 5, "langevin logistic prior" + at);
                assertSameBits(base(Dynamics.BROWNIAN, LossKind.NONE, d, c).sigma(1.3).dt(0.1).average(true).burnIn(3)
                        .build(), 5, "brownian" + at);
                assertSameBits(base(Dynamics.SGD_SDE, LossKind.LINREG, d, c).data(lin).lr(0.05).dt(0.1).average(true)
                        .burnIn(3).build(), 5, "sgd sde linreg" + at);
                assertSameBits(base(Dynamics.SGD, LossKind.LINREG, d, c).data(lin).lr(0.02).batch(3).average(true).burnIn(3)
                        .build(), 5, "sgd linreg" + at);
                assertSameBits(base(Dynamics.SGD, LossKind.LOGISTIC, d, c).data(log).lr(0.2).batch(2).average(true).burnIn(3)
                        .sampling(Sampling.WITHOUT_REPLACEMENT).build(), 5, "sgd logistic" + at);
                assertSameBits(quadratic(Dynamics.SGD, d, c).data(rows).lr(0.05).batch(2).average(true).burnIn(3).build(), 5,
                        "sgd quadratic prior" + at, TestProblems.PRIOR);
            }
        }
        // diverging: infinities and NaNs reach x, x² and the loss (logistic's softplus of a NaN)
        TrainingSet log = TrainingSets.synthetic(40, 2, 3.0, 9, true);
        assertSameBits(base(Dynamics.LANGEVIN, LossKind.LOGISTIC, 2, 70).data(log).sigma(30).dt(0.05).average(true).build(),
                0, 50f, "logistic averaged, diverging");
        assertSameBits(base(Dynamics.LANGEVIN, LossKind.DOUBLE_WELL, 3, 70).sigma(1.0).dt(0.01).average(true).build(), 0,
                0.9f, "double well averaged, diverging");
    }

    /** Where the native kernels do not load, nothing is handed to them (the Java paths run: the tests above). */
    @Test
    void withoutTheLibraryNothingIsHandedToIt() {
        TrainingSet lin = TrainingSets.synthetic(37, 2, 0.5, 5, false);
        CpuProblem sde = problem(base(Dynamics.SGD_SDE, LossKind.LINREG, 2, 8).data(lin).lr(0.05).dt(0.1)
                .sdeNoise(SdeNoise.STATE).build());
        assertEquals(NativeCpu.enabled(), NativeCpu.handles(sde, false), "the SGD SDE with state-dependent noise");
        CpuProblem averaged = problem(base(Dynamics.SGD, LossKind.LOGISTIC, 2, 8).data(TrainingSets.synthetic(23, 2, 1, 9, true))
                .lr(0.1).batch(2).average(true).build());
        assertEquals(NativeCpu.enabled(), NativeCpu.handles(averaged, true), "averaged SGD on logistic regression");
    }

    private static CpuProblem problem(RunSpec s) {
        CompiledProblem cp = TestProblems.compile(s);
        return new CpuProblem(cp.ip(), cp.fp(), cp.data());
    }
}
