package org.langevin.engine.cpu;

import static org.langevin.engine.cpu.CpuProblem.LOSS_DOUBLE_WELL;
import static org.langevin.engine.cpu.CpuProblem.LOSS_LINREG;
import static org.langevin.engine.cpu.CpuProblem.LOSS_LOGISTIC;
import static org.langevin.engine.cpu.CpuProblem.LOSS_QUADRATIC;

import org.langevin.rng.FloatMath;

/**
 * Losses in float: value, full gradient, per-example gradient and prior. Mirrors
 * kernels/lv_loss.cuh line for line (same operations, same order); see kernels/README.md, section
 * "Dynamics, exactly". Stateless; safe from any thread.
 */
final class CpuLoss {
    private CpuLoss() {
    }

    /** g = ∇L(x) without the prior term ({@code lv_grad_base}). */
    static void gradBase(CpuProblem p, float[] x, float[] g) {
        final int d = p.d;
        final float[] fp = p.fp;
        if (p.loss == LOSS_DOUBLE_WELL) {
            for (int j = 0; j < d; j++) {
                g[j] = (4.0f * x[j]) * ((x[j] * x[j]) - 1.0f);
            }
        } else if (p.loss == LOSS_QUADRATIC) {
            for (int j = 0; j < d; j++) {
                float acc = 0.0f;
                for (int k = 0; k < d; k++) {
                    acc = acc + (fp[p.mat + j * d + k] * (x[k] - fp[p.vec + k]));
                }
                g[j] = acc;
            }
        } else if (p.loss == LOSS_LINREG) {
            for (int j = 0; j < d; j++) {
                float acc = 0.0f;
                for (int k = 0; k < d; k++) {
                    acc = acc + (fp[p.mat + j * d + k] * x[k]);
                }
                g[j] = acc - fp[p.vec + j];
            }
        } else if (p.loss == LOSS_LOGISTIC) {
            final float[] data = p.data;
            for (int j = 0; j < d; j++) {
                g[j] = 0.0f;
            }
            for (int i = 0; i < p.n; i++) {
                final int row = i * d;
                final float y = data[p.ys + i];
                float z = 0.0f;
                for (int k = 0; k < d; k++) {
                    z = z + (data[row + k] * x[k]);
                }
                final float s = 1.0f / (1.0f + FloatMath.exp(y * z));
                final float c = (-y) * s;
                for (int j = 0; j < d; j++) {
                    g[j] = g[j] + (c * data[row + j]);
                }
            }
            for (int j = 0; j < d; j++) {
                g[j] = g[j] / (float) p.n;
            }
        } else {
            for (int j = 0; j < d; j++) {
                g[j] = 0.0f;
            }
        }
    }

    /** g += prior·x when the prior is on ({@code lv_grad_prior}). */
    static void gradPrior(CpuProblem p, float[] x, float[] g) {
        if (p.prior) {
            for (int j = 0; j < p.d; j++) {
                g[j] = g[j] + (p.priorCoef * x[j]);
            }
        }
    }

    /** The full gradient, prior included ({@code lv_full_gradient}). */
    static void fullGradient(CpuProblem p, float[] x, float[] g) {
        gradBase(p, x, g);
        gradPrior(p, x, g);
    }

    /** acc += the per-example term of example i ({@code lv_example_acc}). */
    static void exampleAcc(CpuProblem p, float[] x, int i, float[] acc) {
        final int d = p.d;
        final float[] data = p.data;
        final int row = i * d;
        if (p.loss == LOSS_LINREG) {
            float z = 0.0f;
            for (int k = 0; k < d; k++) {
                z = z + (data[row + k] * x[k]);
            }
            final float r = (z - data[p.ys + i]) * p.invS2;
            for (int j = 0; j < d; j++) {
                acc[j] = acc[j] + (data[row + j] * r);
            }
        } else if (p.loss == LOSS_LOGISTIC) {
            final float y = data[p.ys + i];
            float z = 0.0f;
            for (int k = 0; k < d; k++) {
                z = z + (data[row + k] * x[k]);
            }
            final float s = 1.0f / (1.0f + FloatMath.exp(y * z));
            final float c = (-y) * s;
            for (int j = 0; j < d; j++) {
                acc[j] = acc[j] + (c * data[row + j]);
            }
        } else {
            final float[] fp = p.fp;
            for (int j = 0; j < d; j++) {
                acc[j] = acc[j] + (data[row + j] - fp[p.xbar + j]);
            }
        }
    }

    /** The batch gradient from the per-example sums acc, prior included ({@code lv_batch_gradient}). */
    static void batchGradient(CpuProblem p, float[] x, float[] acc, float[] g) {
        final int d = p.d;
        final float b = (float) p.batch;
        if (p.loss == LOSS_LINREG || p.loss == LOSS_LOGISTIC) {
            for (int j = 0; j < d; j++) {
                g[j] = acc[j] / b;
            }
        } else {
            gradBase(p, x, g);
            for (int j = 0; j < d; j++) {
                g[j] = g[j] - (acc[j] / b);
            }
        }
        gradPrior(p, x, g);
    }

    /** softplus(t) = max(t, 0) + log(1 + exp(−|t|)) ({@code lv_softplus}). */
    static float softplus(float t) {
        final float pos = t > 0.0f ? t : 0.0f;
        final float a = t < 0.0f ? -t : t;
        return pos + FloatMath.log(1.0f + FloatMath.exp(-a));
    }

    /** L(x) in float, prior included ({@code lv_loss_value}). */
    static float value(CpuProblem p, float[] x) {
        final int d = p.d;
        final float[] fp = p.fp;
        final float[] data = p.data;
        float loss = 0.0f;
        if (p.loss == LOSS_DOUBLE_WELL) {
            float acc = 0.0f;
            for (int j = 0; j < d; j++) {
                final float t = (x[j] * x[j]) - 1.0f;
                acc = acc + (t * t);
            }
            loss = acc;
        } else if (p.loss == LOSS_QUADRATIC) {
            float acc = 0.0f;
            for (int j = 0; j < d; j++) {
                float inner = 0.0f;
                for (int k = 0; k < d; k++) {
                    inner = inner + (fp[p.mat + j * d + k] * (x[k] - fp[p.vec + k]));
                }
                acc = acc + ((x[j] - fp[p.vec + j]) * inner);
            }
            loss = 0.5f * acc;
        } else if (p.loss == LOSS_LINREG) {
            float acc = 0.0f;
            for (int i = 0; i < p.n; i++) {
                final int row = i * d;
                float z = 0.0f;
                for (int k = 0; k < d; k++) {
                    z = z + (data[row + k] * x[k]);
                }
                final float r = z - data[p.ys + i];
                acc = acc + (r * r);
            }
            loss = (acc / (float) p.n) * (0.5f * p.invS2);
        } else if (p.loss == LOSS_LOGISTIC) {
            float acc = 0.0f;
            for (int i = 0; i < p.n; i++) {
                final int row = i * d;
                float z = 0.0f;
                for (int k = 0; k < d; k++) {
                    z = z + (data[row + k] * x[k]);
                }
                acc = acc + softplus((-data[p.ys + i]) * z);
            }
            loss = acc / (float) p.n;
        }
        if (p.prior) {
            float sq = 0.0f;
            for (int j = 0; j < d; j++) {
                sq = sq + (x[j] * x[j]);
            }
            loss = loss + ((0.5f * p.priorCoef) * sq);
        }
        return loss;
    }
}
