package org.langevin.engine.device;

import org.langevin.reduce.BlockRecords;
import org.langevin.reduce.ReduceSpec;

/**
 * The parameter array {@code rp} of the record reduction ({@code kernels/lv_reduce.cuh}): the
 * divergence bound, the loss (kind, prior, c, matrix, vector), the histogram binning.
 */
final class RecordParams {
    /** Offsets of kernels/lv_reduce.cuh (LV_RP_*). */
    static final int BOUND = 0;
    static final int LOSS = 1;
    static final int PRIOR = 2;
    static final int C = 3;
    static final int BINS = 4;
    static final int LO = 5;
    static final int HI = 6;
    static final int SCALE = 7;
    static final int MAT = 8;

    private RecordParams() {
    }

    /**
     * @param spec the record's reduction (supported by {@link BlockRecords})
     * @param d the dimension
     * @param loss {@link org.langevin.model.HostLoss#polynomialCoefficients()}, or null when the spec has no loss
     * @return rp
     */
    static double[] of(ReduceSpec spec, int d, double[] loss) {
        double[] rp = new double[MAT + d * d + d];
        rp[BOUND] = spec.divergenceBound();
        if (spec.loss() != null) {
            if (loss == null || loss.length != 3 + d * d + d) {
                throw new IllegalArgumentException("the loss coefficients of d = " + d + " must hold " + (3 + d * d + d)
                        + " doubles, got " + (loss == null ? "none" : loss.length));
            }
            rp[LOSS] = loss[0];
            rp[PRIOR] = loss[1];
            rp[C] = loss[2];
            System.arraycopy(loss, 3, rp, MAT, d * d + d);
        }
        return binning(spec, rp);
    }

    /**
     * rp of a user model's reduction: the bound, the prior, the histogram binning (the loss is the model's).
     *
     * @param modelLoss {@link org.langevin.model.HostLoss#modelLossForm()}, or null without a loss
     */
    static double[] ofModel(ReduceSpec spec, int d, double[] modelLoss) {
        double[] rp = new double[MAT + d * d + d];
        rp[BOUND] = spec.divergenceBound();
        rp[PRIOR] = modelLoss == null ? 0 : modelLoss[1];
        return binning(spec, rp);
    }

    private static double[] binning(ReduceSpec spec, double[] rp) {
        double[] h = BlockRecords.histogramBinning(spec);
        if (h != null) {
            rp[BINS] = h[0];
            rp[LO] = h[1];
            rp[HI] = h[2];
            rp[SCALE] = h[3];
        }
        return rp;
    }
}
