package org.langevin.engine.cpu;

import static org.langevin.engine.CompiledProblem.FP_DT;
import static org.langevin.engine.CompiledProblem.FP_INVS2;
import static org.langevin.engine.CompiledProblem.FP_MAT;
import static org.langevin.engine.CompiledProblem.FP_PRIOR;
import static org.langevin.engine.CompiledProblem.IP_AVERAGE;
import static org.langevin.engine.CompiledProblem.IP_BATCH;
import static org.langevin.engine.CompiledProblem.IP_DIM;
import static org.langevin.engine.CompiledProblem.IP_DYNAMICS;
import static org.langevin.engine.CompiledProblem.IP_LOSS;
import static org.langevin.engine.CompiledProblem.IP_N;
import static org.langevin.engine.CompiledProblem.IP_PRECOND;
import static org.langevin.engine.CompiledProblem.IP_PRIOR;
import static org.langevin.engine.CompiledProblem.IP_SAMPLING;
import static org.langevin.engine.CompiledProblem.IP_SDE_NOISE;
import static org.langevin.engine.CompiledProblem.IP_SHIFT_NOISE;

import org.langevin.engine.CompiledProblem;

/**
 * The parameters of a launch read once from the kernel arrays ip, fp and data: the Java mirror of
 * {@code LvProblem} in kernels/lv_loss.cuh. Immutable after construction; the arrays are shared,
 * not copied, and must not change while the engine runs.
 */
final class CpuProblem {
    static final int MAX_DIM = 64;
    /** Batch limit of sampling without replacement ({@code LV_MAX_BATCH_DISTINCT}). */
    static final int MAX_BATCH_DISTINCT = 256;

    static final int DYN_BROWNIAN = 0;
    static final int DYN_GRADIENT_FLOW = 1;
    static final int DYN_LANGEVIN = 2;
    static final int DYN_SGD = 3;
    static final int DYN_SGD_SDE = 4;

    static final int LOSS_NONE = 0;
    static final int LOSS_QUADRATIC = 1;
    static final int LOSS_DOUBLE_WELL = 2;
    static final int LOSS_LINREG = 3;
    static final int LOSS_LOGISTIC = 4;

    static final int PREC_IDENTITY = 0;
    static final int PREC_DIAGONAL = 1;
    static final int PREC_FULL = 2;

    /** Dynamics code. */
    final int dynamics;
    /** Loss code. */
    final int loss;
    /** Dimension d. */
    final int d;
    /** Examples n (0 without a training set). */
    final int n;
    /** Batch size B. */
    final int batch;
    /** True: sampling without replacement. */
    final boolean distinct;
    /** Preconditioner code. */
    final int precond;
    /** True: SGD SDE with the state-dependent Σ(Φ). */
    final boolean stateNoise;
    /** True: Gaussian prior. */
    final boolean prior;
    /** True: window sums. */
    final boolean average;
    /** True: additive gradient noise from the data rows (quadratic/double-well SGD). */
    final boolean shift;
    /** Δt. */
    final float dt;
    /** Prior coefficient 1/(nτ²). */
    final float priorCoef;
    /** 1/s². */
    final float invS2;
    /** The float parameters. */
    final float[] fp;
    /** Offsets in fp of A or H, m or b, D, S, x̄. */
    final int mat, vec, prec, chol, xbar;
    /** Training data: features (n·d row-major) then targets; offset of the targets. */
    final float[] data;
    final int ys;

    /**
     * @param ip integer parameters
     * @param fp float parameters
     * @param data training data, or an empty array / null when n = 0
     * @throws IllegalArgumentException when the arrays do not describe a problem the kernels run
     */
    CpuProblem(int[] ip, float[] fp, float[] data) {
        if (ip == null || ip.length < CompiledProblem.IP_LEN) {
            throw new IllegalArgumentException("ip must have " + CompiledProblem.IP_LEN + " entries, got "
                    + (ip == null ? "null" : ip.length));
        }
        dynamics = ip[IP_DYNAMICS];
        loss = ip[IP_LOSS];
        d = ip[IP_DIM];
        n = ip[IP_N];
        batch = ip[IP_BATCH];
        distinct = ip[IP_SAMPLING] != 0;
        precond = ip[IP_PRECOND];
        stateNoise = ip[IP_SDE_NOISE] != 0;
        prior = ip[IP_PRIOR] != 0;
        average = ip[IP_AVERAGE] != 0;
        shift = ip[IP_SHIFT_NOISE] != 0;
        if (dynamics < DYN_BROWNIAN || dynamics > DYN_SGD_SDE) {
            throw new IllegalArgumentException("ip[IP_DYNAMICS] must be 0..4, got " + dynamics);
        }
        if (loss < LOSS_NONE || loss > LOSS_LOGISTIC) {
            throw new IllegalArgumentException("ip[IP_LOSS] must be 0..4, got " + loss);
        }
        if (d < 1 || d > MAX_DIM) {
            throw new IllegalArgumentException("ip[IP_DIM] must be in 1.." + MAX_DIM + ", got " + d);
        }
        if (fp == null || fp.length < CompiledProblem.fpLen(d)) {
            throw new IllegalArgumentException("fp must have " + CompiledProblem.fpLen(d) + " entries for d = " + d
                    + ", got " + (fp == null ? "null" : fp.length));
        }
        if (n < 0 || (n > 0 && (data == null || data.length < (long) n * (d + 1)))) {
            throw new IllegalArgumentException("data must hold n·(d+1) = " + ((long) n * (d + 1))
                    + " floats for ip[IP_N] = " + n + ", got " + (data == null ? "null" : data.length));
        }
        if ((loss == LOSS_LINREG || loss == LOSS_LOGISTIC) && n < 1) {
            throw new IllegalArgumentException("loss " + loss + " needs a training set, but ip[IP_N] = " + n);
        }
        if (dynamics == DYN_SGD) {
            if (n < 1 || batch < 1 || batch > n) {
                throw new IllegalArgumentException("SGD needs 1 <= ip[IP_BATCH] <= ip[IP_N] = " + n + ", got " + batch);
            }
            if (distinct && batch > MAX_BATCH_DISTINCT) {
                throw new IllegalArgumentException("sampling without replacement supports batches up to "
                        + MAX_BATCH_DISTINCT + ", got " + batch + " (use with-replacement sampling)");
            }
            if ((loss == LOSS_QUADRATIC || loss == LOSS_DOUBLE_WELL) && !shift) {
                throw new IllegalArgumentException("SGD on loss " + loss + " draws its gradient noise from the data rows: "
                        + "set ip[IP_SHIFT_NOISE] = 1");
            }
            if (precond < PREC_IDENTITY || precond > PREC_FULL) {
                throw new IllegalArgumentException("ip[IP_PRECOND] must be 0..2, got " + precond);
            }
        }
        if (dynamics == DYN_SGD_SDE && stateNoise && (loss != LOSS_LINREG || n < 1)) {
            throw new IllegalArgumentException("the state-dependent SGD SDE noise needs loss linreg (3), got " + loss);
        }
        dt = fp[FP_DT];
        priorCoef = fp[FP_PRIOR];
        invS2 = fp[FP_INVS2];
        this.fp = fp;
        mat = FP_MAT;
        vec = CompiledProblem.fpVec(d);
        prec = CompiledProblem.fpPrec(d);
        chol = CompiledProblem.fpChol(d);
        xbar = CompiledProblem.fpShift(d);
        this.data = data == null ? new float[0] : data;
        ys = n * d;
    }

    /** @return the normals per step q of the dynamics */
    int normalsPerStep() {
        return dynamics == DYN_GRADIENT_FLOW || dynamics == DYN_SGD ? 0 : d;
    }
}
