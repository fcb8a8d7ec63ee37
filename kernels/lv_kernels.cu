// The __global__ entry points of the kernel ABI (kernels/README.md): one per dynamics, each a
// grid-stride loop over particles that loads a particle's state once, takes nSteps steps in
// registers and writes it back once, with the window sums. No shared memory, no __syncthreads, no
// warp intrinsics. org.langevin.engine.cpu.CpuKernels mirrors this file.
#ifndef __CUDACC__
#include "lv_host_shim.h"
#endif

#include "lv_common.cuh"
#include "lv_rng.cuh"
#include "lv_loss.cuh"
#include "lv_dynamics.cuh"

// The launch arguments shared by all entry points.
struct LvLaunch {
    float* state;
    double* avg;
    int count;
    int stride;
    long long firstParticle;
    long long firstStep;
    int nSteps;
    long long burnIn;
    unsigned long long seed;
    float lr;
    float noiseScale;
    const float* noise;
};

// The normals of a particle for the launch: its Philox stream from normal `first`, or its column of
// the launch's buffer.
__device__ inline void lv_launch_normals(LvPhiloxNormals& nr, const LvLaunch& a, unsigned long long particle,
                                         unsigned long long first, int) {
    lv_normals_init(nr, a.seed, particle, first);
}

__device__ inline void lv_launch_normals(LvBufferNormals& nr, const LvLaunch& a, unsigned long long,
                                         unsigned long long, int col) {
    lv_normals_init(nr, a.noise, a.count, col);
}

// Advances particle column col (grid-stride body). D is d when fixed at compile time (1), else 0;
// N is the source of the normals (LvPhiloxNormals, or LvBufferNormals in buffer mode).
template <int DYN, int D, class N>
__device__ inline void lv_particle(const LvProblem& p, const LvLaunch& a, int col) {
    const int d = D != 0 ? D : p.d;
    const long long stride = a.stride;
    float x[D != 0 ? D : LV_MAX_DIM];
    for (int j = 0; j < d; j++) {
        x[j] = a.state[j * stride + col];
    }
    const bool average = p.average != 0 && a.avg != nullptr;
    double sx[D != 0 ? D : LV_MAX_DIM];
    double sxx[D != 0 ? D : LV_MAX_DIM];
    double sl = 0.0;
    for (int j = 0; j < d; j++) {
        sx[j] = 0.0;
        sxx[j] = 0.0;
    }
    if (average) {
        for (int j = 0; j < d; j++) {
            sx[j] = a.avg[j * stride + col];
            sxx[j] = a.avg[(d + j) * stride + col];
        }
        sl = a.avg[(2 * d) * stride + col];
    }
    // Local step s enters the window sums when its global step firstStep + s + 1 exceeds burnIn,
    // i.e. from local step avgFrom on (nSteps: never).
    const long long fromBurnIn = a.burnIn - a.firstStep;
    const int avgFrom = !average ? a.nSteps : fromBurnIn <= 0 ? 0 : fromBurnIn >= a.nSteps ? a.nSteps : (int)fromBurnIn;
    const unsigned long long particle = (unsigned long long)(a.firstParticle + col);
    const unsigned long long q = (DYN == LV_DYN_GRADIENT_FLOW || DYN == LV_DYN_SGD) ? 0ull : (unsigned long long)d;
    N nr;
    lv_launch_normals(nr, a, particle, (unsigned long long)a.firstStep * q, col);
    LvWords ws;
    lv_words_init(ws, a.seed, particle,
                  DYN == LV_DYN_SGD ? (unsigned long long)a.firstStep * (unsigned long long)p.batch : 0ull);
    LvScratch<D> w;
    for (int s = 0; s < a.nSteps; s++) {
        if (DYN == LV_DYN_BROWNIAN) {
            lv_step_brownian<D>(p, x, a.noiseScale, nr);
        } else if (DYN == LV_DYN_GRADIENT_FLOW) {
            lv_step_gradient_flow<D>(p, x, w);
        } else if (DYN == LV_DYN_LANGEVIN) {
            lv_step_langevin<D>(p, x, a.noiseScale, nr, w);
        } else if (DYN == LV_DYN_SGD) {
            lv_step_sgd<D>(p, x, a.lr, ws, w);
        } else {
            lv_step_sgd_sde<D>(p, x, a.noiseScale, nr, w);
        }
        if (s >= avgFrom) {
            for (int j = 0; j < d; j++) {
                sx[j] += (double)x[j];
                sxx[j] += (double)x[j] * (double)x[j];
            }
            sl += (double)lv_loss_value<D>(p, x);
        }
    }
    for (int j = 0; j < d; j++) {
        a.state[j * stride + col] = x[j];
    }
    if (average) {
        for (int j = 0; j < d; j++) {
            a.avg[j * stride + col] = sx[j];
            a.avg[(d + j) * stride + col] = sxx[j];
        }
        a.avg[(2 * d) * stride + col] = sl;
    }
}

// Particle column col with d fixed at compile time (D) or not (0), fused or buffer noise.
template <int DYN, int D>
__device__ inline void lv_particle_any(const LvProblem& p, const LvLaunch& a, int col) {
    constexpr bool normals = DYN == LV_DYN_BROWNIAN || DYN == LV_DYN_LANGEVIN || DYN == LV_DYN_SGD_SDE;
    if constexpr (normals) {
        if (a.noise != nullptr) {
            lv_particle<DYN, D, LvBufferNormals>(p, a, col);
            return;
        }
    }
    lv_particle<DYN, D, LvPhiloxNormals>(p, a, col);
}

// The body of an entry point. D = 1: the entry point for d = 1, compiled for it; D = 0: the general
// one, for any d (d = 1 included, with the same results). The two are separate kernels so that
// each gets the registers of its own path: together they would spill under the 64-register cap.
template <int DYN, int D>
__device__ inline void lv_run(float* state, double* avg, int count, int stride, long long firstParticle,
                              long long firstStep, int nSteps, long long burnIn, unsigned int seedLo,
                              unsigned int seedHi, float lr, float noiseScale, const int* ip, const float* fp,
                              const float* data, const float* noise) {
    const LvProblem p = lv_problem(ip, fp, data);
    LvLaunch a;
    a.state = state;
    a.avg = avg;
    a.count = count;
    a.stride = stride;
    a.firstParticle = firstParticle;
    a.firstStep = firstStep;
    a.nSteps = nSteps;
    a.burnIn = burnIn;
    a.seed = ((unsigned long long)seedHi << 32) | seedLo;
    a.lr = lr;
    a.noiseScale = noiseScale;
    a.noise = noise;
    const bool ok = lv_problem_ok(p, DYN) && (D == 0 || p.d == D) && stride >= count && firstStep >= 0
            && nSteps >= 0;
    const long long step = (long long)blockDim.x * gridDim.x;
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < count; i += step) {
        const int col = (int)i;
        if (!ok) {
            // Parameters the host should have rejected: make the failure visible, never silent.
            const int rows = p.d >= 1 && p.d <= LV_MAX_DIM ? p.d : 1;
            for (int j = 0; j < rows; j++) {
                state[(long long)j * stride + col] = __builtin_nanf("");
            }
        } else {
            lv_particle_any<DYN, D>(p, a, col);
        }
    }
}

// 256 threads per block, at least 4 blocks per SM: caps the registers at 64, which every entry
// point fits without spilling (benchmarks/gpu_roofline.py), for 50 % theoretical occupancy on sm_90.
#define LV_BLOCK_THREADS 256
#ifndef LV_MIN_BLOCKS_PER_SM
#define LV_MIN_BLOCKS_PER_SM 4
#endif

#define LV_ENTRY(name, DYN, D)                                                                           \
    extern "C" __global__ void __launch_bounds__(LV_BLOCK_THREADS, LV_MIN_BLOCKS_PER_SM)                 \
    name(float* state, double* avg, int count, int stride, long long firstParticle, long long firstStep, \
         int nSteps, long long burnIn, unsigned int seedLo, unsigned int seedHi, float lr,              \
         float noiseScale, const int* ip, const float* fp, const float* data, const float* noise) {     \
        lv_run<DYN, D>(state, avg, count, stride, firstParticle, firstStep, nSteps, burnIn, seedLo,      \
                       seedHi, lr, noiseScale, ip, fp, data, noise);                                     \
    }

// Any d.
LV_ENTRY(lv_brownian, LV_DYN_BROWNIAN, 0)
LV_ENTRY(lv_gradient_flow, LV_DYN_GRADIENT_FLOW, 0)
LV_ENTRY(lv_langevin, LV_DYN_LANGEVIN, 0)
LV_ENTRY(lv_sgd, LV_DYN_SGD, 0)
LV_ENTRY(lv_sgd_sde, LV_DYN_SGD_SDE, 0)
// d = 1 only (any other d: NaN, like every rejected launch).
LV_ENTRY(lv_brownian_d1, LV_DYN_BROWNIAN, 1)
LV_ENTRY(lv_gradient_flow_d1, LV_DYN_GRADIENT_FLOW, 1)
LV_ENTRY(lv_langevin_d1, LV_DYN_LANGEVIN, 1)
LV_ENTRY(lv_sgd_d1, LV_DYN_SGD, 1)
LV_ENTRY(lv_sgd_sde_d1, LV_DYN_SGD_SDE, 1)

#include "lv_reduce.cuh"

// The record reduction (lv_reduce.cuh, kernels/README.md "Record reduction"): blocks of
// LV_REDUCE_BLOCK particles of columns 0..count-1, one thread per block (a grid-stride loop over
// blocks), block b's record of lv_reduce_record_len(d, withLoss, rp[LV_RP_BINS]) doubles at
// out + b * that length.
extern "C" __global__ void __launch_bounds__(LV_REDUCE_THREADS)
lv_reduce_blocks(const float* state, double* out, int count, int stride, int d, int withLoss, const double* rp) {
    const long long blocks = ((long long)count + LV_REDUCE_BLOCK - 1) / LV_REDUCE_BLOCK;
    const long long step = (long long)blockDim.x * gridDim.x;
    for (long long b = (long long)blockIdx.x * blockDim.x + threadIdx.x; b < blocks; b += step) {
        lv_reduce_block(state, out, count, stride, d, withLoss, rp, b,
                        [&](long long col) { return lv_reduce_loss(state, stride, col, d, rp); });
    }
}
