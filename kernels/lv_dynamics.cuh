// One step of each dynamics for one particle, state in a register array (kernels/README.md,
// section "Dynamics, exactly"). org.langevin.engine.cpu.CpuDynamics mirrors this file line for line.
#pragma once

#include "lv_common.cuh"
#include "lv_rng.cuh"
#include "lv_loss.cuh"

// The Gaussian normals of one particle (region 0), consumed in stream order. Two sources with the
// same interface, chosen at compile time so that neither carries the other's registers:
// LvPhiloxNormals (fused mode): four normals come from one Philox block; the buffer is refilled
// when the next normal starts a block, and a launch starting mid-block fills its first block once.
// LvBufferNormals (buffer mode): the normals are read from the launch's buffer instead: normal j of
// local step s at noise[(s*q + j)*count + col].
struct LvPhiloxNormals {
    float buf[4];                // the current block's normals
    unsigned long long next;     // global index of the next normal
    unsigned long long seed;     // Philox key
    unsigned long long particle; // global particle index (the counter's high words)
};

struct LvBufferNormals {
    const float* at;             // the next normal of this particle's column
    int count;                   // columns of the buffer (the stride between successive normals)
};

LV_HD inline void lv_normals_fill(LvPhiloxNormals& s) {
    lv_normal4(s.seed, s.particle, s.next >> 2, s.buf);
}

LV_HD inline void lv_normals_init(LvPhiloxNormals& s, unsigned long long seed, unsigned long long particle,
                                  unsigned long long first) {
    s.seed = seed;
    s.particle = particle;
    s.next = first;
    s.buf[0] = 0.0f;
    s.buf[1] = 0.0f;
    s.buf[2] = 0.0f;
    s.buf[3] = 0.0f;
    if ((first & 3u) != 0u) {
        lv_normals_fill(s);
    }
}

LV_HD inline void lv_normals_init(LvBufferNormals& s, const float* noise, int count, int col) {
    s.at = noise + col;
    s.count = count;
}

LV_HD inline float lv_normals_next(LvPhiloxNormals& s) {
    const unsigned int lane = (unsigned int)(s.next & 3u);
    if (lane == 0u) {
        lv_normals_fill(s);
    }
    s.next++;
    return lane == 0u ? s.buf[0] : lane == 1u ? s.buf[1] : lane == 2u ? s.buf[2] : s.buf[3];
}

LV_HD inline float lv_normals_next(LvBufferNormals& s) {
    const float v = *s.at;
    s.at += s.count;
    return v;
}

// The example-index words of one particle (region 1): word w is lane w & 3 of block 2^32 + (w >> 2).
struct LvWords {
    unsigned int buf[4];         // the current block's words
    unsigned long long next;     // index of the next word
    unsigned int k0, k1;         // Philox key
    unsigned int p0, p1;         // particle index, low and high words
};

LV_HD inline void lv_words_fill(LvWords& s) {
    const unsigned long long block = (1ull << 32) + (s.next >> 2);
    lv_philox4x32_10((unsigned int)block, (unsigned int)(block >> 32), s.p0, s.p1, s.k0, s.k1, s.buf);
}

LV_HD inline void lv_words_init(LvWords& s, unsigned long long seed, unsigned long long particle,
                                unsigned long long first) {
    s.k0 = (unsigned int)seed;
    s.k1 = (unsigned int)(seed >> 32);
    s.p0 = (unsigned int)particle;
    s.p1 = (unsigned int)(particle >> 32);
    s.next = first;
    s.buf[0] = 0u;
    s.buf[1] = 0u;
    s.buf[2] = 0u;
    s.buf[3] = 0u;
    if ((first & 3u) != 0u) {
        lv_words_fill(s);
    }
}

LV_HD inline unsigned int lv_words_next(LvWords& s) {
    const unsigned int lane = (unsigned int)(s.next & 3u);
    if (lane == 0u) {
        lv_words_fill(s);
    }
    s.next++;
    return lane == 0u ? s.buf[0] : lane == 1u ? s.buf[1] : lane == 2u ? s.buf[2] : s.buf[3];
}

// Scratch of one particle's step: gradient, batch sums, normals, chosen examples, Σ and S.
template <int D>
struct LvScratch {
    float g[D != 0 ? D : LV_MAX_DIM];
    float v[D != 0 ? D : LV_MAX_DIM];
    float nrm[D != 0 ? D : LV_MAX_DIM];
};

// Brownian motion: x_j = x_j + (noiseScale * n_j).
template <int D, class N>
LV_HD inline void lv_step_brownian(const LvProblem& p, float* x, float noiseScale, N& nr) {
    const int d = D != 0 ? D : p.d;
    for (int j = 0; j < d; j++) {
        x[j] = x[j] + (noiseScale * lv_normals_next(nr));
    }
}

// Gradient flow: x_j = x_j - (dt * g_j).
template <int D>
LV_HD inline void lv_step_gradient_flow(const LvProblem& p, float* x, LvScratch<D>& w) {
    const int d = D != 0 ? D : p.d;
    lv_full_gradient<D>(p, x, w.g);
    for (int j = 0; j < d; j++) {
        x[j] = x[j] - (p.dt * w.g[j]);
    }
}

// Langevin (Euler–Maruyama): x_j = (x_j - (dt * g_j)) + (noiseScale * n_j).
template <int D, class N>
LV_HD inline void lv_step_langevin(const LvProblem& p, float* x, float noiseScale, N& nr,
                                   LvScratch<D>& w) {
    const int d = D != 0 ? D : p.d;
    lv_full_gradient<D>(p, x, w.g);
    for (int j = 0; j < d; j++) {
        x[j] = (x[j] - (p.dt * w.g[j])) + (noiseScale * lv_normals_next(nr));
    }
}

// SGD: draw B examples (with replacement: lv_bounded(word, n); without: Floyd's algorithm), sum
// their per-example terms in the order drawn, ĝ, v = D ĝ, x_j = x_j - (lr * v_j).
template <int D>
LV_HD inline void lv_step_sgd(const LvProblem& p, float* x, float lr, LvWords& ws, LvScratch<D>& w) {
    const int d = D != 0 ? D : p.d;
    for (int j = 0; j < d; j++) {
        w.v[j] = 0.0f;
    }
    // With replacement: example lv_bounded(word, n). Without (Floyd): for j = n-B, ..., n-1 the
    // candidate lv_bounded(word, j+1), or j when the candidate was already chosen.
    int chosen[LV_MAX_BATCH_DISTINCT];
    for (int m = 0; m < p.batch; m++) {
        int t;
        if (p.distinct == 0) {
            t = (int)lv_bounded(lv_words_next(ws), (unsigned int)p.n);
        } else {
            const int j = (p.n - p.batch) + m;
            t = (int)lv_bounded(lv_words_next(ws), (unsigned int)(j + 1));
            for (int c = 0; c < m; c++) {
                if (chosen[c] == t) {
                    t = j;
                    break;
                }
            }
            chosen[m] = t;
        }
        lv_example_acc<D>(p, x, t, w.v);
    }
    lv_batch_gradient<D>(p, x, w.v, w.g);
    if (p.precond == LV_PREC_DIAGONAL) {
        for (int j = 0; j < d; j++) {
            x[j] = x[j] - (lr * (p.prec[j * d + j] * w.g[j]));
        }
    } else if (p.precond == LV_PREC_FULL) {
        for (int j = 0; j < d; j++) {
            float acc = 0.0f;
            for (int k = 0; k < d; k++) {
                acc = acc + (p.prec[j * d + k] * w.g[k]);
            }
            x[j] = x[j] - (lr * acc);
        }
    } else {
        for (int j = 0; j < d; j++) {
            x[j] = x[j] - (lr * w.g[j]);
        }
    }
}

// Index of S_jk (k <= j) in a packed lower triangle.
LV_HD inline int lv_tri(int j, int k) {
    return ((j * (j + 1)) >> 1) + k;
}

// The state-dependent noise factor of the linreg SGD SDE into the packed lower triangle tri:
// Σ(x) = (Σ_i (G_i − ḡ)(G_i − ḡ)ᵀ)/n with G_ij = x_ij r_i, then its lower Cholesky factor in place.
template <int D>
LV_HD inline void lv_state_cholesky(const LvProblem& p, const float* x, float* gbar, float* c, float* tri) {
    const int d = D != 0 ? D : p.d;
    const float nf = (float)p.n;
    for (int j = 0; j < d; j++) {
        gbar[j] = 0.0f;
    }
    for (int i = 0; i < p.n; i++) {
        const float* row = p.xs + (long long)i * d;
        float z = 0.0f;
        for (int k = 0; k < d; k++) {
            z = z + (row[k] * x[k]);
        }
        const float r = (z - p.ys[i]) * p.invS2;
        for (int j = 0; j < d; j++) {
            gbar[j] = gbar[j] + (row[j] * r);
        }
    }
    for (int j = 0; j < d; j++) {
        gbar[j] = gbar[j] / nf;
    }
    for (int j = 0; j < d; j++) {
        for (int k = 0; k <= j; k++) {
            tri[lv_tri(j, k)] = 0.0f;
        }
    }
    for (int i = 0; i < p.n; i++) {
        const float* row = p.xs + (long long)i * d;
        float z = 0.0f;
        for (int k = 0; k < d; k++) {
            z = z + (row[k] * x[k]);
        }
        const float r = (z - p.ys[i]) * p.invS2;
        for (int j = 0; j < d; j++) {
            c[j] = (row[j] * r) - gbar[j];
        }
        for (int j = 0; j < d; j++) {
            for (int k = 0; k <= j; k++) {
                tri[lv_tri(j, k)] = tri[lv_tri(j, k)] + (c[j] * c[k]);
            }
        }
    }
    for (int j = 0; j < d; j++) {
        for (int k = 0; k <= j; k++) {
            tri[lv_tri(j, k)] = tri[lv_tri(j, k)] / nf;
        }
    }
    for (int j = 0; j < d; j++) {
        float t = 0.0f;
        for (int m = 0; m < j; m++) {
            t = t + (tri[lv_tri(j, m)] * tri[lv_tri(j, m)]);
        }
        const float v = tri[lv_tri(j, j)] - t;
        const float sjj = v > 0.0f ? sqrtf(v) : 0.0f;
        tri[lv_tri(j, j)] = sjj;
        for (int i = j + 1; i < d; i++) {
            float u = 0.0f;
            for (int m = 0; m < j; m++) {
                u = u + (tri[lv_tri(i, m)] * tri[lv_tri(j, m)]);
            }
            tri[lv_tri(i, j)] = sjj == 0.0f ? 0.0f : (tri[lv_tri(i, j)] - u) / sjj;
        }
    }
}

// SGD SDE: ξ_j = Σ_{k<=j} S_jk * n_k, x_j = (x_j - (dt * g_j)) + (noiseScale * ξ_j); S is the
// constant factor FP_CHOL, or (IP_SDE_NOISE = 1) the factor of Σ(x) computed from the data.
template <int D, class N>
LV_HD inline void lv_step_sgd_sde(const LvProblem& p, float* x, float noiseScale, N& nr,
                                  LvScratch<D>& w) {
    const int d = D != 0 ? D : p.d;
    lv_full_gradient<D>(p, x, w.g);
    for (int j = 0; j < d; j++) {
        w.nrm[j] = lv_normals_next(nr);
    }
    if (p.stateNoise != 0) {
        float c[D != 0 ? D : LV_MAX_DIM];
        float tri[D != 0 ? (D * (D + 1)) / 2 : (LV_MAX_DIM * (LV_MAX_DIM + 1)) / 2];
        lv_state_cholesky<D>(p, x, w.v, c, tri);
        for (int j = 0; j < d; j++) {
            float xi = 0.0f;
            for (int k = 0; k <= j; k++) {
                xi = xi + (tri[lv_tri(j, k)] * w.nrm[k]);
            }
            x[j] = (x[j] - (p.dt * w.g[j])) + (noiseScale * xi);
        }
    } else {
        for (int j = 0; j < d; j++) {
            float xi = 0.0f;
            for (int k = 0; k <= j; k++) {
                xi = xi + (p.chol[j * d + k] * w.nrm[k]);
            }
            x[j] = (x[j] - (p.dt * w.g[j])) + (noiseScale * xi);
        }
    }
}
