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
