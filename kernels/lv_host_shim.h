// Host shim for the emulated device (docs/architecture.md): lets the host C++ compiler compile the kernel
// sources unchanged. The CUDA qualifiers become nothing, and threadIdx/blockIdx/blockDim/gridDim
// become host variables that lv_emulator.cpp sets before it calls a kernel body once per
// (block, thread) of the grid. The variables are thread_local, so two host threads may run two
// launches at the same time.
//
// Only what the kernels may use is provided. Shared memory, __syncthreads and warp intrinsics are
// deliberately absent (kernels/README.md): a kernel that uses them fails to compile here instead of
// running unfaithfully.
#ifndef LV_HOST_SHIM_H
#define LV_HOST_SHIM_H

#ifndef __CUDACC__

#include <cmath>
#include <cstdint>
#include <cstring>

#define __global__
#define __launch_bounds__(...)
#define __device__
#define __host__
#define __forceinline__ inline
#define __noinline__
#define __restrict__ __restrict

// CUDA's built-in vector types used for the thread and block coordinates.
struct uint3 {
    unsigned int x, y, z;
};
struct dim3 {
    unsigned int x, y, z;
};

// The launch coordinates of the kernel body now running on this host thread.
inline thread_local uint3 threadIdx = {0u, 0u, 0u};
inline thread_local uint3 blockIdx = {0u, 0u, 0u};
inline thread_local dim3 blockDim = {1u, 1u, 1u};
inline thread_local dim3 gridDim = {1u, 1u, 1u};

// Bit reinterpretation intrinsics, exact on both sides.
inline unsigned int __float_as_uint(float f) {
    unsigned int u;
    std::memcpy(&u, &f, sizeof u);
    return u;
}
inline float __uint_as_float(unsigned int u) {
    float f;
    std::memcpy(&f, &u, sizeof f);
    return f;
}
inline int __float_as_int(float f) {
    int i;
    std::memcpy(&i, &f, sizeof i);
    return i;
}
inline float __int_as_float(int i) {
    float f;
    std::memcpy(&f, &i, sizeof f);
    return f;
}

// High words of integer products, as the PTX mul.hi instructions compute them.
inline unsigned int __umulhi(unsigned int a, unsigned int b) {
    return (unsigned int)(((unsigned long long)a * (unsigned long long)b) >> 32);
}
inline unsigned long long __umul64hi(unsigned long long a, unsigned long long b) {
    return (unsigned long long)(((unsigned __int128)a * (unsigned __int128)b) >> 64);
}

// Correctly rounded single-precision operations (the host's SSE arithmetic is IEEE binary32 with
// round-to-nearest-even, and -ffp-contract=off keeps a*b+c as two roundings).
inline float __fadd_rn(float a, float b) { return a + b; }
inline float __fsub_rn(float a, float b) { return a - b; }
inline float __fmul_rn(float a, float b) { return a * b; }
inline float __fdiv_rn(float a, float b) { return a / b; }
inline float __fsqrt_rn(float a) { return std::sqrt(a); }
inline float __fmaf_rn(float a, float b, float c) { return std::fma(a, b, c); }

// Runs body() once for every (block, thread) of blocks [firstBlock, endBlock) of a grid of `grid`
// blocks of `block` threads, one after the other on the calling thread, with the coordinates above set:
// a faithful execution of the project's kernels, grid-stride loops in which each particle is touched by
// one (block, thread) and no thread waits for another. So disjoint block ranges of one grid may run on
// different host threads. The coordinates are reset afterwards.
template <typename Body>
inline void lv_emu_grid_blocks(int grid, int block, int firstBlock, int endBlock, Body body) {
    gridDim = {(unsigned int)grid, 1u, 1u};
    blockDim = {(unsigned int)block, 1u, 1u};
    for (int b = firstBlock; b < endBlock; b++) {
        for (int t = 0; t < block; t++) {
            blockIdx = {(unsigned int)b, 0u, 0u};
            threadIdx = {(unsigned int)t, 0u, 0u};
            body();
        }
    }
    gridDim = {1u, 1u, 1u};
    blockDim = {1u, 1u, 1u};
    blockIdx = {0u, 0u, 0u};
    threadIdx = {0u, 0u, 0u};
}

// The whole grid on the calling thread.
template <typename Body>
inline void lv_emu_grid(int grid, int block, Body body) {
    lv_emu_grid_blocks(grid, block, 0, grid, body);
}

#endif  // __CUDACC__
#endif  // LV_HOST_SHIM_H
