package org.langevin.engine.cpu;

import org.langevin.engine.CompiledProblem;
import org.langevin.engine.ParticleState;
import org.langevin.model.Dynamics;
import org.langevin.model.LossKind;
import org.langevin.model.RunSpec;
import org.langevin.model.TrainingSet;

/**
 * Test helper: flattens a RunSpec into the kernel arrays by hand, per kernels/README.md (a stand-in
 * for the project's ProblemCompiler). The constant SGD SDE factor S is the identity unless the test
 * overwrites it.
 */
final class TestProblems {
    private TestProblems() {
    }

    static CompiledProblem compile(RunSpec s) {
        int d = s.dim();
        int n = s.examples();
        int[] ip = new int[CompiledProblem.IP_LEN];
        float[] fp = new float[CompiledProblem.fpLen(d)];
        ip[CompiledProblem.IP_DYNAMICS] = s.dynamics().code;
        ip[CompiledProblem.IP_LOSS] = s.loss().code;
        ip[CompiledProblem.IP_DIM] = d;
        ip[CompiledProblem.IP_N] = n;
        ip[CompiledProblem.IP_BATCH] = s.batch();
        ip[CompiledProblem.IP_SAMPLING] = s.sampling().code;
        ip[CompiledProblem.IP_PRECOND] = switch (s.preconditioner()) {
            case IDENTITY -> 0;
            case DIAGONAL -> 1;
            default -> 2;
        };
        ip[CompiledProblem.IP_SDE_NOISE] = s.sdeNoise().code;
        ip[CompiledProblem.IP_PRIOR] = s.hasPrior() ? 1 : 0;
        ip[CompiledProblem.IP_AVERAGE] = s.average() ? 1 : 0;
        boolean shift = s.dynamics() == Dynamics.SGD
                && (s.loss() == LossKind.QUADRATIC || s.loss() == LossKind.DOUBLE_WELL);
        ip[CompiledProblem.IP_SHIFT_NOISE] = shift ? 1 : 0;
        fp[CompiledProblem.FP_DT] = (float) s.dt();
        fp[CompiledProblem.FP_PRIOR] = s.hasPrior() ? (float) (1.0 / (n * s.priorVariance())) : 0f;
        fp[CompiledProblem.FP_INVS2] = (float) (1.0 / s.noiseVariance());
        int mat = CompiledProblem.FP_MAT;
        int vec = CompiledProblem.fpVec(d);
        TrainingSet ts = s.data();
        if (s.loss() == LossKind.QUADRATIC) {
            for (int j = 0; j < d; j++) {
                for (int k = 0; k < d; k++) {
                    fp[mat + j * d + k] = (float) s.quadraticMatrix()[j][k];
                }
                fp[vec + j] = (float) s.quadraticCenter()[j];
            }
        } else if (s.loss() == LossKind.LINREG) {
            for (int j = 0; j < d; j++) {
                for (int k = 0; k < d; k++) {
                    double h = 0;
                    for (int i = 0; i < n; i++) {
                        h += (double) ts.x(i, j) * ts.x(i, k);
                    }
                    fp[mat + j * d + k] = (float) (h / (n * s.noiseVariance()));
                }
                double b = 0;
                for (int i = 0; i < n; i++) {
                    b += (double) ts.x(i, j) * ts.y(i);
                }
                fp[vec + j] = (float) (b / (n * s.noiseVariance()));
            }
        }
        int prec = CompiledProblem.fpPrec(d);
        if (s.preconditionerMatrix() != null) {
            for (int j = 0; j < d; j++) {
                for (int k = 0; k < d; k++) {
                    fp[prec + j * d + k] = (float) s.preconditionerMatrix()[j][k];
                }
            }
        }
        int chol = CompiledProblem.fpChol(d);
        for (int j = 0; j < d; j++) {
            fp[chol + j * d + j] = 1f;
        }
        if (ts != null) {
            int sh = CompiledProblem.fpShift(d);
            for (int j = 0; j < d; j++) {
                double m = 0;
                for (int i = 0; i < n; i++) {
                    m += ts.x(i, j);
                }
                fp[sh + j] = (float) (m / n);
            }
        }
        float[] data = ts == null ? new float[0] : ts.kernelData();
        return new CompiledProblem(s, ip, fp, data);
    }

    /** A state with every particle at the spec's initial point. */
    static ParticleState state(RunSpec s) {
        ParticleState st = new ParticleState(s.dim(), s.particles(), s.average());
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
