// The reduction of a record (sample --record) where the particles are: one thread per fixed block of
// LV_REDUCE_BLOCK consecutive particles, the block's particles in index order, in double, into one
// fixed-layout record of doubles per block. It is org.langevin.reduce.BlockReducer's arithmetic for a
// view of final states without window sums, operation for operation (kernels/README.md, "Record
// reduction"): a validity pass (non-finite or |x_j| > bound, or a non-finite loss: diverged), then per
// coordinate the two-pass moments of Moments.ofValues (sum, min, max; mean = sum / n; then the sums of
// d^2, d^3, d^4 with d = x - mean), the histograms of Histogram1D.accept, and the two-pass moments of
// the loss. No shared memory, no atomics: each block's record is written by one thread.
#pragma once

#include "lv_common.cuh"

// Particles per block: org.langevin.reduce.Blocks.SIZE.
#define LV_REDUCE_BLOCK 4096
// Threads per block of a reduce launch.
#define LV_REDUCE_THREADS 64

// Loss kinds of rp[LV_RP_LOSS] (org.langevin.model.HostLoss's double arithmetic).
#define LV_RL_NONE 0          // no loss statistic (its record slots are absent)
#define LV_RL_ZERO 1          // L = 0 (no loss), plus the prior
#define LV_RL_QUADRATIC 2     // 0.5 * sum_j (x_j - m_j) * (sum_k A_jk * (x_k - m_k))
#define LV_RL_DOUBLE_WELL 3   // sum_j t_j * t_j, t_j = x_j * x_j - 1
#define LV_RL_LINREG 4        // 0.5 * sum_j x_j (sum_k H_jk x_k) - sum_j b_j x_j + c

// The reduction parameters rp (doubles).
#define LV_RP_BOUND 0   // divergence bound B (+inf: non-finite values only)
#define LV_RP_LOSS 1    // LV_RL_*
#define LV_RP_PRIOR 2   // prior coefficient (0: none); the loss adds (0.5 * prior) * sum_j x_j^2
#define LV_RP_C 3       // linreg's constant c
#define LV_RP_BINS 4    // histogram bins (0: none)
#define LV_RP_LO 5      // histogram range [lo, hi), the same for every coordinate
#define LV_RP_HI 6
#define LV_RP_SCALE 7   // bins / (hi - lo), as the host computes it
#define LV_RP_MAT 8     // d*d row-major (A or H), then d (m or b)

// Doubles per block record: n, diverged; per coordinate mean, m2, m3, m4, min, max; the loss's six
// when present; per coordinate underflow, overflow and the bins' counts when bins > 0.
LV_HD inline long long lv_reduce_record_len(int d, int withLoss, int bins) {
    return 2LL + 6LL * d + (withLoss ? 6LL : 0LL) + (bins > 0 ? (long long)d * (2LL + bins) : 0LL);
}

// Java's Math.min / Math.max on non-NaN doubles (-0.0 below +0.0). Only exact operations, no library
// function: this header is also compiled by NVRTC (a user model's kernel), which has no C library.
LV_HD inline bool lv_negative_zero(double z) {
    return 1.0 / z < 0.0;  // z is +0.0 or -0.0 here: +inf or -inf
}
LV_HD inline double lv_jmin(double a, double b) {
    if (a == 0.0 && b == 0.0) {
        return lv_negative_zero(b) ? b : a;
    }
    return a <= b ? a : b;
}
LV_HD inline double lv_jmax(double a, double b) {
    if (a == 0.0 && b == 0.0) {
        return lv_negative_zero(a) ? b : a;
    }
    return a >= b ? a : b;
}

// Float.isFinite, Math.abs(float) and Double.isFinite, exactly.
LV_HD inline bool lv_finitef(float x) {
    return (__float_as_uint(x) & 0x7f800000u) != 0x7f800000u;
}
LV_HD inline float lv_absf(float x) {
    return __uint_as_float(__float_as_uint(x) & 0x7fffffffu);
}
LV_HD inline bool lv_finite(double x) {
    return x - x == 0.0;  // inf - inf and NaN - NaN are NaN
}

// HostLoss's prior term: l + (0.5 * prior) * sum_j x_j * x_j when the prior coefficient is > 0.
LV_HD inline double lv_reduce_prior(double l, const float* state, long long stride, long long col, int d,
                                    const double* rp) {
    const double prior = rp[LV_RP_PRIOR];
    if (prior > 0.0) {
        double s = 0.0;
        for (int j = 0; j < d; j++) {
            const double x = (double)state[j * stride + col];
            s += x * x;
        }
        l += (0.5 * prior) * s;
    }
    return l;
}

// HostLoss.value of particle col (coordinates read from state), in double, for the built-in losses.
LV_HD inline double lv_reduce_loss(const float* state, long long stride, long long col, int d, const double* rp) {
    const int kind = (int)rp[LV_RP_LOSS];
    const double* mat = rp + LV_RP_MAT;
    const double* vec = mat + (long long)d * d;
    double l = 0.0;
    if (kind == LV_RL_QUADRATIC) {
        double s = 0.0;
        for (int j = 0; j < d; j++) {
            double r = 0.0;
            for (int k = 0; k < d; k++) {
                r += mat[j * d + k] * ((double)state[k * stride + col] - vec[k]);
            }
            s += ((double)state[j * stride + col] - vec[j]) * r;
        }
        l = 0.5 * s;
    } else if (kind == LV_RL_DOUBLE_WELL) {
        double s = 0.0;
        for (int j = 0; j < d; j++) {
            const double x = (double)state[j * stride + col];
            const double t = x * x - 1.0;
            s += t * t;
        }
        l = s;
    } else if (kind == LV_RL_LINREG) {
        double quad = 0.0;
        double lin = 0.0;
        for (int j = 0; j < d; j++) {
            double r = 0.0;
            for (int k = 0; k < d; k++) {
                r += mat[j * d + k] * (double)state[k * stride + col];
            }
            const double x = (double)state[j * stride + col];
            quad += x * r;
            lin += vec[j] * x;
        }
        l = ((0.5 * quad) - lin) + rp[LV_RP_C];
    }
    return lv_reduce_prior(l, state, stride, col, d, rp);
}

// Two-pass moments (Moments.ofValues) of the accepted particles' values v(col), written as mean, m2,
// m3, m4, min, max (an empty set: all 0; the host reads an empty block as a new Moments). Java starts min
// and max at +inf and -inf; min(+inf, x0) = x0 and max(-inf, x0) = x0, so they start at the first value.
template <class V>
LV_HD inline void lv_reduce_moments(const unsigned long long* ok, long long first, int len, long long n, V v,
                                    double* out) {
    double sum = 0.0;
    double lo = 0.0;
    double hi = 0.0;
    bool any = false;
    for (int i = 0; i < len; i++) {
        if ((ok[i >> 6] >> (i & 63)) & 1ull) {
            const double x = v(first + i);
            sum += x;
            lo = any ? lv_jmin(lo, x) : x;
            hi = any ? lv_jmax(hi, x) : x;
            any = true;
        }
    }
    double mu = 0.0;
    double s2 = 0.0;
    double s3 = 0.0;
    double s4 = 0.0;
    if (n > 0) {
        mu = sum / (double)n;
        for (int i = 0; i < len; i++) {
            if ((ok[i >> 6] >> (i & 63)) & 1ull) {
                const double dv = v(first + i) - mu;
                const double d2 = dv * dv;
                s2 += d2;
                s3 += d2 * dv;
                s4 += d2 * d2;
            }
        }
    }
    out[0] = mu;
    out[1] = s2;
    out[2] = s3;
    out[3] = s4;
    out[4] = lo;
    out[5] = hi;
}

// The record of block b of particles 0..count-1 (d rows of stride floats) into out; loss(col) is the
// loss of particle col in double (evaluated only when withLoss != 0).
template <class L>
LV_HD inline void lv_reduce_block(const float* state, double* out, int count, int stride, int d, int withLoss,
                                  const double* rp, long long b, L loss) {
    const long long st = stride;
    const long long first = b * LV_REDUCE_BLOCK;
    const long long rest = (long long)count - first;
    const int len = rest < LV_REDUCE_BLOCK ? (int)rest : LV_REDUCE_BLOCK;
    const double bound = rp[LV_RP_BOUND];
    const int bins = (int)rp[LV_RP_BINS];
    unsigned long long ok[LV_REDUCE_BLOCK / 64];
    for (int w = 0; w < LV_REDUCE_BLOCK / 64; w++) {
        ok[w] = 0ull;
    }
    long long n = 0;
    long long diverged = 0;
    for (int i = 0; i < len; i++) {
        const long long col = first + i;
        bool good = true;
        for (int j = 0; j < d && good; j++) {
            const float x = state[j * st + col];
            good = lv_finitef(x) && (double)lv_absf(x) <= bound;
        }
        if (good && withLoss) {
            good = lv_finite(loss(col));
        }
        if (good) {
            ok[i >> 6] |= 1ull << (i & 63);
            n++;
        } else {
            diverged++;
        }
    }
    double* rec = out + b * lv_reduce_record_len(d, withLoss, bins);
    rec[0] = (double)n;
    rec[1] = (double)diverged;
    for (int j = 0; j < d; j++) {
        const float* row = state + j * st;
        lv_reduce_moments(ok, first, len, n, [&](long long c) { return (double)row[c]; }, rec + 2 + 6 * j);
    }
    double* h = rec + 2 + 6 * d;
    if (withLoss) {
        lv_reduce_moments(ok, first, len, n, loss, h);
        h += 6;
    }
    if (bins > 0) {
        // Histogram1D.accept: x < lo underflow, x >= hi overflow, else bin min((int)((x - lo) * scale), bins - 1).
        const double lo = rp[LV_RP_LO];
        const double hi = rp[LV_RP_HI];
        const double scale = rp[LV_RP_SCALE];
        for (int j = 0; j < d; j++) {
            double* hj = h + (long long)j * (2 + bins);
            for (int k = 0; k < 2 + bins; k++) {
                hj[k] = 0.0;
            }
            const float* row = state + j * st;
            for (int i = 0; i < len; i++) {
                if ((ok[i >> 6] >> (i & 63)) & 1ull) {
                    const double x = (double)row[first + i];
                    if (x < lo) {
                        hj[0] += 1.0;
                    } else if (x >= hi) {
                        hj[1] += 1.0;
                    } else {
                        int k = (int)((x - lo) * scale);
                        k = k < bins - 1 ? k : bins - 1;
                        hj[2 + k] += 1.0;
                    }
                }
            }
        }
    }
}
