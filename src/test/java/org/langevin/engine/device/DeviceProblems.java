package org.langevin.engine.device;

import java.util.Arrays;
import org.langevin.engine.CompiledProblem;
import org.langevin.engine.Engine;
import org.langevin.engine.EngineSession;
import org.langevin.engine.ParticleState;
import org.langevin.model.Dynamics;
import org.langevin.model.LossKind;
import org.langevin.model.RunSpec;
import org.langevin.model.TrainingSet;

/**
 * Test helper for the device engines: flattens a RunSpec into the kernel arrays by hand, per
 * kernels/README.md (a stand-in for ProblemCompiler), builds deterministic non-trivial initial
 * states, and runs engines.
 */
public final class DeviceProblems {
    private DeviceProblems() {
    }

    /** The kernel arrays of a spec; the constant SGD SDE factor S is a fixed lower-triangular matrix. */
    public static CompiledProblem compile(RunSpec s) {
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
            case DIAGONAL, RMSPROP -> 1;
            case FULL, INVERSE_NOISE -> 2;
        };
        ip[CompiledProblem.IP_SDE_NOISE] = s.sdeNoise().code;
        ip[CompiledProblem.IP_PRIOR] = s.hasPrior() ? 1 : 0;
        ip[CompiledProblem.IP_AVERAGE] = s.average() ? 1 : 0;
        boolean shift = n > 0 && (s.loss() == LossKind.QUADRATIC || s.loss() == LossKind.DOUBLE_WELL);
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
        if (s.preconditionerMatrix() != null) {
            int prec = CompiledProblem.fpPrec(d);
            for (int j = 0; j < d; j++) {
                for (int k = 0; k < d; k++) {
                    fp[prec + j * d + k] = (float) s.preconditionerMatrix()[j][k];
                }
            }
        }
        if (s.dynamics() == Dynamics.SGD_SDE) {
            int chol = CompiledProblem.fpChol(d);
            for (int j = 0; j < d; j++) {
                for (int k = 0; k <= j; k++) {
                    fp[chol + j * d + k] = j == k ? 0.75f : 0.125f * (k + 1);
                }
            }
        }
        if (shift) {
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

    /** A state whose particles start at distinct, deterministic points in [−1.5, 1.5]^d. */
    public static ParticleState state(RunSpec s) {
        ParticleState st = new ParticleState(s.dim(), s.particles(), s.average());
        for (int j = 0; j < s.dim(); j++) {
            for (int i = 0; i < s.particles(); i++) {
                st.x()[j][i] = (float) (((i * 37L + j * 11L) % 97) / 32.0 - 1.5);
            }
        }
        return st;
    }

    /**
     * Runs steps [0, steps) on an engine, advancing in the given segments, and downloads.
     *
     * @param cuts increasing interior step indices where one advance call ends and the next begins
     */
    public static ParticleState run(Engine engine, RunSpec s, long steps, long... cuts) {
        CompiledProblem cp = compile(s);
        ParticleState st = state(s);
        try (EngineSession session = engine.open(cp, st)) {
            long k = 0;
            long[] ends = Arrays.copyOf(cuts, cuts.length + 1);
            ends[cuts.length] = steps;
            for (long end : ends) {
                long e = end;
                while (k < e) {
                    long next = Math.min(e, cp.nextChangeAfter(k));
                    session.advance(k, next);
                    k = next;
                }
            }
            session.download();
        }
        st.setStepsDone(steps);
        return st;
    }

    /** @return a description of the first bitwise difference between two states, or null when identical */
    public static String firstDifference(ParticleState a, ParticleState b) {
        for (int j = 0; j < a.dim(); j++) {
            for (int i = 0; i < a.particles(); i++) {
                if (Float.floatToRawIntBits(a.x()[j][i]) != Float.floatToRawIntBits(b.x()[j][i])) {
                    return "x[" + j + "][" + i + "]: " + a.x()[j][i] + " vs " + b.x()[j][i];
                }
            }
        }
        if (a.hasAverages() != b.hasAverages()) {
            return "one state has window sums, the other not";
        }
        if (a.hasAverages()) {
            for (int r = 0; r < a.avg().length; r++) {
                for (int i = 0; i < a.particles(); i++) {
                    if (Double.doubleToRawLongBits(a.avg()[r][i]) != Double.doubleToRawLongBits(b.avg()[r][i])) {
                        return "avg[" + r + "][" + i + "]: " + a.avg()[r][i] + " vs " + b.avg()[r][i];
                    }
                }
            }
        }
        return null;
    }

    /** @return the number of coordinates that moved away from the initial state and are finite, or −1 if one is not finite */
    public static int movedFinite(RunSpec s, ParticleState after) {
        ParticleState before = state(s);
        int moved = 0;
        for (int j = 0; j < s.dim(); j++) {
            for (int i = 0; i < s.particles(); i++) {
                float v = after.x()[j][i];
                if (!Float.isFinite(v)) {
                    return -1;
                }
                if (v != before.x()[j][i]) {
                    moved++;
                }
            }
        }
        return moved;
    }
}
