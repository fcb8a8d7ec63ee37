/*
 * The CPU engine's native kernel for Brownian motion, gradient flow and Langevin dynamics on every built-in loss
 * (double well, quadratic, full-batch linear regression and logistic regression, with or without the Gaussian
 * prior) in any dimension d ≤ 64, with or without window sums: built by kernels/build.sh, with lv_cpu_dw.c (the 1-D
 * double well), into liblangevin-cpu (lv_cpu_advance, called by engine/cpu/NativeCpu through JNA).
 *
 * Every particle gets exactly the Java engine's float operations in its order (CpuDynamics, CpuLoss; the vector
 * paths of SimdKernels do the same), so the particles are the engine's bit for bit (NativeCpuTest):
 *
 *   Brownian motion  x_j = x_j + ns·n_j
 *   gradient flow    x_j = x_j − dt·g_j
 *   Langevin         x_j = (x_j − dt·g_j) + ns·n_j
 *   the SGD SDE      x_j = (x_j − dt·g_j) + ns·(0 + Σ_{k ≤ j} S_jk·n_k)   (S: the Cholesky factor of the constant
 *                    noise Σ(Φ*), or of the state-dependent Σ(x) at the step's x, linreg)
 *
 * with g = ∇L (CpuLoss.fullGradient: lv_grad_base, then g_j + c·x_j with the prior's c), dt = (float) Δt and
 * ns = the run's noise scale. Noise: normal k of a particle's stream is normal k & 3 of Philox block k >> 2
 * (region 0), and step s's coordinate j takes normal s·d + j (ParticleStreams).
 *
 * Vectors of 16 particles, LV_TILE_G of them a tile advanced through all the steps together (their state and
 * gradient in a small array the compiler keeps in registers or L1), the dimension a compile-time constant for
 * d = 1, 2, 3, 4, 8 and a run-time one otherwise. AVX-512F/DQ/BW/VL only (NativeCpu loads the library only on
 * such CPUs); compile with -ffp-contract=off and without fast math: a fused multiply-add or a reassociation
 * would change the bits.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "lv_cpu_simd.h"

#if !defined(__AVX512F__) || defined(LV_SCALAR)
#error "lv_cpu.c is the AVX-512 kernel: compile it with -mavx512f -mavx512dq -mavx512bw -mavx512vl"
#endif

/* CpuProblem's codes */
#define DYN_BROWNIAN 0
#define DYN_GRADIENT_FLOW 1
#define DYN_LANGEVIN 2
#define DYN_SGD_SDE 4
#define LOSS_NONE 0
#define LOSS_QUADRATIC 1
#define LOSS_DOUBLE_WELL 2
#define LOSS_LINREG 3
#define LOSS_LOGISTIC 4

/* CpuProblem.MAX_DIM */
#define LV_MAXD 64
#ifndef LV_TILE_G
#define LV_TILE_G 4
#endif
#define UG LV_TILE_G
#define VL 16

typedef struct {
    uint64_t seed;
    uint64_t base;    /* global index of particle 0 of the chunk (the counter's particle words) */
    uint64_t first;   /* global step of the first step */
    uint64_t steps;
    size_t stride;    /* floats between coordinates j and j + 1 of a particle in xs */
    int dyn;
    int loss;
    int d;
    int n;            /* examples (linreg's H and b are precomputed; logistic reads X and y) */
    int prior;
    float dt;
    float ns;         /* the noise scale */
    float pc;         /* the prior's coefficient */
    const float *a;   /* quadratic A or linreg H, d×d row-major */
    const float *b;   /* quadratic m or linreg b, d */
    const float *xd;  /* logistic X, n×d row-major */
    const float *yd;  /* logistic y, n */
    const float *chol; /* the SGD SDE's constant noise factor S, d×d row-major, lower triangle read */
    double *avg;      /* window sums (NULL: none): row r < 2d + 1 of particle i at avg[r·stride + i] */
    uint64_t favg;    /* the first step of this call, counted from `first`, that the window sums take */
    float invS2;      /* linreg's 1/s² (its loss value over the training set) */
    __m512 *tri;      /* the SGD SDE with state-dependent noise (NULL: constant): d(d+1)/2 vectors of scratch */
} Gen;

/* lv_grad_base and lv_grad_prior on nv vectors: g[j][v] from x[j][v], j < D */
static inline __attribute__((always_inline)) void gradient(const Gen *g, const int D, const int nv,
        __m512 (*x)[UG], __m512 (*gr)[UG]) {
    if (g->loss == LOSS_DOUBLE_WELL) {
        const __m512 four = _mm512_set1_ps(4.0f);
        const __m512 one = _mm512_set1_ps(1.0f);
        for (int j = 0; j < D; j++) {
#pragma GCC unroll 4
            for (int v = 0; v < nv; v++) {
                gr[j][v] = _mm512_mul_ps(_mm512_mul_ps(four, x[j][v]), _mm512_sub_ps(_mm512_mul_ps(x[j][v], x[j][v]), one));
            }
        }
    } else if (g->loss == LOSS_QUADRATIC || g->loss == LOSS_LINREG) {
        /* quadratic: Σ_k A_jk·(x_k − m_k) from 0 (x_k − m_k is the same float for every j); linreg:
           (Σ_k H_jk·x_k from 0) − b_j */
        const int quad = g->loss == LOSS_QUADRATIC;
        __m512 u[LV_MAXD][UG];
        for (int k = 0; k < D; k++) {
            const __m512 mk = _mm512_set1_ps(g->b[k]);
#pragma GCC unroll 4
            for (int v = 0; v < nv; v++) {
                u[k][v] = quad ? _mm512_sub_ps(x[k][v], mk) : x[k][v];
            }
        }
        for (int j = 0; j < D; j++) {
            __m512 acc[UG];
#pragma GCC unroll 4
            for (int v = 0; v < nv; v++) {
                acc[v] = _mm512_setzero_ps();
            }
            for (int k = 0; k < D; k++) {
                const __m512 ajk = _mm512_set1_ps(g->a[j * D + k]);
#pragma GCC unroll 4
                for (int v = 0; v < nv; v++) {
                    acc[v] = _mm512_add_ps(acc[v], _mm512_mul_ps(ajk, u[k][v]));
                }
            }
            const __m512 bj = _mm512_set1_ps(g->b[j]);
#pragma GCC unroll 4
            for (int v = 0; v < nv; v++) {
                gr[j][v] = quad ? acc[v] : _mm512_sub_ps(acc[v], bj);
            }
        }
    } else if (g->loss == LOSS_LOGISTIC) {
        /* Σ_e c_e·x_e with z = Σ_k x_ek·w_k, c_e = (−y_e)·1/(1 + exp(y_e·z)); then g_j / n */
        const __m512 one = _mm512_set1_ps(1.0f);
        for (int j = 0; j < D; j++) {
#pragma GCC unroll 4
            for (int v = 0; v < nv; v++) {
                gr[j][v] = _mm512_setzero_ps();
            }
        }
        const int n = g->n;
        for (int e = 0; e < n; e++) {
            const float *row = g->xd + (size_t) e * (size_t) D;
            const __m512 y = _mm512_set1_ps(g->yd[e]);
            const __m512 my = _mm512_set1_ps(-g->yd[e]);
            __m512 c[UG];
#pragma GCC unroll 4
            for (int v = 0; v < nv; v++) {
                __m512 z = _mm512_setzero_ps();
                for (int k = 0; k < D; k++) {
                    z = _mm512_add_ps(z, _mm512_mul_ps(_mm512_set1_ps(row[k]), x[k][v]));
                }
                const __m512 s = _mm512_div_ps(one, _mm512_add_ps(one, exp16(_mm512_mul_ps(y, z))));
                c[v] = _mm512_mul_ps(my, s);
            }
            for (int j = 0; j < D; j++) {
                const __m512 xj = _mm512_set1_ps(row[j]);
#pragma GCC unroll 4
                for (int v = 0; v < nv; v++) {
                    gr[j][v] = _mm512_add_ps(gr[j][v], _mm512_mul_ps(c[v], xj));
                }
            }
        }
        const __m512 nf = _mm512_set1_ps((float) n);
        for (int j = 0; j < D; j++) {
#pragma GCC unroll 4
            for (int v = 0; v < nv; v++) {
                gr[j][v] = _mm512_div_ps(gr[j][v], nf);
            }
        }
    } else {
        for (int j = 0; j < D; j++) {
#pragma GCC unroll 4
            for (int v = 0; v < nv; v++) {
                gr[j][v] = _mm512_setzero_ps();
            }
        }
    }
    if (g->prior) {
        const __m512 pc = _mm512_set1_ps(g->pc);
        for (int j = 0; j < D; j++) {
#pragma GCC unroll 4
            for (int v = 0; v < nv; v++) {
                gr[j][v] = _mm512_add_ps(gr[j][v], _mm512_mul_ps(pc, x[j][v]));
            }
        }
    }
}

/* CpuLoss.softplus lane-wise: max(t, 0) + log(1 + exp(−|t|)), with t > 0 ? t : 0 and t < 0 ? −t : t (NaN: 0 and t) */
static inline __attribute__((always_inline)) __m512 softplus16(__m512 t) {
    const __m512 zero = _mm512_setzero_ps();
    const __m512 pos = _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(t, zero, _CMP_GT_OQ), t);
    const __m512 a = _mm512_mask_mov_ps(t, _mm512_cmp_ps_mask(t, zero, _CMP_LT_OQ), _mm512_xor_ps(t, _mm512_set1_ps(-0.0f)));
    return _mm512_add_ps(pos, log16(_mm512_add_ps(_mm512_set1_ps(1.0f), exp16(_mm512_xor_ps(a, _mm512_set1_ps(-0.0f))))));
}

/* CpuLoss.value lane-wise (prior included) of vector v of x: the loss the window sums take */
static inline __attribute__((always_inline)) __m512 value16(const Gen *g, const int D, __m512 (*x)[UG], const int v) {
    const __m512 zero = _mm512_setzero_ps();
    const __m512 one = _mm512_set1_ps(1.0f);
    __m512 loss = zero;
    if (g->loss == LOSS_DOUBLE_WELL) {
        __m512 acc = zero;
        for (int j = 0; j < D; j++) {
            const __m512 t = _mm512_sub_ps(_mm512_mul_ps(x[j][v], x[j][v]), one);
            acc = _mm512_add_ps(acc, _mm512_mul_ps(t, t));
        }
        loss = acc;
    } else if (g->loss == LOSS_QUADRATIC) {
        __m512 acc = zero;
        for (int j = 0; j < D; j++) {
            __m512 inner = zero;
            for (int k = 0; k < D; k++) {
                inner = _mm512_add_ps(inner, _mm512_mul_ps(_mm512_set1_ps(g->a[j * D + k]),
                        _mm512_sub_ps(x[k][v], _mm512_set1_ps(g->b[k]))));
            }
            acc = _mm512_add_ps(acc, _mm512_mul_ps(_mm512_sub_ps(x[j][v], _mm512_set1_ps(g->b[j])), inner));
        }
        loss = _mm512_mul_ps(_mm512_set1_ps(0.5f), acc);
    } else if (g->loss == LOSS_LINREG || g->loss == LOSS_LOGISTIC) {
        __m512 acc = zero;
        for (int e = 0; e < g->n; e++) {
            const float *row = g->xd + (size_t) e * (size_t) D;
            __m512 z = zero;
            for (int k = 0; k < D; k++) {
                z = _mm512_add_ps(z, _mm512_mul_ps(_mm512_set1_ps(row[k]), x[k][v]));
            }
            if (g->loss == LOSS_LINREG) {
                const __m512 r = _mm512_sub_ps(z, _mm512_set1_ps(g->yd[e]));
                acc = _mm512_add_ps(acc, _mm512_mul_ps(r, r));
            } else {
                acc = _mm512_add_ps(acc, softplus16(_mm512_mul_ps(_mm512_set1_ps(-g->yd[e]), z)));
            }
        }
        loss = _mm512_div_ps(acc, _mm512_set1_ps((float) g->n));
        if (g->loss == LOSS_LINREG) {
            loss = _mm512_mul_ps(loss, _mm512_set1_ps(0.5f * g->invS2));
        }
    }
    if (g->prior) {
        __m512 sq = zero;
        for (int j = 0; j < D; j++) {
            sq = _mm512_add_ps(sq, _mm512_mul_ps(x[j][v], x[j][v]));
        }
        loss = _mm512_add_ps(loss, _mm512_mul_ps(_mm512_set1_ps(0.5f * g->pc), sq));
    }
    return loss;
}

/* CpuDynamics.tri: the packed index of (j, k ≤ j) */
#define TRI(j, k) ((((j) * ((j) + 1)) >> 1) + (k))

/* linreg's scaled residual of example e for vector v: ((0 + Σ_k x_ek·w_k) − y_e)·invS2 */
static inline __attribute__((always_inline)) __m512 residual16(const Gen *g, const int D, __m512 (*x)[UG], const int v,
        const int e, const __m512 invS2) {
    const float *row = g->xd + (size_t) e * (size_t) D;
    __m512 z = _mm512_setzero_ps();
    for (int k = 0; k < D; k++) {
        z = _mm512_add_ps(z, _mm512_mul_ps(_mm512_set1_ps(row[k]), x[k][v]));
    }
    return _mm512_mul_ps(_mm512_sub_ps(z, _mm512_set1_ps(g->yd[e])), invS2);
}

/*
 * CpuDynamics.stateCholesky lane-wise for vector v of x: Σ(x) of the linreg SGD SDE (the per-example gradients'
 * covariance over the training set, each sum in the example order) and its lower Cholesky factor, into tri.
 */
static inline __attribute__((always_inline)) void state_factor16(const Gen *g, const int D, __m512 (*x)[UG], const int v,
        __m512 *tri) {
    const __m512 zero = _mm512_setzero_ps();
    const __m512 invS2 = _mm512_set1_ps(g->invS2);
    const __m512 nf = _mm512_set1_ps((float) g->n);
    __m512 gbar[LV_MAXD];
    __m512 c[LV_MAXD];
    for (int j = 0; j < D; j++) {
        gbar[j] = zero;
    }
    for (int e = 0; e < g->n; e++) {
        const float *row = g->xd + (size_t) e * (size_t) D;
        const __m512 r = residual16(g, D, x, v, e, invS2);
        for (int j = 0; j < D; j++) {
            gbar[j] = _mm512_add_ps(gbar[j], _mm512_mul_ps(_mm512_set1_ps(row[j]), r));
        }
    }
    for (int j = 0; j < D; j++) {
        gbar[j] = _mm512_div_ps(gbar[j], nf);
        for (int k = 0; k <= j; k++) {
            tri[TRI(j, k)] = zero;
        }
    }
    for (int e = 0; e < g->n; e++) {
        const float *row = g->xd + (size_t) e * (size_t) D;
        const __m512 r = residual16(g, D, x, v, e, invS2);
        for (int j = 0; j < D; j++) {
            c[j] = _mm512_sub_ps(_mm512_mul_ps(_mm512_set1_ps(row[j]), r), gbar[j]);
        }
        for (int j = 0; j < D; j++) {
            for (int k = 0; k <= j; k++) {
                tri[TRI(j, k)] = _mm512_add_ps(tri[TRI(j, k)], _mm512_mul_ps(c[j], c[k]));
            }
        }
    }
    for (int j = 0; j < D; j++) {
        for (int k = 0; k <= j; k++) {
            tri[TRI(j, k)] = _mm512_div_ps(tri[TRI(j, k)], nf);
        }
    }
    for (int j = 0; j < D; j++) {
        __m512 t = zero;
        for (int m = 0; m < j; m++) {
            t = _mm512_add_ps(t, _mm512_mul_ps(tri[TRI(j, m)], tri[TRI(j, m)]));
        }
        const __m512 vv = _mm512_sub_ps(tri[TRI(j, j)], t);
        /* vv > 0 ? sqrt(vv) : 0 (a NaN: 0); the float square root is Java's (float) Math.sqrt((double) vv) */
        const __m512 sjj = _mm512_maskz_sqrt_ps(_mm512_cmp_ps_mask(vv, zero, _CMP_GT_OQ), vv);
        tri[TRI(j, j)] = sjj;
        const __mmask16 nz = _mm512_cmp_ps_mask(sjj, zero, _CMP_NEQ_UQ);
        for (int i = j + 1; i < D; i++) {
            __m512 u = zero;
            for (int m = 0; m < j; m++) {
                u = _mm512_add_ps(u, _mm512_mul_ps(tri[TRI(i, m)], tri[TRI(j, m)]));
            }
            tri[TRI(i, j)] = _mm512_maskz_div_ps(nz, _mm512_sub_ps(tri[TRI(i, j)], u), sjj);
        }
    }
}

/* avg[r][i] += t in double, for the 16 lanes of t at chunk index i (the lanes of m) */
static inline __attribute__((always_inline)) void addd16(double *p, __m512 t, __mmask16 m, int square) {
    __m512d lo = _mm512_cvtps_pd(_mm512_castps512_ps256(t));
    __m512d hi = _mm512_cvtps_pd(_mm512_extractf32x8_ps(t, 1));
    if (square) {
        lo = _mm512_mul_pd(lo, lo);
        hi = _mm512_mul_pd(hi, hi);
    }
    const __mmask8 ml = (__mmask8) (m & 0xFF);
    const __mmask8 mh = (__mmask8) (m >> 8);
    _mm512_mask_storeu_pd(p, ml, _mm512_add_pd(_mm512_maskz_loadu_pd(ml, p), lo));
    _mm512_mask_storeu_pd(p + 8, mh, _mm512_add_pd(_mm512_maskz_loadu_pd(mh, p + 8), hi));
}

/* one step's window sums of nv vectors from chunk index i0: Σx_j, Σx_j² (double products) and ΣL(x) */
static inline __attribute__((always_inline)) void window16(const Gen *g, const int D, const int nv, __m512 (*x)[UG],
        size_t i0, __mmask16 last) {
    for (int v = 0; v < nv; v++) {
        const __mmask16 m = v == nv - 1 ? last : (__mmask16) 0xFFFF;
        double *p = g->avg + i0 + (size_t) v * VL;
        for (int j = 0; j < D; j++) {
            addd16(p + (size_t) j * g->stride, x[j][v], m, 0);
            addd16(p + (size_t) (D + j) * g->stride, x[j][v], m, 1);
        }
        addd16(p + (size_t) (2 * D) * g->stride, value16(g, D, x, v), m, 0);
    }
}

/* the nv vectors of a tile from chunk index i0 (the lanes of `last` in the last one; the others read as 0) and their
   Philox particle words */
static inline __attribute__((always_inline)) void tile_load(const Gen *g, const float *xs, size_t i0, const int D,
        const int nv, __mmask16 last, __m512 (*x)[UG], __m512i *h2, __m512i *l2, __m512i *phi) {
#pragma GCC unroll 4
    for (int v = 0; v < nv; v++) {
        const __mmask16 m = v == nv - 1 ? last : (__mmask16) 0xFFFF;
        for (int j = 0; j < D; j++) {
            x[j][v] = _mm512_maskz_loadu_ps(m, xs + (size_t) j * g->stride + i0 + (size_t) v * VL);
        }
        lv_lanes16(g->base + i0 + (uint64_t) v * VL, &h2[v], &l2[v], &phi[v]);
    }
}

/* the tile's state back to the chunk (the lanes of `last` in the last vector) */
static inline __attribute__((always_inline)) void tile_store(const Gen *g, float *xs, size_t i0, const int D,
        const int nv, __mmask16 last, __m512 (*x)[UG]) {
#pragma GCC unroll 4
    for (int v = 0; v < nv; v++) {
        const __mmask16 m = v == nv - 1 ? last : (__mmask16) 0xFFFF;
        for (int j = 0; j < D; j++) {
            _mm512_mask_storeu_ps(xs + (size_t) j * g->stride + i0 + (size_t) v * VL, m, x[j][v]);
        }
    }
}

/*
 * nv (≤ UG) vectors of 16 particles from chunk index i0, all the run's steps; in the last vector only the lanes
 * of `last` are read and written.
 */
static inline __attribute__((always_inline)) void gtile(const Gen *g, const uint32_t *rk, float *xs, size_t i0,
        const int D, const int nv, __mmask16 last) {
    const __m512 dt = _mm512_set1_ps(g->dt);
    const __m512 ns = _mm512_set1_ps(g->ns);
    __m512 x[LV_MAXD][UG];
    __m512 gr[LV_MAXD][UG];
    __m512i h2[UG], l2[UG], phi[UG];
    tile_load(g, xs, i0, D, nv, last, x, h2, l2, phi);
    /* every step writes the gradient before reading it; set once so that the compiler can see no undefined read */
    for (int j = 0; j < D; j++) {
#pragma GCC unroll 4
        for (int v = 0; v < nv; v++) {
            gr[j][v] = _mm512_setzero_ps();
        }
    }
    /* the four normals of block `cur` of every vector; the SGD SDE's normals of the step */
    __m512 nb[4][UG];
    __m512 nr[LV_MAXD][UG];
    uint64_t cur = UINT64_MAX;
    const uint64_t d = (uint64_t) D;
    for (uint64_t s = 0; s < g->steps; s++) {
        if (g->dyn != DYN_BROWNIAN) {
            gradient(g, D, nv, x, gr);
        }
        if (g->dyn == DYN_GRADIENT_FLOW) {
            for (int j = 0; j < D; j++) {
#pragma GCC unroll 4
                for (int v = 0; v < nv; v++) {
                    x[j][v] = _mm512_sub_ps(x[j][v], _mm512_mul_ps(dt, gr[j][v]));
                }
            }
            if (g->avg != NULL && s >= g->favg) {
                window16(g, D, nv, x, i0, last);
            }
            continue;
        }
        uint64_t t = (g->first + s) * d;
        for (int j = 0; j < D; j++, t++) {
            if (t >> 2 != cur) {
                cur = t >> 2;
                __m512i c0[UG], c1[UG], c2[UG], c3[UG];
                lv_philox16(rk, cur, nv, h2, l2, phi, c0, c1, c2, c3);
#pragma GCC unroll 4
                for (int v = 0; v < nv; v++) {
                    box_muller16(c0[v], c1[v], &nb[0][v], &nb[1][v]);
                    box_muller16(c2[v], c3[v], &nb[2][v], &nb[3][v]);
                }
            }
            const unsigned l = (unsigned) t & 3;
            if (g->dyn == DYN_SGD_SDE) {
#pragma GCC unroll 4
                for (int v = 0; v < nv; v++) {
                    nr[j][v] = nb[l][v];
                }
            } else if (g->dyn == DYN_LANGEVIN) {
#pragma GCC unroll 4
                for (int v = 0; v < nv; v++) {
                    x[j][v] = _mm512_add_ps(_mm512_sub_ps(x[j][v], _mm512_mul_ps(dt, gr[j][v])), _mm512_mul_ps(ns, nb[l][v]));
                }
            } else {
#pragma GCC unroll 4
                for (int v = 0; v < nv; v++) {
                    x[j][v] = _mm512_add_ps(x[j][v], _mm512_mul_ps(ns, nb[l][v]));
                }
            }
        }
        if (g->dyn == DYN_SGD_SDE && g->tri != NULL) {
            /* state-dependent noise: S = the Cholesky factor of Σ(x) at the step's x, a vector at a time */
            for (int v = 0; v < nv; v++) {
                state_factor16(g, D, x, v, g->tri);
                for (int j = 0; j < D; j++) {
                    __m512 xi = _mm512_setzero_ps();
                    for (int k = 0; k <= j; k++) {
                        xi = _mm512_add_ps(xi, _mm512_mul_ps(g->tri[TRI(j, k)], nr[k][v]));
                    }
                    x[j][v] = _mm512_add_ps(_mm512_sub_ps(x[j][v], _mm512_mul_ps(dt, gr[j][v])), _mm512_mul_ps(ns, xi));
                }
            }
        } else if (g->dyn == DYN_SGD_SDE) {
            /* x_j = (x_j − dt·g_j) + ns·(0 + Σ_{k ≤ j} S_jk·n_k), with all the step's normals drawn first */
            for (int j = 0; j < D; j++) {
                __m512 xi[UG];
#pragma GCC unroll 4
                for (int v = 0; v < nv; v++) {
                    xi[v] = _mm512_setzero_ps();
                }
                for (int k = 0; k <= j; k++) {
                    const __m512 sjk = _mm512_set1_ps(g->chol[j * D + k]);
#pragma GCC unroll 4
                    for (int v = 0; v < nv; v++) {
                        xi[v] = _mm512_add_ps(xi[v], _mm512_mul_ps(sjk, nr[k][v]));
                    }
                }
#pragma GCC unroll 4
                for (int v = 0; v < nv; v++) {
                    x[j][v] = _mm512_add_ps(_mm512_sub_ps(x[j][v], _mm512_mul_ps(dt, gr[j][v])), _mm512_mul_ps(ns, xi[v]));
                }
            }
        }
        if (g->avg != NULL && s >= g->favg) {
            window16(g, D, nv, x, i0, last);
        }
    }
    tile_store(g, xs, i0, D, nv, last, x);
}

/* the chunk's particles [0, count) in tiles of UG vectors, then single vectors, then the masked rest */
static inline __attribute__((always_inline)) void advance_d(const Gen *g, const uint32_t *rk, float *xs, size_t count,
        const int D) {
    size_t i = 0;
    for (; i + (size_t) UG * VL <= count; i += (size_t) UG * VL) {
        gtile(g, rk, xs, i, D, UG, (__mmask16) 0xFFFF);
    }
    for (; i + VL <= count; i += VL) {
        gtile(g, rk, xs, i, D, 1, (__mmask16) 0xFFFF);
    }
    if (i < count) {
        gtile(g, rk, xs, i, D, 1, (__mmask16) ((1u << (count - i)) - 1));
    }
}

#define LV_ADVANCE_D(D) \
    static void advance_##D(const Gen *g, const uint32_t *rk, float *xs, size_t count) { \
        advance_d(g, rk, xs, count, D); \
    }
LV_ADVANCE_D(1)
LV_ADVANCE_D(2)
LV_ADVANCE_D(3)
LV_ADVANCE_D(4)
LV_ADVANCE_D(8)

static void advance_any(const Gen *g, const uint32_t *rk, float *xs, size_t count) {
    advance_d(g, rk, xs, count, g->d);
}

/*
 * CpuKernels.advance for Brownian motion, gradient flow, Langevin or the SGD SDE (dynamics 0, 1, 2, 4; chol: its
 * constant noise's factor S, or stateNoise: Σ(x) factored at every step, linreg only) on a built-in loss (0 none,
 * 1 quadratic, 2 double well, 3 linreg, 4 logistic) without window sums: the particles base … base+count−1, whose
 * coordinate j is xs[j·count + i], take the steps first … first+steps−1 (their noise) of a run with this seed.
 * a, b: the quadratic's A and m or linreg's H and b (CpuProblem.mat, vec); xd, yd: logistic's X (n×d) and y.
 * avg: the window sums (NULL: none), rows r < 2d + 1 at avg[r·count + i] (Σx_j, Σx_j², ΣL), added to from
 * the steps after burnIn (global steps k + 1 > burnIn); invS2: linreg's 1/s² for its loss value.
 * Returns 0, or −1 for a problem this kernel does not run (nothing is changed then).
 */
int lv_cpu_advance(float *xs, int64_t count, int64_t base, int64_t first, int64_t steps, int64_t seed, int32_t dynamics,
        int32_t loss, int32_t d, int32_t n, int32_t prior, float dt, float noiseScale, float priorCoef, const float *a,
        const float *b, const float *xd, const float *yd, const float *chol, double *avg, int64_t burnIn, float invS2,
        int32_t stateNoise) {
    if (count < 0 || burnIn < 0 || (stateNoise && (dynamics != DYN_SGD_SDE || loss != LOSS_LINREG || n < 1 || xd == NULL
            || yd == NULL)) || (avg != NULL && loss == LOSS_LINREG && (n < 1 || xd == NULL || yd == NULL)) || steps < 0 || d < 1 || d > LV_MAXD || dynamics < DYN_BROWNIAN
            || (dynamics > DYN_LANGEVIN && dynamics != DYN_SGD_SDE) || (dynamics == DYN_SGD_SDE && chol == NULL)
            || loss < LOSS_NONE || loss > LOSS_LOGISTIC || (loss == LOSS_LOGISTIC && (n < 1 || xd == NULL || yd == NULL))
            || ((loss == LOSS_QUADRATIC || loss == LOSS_LINREG) && (a == NULL || b == NULL))) {
        return -1;
    }
    const Gen g = {(uint64_t) seed, (uint64_t) base, (uint64_t) first, (uint64_t) steps, (size_t) count, dynamics, loss,
            d, n, prior != 0, dt, noiseScale, priorCoef, a, b, xd, yd, chol, avg,
            burnIn > first ? (uint64_t) (burnIn - first) : 0, invS2, NULL};
    __m512 *tri = NULL;
    if (stateNoise) {
        tri = aligned_alloc(64, sizeof(__m512) * (size_t) (d * (d + 1) / 2));
        if (tri == NULL) {
            return -1;
        }
    }
    Gen gs = g;
    gs.tri = tri;
    uint32_t rk[20];
    lv_round_keys(g.seed, rk);
    switch (d) {
    case 1: advance_1(&gs, rk, xs, (size_t) count); break;
    case 2: advance_2(&gs, rk, xs, (size_t) count); break;
    case 3: advance_3(&gs, rk, xs, (size_t) count); break;
    case 4: advance_4(&gs, rk, xs, (size_t) count); break;
    case 8: advance_8(&gs, rk, xs, (size_t) count); break;
    default: advance_any(&gs, rk, xs, (size_t) count); break;
    }
    free(tri);
    return 0;
}

/* ------------------------------------------------------------------------------------------------------------ SGD */

/*
 * SGD on a training set (CpuDynamics.sgd with CpuLoss.exampleAcc and batchGradient; SimdKernels.sgdLinreg does
 * the same lane-wise): each step draws B examples from the particle's index words, accumulates their terms,
 *
 *   linreg    r = ((0 + Σ_k x_ek·w_k) − y_e)·invS2,            acc_j += x_ej·r
 *   logistic  s = 1/(1 + exp(y_e·z)), c = (−y_e)·s,            acc_j += c·x_ej
 *   quadratic, double well with data noise                    acc_j += x_ej − x̄_j
 *
 * then g = acc/B (the quadratic and double well: ∇L(w) − acc/B), g_j + c·w_j with the prior's c, and
 * w_j − η·g_j (η·(P_jj·g_j) diagonal, η·(0 + Σ_k P_jk·g_k) full preconditioner). Index word k of a particle is
 * word k & 3 of Philox block (1 << 32) + (k >> 2); step s's draw m takes word s·B + m. With replacement the
 * example is bounded(word, n) = (word·n) >> 32; without (Floyd) draw m takes bounded(word, j + 1) for
 * j = n − B + m, or j where an earlier draw of the step took that example.
 */
typedef struct {
    Gen g;            /* the loss (a, b: quadratic's A and m; xd, yd: the training set), d, n, prior, pc */
    int batch;
    int distinct;
    int precond;      /* 0 identity, 1 diagonal, 2 full (CpuProblem.PREC_*) */
    float lr;
    float invS2;
    const float *xbar; /* the data noise's mean (quadratic, double well) */
    const float *prec; /* the preconditioner, d×d row-major */
} Sgd;

/*
 * The rows of examples t[0 … 15] of a d = 8 training set as eight vectors, row[k] lane l = x_{t_l, k}: the sixteen
 * rows loaded whole (two a vector, l and l + 8) and transposed in registers (8 × 8 in each 256-bit half), which
 * costs about half of eight gathers on the CPUs measured. The same floats as the gathers: only moves.
 */
static inline __attribute__((always_inline)) void rows8x16(const float *xd, __m512i t, __m512 *row) {
    int32_t ix[16] __attribute__((aligned(64)));
    _mm512_store_si512((void *) ix, t);
    __m512 z[8];
    for (int i = 0; i < 8; i++) {
        z[i] = _mm512_insertf32x8(_mm512_castps256_ps512(_mm256_loadu_ps(xd + (size_t) ix[i] * 8)),
                _mm256_loadu_ps(xd + (size_t) ix[i + 8] * 8), 1);
    }
    const __m512 t0 = _mm512_unpacklo_ps(z[0], z[1]), t1 = _mm512_unpackhi_ps(z[0], z[1]);
    const __m512 t2 = _mm512_unpacklo_ps(z[2], z[3]), t3 = _mm512_unpackhi_ps(z[2], z[3]);
    const __m512 t4 = _mm512_unpacklo_ps(z[4], z[5]), t5 = _mm512_unpackhi_ps(z[4], z[5]);
    const __m512 t6 = _mm512_unpacklo_ps(z[6], z[7]), t7 = _mm512_unpackhi_ps(z[6], z[7]);
    const __m512 u0 = _mm512_shuffle_ps(t0, t2, 0x44), u1 = _mm512_shuffle_ps(t0, t2, 0xEE);
    const __m512 u2 = _mm512_shuffle_ps(t1, t3, 0x44), u3 = _mm512_shuffle_ps(t1, t3, 0xEE);
    const __m512 u4 = _mm512_shuffle_ps(t4, t6, 0x44), u5 = _mm512_shuffle_ps(t4, t6, 0xEE);
    const __m512 u6 = _mm512_shuffle_ps(t5, t7, 0x44), u7 = _mm512_shuffle_ps(t5, t7, 0xEE);
    /* per 256-bit half: [a.low 128, b.low 128] and [a.high 128, b.high 128] */
    const __m512i lo = _mm512_setr_epi32(0, 1, 2, 3, 16, 17, 18, 19, 8, 9, 10, 11, 24, 25, 26, 27);
    const __m512i hi = _mm512_setr_epi32(4, 5, 6, 7, 20, 21, 22, 23, 12, 13, 14, 15, 28, 29, 30, 31);
    row[0] = _mm512_permutex2var_ps(u0, lo, u4);
    row[1] = _mm512_permutex2var_ps(u1, lo, u5);
    row[2] = _mm512_permutex2var_ps(u2, lo, u6);
    row[3] = _mm512_permutex2var_ps(u3, lo, u7);
    row[4] = _mm512_permutex2var_ps(u0, hi, u4);
    row[5] = _mm512_permutex2var_ps(u1, hi, u5);
    row[6] = _mm512_permutex2var_ps(u2, hi, u6);
    row[7] = _mm512_permutex2var_ps(u3, hi, u7);
}

/* vectors a tile: two (the gathers' latency hidden; with four the state, sums and words no longer fit the
   registers at d = 8 and the kernel measured slower) */
#ifndef LV_SGD_TILE_G
#define LV_SGD_TILE_G 2
#endif
#define SG LV_SGD_TILE_G
_Static_assert(SG >= 1 && SG <= UG, "the SGD tile is at most the gradient's");

/* CpuProblem.MAX_BATCH_DISTINCT */
#define LV_MAX_BATCH_DISTINCT 256

static inline __attribute__((always_inline)) void stile(const Sgd *q, const Gen *base, const uint32_t *rk, float *xs,
        size_t i0, const int D, const int nv, __mmask16 last) {
    const Gen *g = &q->g;
    /* x and gb as wide as gradient()'s arrays (UG ≥ SG vectors; the first nv used) */
    __m512 x[LV_MAXD][UG];
    __m512 acc[LV_MAXD][SG];
    __m512 gb[LV_MAXD][UG];
    __m512i h2[SG], l2[SG], phi[SG];
    static __thread __m512i chosen[LV_MAX_BATCH_DISTINCT][SG];
    tile_load(g, xs, i0, D, nv, last, x, h2, l2, phi);
    for (int j = 0; j < D; j++) {
#pragma GCC unroll 2
        for (int v = 0; v < nv; v++) {
            gb[j][v] = _mm512_setzero_ps();
        }
    }
    const int B = q->batch;
    const int n = g->n;
    const __m512i dvec = _mm512_set1_epi32(D);
    const __m512 one = _mm512_set1_ps(1.0f);
    /* x / B and x · (1/B) are the same float when B is a power of two (1/B exact) */
    const int pow2 = (B & (B - 1)) == 0;
    const __m512 bf = _mm512_set1_ps((float) B);
    const __m512 invb = _mm512_set1_ps(1.0f / (float) B);
    const __m512 lr = _mm512_set1_ps(q->lr);
    const __m512 invS2 = _mm512_set1_ps(q->invS2);
    __m512i wb[4][SG];
    uint64_t cur = UINT64_MAX;
    uint64_t w = g->first * (uint64_t) B;
    for (uint64_t s = 0; s < g->steps; s++) {
        for (int j = 0; j < D; j++) {
#pragma GCC unroll 2
            for (int v = 0; v < nv; v++) {
                acc[j][v] = _mm512_setzero_ps();
            }
        }
        for (int m = 0; m < B; m++, w++) {
            if (w >> 2 != cur) {
                cur = w >> 2;
                lv_philox16(rk, (1ULL << 32) + cur, nv, h2, l2, phi, wb[0], wb[1], wb[2], wb[3]);
            }
            const unsigned l = (unsigned) w & 3;
            const int j = n - B + m;
            const uint32_t bound = q->distinct ? (uint32_t) (j + 1) : (uint32_t) n;
            const __m512i bv = _mm512_set1_epi64(bound);
#pragma GCC unroll 2
            for (int v = 0; v < nv; v++) {
                __m512i t, lo;
                MULHILO(wb[l][v], bv, t, lo);
                (void) lo;
                if (q->distinct) {
                    const __m512i jv = _mm512_set1_epi32(j);
                    for (int r = 0; r < m; r++) {
                        t = _mm512_mask_mov_epi32(t, _mm512_cmpeq_epi32_mask(t, chosen[r][v]), jv);
                    }
                    chosen[m][v] = t;
                }
                const __m512i off = _mm512_mullo_epi32(t, dvec);
                __m512 row[LV_MAXD];
                if (D == 8) {
                    rows8x16(g->xd, t, row);
                } else {
                    for (int k = 0; k < D; k++) {
                        row[k] = _mm512_i32gather_ps(_mm512_add_epi32(off, _mm512_set1_epi32(k)), g->xd, 4);
                    }
                }
                if (g->loss == LOSS_LINREG || g->loss == LOSS_LOGISTIC) {
                    const __m512 y = _mm512_i32gather_ps(t, g->yd, 4);
                    __m512 z = _mm512_setzero_ps();
                    for (int k = 0; k < D; k++) {
                        z = _mm512_add_ps(z, _mm512_mul_ps(row[k], x[k][v]));
                    }
                    __m512 c;
                    if (g->loss == LOSS_LINREG) {
                        c = _mm512_mul_ps(_mm512_sub_ps(z, y), invS2);
                    } else {
                        const __m512 e = exp16(_mm512_mul_ps(z, y));
                        c = _mm512_mul_ps(_mm512_div_ps(one, _mm512_add_ps(e, one)),
                                _mm512_xor_ps(y, _mm512_set1_ps(-0.0f)));
                    }
                    for (int k = 0; k < D; k++) {
                        acc[k][v] = _mm512_add_ps(acc[k][v], _mm512_mul_ps(row[k], c));
                    }
                } else {
                    for (int k = 0; k < D; k++) {
                        acc[k][v] = _mm512_add_ps(acc[k][v], _mm512_sub_ps(row[k], _mm512_set1_ps(q->xbar[k])));
                    }
                }
            }
        }
        for (int j = 0; j < D; j++) {
#pragma GCC unroll 2
            for (int v = 0; v < nv; v++) {
                acc[j][v] = pow2 ? _mm512_mul_ps(acc[j][v], invb) : _mm512_div_ps(acc[j][v], bf);
            }
        }
        if (g->loss == LOSS_QUADRATIC || g->loss == LOSS_DOUBLE_WELL) {
            gradient(base, D, nv, x, gb);
            for (int j = 0; j < D; j++) {
#pragma GCC unroll 2
                for (int v = 0; v < nv; v++) {
                    acc[j][v] = _mm512_sub_ps(gb[j][v], acc[j][v]);
                }
            }
        }
        if (g->prior) {
            const __m512 pc = _mm512_set1_ps(g->pc);
            for (int j = 0; j < D; j++) {
#pragma GCC unroll 2
                for (int v = 0; v < nv; v++) {
                    acc[j][v] = _mm512_add_ps(acc[j][v], _mm512_mul_ps(pc, x[j][v]));
                }
            }
        }
        if (q->precond == 2) {
            for (int j = 0; j < D; j++) {
#pragma GCC unroll 2
                for (int v = 0; v < nv; v++) {
                    gb[j][v] = _mm512_setzero_ps();
                }
                for (int k = 0; k < D; k++) {
                    const __m512 pjk = _mm512_set1_ps(q->prec[j * D + k]);
#pragma GCC unroll 2
                    for (int v = 0; v < nv; v++) {
                        gb[j][v] = _mm512_add_ps(gb[j][v], _mm512_mul_ps(pjk, acc[k][v]));
                    }
                }
            }
            for (int j = 0; j < D; j++) {
#pragma GCC unroll 2
                for (int v = 0; v < nv; v++) {
                    x[j][v] = _mm512_sub_ps(x[j][v], _mm512_mul_ps(lr, gb[j][v]));
                }
            }
        } else {
            for (int j = 0; j < D; j++) {
                const __m512 pjj = _mm512_set1_ps(q->precond == 1 ? q->prec[j * D + j] : 1.0f);
#pragma GCC unroll 2
                for (int v = 0; v < nv; v++) {
                    const __m512 gj = q->precond == 1 ? _mm512_mul_ps(pjj, acc[j][v]) : acc[j][v];
                    x[j][v] = _mm512_sub_ps(x[j][v], _mm512_mul_ps(lr, gj));
                }
            }
        }
        if (g->avg != NULL && s >= g->favg) {
            window16(g, D, nv, x, i0, last);
        }
    }
    tile_store(g, xs, i0, D, nv, last, x);
}

static inline __attribute__((always_inline)) void sadvance_d(const Sgd *q, const Gen *base, const uint32_t *rk,
        float *xs, size_t count, const int D) {
    size_t i = 0;
    for (; i + (size_t) SG * VL <= count; i += (size_t) SG * VL) {
        stile(q, base, rk, xs, i, D, SG, (__mmask16) 0xFFFF);
    }
    for (; i + VL <= count; i += VL) {
        stile(q, base, rk, xs, i, D, 1, (__mmask16) 0xFFFF);
    }
    if (i < count) {
        stile(q, base, rk, xs, i, D, 1, (__mmask16) ((1u << (count - i)) - 1));
    }
}

#define LV_SADVANCE_D(D) \
    static void sadvance_##D(const Sgd *q, const Gen *base, const uint32_t *rk, float *xs, size_t count) { \
        sadvance_d(q, base, rk, xs, count, D); \
    }
LV_SADVANCE_D(1)
LV_SADVANCE_D(2)
LV_SADVANCE_D(4)
LV_SADVANCE_D(8)

static void sadvance_any(const Sgd *q, const Gen *base, const uint32_t *rk, float *xs, size_t count) {
    sadvance_d(q, base, rk, xs, count, q->g.d);
}

/*
 * CpuKernels.advance for SGD (no window sums) on linear or logistic regression, or the quadratic or double well
 * with data noise: particles base … base+count−1 at xs[j·count + i], steps first … first+steps−1. a, b: the
 * quadratic's A and m (CpuProblem.mat, vec); xd (n×d) and yd (n): the training set (for the quadratic and double
 * well, the noise samples; yd unused); xbar: their mean; prec: the preconditioner (precond 1 diagonal, 2 full).
 * avg, burnIn: the window sums, as lv_cpu_advance's.
 * Returns 0, or −1 for a problem this kernel does not run (nothing is changed then).
 */
int lv_cpu_sgd_advance(float *xs, int64_t count, int64_t base, int64_t first, int64_t steps, int64_t seed, int32_t loss,
        int32_t d, int32_t n, int32_t batch, int32_t distinct, int32_t precond, int32_t prior, float lr, float invS2,
        float priorCoef, const float *a, const float *b, const float *xd, const float *yd, const float *xbar,
        const float *prec, double *avg, int64_t burnIn) {
    const int shiftLoss = loss == LOSS_QUADRATIC || loss == LOSS_DOUBLE_WELL;
    if (count < 0 || steps < 0 || burnIn < 0 || d < 1 || d > LV_MAXD || n < 1 || batch < 1 || batch > n
            || (distinct && batch > LV_MAX_BATCH_DISTINCT) || precond < 0 || precond > 2 || xd == NULL
            || (precond != 0 && prec == NULL) || (uint64_t) n * (uint64_t) d > (uint64_t) INT32_MAX
            || !(loss == LOSS_LINREG || loss == LOSS_LOGISTIC || shiftLoss)
            || ((loss == LOSS_LINREG || loss == LOSS_LOGISTIC) && yd == NULL)
            || (shiftLoss && xbar == NULL) || (loss == LOSS_QUADRATIC && (a == NULL || b == NULL))) {
        return -1;
    }
    const Sgd q = {{(uint64_t) seed, (uint64_t) base, (uint64_t) first, (uint64_t) steps, (size_t) count, 3, loss, d, n,
            prior != 0, 0.0f, 0.0f, priorCoef, a, b, xd, yd, NULL, avg, burnIn > first ? (uint64_t) (burnIn - first) : 0,
            invS2, NULL}, batch, distinct != 0, precond, lr, invS2, xbar, prec};
    /* the loss's own gradient without the prior (CpuLoss.batchGradient adds it after the data term) */
    Gen gb = q.g;
    gb.prior = 0;
    gb.avg = NULL;
    uint32_t rk[20];
    lv_round_keys(q.g.seed, rk);
    switch (d) {
    case 1: sadvance_1(&q, &gb, rk, xs, (size_t) count); break;
    case 2: sadvance_2(&q, &gb, rk, xs, (size_t) count); break;
    case 4: sadvance_4(&q, &gb, rk, xs, (size_t) count); break;
    case 8: sadvance_8(&q, &gb, rk, xs, (size_t) count); break;
    default: sadvance_any(&q, &gb, rk, xs, (size_t) count); break;
    }
    return 0;
}
