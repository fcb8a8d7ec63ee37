package org.langevin.engine.cpu;

import org.langevin.engine.CompiledProblem;
import org.langevin.engine.ParticleState;
import org.langevin.model.RunSpec;

/**
 * Test helper: compiles a RunSpec into the kernel arrays with the real ProblemCompiler and builds
 * initial states.
 */
final class TestProblems {
    private TestProblems() {
    }

    /** A prior of coefficient 0.3 on top of a compiled problem. */
    static final java.util.function.Consumer<CompiledProblem> PRIOR = cp -> {
        cp.ip()[CompiledProblem.IP_PRIOR] = 1;
        cp.fp()[CompiledProblem.FP_PRIOR] = 0.3f;
    };

    /** A preconditioner (diagonal or full code) with entries 0.5 + 0.25·(j + 2k) for k ≤ j, 0.1 above. */
    static java.util.function.Consumer<CompiledProblem> precond(int code) {
        return cp -> {
            int d = cp.ip()[CompiledProblem.IP_DIM];
            cp.ip()[CompiledProblem.IP_PRECOND] = code;
            int prec = CompiledProblem.fpPrec(d);
            for (int j = 0; j < d; j++) {
                for (int k = 0; k < d; k++) {
                    cp.fp()[prec + j * d + k] = k <= j ? 0.5f + 0.25f * (j + 2 * k) : 0.1f;
                }
            }
        };
    }

    /**
     * The quadratic loss with a symmetric positive-definite A of dimension d whose every entry is non-zero
     * (2 + j/4 on the diagonal, 0.3/(1 + |j − k|) off it) and the centre m_j = 0.2·j − 0.4.
     */
    static org.langevin.model.RunSpecBuilder denseQuadratic(org.langevin.model.RunSpecBuilder b, int d) {
        double[][] a = new double[d][d];
        double[] m = new double[d];
        for (int j = 0; j < d; j++) {
            for (int k = 0; k < d; k++) {
                a[j][k] = j == k ? 2.0 + 0.25 * j : 0.3 / (1 + Math.abs(j - k));
            }
            m[j] = 0.2 * j - 0.4;
        }
        return b.loss(org.langevin.model.LossKind.QUADRATIC).quadratic(a, m);
    }

    static CompiledProblem compile(RunSpec s) {
        return org.langevin.engine.ProblemCompiler.compile(s);
    }

    /** A state with every particle at the spec's initial point. */
    static ParticleState state(RunSpec s) {
        ParticleState st = new ParticleState(s.dim(), s.particlesInOneJvm(), s.average());
        double[] x0 = s.init().point();
        for (int j = 0; j < s.dim(); j++) {
            java.util.Arrays.fill(st.x()[j], (float) x0[j]);
        }
        return st;
    }

    /** Runs the spec from its initial state for all its steps on a fresh engine. */
    static ParticleState run(RunSpec s, int threads) {
        CompiledProblem cp = compile(s);
        ParticleState st = state(s);
        try (CpuEngine e = new CpuEngine(threads); var session = e.open(cp, st)) {
            session.advance(0, s.steps());
            session.download();
        }
        return st;
    }

    /** Sample mean of a row. */
    static double mean(float[] v) {
        double m = 0;
        for (float f : v) {
            m += f;
        }
        return m / v.length;
    }

    /** Central moment of order r about c. */
    static double moment(float[] v, double c, int r) {
        double m = 0;
        for (float f : v) {
            m += Math.pow(f - c, r);
        }
        return m / v.length;
    }
}
