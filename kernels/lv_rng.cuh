// Random numbers and the float functions of the normal transform, identical on every backend
// (kernels/README.md "Random numbers" and "Floating-point rules"; mirrored by org.langevin.rng).
//
// Philox4x32-10 is the counter-based generator of Salmon, Moraes, Dror and Shaw, "Parallel random
// numbers: as easy as 1, 2, 3", SC'11. The stream of particle p is cuRAND's
// curand_init(seed, p, 0): key (seed lo, seed hi), counter (block lo, block hi, p lo, p hi).
//
// lv_logf, lv_expf and lv_sincos_word use only +, -, *, /, sqrtf, integer<->float conversion and
// bit reinterpretation, each correctly rounded in IEEE-754, so C++, CUDA (with -fmad=false) and Java
// produce the same bits. Their accuracy is measured in org.langevin.rng.FloatMathTest.
#pragma once

#include "lv_common.cuh"

#define LV_PHILOX_M0 0xD2511F53u
#define LV_PHILOX_M1 0xCD9E8D57u
#define LV_PHILOX_W0 0x9E3779B9u
#define LV_PHILOX_W1 0xBB67AE85u

LV_HD inline uint32_t lv_mulhi(uint32_t a, uint32_t b) {
#ifdef __CUDA_ARCH__
    return __umulhi(a, b);
#else
    return (uint32_t)(((uint64_t)a * (uint64_t)b) >> 32);
#endif
}

// One Philox4x32-10 block: counter (c0, c1, c2, c3), key (k0, k1) -> out[0..3] = x, y, z, w.
LV_HD inline void lv_philox4x32_10(uint32_t c0, uint32_t c1, uint32_t c2, uint32_t c3, uint32_t k0, uint32_t k1,
                                   uint32_t out[4]) {
    for (int round = 0; round < 10; round++) {
        if (round > 0) {
            k0 += LV_PHILOX_W0;
            k1 += LV_PHILOX_W1;
        }
        const uint32_t hi0 = lv_mulhi(LV_PHILOX_M0, c0);
        const uint32_t lo0 = LV_PHILOX_M0 * c0;
        const uint32_t hi1 = lv_mulhi(LV_PHILOX_M1, c2);
        const uint32_t lo1 = LV_PHILOX_M1 * c2;
        c0 = hi1 ^ c1 ^ k0;
        c1 = lo1;
        c2 = hi0 ^ c3 ^ k1;
        c3 = lo0;
    }
    out[0] = c0;
    out[1] = c1;
    out[2] = c2;
    out[3] = c3;
}

// cuRAND's uniform: x * 2^-32 + 2^-33, in (0, 1].
LV_HD inline float lv_uniform(uint32_t x) {
    return ((float)x * 0x1p-32f) + 0x1p-33f;
}

// Natural logarithm of a positive normal float (the only arguments used: (0, 1] and [1, 2]).
// x = 2^e m with m in [sqrt(1/2), sqrt(2)); ln m = 2 atanh(s), s = f/(2+f), f = m - 1, written as
// f - s (f - R) with R = 2s^2/3 + 2s^4/5 + 2s^6/7 + 2s^8/9; then e ln2 in two parts.
LV_HD inline float lv_logf(float x) {
    const uint32_t ix = lv_float_as_uint(x);
    int e = (int)(ix >> 23) - 127;
    uint32_t mb = (ix & 0x007fffffu) | 0x3f800000u;
    if (mb > 0x3fb504f3u) {
        mb -= 0x00800000u;
        e += 1;
    }
    const float f = lv_uint_as_float(mb) - 1.0f;
    const float s = f / (2.0f + f);
    const float z = s * s;
    const float r = z * (0x1.555556p-1f + (z * (0x1.99999ap-2f + (z * (0x1.24924ap-2f + (z * 0x1.c71c72p-3f))))));
    const float lnm = f - (s * (f - r));
    const float ef = (float)e;
    return (ef * 0x1.62e3p-1f) + (lnm + (ef * 0x1.2fefa4p-17f));
}

// e^x for x in about [-87, 88] (clamped there; NaN stays NaN). x = k ln2 + r, |r| <= ln2/2,
// e^r by its degree-7 Taylor polynomial, times 2^k built from the exponent bits.
LV_HD inline float lv_expf(float x) {
    if (x < -87.0f) {
        x = -87.0f;
    }
    if (x > 88.0f) {
        x = 88.0f;
    }
    float kf = x * 0x1.715476p+0f;
    kf = kf >= 0.0f ? kf + 0.5f : kf - 0.5f;
    const int k = (int)kf;
    const float fk = (float)k;
    const float r = (x - (fk * 0x1.62e3p-1f)) - (fk * 0x1.2fefa4p-17f);
    const float p = 1.0f + (r * (1.0f + (r * (0.5f + (r * (0x1.555556p-3f + (r * (0x1.555556p-5f
            + (r * (0x1.111112p-7f + (r * (0x1.6c16c2p-10f + (r * 0x1.a01a02p-13f)))))))))))));
    return p * lv_uint_as_float((uint32_t)(k + 127) << 23);
}

// sin and cos of theta = 2 pi (b + 1/2) / 2^32. The reduction is exact on the integer: q is the
// nearest quarter turn (mod 4), r the signed remainder in [-2^29, 2^29), t = (r + 1/2) / 2^30 the
// fraction of a quarter turn in [-1/2, 1/2], x = t pi/2 in [-pi/4, pi/4]; Taylor polynomials of
// degree 9 (sin) and 10 (cos); then the rotation by q quarter turns.
LV_HD inline void lv_sincos_word(uint32_t b, float* sn, float* cs) {
    const uint32_t q = (b + 0x20000000u) >> 30;
    const int32_t r = (int32_t)(b - (q << 30));
    const float t = ((float)r + 0.5f) * 0x1p-30f;
    const float x = t * 0x1.921fb6p+0f;
    const float z = x * x;
    const float s = x + ((x * z) * (-0x1.555556p-3f + (z * (0x1.111112p-7f + (z * (-0x1.a01a02p-13f
            + (z * 0x1.71de3ap-19f)))))));
    const float c = 1.0f + (z * (-0.5f + (z * (0x1.555556p-5f + (z * (-0x1.6c16c2p-10f + (z * (0x1.a01a02p-16f
            + (z * -0x1.27e4fcp-22f)))))))));
    switch (q & 3u) {
        case 0u: *sn = s; *cs = c; break;
        case 1u: *sn = c; *cs = -s; break;
        case 2u: *sn = -s; *cs = -c; break;
        default: *sn = -c; *cs = s; break;
    }
}

// Box-Muller on the words (a, b), sine first: out[0] = s sin(theta), out[1] = s cos(theta) with
// s = sqrt(-2 ln u), u = lv_uniform(a), theta from b.
LV_HD inline void lv_box_muller(uint32_t a, uint32_t b, float out[2]) {
    const float u = lv_uniform(a);
    const float s = sqrtf(-2.0f * lv_logf(u));
    float sn;
    float cs;
    lv_sincos_word(b, &sn, &cs);
    out[0] = s * sn;
    out[1] = s * cs;
}

// The four normals of one block of a particle's stream (block index includes the region).
LV_HD inline void lv_normal4(uint64_t seed, uint64_t particle, uint64_t block, float out[4]) {
    uint32_t w[4];
    lv_philox4x32_10((uint32_t)block, (uint32_t)(block >> 32), (uint32_t)particle, (uint32_t)(particle >> 32),
                     (uint32_t)seed, (uint32_t)(seed >> 32), w);
    lv_box_muller(w[0], w[1], out);
    lv_box_muller(w[2], w[3], out + 2);
}

// An index in [0, n) from a 32-bit word by Lemire's multiply-shift (bias at most n / 2^32).
LV_HD inline uint32_t lv_bounded(uint32_t word, uint32_t n) {
    return (uint32_t)(((uint64_t)word * (uint64_t)n) >> 32);
}
