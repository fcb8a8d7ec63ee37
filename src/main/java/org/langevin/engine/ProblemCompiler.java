package org.langevin.engine;

import static org.langevin.engine.CompiledProblem.*;

import org.langevin.linalg.NoiseGeometry;
import org.langevin.model.Dynamics;
import org.langevin.model.LossKind;
import org.langevin.model.RunSpec;
import org.langevin.model.TrainingSet;

/**
 * Flattens a validated {@link RunSpec} into the kernels' parameter arrays (kernels/README.md),
 * computing on the host, in double, everything the kernels take as constants: H and b of linear
 * regression, Σ(Φ*) and its Cholesky factor for the SGD SDE, the preconditioners Σ(Φ*)⁻¹ and
 * diag(1/σ_k). It also rejects step sizes beyond the stable range where the theory of the loss gives
 * one. Stateless and thread-safe.
 */
public final class ProblemCompiler {
    private ProblemCompiler() {
    }

    /**
     * @param spec a validated run specification (built-in loss or user model)
     * @return the parameter arrays every backend receives; for a user model only the dynamics, d, n, Δt,
     *         the integrator and SGD's preconditioner are filled, the rest stays 0
     * @throws IllegalArgumentException when a step size or learning rate is beyond the stable range,
     *                                  or Σ(Φ*) is singular where its inverse is needed
     */
    public static CompiledProblem compile(RunSpec spec) {
        int d = spec.dim();
        int n = spec.examples();
        int[] ip = new int[IP_LEN];
        float[] fp = new float[fpLen(d)];
        ip[IP_DYNAMICS] = spec.dynamics().code;
        ip[IP_LOSS] = spec.loss().code;
        ip[IP_DIM] = d;
        ip[IP_N] = n;
        ip[IP_BATCH] = spec.batch();
        ip[IP_SAMPLING] = spec.sampling().code;
        ip[IP_SDE_NOISE] = spec.sdeNoise().code;
        ip[IP_PRIOR] = spec.hasPrior() ? 1 : 0;
        ip[IP_AVERAGE] = spec.average() ? 1 : 0;
        boolean shift = n > 0 && (spec.loss() == LossKind.QUADRATIC || spec.loss() == LossKind.DOUBLE_WELL);
        ip[IP_SHIFT_NOISE] = shift ? 1 : 0;

        fp[FP_DT] = (float) spec.dt();
        fp[FP_PRIOR] = spec.hasPrior() ? (float) (1.0 / (n * spec.priorVariance())) : 0f;
        fp[FP_INVS2] = (float) (1.0 / spec.noiseVariance());

        ip[IP_INTEGRATOR] = spec.integrator() == null ? 0 : spec.integrator().code;
        if (spec.loss() == LossKind.MODEL) {
            // A user model: the engines read it through its compiled functions (ModelFunctions); the
            // parameter arrays carry only the dynamics, d, n, Δt and SGD's preconditioner.
            if (spec.dynamics() == Dynamics.SGD && spec.preconditionerMatrix() != null) {
                put(fp, fpPrec(d), spec.preconditionerMatrix());
                ip[IP_PRECOND] = spec.preconditioner() == org.langevin.model.PreconditionerKind.DIAGONAL ? 1 : 2;
            }
            float[] data = spec.data() == null ? new float[0] : spec.data().kernelData();
            return new CompiledProblem(spec, ip, fp, data);
        }
        NoiseGeometry geo = spec.loss() == LossKind.NONE ? null : NoiseGeometry.of(spec);
        if (spec.loss() == LossKind.QUADRATIC) {
            put(fp, FP_MAT, spec.quadraticMatrix());
            put(fp, fpVec(d), spec.quadraticCenter());
        } else if (spec.loss() == LossKind.LINREG) {
            put(fp, FP_MAT, geo.dataHessian());
            put(fp, fpVec(d), geo.dataVector());
        }
        if (shift) {
            put(fp, fpShift(d), spec.data().meanRow());
        }
        if (spec.dynamics() == Dynamics.SGD) {
            double[][] dm = switch (spec.preconditioner()) {
                case IDENTITY -> null;
                case DIAGONAL, FULL -> spec.preconditionerMatrix();
                case INVERSE_NOISE -> geo.inverseNoise();
                case RMSPROP -> geo.rmsprop();
            };
            ip[IP_PRECOND] = switch (spec.preconditioner()) {
                case IDENTITY -> 0;
                case DIAGONAL, RMSPROP -> 1;
                case FULL, INVERSE_NOISE -> 2;
            };
            if (dm != null) {
                put(fp, fpPrec(d), dm);
            }
        }
        if (spec.dynamics() == Dynamics.SGD_SDE) {
            put(fp, fpChol(d), geo.noiseCholesky());
        }
        if (geo != null) {
            geo.checkStable(spec);
        }
        float[] data = spec.data() == null ? new float[0] : spec.data().kernelData();
        return new CompiledProblem(spec, ip, fp, data);
    }

    private static void put(float[] fp, int off, double[][] m) {
        int d = m.length;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                fp[off + i * d + j] = (float) m[i][j];
            }
        }
    }

    private static void put(float[] fp, int off, double[] v) {
        for (int i = 0; i < v.length; i++) {
            fp[off + i] = (float) v[i];
        }
    }
}
