// Common definitions of the kernels: the host/device qualifier, bit casts, and the offsets of the
// integer and float parameter arrays of the ABI (kernels/README.md). Compiles with nvcc and with a
// plain host C++17 compiler.
#pragma once

#ifdef __CUDACC_RTC__
// NVRTC (a user model's kernel compiled at run time) has no C library headers: the fixed-width types.
typedef unsigned int uint32_t;
typedef int int32_t;
typedef unsigned long long uint64_t;
typedef long long int64_t;
#else
#include <stdint.h>
#include <string.h>
#endif
#ifndef __CUDACC__
#include <math.h>
#endif

#ifdef __CUDACC__
#define LV_HD __host__ __device__
#else
#define LV_HD
#endif

// Integer parameters (ip).
#define IP_DYNAMICS 0
#define IP_LOSS 1
#define IP_DIM 2
#define IP_N 3
#define IP_BATCH 4
#define IP_SAMPLING 5
#define IP_PRECOND 6
#define IP_SDE_NOISE 7
#define IP_PRIOR 8
#define IP_AVERAGE 9
#define IP_SHIFT_NOISE 10
#define IP_LEN 16

// Float parameters (fp).
#define FP_DT 0
#define FP_PRIOR 1
#define FP_INVS2 2
#define FP_MAT 8

LV_HD inline int lv_fp_vec(int d) { return FP_MAT + d * d; }
LV_HD inline int lv_fp_prec(int d) { return FP_MAT + d * d + d; }
LV_HD inline int lv_fp_chol(int d) { return FP_MAT + 2 * d * d + d; }
LV_HD inline int lv_fp_shift(int d) { return FP_MAT + 3 * d * d + d; }
LV_HD inline int lv_fp_len(int d) { return FP_MAT + 3 * d * d + 2 * d; }

// Bit reinterpretation between float and its IEEE-754 binary32 pattern.
LV_HD inline uint32_t lv_float_as_uint(float f) {
#ifdef __CUDA_ARCH__
    return __float_as_uint(f);
#else
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
#endif
}

LV_HD inline float lv_uint_as_float(uint32_t u) {
#ifdef __CUDA_ARCH__
    return __uint_as_float(u);
#else
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
#endif
}
