package org.langevin.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.langevin.engine.CompiledProblem;
import org.langevin.engine.EngineSession;
import org.langevin.engine.ParticleState;
import org.langevin.model.Dynamics;
import org.langevin.model.InitialState;
import org.langevin.model.LearningRateSchedule;
import org.langevin.model.LossKind;
import org.langevin.model.PreconditionerKind;
import org.langevin.model.RunSpec;
import org.langevin.model.RunSpecBuilder;
import org.langevin.model.Sampling;
import org.langevin.model.SdeNoise;
import org.langevin.model.TrainingSet;
import org.langevin.model.TrainingSets;

/** Deterministic properties of the CPU engine: exact recursions, bit-identity across splits, validation. */
class CpuEngineExactTest {

    private static RunSpec langevin(int d, int particles, long steps, boolean average, long burnIn) {
        double[][] a = new double[d][d];
        double[] m = new double[d];
        for (int j = 0; j < d; j++) {
            a[j][j] = 1.0 + j;
            if (j > 0) {
                a[j][j - 1] = 0.25;
                a[j - 1][j] = 0.25;
            }
            m[j] = 0.5 * j;
        }
        return new RunSpecBuilder().dynamics(Dynamics.LANGEVIN).loss(LossKind.QUADRATIC).dim(d).quadratic(a, m)
                .sigma(0.8).dt(0.05).particles(particles).steps(steps).seed(77).average(average).burnIn(burnIn)
                .build();
    }

    private static RunSpec doubleWell(int particles, long steps, boolean average) {
        return new RunSpecBuilder().dynamics(Dynamics.LANGEVIN).loss(LossKind.DOUBLE_WELL).dim(1).sigma(1.0)
                .dt(0.01).init(new InitialState(new double[] {1.0}, 0)).particles(particles).steps(steps)
                .seed(0x1234_5678_9abcL).average(average).burnIn(0).build();
    }

    private static RunSpec sgd(int d, int particles, long steps, int batch, Sampling sampling, boolean logistic,
            boolean average) {
        TrainingSet ts = TrainingSets.synthetic(40, d, 0.5, 3, logistic);
        return new RunSpecBuilder().dynamics(Dynamics.SGD).loss(logistic ? LossKind.LOGISTIC : LossKind.LINREG)
                .dim(d).data(ts).lr(0.05).batch(batch).sampling(sampling).particles(particles).steps(steps)
                .seed(99).average(average).burnIn(average ? 10 : 0).build();
    }

    private static ParticleState runPieces(RunSpec s, int threads, long... cuts) {
        CompiledProblem cp = TestProblems.compile(s);
        ParticleState st = TestProblems.state(s);
        try (CpuEngine e = new CpuEngine(threads); EngineSession session = e.open(cp, st)) {
            long from = 0;
            for (long c : cuts) {
                session.advance(from, c);
                from = c;
            }
            session.download();
        }
        return st;
    }

    private static void assertSameBits(ParticleState a, ParticleState b) {
        assertEquals(a.dim(), b.dim());
        for (int j = 0; j < a.dim(); j++) {
            assertArrayEquals(a.x()[j], b.x()[j], "coordinate " + j);
        }
        assertEquals(a.hasAverages(), b.hasAverages());
        if (a.hasAverages()) {
            for (int r = 0; r < a.avg().length; r++) {
                assertArrayEquals(a.avg()[r], b.avg()[r], "window sum row " + r);
            }
        }
        assertEquals(a.stepsDone(), b.stepsDone());
    }

    /**
     * Gradient flow on a 2-D quadratic against the Euler recursion in double. The iteration contracts
     * with ρ = max|1 − Δt λ| ≤ 0.961, and a step rounds at most ~8 float operations on values ≤ 4, so
     * the accumulated difference is below 8·4·2⁻²⁴/(1 − ρ) ≈ 5e-5; we allow 1e-4.
     */
    @Test
    void gradientFlowMatchesEulerRecursion() {
        double[][] a = {{2.0, 0.5}, {0.5, 1.0}};
        double[] m = {1.0, -1.0};
        double dt = 0.05;
        int steps = 200;
        RunSpec s = new RunSpecBuilder().dynamics(Dynamics.GRADIENT_FLOW).loss(LossKind.QUADRATIC).dim(2)
                .quadratic(a, m).dt(dt).init(new InitialState(new double[] {3.0, 2.0}, 0)).particles(3)
                .steps(steps).build();
        ParticleState st = TestProblems.run(s, 1);
        double x0 = 3.0;
        double x1 = 2.0;
        for (int k = 0; k < steps; k++) {
            double g0 = a[0][0] * (x0 - m[0]) + a[0][1] * (x1 - m[1]);
            double g1 = a[1][0] * (x0 - m[0]) + a[1][1] * (x1 - m[1]);
            x0 -= dt * g0;
            x1 -= dt * g1;
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(x0, st.x()[0][i], 1e-4);
            assertEquals(x1, st.x()[1][i], 1e-4);
        }
        assertEquals(steps, st.stepsDone());
    }

    /** Gradient flow on the 1-D double well equals the contract's float recursion bit for bit. */
    @Test
    void gradientFlowDoubleWellIsTheFloatRecursion() {
        float dt = 0.01f;
        RunSpec s = new RunSpecBuilder().dynamics(Dynamics.GRADIENT_FLOW).loss(LossKind.DOUBLE_WELL).dim(1)
                .dt(0.01).init(new InitialState(new double[] {0.3}, 0)).particles(2).steps(500).build();
        ParticleState st = TestProblems.run(s, 1);
        float x = 0.3f;
        for (int k = 0; k < 500; k++) {
            x = x - (dt * ((4.0f * x) * ((x * x) - 1.0f)));
        }
        assertEquals(Float.floatToRawIntBits(x), Float.floatToRawIntBits(st.x()[0][1]));
        assertEquals(1.0f, x, 1e-4f);
    }

    /** Runs the general loop of CpuKernels (no specialised path) from the spec's start, in the given pieces. */
    private static ParticleState runGeneral(RunSpec s, long... cuts) {
        CompiledProblem cp = TestProblems.compile(s);
        CpuProblem p = new CpuProblem(cp.ip(), cp.fp(), cp.data());
        ParticleState st = TestProblems.state(s);
        long from = 0;
        for (long c : cuts) {
            CpuKernels.advanceGeneral(p, st.x(), st.avg(), 0L, 0, s.particlesInOneJvm(), from, c - from, s.burnIn(), s.seed(),
                    cp.lrAt(from), cp.noiseScaleAt(from));
            from = c;
        }
        st.setStepsDone(from);
        return st;
    }

    /** The specialised 1-D paths (Langevin double well and quadratic, Brownian) equal the general loop. */
    @Test
    void specialisedPathsEqualGeneralPath() {
        RunSpec quad = new RunSpecBuilder().dynamics(Dynamics.LANGEVIN).loss(LossKind.QUADRATIC).dim(1)
                .quadratic(new double[][] {{1.5}}, new double[] {-0.25}).sigma(0.9).dt(0.1).particles(101).steps(103)
                .seed(4).average(true).burnIn(40).build();
        RunSpec brown = new RunSpecBuilder().dynamics(Dynamics.BROWNIAN).dim(1).sigma(0.7).dt(0.1).particles(33)
                .steps(41).seed(8).build();
        RunSpec[] specs = {doubleWell(101, 103, false), doubleWell(101, 103, true), quad,
            quad.toBuilder().average(false).build(), brown};
        for (RunSpec s : specs) {
            assertSameBits(runGeneral(s, 37, s.steps()), runPieces(s, 2, 37, s.steps()));
        }
    }

    /** Window sums equal a direct recomputation from the trajectory taken one step at a time. */
    @Test
    void windowSumsEqualDirectRecomputation() {
        int d = 2;
        int steps = 20;
        long burnIn = 5;
        RunSpec s = langevin(d, 7, steps, true, burnIn);
        ParticleState st = TestProblems.run(s, 2);

        RunSpec plain = s.toBuilder().average(false).build();
        CompiledProblem cp = TestProblems.compile(plain);
        CpuProblem p = new CpuProblem(cp.ip(), cp.fp(), cp.data());
        ParticleState walk = TestProblems.state(plain);
        double[][] sums = new double[2 * d + 1][7];
        float[] xv = new float[d];
        try (CpuEngine e = new CpuEngine(1); EngineSession session = e.open(cp, walk)) {
            for (int k = 0; k < steps; k++) {
                session.advance(k, k + 1);
                if (k + 1 > burnIn) {
                    for (int i = 0; i < 7; i++) {
                        walk.particle(i, xv);
                        for (int j = 0; j < d; j++) {
                            sums[j][i] += (double) xv[j];
                            sums[d + j][i] += (double) xv[j] * (double) xv[j];
                        }
                        sums[2 * d][i] += (double) CpuLoss.value(p, xv);
                    }
                }
            }
        }
        for (int j = 0; j < d; j++) {
            assertArrayEquals(walk.x()[j], st.x()[j]);
        }
        for (int r = 0; r < 2 * d + 1; r++) {
            assertArrayEquals(sums[r], st.avg()[r], "row " + r);
        }
        // The quadratic loss is ½δᵀAδ ≥ 0 and not identically zero.
        assertTrue(st.avg()[2 * d][0] > 0);
    }

    /** One thread and three threads give the same bytes. */
    @Test
    void threadCountInvariance() {
        RunSpec[] specs = {doubleWell(1001, 60, false), langevin(3, 1001, 30, true, 4),
            sgd(2, 1001, 30, 3, Sampling.WITHOUT_REPLACEMENT, false, true)};
        for (RunSpec s : specs) {
            assertSameBits(TestProblems.run(s, 1), TestProblems.run(s, 3));
        }
    }

    /** Advancing in pieces (0→50→100, and uneven cuts starting mid-block) equals one advance 0→100. */
    @Test
    void advanceInPiecesEqualsOneAdvance() {
        RunSpec[] specs = {doubleWell(50, 100, false), doubleWell(50, 100, true), langevin(3, 50, 100, true, 30),
            sgd(2, 50, 100, 3, Sampling.WITH_REPLACEMENT, true, true),
            sgd(3, 50, 100, 5, Sampling.WITHOUT_REPLACEMENT, false, false),
            new RunSpecBuilder().dynamics(Dynamics.BROWNIAN).dim(1).sigma(1).dt(0.1).particles(50).steps(100).build()};
        for (RunSpec s : specs) {
            ParticleState whole = runPieces(s, 2, 100);
            assertSameBits(whole, runPieces(s, 2, 50, 100));
            assertSameBits(whole, runPieces(s, 2, 7, 13, 13, 99, 100));
        }
    }

    /** Logistic and linear-regression SGD (all preconditioners, both samplings, prior) stay finite. */
    @Test
    void sgdRunsWithoutNaN() {
        for (boolean logistic : new boolean[] {false, true}) {
            for (Sampling sm : Sampling.values()) {
                RunSpec base = sgd(3, 200, 200, 4, sm, logistic, true);
                RunSpec[] variants = {base,
                    base.toBuilder().preconditioner(PreconditionerKind.DIAGONAL, new double[][] {{0.5, 1.0, 2.0}}).build(),
                    base.toBuilder().preconditioner(PreconditionerKind.FULL,
                            new double[][] {{1.0, 0.1, 0.0}, {0.1, 1.0, 0.1}, {0.0, 0.1, 1.0}}).build(),
                    base.toBuilder().priorVariance(4.0).build()};
                for (RunSpec s : variants) {
                    ParticleState st = TestProblems.run(s, 2);
                    assertAllFinite(st);
                    // the particles moved away from the common start 0 and do not all agree
                    assertTrue(st.x()[0][0] != st.x()[0][1]);
                }
            }
        }
    }

    /** The SGD SDE with constant and with state-dependent noise, and full-gradient logistic Langevin, stay finite. */
    @Test
    void sgdSdeAndLogisticLangevinRunWithoutNaN() {
        TrainingSet ts = TrainingSets.synthetic(30, 2, 0.5, 4, false);
        for (SdeNoise noise : SdeNoise.values()) {
            RunSpec s = new RunSpecBuilder().dynamics(Dynamics.SGD_SDE).loss(LossKind.LINREG).dim(2).data(ts)
                    .lr(0.05).dt(0.05).sdeNoise(noise).particles(100).steps(100).seed(3).average(true).build();
            ParticleState st = TestProblems.run(s, 2);
            assertAllFinite(st);
            assertSameBits(st, runPieces(s, 1, 33, 100));
        }
        TrainingSet cls = TrainingSets.synthetic(30, 2, 1.0, 4, true);
        RunSpec lg = new RunSpecBuilder().dynamics(Dynamics.LANGEVIN).loss(LossKind.LOGISTIC).dim(2).data(cls)
                .sigma(0.3).dt(0.05).priorVariance(1.0).particles(100).steps(100).average(true).build();
        assertAllFinite(TestProblems.run(lg, 2));
    }

    /**
     * The float Cholesky factor of Σ(x) (linreg) reproduces Σ computed in double: entries of size ≤ ~10
     * through ~2n + 2d float operations each, so 1e-3 relative is a loose bound.
     */
    @Test
    void stateCholeskyReproducesCovariance() {
        int d = 3;
        TrainingSet ts = TrainingSets.synthetic(25, d, 0.5, 6, false);
        RunSpec s = new RunSpecBuilder().dynamics(Dynamics.SGD_SDE).loss(LossKind.LINREG).dim(d).data(ts)
                .noiseVariance(2.0).lr(0.1).sdeNoise(SdeNoise.STATE).particles(1).steps(1).build();
        CompiledProblem cp = TestProblems.compile(s);
        CpuProblem p = new CpuProblem(cp.ip(), cp.fp(), cp.data());
        CpuDynamics dyn = new CpuDynamics(p, 1);
        float[] x = {0.3f, -0.2f, 0.7f};
        dyn.stateCholesky(x, new float[d]);
        int n = ts.n();
        double[][] g = new double[n][d];
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            double z = 0;
            for (int k = 0; k < d; k++) {
                z += ts.x(i, k) * (double) x[k];
            }
            double r = (z - ts.y(i)) / 2.0;
            for (int j = 0; j < d; j++) {
                g[i][j] = ts.x(i, j) * r;
                mean[j] += g[i][j] / n;
            }
        }
        for (int j = 0; j < d; j++) {
            for (int k = 0; k <= j; k++) {
                double sigma = 0;
                for (int i = 0; i < n; i++) {
                    sigma += (g[i][j] - mean[j]) * (g[i][k] - mean[k]) / n;
                }
                double ssT = 0;
                for (int m = 0; m <= k; m++) {
                    ssT += (double) dyn.stateFactor(j, m) * dyn.stateFactor(k, m);
                }
                assertEquals(sigma, ssT, 1e-3 * Math.max(1.0, Math.abs(sigma)), "Σ[" + j + "][" + k + "]");
            }
        }
    }

    /** Misuse is rejected with messages that name the value. */
    @Test
    void validation() {
        assertThrows(IllegalArgumentException.class, () -> new CpuEngine(0));
        RunSpec s = langevin(2, 4, 10, false, 0);
        CompiledProblem cp = TestProblems.compile(s);
        ParticleState st = TestProblems.state(s);
        try (CpuEngine e = new CpuEngine(1); EngineSession session = e.open(cp, st)) {
            IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> session.advance(3, 5));
            assertTrue(ex.getMessage().contains("3"));
            assertThrows(IllegalArgumentException.class, () -> session.advance(0, -1));
            session.advance(0, 0);
            assertEquals(0, st.stepsDone());
        }
        RunSpec avg = langevin(2, 4, 10, true, 0);
        try (CpuEngine e = new CpuEngine(1)) {
            assertThrows(IllegalArgumentException.class, () -> e.open(cp, new ParticleState(3, 4, false)));
            assertThrows(IllegalArgumentException.class,
                    () -> e.open(TestProblems.compile(avg), new ParticleState(2, 4, false)));
        }
        // a launch must not span a learning-rate change
        RunSpec decay = sgd(2, 4, 100, 1, Sampling.WITH_REPLACEMENT, false, false).toBuilder()
                .schedule(new LearningRateSchedule(0.1, 0.5, new long[] {50})).build();
        ParticleState ds = TestProblems.state(decay);
        try (CpuEngine e = new CpuEngine(1); EngineSession session = e.open(TestProblems.compile(decay), ds)) {
            assertThrows(IllegalArgumentException.class, () -> session.advance(0, 60));
            session.advance(0, 50);
            session.advance(50, 100);
            assertEquals(100, ds.stepsDone());
        }
        CpuEngine closed = new CpuEngine(1);
        closed.close();
        assertThrows(IllegalStateException.class, () -> closed.open(cp, st));
    }

    private static void assertAllFinite(ParticleState st) {
        for (float[] row : st.x()) {
            for (float v : row) {
                assertTrue(Float.isFinite(v), "non-finite coordinate " + v);
            }
        }
        if (st.hasAverages()) {
            for (double[] row : st.avg()) {
                for (double v : row) {
                    assertTrue(Double.isFinite(v), "non-finite window sum " + v);
                }
            }
        }
    }
}
