package org.langevin.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.langevin.engine.CompiledProblem;
import org.langevin.model.Dynamics;
import org.langevin.model.InitialState;
import org.langevin.model.LossKind;
import org.langevin.model.RunSpec;
import org.langevin.model.RunSpecBuilder;
import org.langevin.model.Sampling;
import org.langevin.model.SdeNoise;
import org.langevin.model.TrainingSet;
import org.langevin.model.TrainingSets;
import org.langevin.engine.ParticleState;

/**
 * The engine's dispatch (vector paths when {@link Simd#enabled()}) against the scalar reference
 * {@link CpuKernels#advanceScalar}: the same bits for every dynamics and loss, on particle counts and
 * ranges whose tails are not a multiple of the vector length, with step ranges that start and end
 * inside a Philox block, and with a first particle beyond 2³² (the counter's high word).
 */
class SimdIdentityTest {
    /** Particle counts: below one vector, one vector ± 1, a tile ± 1, and awkward sizes. */
    private static final int[] COUNTS = {1, 7, 8, 9, 31, 33, 100, 257};

    @Test
    void vectorPathsAreOnUnderTheBuild() {
        // the Surefire argLine adds jdk.incubator.vector and this machine has AVX-512: without this the
        // comparisons below would compare the scalar path with itself
        assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                "the build's Surefire argLine must add jdk.incubator.vector");
        if (SimdKernels.supported() && !"false".equalsIgnoreCase(System.getProperty("langevin.simd"))) {
            assertTrue(Simd.enabled(), Simd.describe());
        }
    }

    private static RunSpecBuilder base(Dynamics dyn, LossKind loss, int d, int particles) {
        return new RunSpecBuilder().dynamics(dyn).loss(loss).dim(d).particles(particles).steps(1000).seed(0xC0FFEE_1234L);
    }

    private static RunSpecBuilder quadratic(Dynamics dyn, int d, int particles) {
        double[][] a = new double[d][d];
        double[] m = new double[d];
        for (int j = 0; j < d; j++) {
            a[j][j] = 1.5 + j;
            m[j] = 0.25 - 0.5 * j;
        }
        return base(dyn, LossKind.QUADRATIC, d, particles).quadratic(a, m);
    }

    private static RunSpecBuilder sgdLinreg(int d, int particles, int batch) {
        TrainingSet ts = TrainingSets.synthetic(37, d, 0.5, 5, false);
        return base(Dynamics.SGD, LossKind.LINREG, d, particles).data(ts).lr(0.03).batch(batch);
    }

    /** Runs [from, to) of every column range in pieces, vector dispatch vs scalar, and compares all bits. */
    private static void assertIdentical(RunSpec s, long firstParticle, String what) {
        assertIdentical(s, firstParticle, what, cp -> { });
    }

    private static void assertIdentical(RunSpec s, long firstParticle, String what, Consumer<CompiledProblem> tweak) {
        CompiledProblem cp = TestProblems.compile(s);
        tweak.accept(cp);
        CpuProblem p = new CpuProblem(cp.ip(), cp.fp(), cp.data());
        ParticleState a = TestProblems.state(s);
        ParticleState b = TestProblems.state(s);
        float[][] xa = a.x();
        float[][] xb = b.x();
        double[][] aa = p.average ? a.avg() : null;
        double[][] ab = p.average ? b.avg() : null;
        int count = a.particles();
        // ranges: the whole, and a split at an odd column (as two workers would see it)
        int cut = count / 3;
        long[][] pieces = {{0, 3}, {3, 10}, {10, 11}, {11, 26}};
        for (long[] piece : pieces) {
            long k0 = piece[0];
            long n = piece[1] - piece[0];
            float lr = s.dynamics() == Dynamics.SGD ? cp.lrAt(k0) : 0.0f;
            float ns = cp.noiseScaleAt(k0);
            CpuKernels.advanceJava(p, xa, aa, firstParticle, 0, cut, k0, n, s.burnIn(), s.seed(), lr, ns);
            CpuKernels.advanceJava(p, xa, aa, firstParticle, cut, count, k0, n, s.burnIn(), s.seed(), lr, ns);
            CpuKernels.advanceScalar(p, xb, ab, firstParticle, 0, count, k0, n, s.burnIn(), s.seed(), lr, ns);
        }
        for (int j = 0; j < xa.length; j++) {
            assertArrayEquals(xb[j], xa[j], what + ": coordinate " + j);
        }
        if (p.average) {
            for (int r = 0; r < aa.length; r++) {
                assertArrayEquals(ab[r], aa[r], what + ": window sum row " + r);
            }
        }
    }

    @Test
    void oneDimensionalLangevinAndBrownian() {
        InitialState init = new InitialState(new double[] {0.9}, 0.7);
        for (int c : COUNTS) {
            assertIdentical(base(Dynamics.LANGEVIN, LossKind.DOUBLE_WELL, 1, c).sigma(1.0).dt(0.01).init(init).build(),
                    0, "langevin double well P=" + c);
            assertIdentical(base(Dynamics.LANGEVIN, LossKind.DOUBLE_WELL, 1, c).sigma(0.7).dt(0.05).init(init)
                    .average(true).burnIn(5).build(), 0, "langevin double well averaged P=" + c);
            assertIdentical(quadratic(Dynamics.LANGEVIN, 1, c).sigma(0.8).dt(0.05).init(init).average(true).burnIn(12)
                    .build(), 3, "langevin quadratic averaged P=" + c);
            assertIdentical(quadratic(Dynamics.LANGEVIN, 1, c).sigma(0.8).dt(0.05).init(init).build(), 0,
                    "langevin quadratic P=" + c);
            assertIdentical(base(Dynamics.BROWNIAN, LossKind.NONE, 1, c).sigma(1.3).dt(0.1).build(), 0,
                    "brownian P=" + c);
        }
    }

    /** A symmetric positive-definite A with every entry non-zero, and a centre m, in dimension d. */
    private static RunSpecBuilder fullQuadratic(Dynamics dyn, int d, int particles) {
        return TestProblems.denseQuadratic(base(dyn, LossKind.QUADRATIC, d, particles), d);
    }

    /** Window sums in lanes: averaged SGD (linreg, the quadratic with data noise, a prior) and averaged full-batch linreg. */
    @Test
    void averagedSgdAndFullBatchLinregInLanes() {
        for (int d : new int[] {3, 9}) {
            TrainingSet lin = TrainingSets.synthetic(23, d, 0.5, 5, false);
            for (int c : new int[] {8, 33}) {
                RunSpec sgd = base(Dynamics.SGD, LossKind.LINREG, d, c).data(lin).lr(0.02).batch(2).average(true).burnIn(5)
                        .build();
                CompiledProblem cp = TestProblems.compile(sgd);
                assertTrue(SimdKernels.handles(new CpuProblem(cp.ip(), cp.fp(), cp.data()), true),
                        "the vector path takes averaged SGD");
                assertIdentical(sgd, 0, "sgd linreg averaged d=" + d + " P=" + c);
                assertIdentical(base(Dynamics.SGD, LossKind.LINREG, d, c).data(lin).lr(0.02).batch(3).average(true).burnIn(2)
                        .sampling(Sampling.WITHOUT_REPLACEMENT).build(), 3, "sgd linreg averaged without replacement d=" + d);
                assertIdentical(sgd, 0, "sgd linreg averaged with a prior d=" + d, TestProblems.PRIOR);
                assertIdentical(quadratic(Dynamics.SGD, d, c).data(lin).lr(0.02).batch(2).average(true).burnIn(4).build(), 0,
                        "sgd quadratic averaged d=" + d);
                assertIdentical(base(Dynamics.LANGEVIN, LossKind.LINREG, d, c).data(lin).sigma(0.5).dt(0.02).average(true)
                        .burnIn(3).build(), 0, "langevin linreg averaged d=" + d);
            }
        }
    }

    /**
     * Full-batch logistic with several chunks of examples (n = 70, 130: the gradient's sums run over chunks of 64)
     * and dimensions on both sides of the in-place and grouped dot products (d = 2, 7, 8, 13).
     */
    @Test
    void fullBatchLogisticAcrossChunksAndGroups() {
        int[][] cases = {{2, 130}, {7, 70}, {8, 70}, {13, 70}};
        for (int[] c : cases) {
            int d = c[0];
            TrainingSet log = TrainingSets.synthetic(c[1], d, Math.sqrt(d), 9, true);
            InitialState wide = new InitialState(new double[d], 1.5);
            assertIdentical(base(Dynamics.LANGEVIN, LossKind.LOGISTIC, d, 17).data(log).sigma(0.5).dt(0.05).init(wide)
                    .build(), 0, "langevin logistic d=" + d + " n=" + c[1]);
        }
    }

    /** The dense product's row sums in groups of eight and four terms and the rest (d = 9, 12, 13, 17). */
    @Test
    void denseQuadraticsAcrossTheRowSumGroups() {
        for (int d : new int[] {9, 12, 13, 17}) {
            InitialState init = new InitialState(new double[d], 0.8);
            assertIdentical(fullQuadratic(Dynamics.LANGEVIN, d, 33).sigma(0.7).dt(0.03).init(init).build(), 0,
                    "langevin quadratic d=" + d);
            assertIdentical(fullQuadratic(Dynamics.LANGEVIN, d, 17).sigma(0.7).dt(0.03).init(init).average(true).burnIn(3)
                    .build(), 1, "langevin quadratic averaged d=" + d);
        }
    }

    @Test
    void everyDimensionOfLangevinGradientFlowAndBrownian() {
        TrainingSet lin = TrainingSets.synthetic(29, 3, 0.5, 7, false);
        for (int c : new int[] {8, 9, 33, 100}) {
            for (int d : new int[] {2, 3, 4, 8}) {
                InitialState init = new InitialState(new double[d], 0.8);
                assertIdentical(fullQuadratic(Dynamics.LANGEVIN, d, c).sigma(0.7).dt(0.03).init(init).build(), 0,
                        "langevin quadratic d=" + d + " P=" + c);
                assertIdentical(fullQuadratic(Dynamics.LANGEVIN, d, c).sigma(0.7).dt(0.03).init(init).average(true).burnIn(7)
                        .build(), 3, "langevin quadratic averaged d=" + d + " P=" + c);
                assertIdentical(base(Dynamics.LANGEVIN, LossKind.DOUBLE_WELL, d, c).sigma(0.9).dt(0.02).init(init).build(), 0,
                        "langevin double well d=" + d + " P=" + c);
                assertIdentical(base(Dynamics.LANGEVIN, LossKind.DOUBLE_WELL, d, c).sigma(0.9).dt(0.02).init(init)
                        .average(true).burnIn(2).build(), 0, "langevin double well averaged d=" + d + " P=" + c);
                assertIdentical(fullQuadratic(Dynamics.GRADIENT_FLOW, d, c).dt(0.05).init(init).build(), 0,
                        "gradient flow d=" + d + " P=" + c);
                assertIdentical(base(Dynamics.BROWNIAN, LossKind.NONE, d, c).sigma(1.1).dt(0.1).build(), 0,
                        "brownian d=" + d + " P=" + c);
                assertIdentical(base(Dynamics.BROWNIAN, LossKind.NONE, d, c).sigma(1.1).dt(0.1).average(true).build(), 0,
                        "brownian averaged d=" + d + " P=" + c);
            }
            assertIdentical(base(Dynamics.LANGEVIN, LossKind.LINREG, 3, c).data(lin).sigma(0.5).dt(0.02).build(), 0,
                    "langevin linreg d=3 P=" + c);
            assertIdentical(base(Dynamics.GRADIENT_FLOW, LossKind.LINREG, 3, c).data(lin).dt(0.02).build(), 0,
                    "gradient flow linreg d=3 P=" + c);
            assertIdentical(fullQuadratic(Dynamics.GRADIENT_FLOW, 1, c).dt(0.05).build(), 0, "gradient flow d=1 P=" + c);
            for (int d : new int[] {1, 2, 3, 5, 13}) {
                TrainingSet ts = TrainingSets.synthetic(41, d, 0.5, 17, false);
                assertIdentical(base(Dynamics.SGD_SDE, LossKind.LINREG, d, c).data(ts).lr(0.05).dt(0.1).build(), 0,
                        "sgd sde linreg d=" + d + " P=" + c);
                assertIdentical(base(Dynamics.SGD_SDE, LossKind.LINREG, d, c).data(ts).lr(0.05).dt(0.1).average(true).burnIn(3)
                        .build(), 0, "sgd sde linreg averaged (scalar) d=" + d + " P=" + c);
            }
            for (int d : new int[] {1, 2, 3}) {
                TrainingSet log = TrainingSets.synthetic(31, d, 0.5, 9, true);
                InitialState wide = new InitialState(new double[d], 3.0);
                assertIdentical(base(Dynamics.LANGEVIN, LossKind.LOGISTIC, d, c).data(log).sigma(0.5).dt(0.05).init(wide)
                        .build(), 0, "langevin logistic d=" + d + " P=" + c);
                assertIdentical(base(Dynamics.GRADIENT_FLOW, LossKind.LOGISTIC, d, c).data(log).dt(0.1).init(wide).build(), 0,
                        "gradient flow logistic d=" + d + " P=" + c);
            }
        }
        // particles straddling 2^32 in d = 3 (normal index k·d + j crosses Philox blocks inside a step)
        assertIdentical(fullQuadratic(Dynamics.LANGEVIN, 3, 40).sigma(1.0).dt(0.01).build(), (1L << 32) - 13,
                "langevin d=3 across 2^32");
    }

    @Test
    void sgdOnLogisticAndOnTheQuadraticAndDoubleWellWithDataNoise() {
        for (int c : new int[] {8, 9, 33, 100}) {
            for (int d : new int[] {1, 2, 3}) {
                TrainingSet log = TrainingSets.synthetic(37, d, 0.5, 11, true);
                TrainingSet rows = TrainingSets.synthetic(37, d, 0.5, 13, false);
                InitialState wide = new InitialState(new double[d], 2.0);
                for (int b : new int[] {1, 3, 4}) {
                    assertIdentical(base(Dynamics.SGD, LossKind.LOGISTIC, d, c).data(log).lr(0.2).batch(b).init(wide).build(),
                            0, "sgd logistic d=" + d + " B=" + b + " P=" + c);
                    assertIdentical(fullQuadratic(Dynamics.SGD, d, c).data(rows).lr(0.05).batch(b).init(wide).build(), 0,
                            "sgd quadratic d=" + d + " B=" + b + " P=" + c);
                    assertIdentical(base(Dynamics.SGD, LossKind.DOUBLE_WELL, d, c).data(rows).lr(0.01).batch(b).init(wide)
                            .build(), 0, "sgd double well d=" + d + " B=" + b + " P=" + c);
                }
            }
        }
        TrainingSet rows = TrainingSets.synthetic(37, 3, 0.5, 13, false);
        assertIdentical(fullQuadratic(Dynamics.SGD, 3, 21).data(rows).lr(0.05).batch(2).build(), 0, "sgd quadratic prior",
                TestProblems.PRIOR);
        assertIdentical(fullQuadratic(Dynamics.SGD, 3, 21).data(rows).lr(0.05).batch(2).build(), 0, "sgd quadratic full D",
                TestProblems.precond(CpuProblem.PREC_FULL));
        assertIdentical(base(Dynamics.SGD, LossKind.LOGISTIC, 3, 21).data(TrainingSets.synthetic(37, 3, 0.5, 11, true)).lr(0.2)
                .batch(2).build(), 0, "sgd logistic diagonal D", TestProblems.precond(CpuProblem.PREC_DIAGONAL));
        CpuProblem q = problem(fullQuadratic(Dynamics.SGD, 3, 16).data(rows).lr(0.05).batch(2).build());
        assertTrue(SimdKernels.handles(q, false), "SGD on a quadratic with data noise");
        CpuProblem sde = problem(base(Dynamics.SGD_SDE, LossKind.LINREG, 3, 16).data(rows).lr(0.05).dt(0.1).build());
        assertTrue(SimdKernels.handles(sde, false), "the SGD SDE with constant noise");
        CpuProblem sdeState = problem(base(Dynamics.SGD_SDE, LossKind.LINREG, 3, 16).data(rows).lr(0.05).dt(0.1)
                .sdeNoise(SdeNoise.STATE).build());
        assertTrue(!SimdKernels.handles(sdeState, false), "state-dependent Σ(Φ) stays scalar");
    }

    @Test
    void theGeneralVectorPathIsTakenWhereItShouldBe() {
        CpuProblem q8 = problem(fullQuadratic(Dynamics.LANGEVIN, 8, 16).sigma(0.5).dt(0.01).build());
        assertTrue(SimdKernels.handles(q8, false) && SimdKernels.handles(q8, true), "Langevin on a quadratic, d = 8");
        CpuProblem lr = problem(base(Dynamics.LANGEVIN, LossKind.LINREG, 3, 16)
                .data(TrainingSets.synthetic(29, 3, 0.5, 7, false)).sigma(0.5).dt(0.02).build());
        assertTrue(SimdKernels.handles(lr, false), "full-batch linreg Langevin");
        assertTrue(SimdKernels.handles(lr, true), "averaged linreg (its window loss summed over the examples in lanes)");
        CpuProblem lg = problem(base(Dynamics.LANGEVIN, LossKind.LOGISTIC, 3, 16)
                .data(TrainingSets.synthetic(29, 3, 0.5, 7, true)).sigma(0.5).dt(0.02).build());
        assertTrue(SimdKernels.handles(lg, false), "full-batch logistic Langevin");
        assertTrue(!SimdKernels.handles(lg, true), "averaged logistic (its loss is softplus over the examples) stays scalar");
    }

    private static CpuProblem problem(RunSpec s) {
        CompiledProblem cp = TestProblems.compile(s);
        return new CpuProblem(cp.ip(), cp.fp(), cp.data());
    }

    /**
     * {@link SimdKernels#exp8} against {@code FloatMath.exp} on every float exponent range, the clamps, ±0, NaN and ±∞,
     * and the arguments around each (k ± ½)·ln 2, where the rounding of x/ln 2 and its truncation to k change.
     */
    @Test
    void vectorExpIsTheProjectsExpBitForBit() {
        java.util.Random r = new java.util.Random(17);
        float[] in = new float[8 * 4000 + 8 * 4 * 256];
        int at = 8 * 4000;
        for (int k = -128; k < 128; k++) {
            float edge = (float) ((k + 0.5) * Math.log(2.0));
            float down = edge;
            float up = edge;
            for (int j = 0; j < 16; j++) {
                in[at++] = down;
                in[at++] = up;
                down = Math.nextDown(down);
                up = Math.nextUp(up);
            }
        }
        for (int i = 0; i < 8 * 4000; i++) {
            in[i] = switch (i % 8) {
                case 0 -> (float) (r.nextDouble() * 200 - 100);
                case 1 -> (float) (r.nextGaussian() * 1e-3);
                case 2 -> Float.intBitsToFloat(r.nextInt());
                default -> (float) (r.nextDouble() * 180 - 90);
            };
        }
        float[] special = {0.0f, -0.0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -87.0f, 88.0f,
            -87.00001f, 88.00001f, 0.5f * 0x1.62e42fep-1f, -0.5f * 0x1.62e42fep-1f, Float.MIN_VALUE, Float.MAX_VALUE, 1e-30f};
        System.arraycopy(special, 0, in, 0, special.length);
        float[] out = in.clone();
        for (int i = 0; i < in.length; i += 8) {
            SimdKernels.exp8(out, i);
        }
        for (int i = 0; i < in.length; i++) {
            assertEquals(Float.floatToRawIntBits(org.langevin.rng.FloatMath.exp(in[i])), Float.floatToRawIntBits(out[i]),
                    "exp(" + in[i] + ")");
        }
    }

    @Test
    void counterHighWordAndExtremeWords() {
        // particles straddling 2^32 (counter word 3 changes inside a vector)
        long first = (1L << 32) - 13;
        assertIdentical(base(Dynamics.LANGEVIN, LossKind.DOUBLE_WELL, 1, 40).sigma(1.0).dt(0.01).build(), first,
                "langevin across 2^32");
        assertIdentical(base(Dynamics.BROWNIAN, LossKind.NONE, 1, 40).sigma(1.0).dt(0.01).build(), first,
                "brownian across 2^32");
        assertIdentical(sgdLinreg(3, 40, 1).build(), first, "sgd across 2^32");
    }

    @Test
    void sgdLinearRegression() {
        for (int c : COUNTS) {
            assertIdentical(sgdLinreg(8, c, 1).build(), 0, "sgd linreg d=8 B=1 P=" + c);
            assertIdentical(sgdLinreg(3, c, 3).build(), 5, "sgd linreg d=3 B=3 P=" + c);
        }
        assertIdentical(sgdLinreg(2, 19, 2).build(), 0, "sgd diagonal", TestProblems.precond(CpuProblem.PREC_DIAGONAL));
        assertIdentical(sgdLinreg(3, 19, 2).build(), 0, "sgd full", TestProblems.precond(CpuProblem.PREC_FULL));
        assertIdentical(sgdLinreg(4, 21, 2).build(), 0, "sgd prior", TestProblems.PRIOR);
    }

    /**
     * SGD without replacement in lanes (Floyd's algorithm lane-wise): n close to B so that most batches replace a
     * repeated candidate, every loss with a vector SGD path, batch sizes 1 to n.
     */
    @Test
    void sgdWithoutReplacementInLanes() {
        TrainingSet lin = TrainingSets.synthetic(9, 3, 0.5, 5, false);
        TrainingSet log = TrainingSets.synthetic(9, 2, 0.5, 5, true);
        for (int batch : new int[] {1, 2, 5, 8, 9}) {
            for (int c : new int[] {8, 33}) {
                RunSpec a = base(Dynamics.SGD, LossKind.LINREG, 3, c).data(lin).lr(0.05).batch(batch)
                        .sampling(Sampling.WITHOUT_REPLACEMENT).build();
                assertTrue(SimdKernels.handles(new CpuProblem(TestProblems.compile(a).ip(), TestProblems.compile(a).fp(),
                        TestProblems.compile(a).data()), false), "the vector path takes SGD without replacement");
                assertIdentical(a, 0, "sgd linreg without replacement B=" + batch + " P=" + c);
                assertIdentical(base(Dynamics.SGD, LossKind.LOGISTIC, 2, c).data(log).lr(0.05).batch(batch)
                        .sampling(Sampling.WITHOUT_REPLACEMENT).build(), 3, "sgd logistic without replacement B=" + batch);
                assertIdentical(quadratic(Dynamics.SGD, 3, c).data(lin).lr(0.05).batch(batch)
                        .sampling(Sampling.WITHOUT_REPLACEMENT).build(), 0, "sgd quadratic without replacement B=" + batch);
            }
        }
    }

    @Test
    void everyOtherDynamicsAndLossFallsBackToTheSameBits() {
        TrainingSet lin = TrainingSets.synthetic(23, 3, 0.5, 5, false);
        TrainingSet log = TrainingSets.synthetic(23, 3, 0.5, 5, true);
        for (int c : new int[] {9, 33}) {
            assertIdentical(quadratic(Dynamics.LANGEVIN, 3, c).sigma(0.5).dt(0.02).build(), 0, "langevin d=3");
            assertIdentical(quadratic(Dynamics.GRADIENT_FLOW, 2, c).dt(0.02).build(), 0, "gradient flow");
            assertIdentical(quadratic(Dynamics.BROWNIAN, 2, c).sigma(0.5).dt(0.02).build(), 0, "brownian d=2");
            assertIdentical(base(Dynamics.LANGEVIN, LossKind.LOGISTIC, 3, c).data(log).sigma(0.5).dt(0.02).build(), 0,
                    "langevin logistic");
            assertIdentical(base(Dynamics.SGD, LossKind.LOGISTIC, 3, c).data(log).lr(0.05).batch(2).build(), 0,
                    "sgd logistic");
            assertIdentical(base(Dynamics.SGD, LossKind.LINREG, 3, c).data(lin).lr(0.05).batch(4)
                    .sampling(Sampling.WITHOUT_REPLACEMENT).build(), 0, "sgd without replacement");
            assertIdentical(base(Dynamics.SGD, LossKind.LINREG, 3, c).data(lin).lr(0.05).batch(2).average(true)
                    .burnIn(4).build(), 0, "sgd averaged");
            assertIdentical(base(Dynamics.SGD_SDE, LossKind.LINREG, 3, c).data(lin).lr(0.05).dt(0.1)
                    .sdeNoise(SdeNoise.STATE).build(), 0, "sgd sde");
            assertIdentical(base(Dynamics.LANGEVIN, LossKind.DOUBLE_WELL, 1, c).sigma(1.0).dt(0.01).build(), 0,
                    "langevin double well with prior", TestProblems.PRIOR);
            assertIdentical(base(Dynamics.BROWNIAN, LossKind.NONE, 1, c).sigma(1.0).dt(0.01).average(true).build(), 0,
                    "brownian averaged");
        }
    }

    @Test
    void bulkNormalsAndWordsEqualTheScalarStreams() {
        int count = 21;
        long first = (1L << 32) - 5;
        long seed = 0x9E37_79B9_7F4A_7C15L;
        long block = 12345;
        float[] n = new float[4 * count];
        int[] w = new int[4 * count];
        Simd.normals(seed, first, block, count, n);
        Simd.words(seed, first, (1L << 32) + block, count, w);
        float[] four = new float[4];
        int[] words = new int[4];
        for (int i = 0; i < count; i++) {
            org.langevin.rng.NormalTransform.normal4(seed, first + i, block, four, 0);
            org.langevin.rng.Philox4x32.block(seed, first + i, (1L << 32) + block, words, 0);
            for (int r = 0; r < 4; r++) {
                assertEquals(Float.floatToRawIntBits(four[r]), Float.floatToRawIntBits(n[r * count + i]),
                        "normal " + r + " of particle " + i);
                assertEquals(words[r], w[r * count + i], "word " + r + " of particle " + i);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Simd.normals(seed, 0, 0, 3, new float[11]));
        assertThrows(IllegalArgumentException.class, () -> Simd.words(seed, -1, 0, 1, new int[4]));
    }
}
