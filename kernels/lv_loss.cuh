// Losses of docs/theory.md §1 in float: value, full gradient, per-example gradient, prior.
// Every operation and its order is fixed by kernels/README.md, section "Dynamics, exactly";
// org.langevin.engine.cpu.CpuLoss mirrors this file line for line.
#pragma once

#include "lv_common.cuh"
#include "lv_rng.cuh"

#ifndef LV_MAX_DIM
#define LV_MAX_DIM 64  // largest d: the state of a particle lives in a register array of this size
#endif

// Batch size limit of sampling without replacement: Floyd's algorithm keeps the chosen indices
// of a step in a per-particle array of this size (kernels/README.md).
#define LV_MAX_BATCH_DISTINCT 256

// ip[IP_DYNAMICS]
#define LV_DYN_BROWNIAN 0
#define LV_DYN_GRADIENT_FLOW 1
#define LV_DYN_LANGEVIN 2
#define LV_DYN_SGD 3
#define LV_DYN_SGD_SDE 4
// ip[IP_LOSS]
#define LV_LOSS_NONE 0
#define LV_LOSS_QUADRATIC 1
#define LV_LOSS_DOUBLE_WELL 2
#define LV_LOSS_LINREG 3
#define LV_LOSS_LOGISTIC 4
// ip[IP_PRECOND]
#define LV_PREC_IDENTITY 0
#define LV_PREC_DIAGONAL 1
#define LV_PREC_FULL 2

// The parameters of a launch, read once from ip, fp and data.
struct LvProblem {
    int dynamics;       // LV_DYN_*
    int loss;           // LV_LOSS_*
    int d;              // dimension, 1..LV_MAX_DIM
    int n;              // examples, 0 without a training set
    int batch;          // B (SGD)
    int distinct;       // 1: sampling without replacement
    int precond;        // LV_PREC_*
    int stateNoise;     // 1: SGD SDE with the state-dependent Σ(Φ) (linreg)
    int prior;          // 1: Gaussian prior term
    int average;        // 1: window sums
    int shift;          // 1: quadratic/double-well SGD with additive gradient noise from the data rows
    float dt;           // Δt
    float priorCoef;    // 1/(nτ²)
    float invS2;        // 1/s²
    const float* mat;   // A or H, d×d row-major
    const float* vec;   // m or b
    const float* prec;  // D, d×d row-major
    const float* chol;  // constant S, d×d row-major lower triangle
    const float* xbar;  // mean data row
    const float* xs;    // features, n×d row-major
    const float* ys;    // targets
};

LV_HD inline LvProblem lv_problem(const int* ip, const float* fp, const float* data) {
    LvProblem p;
    p.dynamics = ip[IP_DYNAMICS];
    p.loss = ip[IP_LOSS];
    p.d = ip[IP_DIM];
    p.n = ip[IP_N];
    p.batch = ip[IP_BATCH];
    p.distinct = ip[IP_SAMPLING];
    p.precond = ip[IP_PRECOND];
    p.stateNoise = ip[IP_SDE_NOISE];
    p.prior = ip[IP_PRIOR];
    p.average = ip[IP_AVERAGE];
    p.shift = ip[IP_SHIFT_NOISE];
    p.dt = fp[FP_DT];
    p.priorCoef = fp[FP_PRIOR];
    p.invS2 = fp[FP_INVS2];
    const int d = p.d;
    p.mat = fp + FP_MAT;
    p.vec = fp + lv_fp_vec(d);
    p.prec = fp + lv_fp_prec(d);
    p.chol = fp + lv_fp_chol(d);
    p.xbar = fp + lv_fp_shift(d);
    p.xs = data;
    p.ys = data == nullptr ? nullptr : data + (long long)p.n * d;
    return p;
}

// True when the launch parameters are usable; a kernel given anything else writes NaN.
LV_HD inline bool lv_problem_ok(const LvProblem& p, int dynamics) {
    if (p.dynamics != dynamics || p.d < 1 || p.d > LV_MAX_DIM || p.loss < 0 || p.loss > LV_LOSS_LOGISTIC) {
        return false;
    }
    if ((p.loss == LV_LOSS_LINREG || p.loss == LV_LOSS_LOGISTIC) && (p.n < 1 || p.xs == nullptr)) {
        return false;
    }
    if (dynamics == LV_DYN_SGD) {
        if (p.n < 1 || p.xs == nullptr || p.batch < 1 || p.batch > p.n) {
            return false;
        }
        if (p.distinct != 0 && p.batch > LV_MAX_BATCH_DISTINCT) {
            return false;
        }
        if ((p.loss == LV_LOSS_QUADRATIC || p.loss == LV_LOSS_DOUBLE_WELL) && p.shift == 0) {
            return false;
        }
    }
    if (dynamics == LV_DYN_SGD_SDE && p.stateNoise != 0 && (p.loss != LV_LOSS_LINREG || p.n < 1)) {
        return false;
    }
    return true;
}

// g = ∇L(x) without the prior term. D is the dimension when known at compile time, else 0.
template <int D>
LV_HD inline void lv_grad_base(const LvProblem& p, const float* x, float* g) {
    const int d = D != 0 ? D : p.d;
    if (p.loss == LV_LOSS_DOUBLE_WELL) {
        for (int j = 0; j < d; j++) {
            g[j] = (4.0f * x[j]) * ((x[j] * x[j]) - 1.0f);
        }
    } else if (p.loss == LV_LOSS_QUADRATIC) {
        for (int j = 0; j < d; j++) {
            float acc = 0.0f;
            for (int k = 0; k < d; k++) {
                acc = acc + (p.mat[j * d + k] * (x[k] - p.vec[k]));
            }
            g[j] = acc;
        }
    } else if (p.loss == LV_LOSS_LINREG) {
        for (int j = 0; j < d; j++) {
            float acc = 0.0f;
            for (int k = 0; k < d; k++) {
                acc = acc + (p.mat[j * d + k] * x[k]);
            }
            g[j] = acc - p.vec[j];
        }
    } else if (p.loss == LV_LOSS_LOGISTIC) {
        for (int j = 0; j < d; j++) {
            g[j] = 0.0f;
        }
        for (int i = 0; i < p.n; i++) {
            const float* row = p.xs + (long long)i * d;
            const float y = p.ys[i];
            float z = 0.0f;
            for (int k = 0; k < d; k++) {
                z = z + (row[k] * x[k]);
            }
            const float s = 1.0f / (1.0f + lv_expf(y * z));
            const float c = (-y) * s;
            for (int j = 0; j < d; j++) {
                g[j] = g[j] + (c * row[j]);
            }
        }
        for (int j = 0; j < d; j++) {
            g[j] = g[j] / (float)p.n;
        }
    } else {
        for (int j = 0; j < d; j++) {
            g[j] = 0.0f;
        }
    }
}

// g += prior·x when the prior is on.
template <int D>
LV_HD inline void lv_grad_prior(const LvProblem& p, const float* x, float* g) {
    const int d = D != 0 ? D : p.d;
    if (p.prior != 0) {
        for (int j = 0; j < d; j++) {
            g[j] = g[j] + (p.priorCoef * x[j]);
        }
    }
}

// The full gradient g = ∇L(x), prior included.
template <int D>
LV_HD inline void lv_full_gradient(const LvProblem& p, const float* x, float* g) {
    lv_grad_base<D>(p, x, g);
    lv_grad_prior<D>(p, x, g);
}

// acc += the per-example term of example i: linreg G_i = x_i·r, logistic (−y s)·x_i, and for the
// quadratic and double-well losses with additive gradient noise the centred row x_i − x̄.
template <int D>
LV_HD inline void lv_example_acc(const LvProblem& p, const float* x, int i, float* acc) {
    const int d = D != 0 ? D : p.d;
    const float* row = p.xs + (long long)i * d;
    if (p.loss == LV_LOSS_LINREG) {
        float z = 0.0f;
        for (int k = 0; k < d; k++) {
            z = z + (row[k] * x[k]);
        }
        const float r = (z - p.ys[i]) * p.invS2;
        for (int j = 0; j < d; j++) {
            acc[j] = acc[j] + (row[j] * r);
        }
    } else if (p.loss == LV_LOSS_LOGISTIC) {
        const float y = p.ys[i];
        float z = 0.0f;
        for (int k = 0; k < d; k++) {
            z = z + (row[k] * x[k]);
        }
        const float s = 1.0f / (1.0f + lv_expf(y * z));
        const float c = (-y) * s;
        for (int j = 0; j < d; j++) {
            acc[j] = acc[j] + (c * row[j]);
        }
    } else {
        for (int j = 0; j < d; j++) {
            acc[j] = acc[j] + (row[j] - p.xbar[j]);
        }
    }
}

// The batch gradient from acc = Σ_t (per-example terms) over the B chosen examples, prior included:
// linreg/logistic ĝ = acc/B; quadratic/double-well ĝ = ∇L(x) − acc/B.
template <int D>
LV_HD inline void lv_batch_gradient(const LvProblem& p, const float* x, const float* acc, float* g) {
    const int d = D != 0 ? D : p.d;
    const float b = (float)p.batch;
    if (p.loss == LV_LOSS_LINREG || p.loss == LV_LOSS_LOGISTIC) {
        for (int j = 0; j < d; j++) {
            g[j] = acc[j] / b;
        }
    } else {
        lv_grad_base<D>(p, x, g);
        for (int j = 0; j < d; j++) {
            g[j] = g[j] - (acc[j] / b);
        }
    }
    lv_grad_prior<D>(p, x, g);
}

// softplus(t) = max(t, 0) + log(1 + exp(−|t|)).
LV_HD inline float lv_softplus(float t) {
    const float pos = t > 0.0f ? t : 0.0f;
    const float a = t < 0.0f ? -t : t;
    return pos + lv_logf(1.0f + lv_expf(-a));
}

// L(x) in float, prior included (window sums only).
template <int D>
LV_HD inline float lv_loss_value(const LvProblem& p, const float* x) {
    const int d = D != 0 ? D : p.d;
    float loss = 0.0f;
    if (p.loss == LV_LOSS_DOUBLE_WELL) {
        float acc = 0.0f;
        for (int j = 0; j < d; j++) {
            const float t = (x[j] * x[j]) - 1.0f;
            acc = acc + (t * t);
        }
        loss = acc;
    } else if (p.loss == LV_LOSS_QUADRATIC) {
        float acc = 0.0f;
        for (int j = 0; j < d; j++) {
            float inner = 0.0f;
            for (int k = 0; k < d; k++) {
                inner = inner + (p.mat[j * d + k] * (x[k] - p.vec[k]));
            }
            acc = acc + ((x[j] - p.vec[j]) * inner);
        }
        loss = 0.5f * acc;
    } else if (p.loss == LV_LOSS_LINREG) {
        float acc = 0.0f;
        for (int i = 0; i < p.n; i++) {
            const float* row = p.xs + (long long)i * d;
            float z = 0.0f;
            for (int k = 0; k < d; k++) {
                z = z + (row[k] * x[k]);
            }
            const float r = z - p.ys[i];
            acc = acc + (r * r);
        }
        loss = (acc / (float)p.n) * (0.5f * p.invS2);
    } else if (p.loss == LV_LOSS_LOGISTIC) {
        float acc = 0.0f;
        for (int i = 0; i < p.n; i++) {
            const float* row = p.xs + (long long)i * d;
            float z = 0.0f;
            for (int k = 0; k < d; k++) {
                z = z + (row[k] * x[k]);
            }
            acc = acc + lv_softplus((-p.ys[i]) * z);
        }
        loss = acc / (float)p.n;
    }
    if (p.prior != 0) {
        float sq = 0.0f;
        for (int j = 0; j < d; j++) {
            sq = sq + (x[j] * x[j]);
        }
        loss = loss + ((0.5f * p.priorCoef) * sq);
    }
    return loss;
}
