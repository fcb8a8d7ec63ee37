// The dynamics of a user model (docs/models.md), as a grid-stride kernel over particles: the
// counterpart, operation for operation, of org.langevin.engine.cpu.ModelSession. The translation unit
// that includes this file first includes the model's functions as printed by
// org.langevin.model.lang.CModels with the prefix "lvu": lvu_loss, lvu_sde and the macros LVU_DIM,
// LVU_HAS_LOSS, LVU_HAS_SDE, LVU_PER_EXAMPLE, LVU_EXAMPLE_STRIDE, LVU_SHAPE (0 scalar, 1 diagonal,
// 2 full diffusion), LVU_SDE_LEN.
#pragma once

#include "lv_common.cuh"
#include "lv_rng.cuh"
#include "lv_dynamics.cuh"
#include "lv_reduce.cuh"

#define LVU_DYN_GRADIENT_FLOW 1
#define LVU_DYN_LANGEVIN 2
#define LVU_DYN_SGD 3
#define LVU_DYN_SDE 5
#define LVU_DYN_UNDERDAMPED 6

#define LVU_OPT_SGD 0
#define LVU_OPT_MOMENTUM 1
#define LVU_OPT_NESTEROV 2
#define LVU_OPT_RMSPROP 3
#define LVU_OPT_ADAM 4

// beta^t in double by binary powering (org.langevin.model.Optimizer.powi): a function of t alone.
__device__ inline double lvu_powi(double beta, long long t) {
    double r = 1.0;
    double base = beta;
    while (t > 0) {
        if ((t & 1LL) != 0) {
            r = r * base;
        }
        base = base * base;
        t >>= 1;
    }
    return r;
}

// The SGD parameters of a launch: the learning rate, B, sampling without replacement, the
// preconditioner (0 identity, 1 diagonal, 2 full) and its d x d matrix (row-major), and the optimiser
// (LVU_OPT_*) with its constants: a = mu, rho or b1 and b = b2 as floats, a1 = (float)(1 - a),
// b1 = (float)(1 - b), eps, and ad, bd the doubles a and b (Adam's bias corrections).
struct LvuSgd {
    float lr;
    int batch;
    int distinct;
    int precond;
    const float* prec;
    int opt;
    float a;
    float b;
    float a1;
    float b1;
    float eps;
    double ad;
    double bd;
};

// The optimiser's update of x from the batch gradient g (org.langevin.model.Optimizer), with the
// auxiliary state v (rows 0..d-1) and, for Adam, s (rows d..2d-1) in registers; k the global step.
__device__ inline void lvu_optimise(float* x, const float* g, float* v, const LvuSgd& sgd, long long k) {
    const int d = LVU_DIM;
    if (sgd.opt == LVU_OPT_MOMENTUM) {
        for (int j = 0; j < d; j++) {
            v[j] = (sgd.a * v[j]) + g[j];
            x[j] = x[j] - (sgd.lr * v[j]);
        }
    } else if (sgd.opt == LVU_OPT_NESTEROV) {
        for (int j = 0; j < d; j++) {
            v[j] = (sgd.a * v[j]) + g[j];
            x[j] = x[j] - (sgd.lr * (g[j] + (sgd.a * v[j])));
        }
    } else if (sgd.opt == LVU_OPT_RMSPROP) {
        for (int j = 0; j < d; j++) {
            v[j] = (sgd.a * v[j]) + (sgd.a1 * (g[j] * g[j]));
            x[j] = x[j] - (sgd.lr * (g[j] / (sqrtf(v[j]) + sgd.eps)));
        }
    } else {
        // PyTorch's formula: step = lr / (1 - b1^t), denom = sqrt(s) / sqrt(1 - b2^t) + eps, t = k + 1, with the
        // division by sqrt(1 - b2^t) done as a product with its reciprocal ir2 (one float division fewer per
        // coordinate; ir2 rounded once, from double).
        const float step = sgd.lr / (float)(1.0 - lvu_powi(sgd.ad, k + 1));
        const float ir2 = (float)(1.0 / sqrt(1.0 - lvu_powi(sgd.bd, k + 1)));
        for (int j = 0; j < d; j++) {
            v[j] = (sgd.a * v[j]) + (sgd.a1 * g[j]);
            v[d + j] = (sgd.b * v[d + j]) + (sgd.b1 * (g[j] * g[j]));
            x[j] = x[j] - (step * (v[j] / ((sqrtf(v[d + j]) * ir2) + sgd.eps)));
        }
    }
}

// L and its gradient at x: out[0] = L, out[1 + j] = dL/dx_j; a mean over the n examples in order.
__device__ inline void lvu_loss_mean(const float* x, const float* c, const float* e, int n, float t, float* out) {
#if LVU_HAS_LOSS
#if LVU_PER_EXAMPLE
    float scratch[1 + LVU_DIM];
    for (int j = 0; j < 1 + LVU_DIM; j++) {
        out[j] = 0.0f;
    }
    for (int i = 0; i < n; i++) {
        lvu_loss(x, c, e + (long long)i * LVU_EXAMPLE_STRIDE, t, scratch);
        for (int j = 0; j < 1 + LVU_DIM; j++) {
            out[j] = out[j] + scratch[j];
        }
    }
    const float fn = (float)n;
    for (int j = 0; j < 1 + LVU_DIM; j++) {
        out[j] = out[j] / fn;
    }
#else
    (void)n;
    lvu_loss(x, c, e, t, out);
#endif
#else
    (void)x; (void)c; (void)e; (void)n; (void)t;
    out[0] = 0.0f;
#endif
}

__device__ inline void lvu_particle(float* state, double* avg, float* aux, int auxRows, int stride, int col,
                                    long long firstParticle, long long firstStep, int nSteps, long long burnIn,
                                    unsigned long long seed, int dynamics, float dt, double dtd, float noiseScale,
                                    const float* c, const float* e, int n, const LvuSgd& sgd, int integrator,
                                    float ua) {
    const int d = LVU_DIM;
    float x[LVU_DIM];
    float v[2 * LVU_DIM] = {};
    for (int r = 0; r < auxRows; r++) {
        v[r] = aux[(long long)r * stride + col];
    }
    float lg[1 + LVU_DIM] = {};
    float prev[LVU_DIM] = {};
#if LVU_HAS_SDE
    float sde[LVU_SDE_LEN];
    float nrm[LVU_DIM];
#endif
    for (int j = 0; j < d; j++) {
        x[j] = state[(long long)j * stride + col];
    }
    LvPhiloxNormals nr = {};
    if (dynamics != LVU_DYN_GRADIENT_FLOW && dynamics != LVU_DYN_SGD) {
        lv_normals_init(nr, seed, (unsigned long long)(firstParticle + col), (unsigned long long)firstStep * d);
    }
    LvWords ws = {};
    if (dynamics == LVU_DYN_SGD) {
        lv_words_init(ws, seed, (unsigned long long)(firstParticle + col),
                      (unsigned long long)firstStep * (unsigned long long)sgd.batch);
    }
    for (int s = 0; s < nSteps; s++) {
        const long long k = firstStep + s;
        const float t = (float)((double)k * dtd);
        if (dynamics == LVU_DYN_GRADIENT_FLOW) {
            lvu_loss_mean(x, c, e, n, t, lg);
            for (int j = 0; j < d; j++) {
                x[j] = x[j] - (dt * lg[1 + j]);
            }
        } else if (dynamics == LVU_DYN_SGD) {
#if LVU_HAS_LOSS && LVU_PER_EXAMPLE
            float acc[LVU_DIM];
            float scratch[1 + LVU_DIM];
            int chosen[LV_MAX_BATCH_DISTINCT];
            for (int j = 0; j < d; j++) {
                acc[j] = 0.0f;
            }
            for (int m = 0; m < sgd.batch; m++) {
                int ex;
                if (sgd.distinct == 0) {
                    ex = (int)lv_bounded(lv_words_next(ws), (unsigned int)n);
                } else {
                    const int jj = (n - sgd.batch) + m;
                    ex = (int)lv_bounded(lv_words_next(ws), (unsigned int)(jj + 1));
                    for (int q = 0; q < m; q++) {
                        if (chosen[q] == ex) {
                            ex = jj;
                            break;
                        }
                    }
                    chosen[m] = ex;
                }
                lvu_loss(x, c, e + (long long)ex * LVU_EXAMPLE_STRIDE, 0.0f, scratch);
                for (int j = 0; j < d; j++) {
                    acc[j] = acc[j] + scratch[1 + j];
                }
            }
            const float b = (float)sgd.batch;
            for (int j = 0; j < d; j++) {
                lg[1 + j] = acc[j] / b;
            }
            if (sgd.opt != LVU_OPT_SGD) {
                lvu_optimise(x, lg + 1, v, sgd, k);
            } else if (sgd.precond == 1) {
                for (int j = 0; j < d; j++) {
                    x[j] = x[j] - (sgd.lr * (sgd.prec[j * d + j] * lg[1 + j]));
                }
            } else if (sgd.precond == 2) {
                for (int j = 0; j < d; j++) {
                    float a2 = 0.0f;
                    for (int q = 0; q < d; q++) {
                        a2 = a2 + (sgd.prec[j * d + q] * lg[1 + q]);
                    }
                    x[j] = x[j] - (sgd.lr * a2);
                }
            } else {
                for (int j = 0; j < d; j++) {
                    x[j] = x[j] - (sgd.lr * lg[1 + j]);
                }
            }
#endif
        } else if (dynamics == LVU_DYN_UNDERDAMPED && integrator == 2) {
            // BAOAB: half kick, half drift, O (c1 = ua, c3 = noiseScale), half drift, half kick.
            const float hh = dt * 0.5f;
            lvu_loss_mean(x, c, e, n, t, lg);
            for (int j = 0; j < d; j++) {
                v[j] = v[j] - (hh * lg[1 + j]);
                x[j] = x[j] + (hh * v[j]);
            }
            for (int j = 0; j < d; j++) {
                v[j] = (ua * v[j]) + (noiseScale * lv_normals_next(nr));
                x[j] = x[j] + (hh * v[j]);
            }
            lvu_loss_mean(x, c, e, n, (float)((double)(k + 1) * dtd), lg);
            for (int j = 0; j < d; j++) {
                v[j] = v[j] - (hh * lg[1 + j]);
            }
        } else if (dynamics == LVU_DYN_UNDERDAMPED) {
            // Euler–Maruyama: q' = q + dt p; p' = ((p - dt g) - (ua p)) + noiseScale xi, ua = (float)(gamma dt).
            lvu_loss_mean(x, c, e, n, t, lg);
            for (int j = 0; j < d; j++) {
                const float p = v[j];
                x[j] = x[j] + (dt * p);
                v[j] = ((p - (dt * lg[1 + j])) - (ua * p)) + (noiseScale * lv_normals_next(nr));
            }
        } else if (dynamics == LVU_DYN_LANGEVIN && integrator == 1) {
            // Leimkuhler–Matthews: (xi_k + xi_{k+1}) * 0.5f; xi_k is the previous step's next row (at the
            // first step of the launch, this step's own normals from the stream).
            if (s == 0) {
                for (int j = 0; j < d; j++) {
                    prev[j] = lv_normals_next(nr);
                }
            }
            lvu_loss_mean(x, c, e, n, t, lg);
            for (int j = 0; j < d; j++) {
                const float next = lv_normals_next(nr);
                x[j] = (x[j] - (dt * lg[1 + j])) + (noiseScale * ((prev[j] + next) * 0.5f));
                prev[j] = next;
            }
        } else if (dynamics == LVU_DYN_LANGEVIN) {
            lvu_loss_mean(x, c, e, n, t, lg);
            for (int j = 0; j < d; j++) {
                x[j] = (x[j] - (dt * lg[1 + j])) + (noiseScale * lv_normals_next(nr));
            }
        } else {
#if LVU_HAS_SDE
            lvu_sde(x, c, t, sde);
            for (int j = 0; j < d; j++) {
                nrm[j] = lv_normals_next(nr);
            }
            for (int j = 0; j < d; j++) {
                float xi;
#if LVU_SHAPE == 0
                xi = sde[d] * nrm[j];
#elif LVU_SHAPE == 1
                xi = sde[d + j] * nrm[j];
#else
                float acc = 0.0f;
                for (int m = 0; m < d; m++) {
                    acc = acc + (sde[d + j * d + m] * nrm[m]);
                }
                xi = acc;
#endif
                x[j] = (x[j] + (dt * sde[j])) + (noiseScale * xi);
            }
#endif
        }
        if (avg != nullptr && k + 1 > burnIn) {
            for (int j = 0; j < d; j++) {
                avg[(long long)j * stride + col] += (double)x[j];
                avg[(long long)(d + j) * stride + col] += (double)x[j] * (double)x[j];
            }
            float loss = 0.0f;
#if LVU_HAS_LOSS
            lvu_loss_mean(x, c, e, n, (float)((double)(k + 1) * dtd), lg);
            loss = lg[0];
#endif
            avg[(long long)(2 * d) * stride + col] += (double)loss;
        }
    }
    for (int j = 0; j < d; j++) {
        state[(long long)j * stride + col] = x[j];
    }
    for (int r = 0; r < auxRows; r++) {
        aux[(long long)r * stride + col] = v[r];
    }
}

// Advances particle columns 0 .. count-1 (a grid-stride loop); avg is null without window sums; aux holds
// auxRows rows of stride floats (the optimiser's state, the momentum of underdamped Langevin), null when 0.
// opt/oa/ob/oa1/ob1/oeps/oad/obd: the optimiser (LvuSgd); ua: underdamped's c1 (BAOAB) or gamma dt (EM).
extern "C" __global__ void lvu_advance(float* state, double* avg, float* aux, int auxRows, int count, int stride,
                                       long long firstParticle, long long firstStep, int nSteps, long long burnIn,
                                       unsigned int seedLo, unsigned int seedHi, int dynamics, float dt, double dtd,
                                       float noiseScale, const float* c, const float* e, int n, float lr, int batch,
                                       int distinct, int precond, const float* prec, int integrator, int opt, float oa,
                                       float ob, float oa1, float ob1, float oeps, double oad, double obd, float ua) {
    const unsigned long long seed = ((unsigned long long)seedHi << 32) | seedLo;
    const LvuSgd sgd = {lr, batch, distinct, precond, prec, opt, oa, ob, oa1, ob1, oeps, oad, obd};
    for (int col = (int)(blockIdx.x * blockDim.x + threadIdx.x); col < count; col += (int)(blockDim.x * gridDim.x)) {
        lvu_particle(state, avg, aux, auxRows, stride, col, firstParticle, firstStep, nSteps, burnIn, seed, dynamics,
                     dt, dtd, noiseScale, c, e, n, sgd, integrator, ua);
    }
}

// The record reduction of a model's particles (lv_reduce.cuh; kernels/README.md, "Record reduction"):
// one thread per block of LV_REDUCE_BLOCK particles, the loss org.langevin.model.HostLoss evaluates for
// a model, (double) of lvu_loss_mean's L at time t (the float the host passes), plus the prior term of
// rp. Particles 0..count-1, d = LVU_DIM rows of stride floats.
extern "C" __global__ void __launch_bounds__(LV_REDUCE_THREADS)
lvu_reduce(const float* state, double* out, int count, int stride, int withLoss, const double* rp, const float* c,
           const float* e, int n, float t) {
    const long long blocks = ((long long)count + LV_REDUCE_BLOCK - 1) / LV_REDUCE_BLOCK;
    const long long step = (long long)blockDim.x * gridDim.x;
    const long long st = stride;
    for (long long b = (long long)blockIdx.x * blockDim.x + threadIdx.x; b < blocks; b += step) {
        lv_reduce_block(state, out, count, stride, LVU_DIM, withLoss, rp, b, [&](long long col) {
            float x[LVU_DIM];
            for (int j = 0; j < LVU_DIM; j++) {
                x[j] = state[j * st + col];
            }
            float lg[1 + LVU_DIM];
            lvu_loss_mean(x, c, e, n, t, lg);
            return lv_reduce_prior((double)lg[0], state, st, col, LVU_DIM, rp);
        });
    }
}
