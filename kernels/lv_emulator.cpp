// The emulated device (docs/architecture.md): the kernel sources of lv_kernels.cu compiled by the host C++
// compiler, with C entry points that org.langevin.engine.emulated calls through JNA.
//
// lv_emu_launch(entry, grid, block, <the kernel ABI's arguments>) runs the entry point named `entry`
// (an `.entry` name of the PTX, e.g. "lv_langevin_d1") once for every (block, thread) of a grid of
// `grid` blocks of `block` threads, one after the other on the calling thread. That is a faithful execution because the kernels are grid-stride loops in which each
// particle is touched by exactly one (block, thread) and no thread waits for another.
//
// lv_emu_launch_blocks runs a range of the grid's blocks, so that the stand-in CUDA driver of the tests
// (src/test/native/cuda-standin) can spread one launch over host threads.
//
// lv_emu_reduce_blocks runs the record reduction (lv_reduce.cuh) over a grid, or a range of its blocks.
//
// lv_emu_fill_normals writes the project's own Philox normals into a noise buffer in the layout of
// the kernel ABI's `noise` argument, so that buffer mode can be checked against fused mode.
//
// Build: kernels/build.sh (flags in emulator.flags next to the copied sources); never with
// -ffast-math or FP contraction.
#include "lv_host_shim.h"
#include "lv_kernels.cu"

namespace {

// The entry points by name, as in the PTX.
using LvEntry = void (*)(float*, double*, int, int, long long, long long, int, long long, unsigned int,
                         unsigned int, float, float, const int*, const float*, const float*, const float*);
struct LvNamedEntry {
    const char* name;
    LvEntry entry;
};
const LvNamedEntry kLvEntries[] = {
    {"lv_brownian", lv_brownian},         {"lv_gradient_flow", lv_gradient_flow},
    {"lv_langevin", lv_langevin},         {"lv_sgd", lv_sgd},
    {"lv_sgd_sde", lv_sgd_sde},           {"lv_brownian_d1", lv_brownian_d1},
    {"lv_gradient_flow_d1", lv_gradient_flow_d1}, {"lv_langevin_d1", lv_langevin_d1},
    {"lv_sgd_d1", lv_sgd_d1},             {"lv_sgd_sde_d1", lv_sgd_sde_d1},
};

}  // namespace

// Runs blocks [firstBlock, endBlock) of entry point `entry` over a grid of `grid` blocks of `block`
// threads (disjoint block ranges of one launch may run on different host threads at once). Returns 0,
// 1 when the launch shape or block range is invalid, 2 when no entry point has that name (nothing runs
// in either case).
extern "C" int lv_emu_launch_blocks(const char* entry, int grid, int block, int firstBlock, int endBlock, float* state,
                                    double* avg, int count, int stride, long long firstParticle, long long firstStep,
                                    int nSteps, long long burnIn, unsigned int seedLo, unsigned int seedHi, float lr,
                                    float noiseScale, const int* ip, const float* fp, const float* data,
                                    const float* noise) {
    if (grid < 1 || block < 1 || firstBlock < 0 || endBlock < firstBlock || endBlock > grid) {
        return 1;
    }
    for (const LvNamedEntry& e : kLvEntries) {
        if (entry != nullptr && strcmp(entry, e.name) == 0) {
            lv_emu_grid_blocks(grid, block, firstBlock, endBlock, [&]() {
                e.entry(state, avg, count, stride, firstParticle, firstStep, nSteps, burnIn, seedLo, seedHi, lr,
                        noiseScale, ip, fp, data, noise);
            });
            return 0;
        }
    }
    return 2;
}

// Runs entry point `entry` over the grid. Returns 0, 1 when the launch shape is invalid, 2 when no
// entry point has that name (nothing runs in either case).
extern "C" int lv_emu_launch(const char* entry, int grid, int block, float* state, double* avg, int count,
                             int stride, long long firstParticle, long long firstStep, int nSteps,
                             long long burnIn, unsigned int seedLo, unsigned int seedHi, float lr,
                             float noiseScale, const int* ip, const float* fp, const float* data,
                             const float* noise) {
    return lv_emu_launch_blocks(entry, grid, block, 0, grid < 1 ? 0 : grid, state, avg, count, stride, firstParticle,
                                firstStep, nSteps, burnIn, seedLo, seedHi, lr, noiseScale, ip, fp, data, noise);
}

// Runs blocks [firstBlock, endBlock) of the record reduction lv_reduce_blocks over a grid of `grid`
// blocks of `block` threads (lv_reduce.cuh: the thread with global index t reduces particle blocks
// t, t + grid*block, ...; disjoint block ranges of one launch may run on different host threads).
// Returns 0, or 1 when the launch shape, the block range or an argument is invalid (nothing runs).
extern "C" int lv_emu_reduce_blocks(int grid, int block, int firstBlock, int endBlock, const float* state, double* out,
                                    int count, int stride, int d, int withLoss, const double* rp) {
    if (grid < 1 || block < 1 || firstBlock < 0 || endBlock < firstBlock || endBlock > grid || count < 0 ||
        stride < count || d < 1 || state == nullptr || out == nullptr || rp == nullptr) {
        return 1;
    }
    lv_emu_grid_blocks(grid, block, firstBlock, endBlock,
                       [&]() { lv_reduce_blocks(state, out, count, stride, d, withLoss, rp); });
    return 0;
}

// Fills noise[m*count + i] (m = 0 .. perParticle-1, i = 0 .. count-1) with normal number
// firstNormal + m of particle firstParticle + i (region 0 of its Philox stream). With
// firstNormal = firstStep*q and perParticle = nSteps*q this is the kernel ABI's buffer layout.
// Returns 0, or 1 for a negative count, size or index (nothing is written).
extern "C" int lv_emu_fill_normals(float* noise, int count, long long firstParticle, long long firstNormal,
                                   long long perParticle, unsigned int seedLo, unsigned int seedHi) {
    if (count < 0 || firstParticle < 0 || firstNormal < 0 || perParticle < 0) {
        return 1;
    }
    const unsigned long long seed = ((unsigned long long)seedHi << 32) | seedLo;
    for (int i = 0; i < count; i++) {
        const unsigned long long particle = (unsigned long long)(firstParticle + i);
        float buf[4];
        unsigned long long block = ~0ull;
        for (long long m = 0; m < perParticle; m++) {
            const unsigned long long g = (unsigned long long)(firstNormal + m);
            if ((g >> 2) != block) {
                block = g >> 2;
                lv_normal4(seed, particle, block, buf);
            }
            noise[m * (long long)count + i] = buf[g & 3u];
        }
    }
    return 0;
}

// The largest dimension the compiled kernels accept (their register arrays), or -1 when unknown.
extern "C" int lv_emu_max_dim(void) {
#ifdef LV_MAX_DIM
    return LV_MAX_DIM;
#else
    return -1;
#endif
}
