/*
 * The vector arithmetic shared by the CPU engine's native kernels (lv_cpu_dw.c: 1-D double-well Langevin and
 * its same-arithmetic C program; lv_cpu.c: Brownian motion, gradient flow and Langevin on every built-in loss
 * in any dimension): Philox4x32-10 on 16 particles a vector and Box–Muller with the project's logarithm and
 * word sine/cosine, lane-wise, with exactly the float operations of Philox4x32, FloatMath and NormalTransform
 * (SimdKernels' order), so that every lane gets the Java engine's bits. AVX-512F/DQ/BW/VL intrinsics; compile
 * with -ffp-contract=off and without fast math (kernels/build.sh).
 */
#ifndef LV_CPU_SIMD_H
#define LV_CPU_SIMD_H

#include <stdint.h>

/* constants of Philox4x32 and FloatMath (kernels/lv_rng.cuh), same bits */
#define M0 0xD2511F53u
#define M1 0xCD9E8D57u
#define W0 0x9E3779B9u
#define W1 0xBB67AE85u
#define LN2_HI 0x1.62e3p-1f
#define LN2_LO 0x1.2fefa4p-17f
#define INV_LN2 0x1.715476p+0f
#define HALF_PI 0x1.921fb6p+0f

/* Philox4x32's round keys of a seed: rk[r] = k0 + r·W0, rk[10 + r] = k1 + r·W1 (wrapping), r < 10 */
static inline void lv_round_keys(uint64_t seed, uint32_t rk[20]) {
    uint32_t k0 = (uint32_t) seed;
    uint32_t k1 = (uint32_t) (seed >> 32);
    for (int r = 0; r < 10; r++) {
        if (r > 0) {
            k0 += W0;
            k1 += W1;
        }
        rk[r] = k0;
        rk[10 + r] = k1;
    }
}

#if defined(__AVX512F__) && !defined(LV_SCALAR)
#include <immintrin.h>

/*
 * Philox's round on u vectors: 32×32→64 products by _mm512_mul_epu32 on the even lanes and on the
 * odd lanes shifted down; the high and low halves are put back in lane order by masked in-lane shuffles.
 */
#define MULHILO(c, m, hi, lo) do { \
        const __m512i pe_ = _mm512_mul_epu32((c), (m)); \
        const __m512i po_ = _mm512_mul_epu32(_mm512_srli_epi64((c), 32), (m)); \
        (hi) = _mm512_mask_shuffle_epi32(po_, 0x5555, pe_, _MM_PERM_CDAB); \
        (lo) = _mm512_mask_shuffle_epi32(pe_, 0xAAAA, po_, _MM_PERM_CDAB); \
    } while (0)

/* FloatMath.log lane-wise (SimdKernels.log8) */
static inline __attribute__((always_inline)) __m512 log16(__m512 x) {
    const __m512i ix = _mm512_castps_si512(x);
    /* 0xEA: (a & b) | c */
    __m512i mb = _mm512_ternarylogic_epi32(ix, _mm512_set1_epi32(0x007fffff), _mm512_set1_epi32(0x3f800000), 0xEA);
    const __mmask16 big = _mm512_cmpgt_epi32_mask(mb, _mm512_set1_epi32(0x3fb504f3));
    mb = _mm512_mask_sub_epi32(mb, big, mb, _mm512_set1_epi32(0x00800000));
    /* e = (ix >>> 23) − 127, plus 1 where big (the unsigned shift: a negative input's sign bit counts, as in Java) */
    const __m512i e0 = _mm512_sub_epi32(_mm512_srli_epi32(ix, 23), _mm512_set1_epi32(127));
    const __m512i e = _mm512_mask_add_epi32(e0, big, e0, _mm512_set1_epi32(1));
    const __m512 f = _mm512_sub_ps(_mm512_castsi512_ps(mb), _mm512_set1_ps(1.0f));
    const __m512 s = _mm512_div_ps(f, _mm512_add_ps(f, _mm512_set1_ps(2.0f)));
    const __m512 z = _mm512_mul_ps(s, s);
    __m512 pr = _mm512_add_ps(_mm512_mul_ps(z, _mm512_set1_ps(0x1.c71c72p-3f)), _mm512_set1_ps(0x1.24924ap-2f));
    pr = _mm512_add_ps(_mm512_mul_ps(z, pr), _mm512_set1_ps(0x1.99999ap-2f));
    pr = _mm512_add_ps(_mm512_mul_ps(z, pr), _mm512_set1_ps(0x1.555556p-1f));
    const __m512 r = _mm512_mul_ps(z, pr);
    const __m512 lnm = _mm512_sub_ps(f, _mm512_mul_ps(s, _mm512_sub_ps(f, r)));
    const __m512 ef = _mm512_cvtepi32_ps(e);
    return _mm512_add_ps(_mm512_mul_ps(ef, _mm512_set1_ps(LN2_HI)),
            _mm512_add_ps(lnm, _mm512_mul_ps(ef, _mm512_set1_ps(LN2_LO))));
}

/* NormalTransform.boxMuller lane-wise (SimdKernels.boxMuller8): s·sin θ to *n0, s·cos θ to *n1 */
static inline __attribute__((always_inline)) void box_muller16(__m512i a, __m512i b, __m512 *n0, __m512 *n1) {
    const __m512 u = _mm512_add_ps(_mm512_mul_ps(_mm512_cvtepu32_ps(a), _mm512_set1_ps(0x1p-32f)),
            _mm512_set1_ps(0x1p-33f));
    const __m512 s = _mm512_sqrt_ps(_mm512_mul_ps(log16(u), _mm512_set1_ps(-2.0f)));
    /* qs = q << 30 with q = (b + 2²⁹) >>> 30; r = b − (q << 30) */
    const __m512i qs = _mm512_and_si512(_mm512_add_epi32(b, _mm512_set1_epi32(0x20000000)),
            _mm512_set1_epi32((int) 0xC0000000u));
    const __m512i r = _mm512_sub_epi32(b, qs);
    const __m512 t = _mm512_mul_ps(_mm512_add_ps(_mm512_cvtepi32_ps(r), _mm512_set1_ps(0.5f)), _mm512_set1_ps(0x1p-30f));
    const __m512 x = _mm512_mul_ps(t, _mm512_set1_ps(HALF_PI));
    const __m512 z = _mm512_mul_ps(x, x);
    __m512 ps = _mm512_add_ps(_mm512_mul_ps(z, _mm512_set1_ps(0x1.71de3ap-19f)), _mm512_set1_ps(-0x1.a01a02p-13f));
    ps = _mm512_add_ps(_mm512_mul_ps(z, ps), _mm512_set1_ps(0x1.111112p-7f));
    ps = _mm512_add_ps(_mm512_mul_ps(z, ps), _mm512_set1_ps(-0x1.555556p-3f));
    const __m512 sn = _mm512_add_ps(x, _mm512_mul_ps(_mm512_mul_ps(x, z), ps));
    __m512 pc = _mm512_add_ps(_mm512_mul_ps(z, _mm512_set1_ps(-0x1.27e4fcp-22f)), _mm512_set1_ps(0x1.a01a02p-16f));
    pc = _mm512_add_ps(_mm512_mul_ps(z, pc), _mm512_set1_ps(-0x1.6c16c2p-10f));
    pc = _mm512_add_ps(_mm512_mul_ps(z, pc), _mm512_set1_ps(0x1.555556p-5f));
    pc = _mm512_add_ps(_mm512_mul_ps(z, pc), _mm512_set1_ps(-0.5f));
    const __m512 cs = _mm512_add_ps(_mm512_mul_ps(z, pc), _mm512_set1_ps(1.0f));
    /* quadrant: (sin, cos) = (s, c), (c, −s), (−s, −c), (−c, s) for q & 3 = 0, 1, 2, 3 */
    const __m512i si = _mm512_castps_si512(sn);
    const __m512i ci = _mm512_castps_si512(cs);
    const __mmask16 odd = _mm512_test_epi32_mask(qs, _mm512_set1_epi32(0x40000000));
    /* the sign bits (q & 2) << 30 and ((q + 1) & 2) << 30 are bit 31 of q << 30 and of (q + 1) << 30;
       0x78: a ^ (b & c) */
    const __m512i sign = _mm512_set1_epi32((int) 0x80000000u);
    const __m512i sinBits = _mm512_ternarylogic_epi32(_mm512_mask_blend_epi32(odd, si, ci), qs, sign, 0x78);
    const __m512i cosBits = _mm512_ternarylogic_epi32(_mm512_mask_blend_epi32(odd, ci, si),
            _mm512_add_epi32(qs, _mm512_set1_epi32(0x40000000)), sign, 0x78);
    *n0 = _mm512_mul_ps(s, _mm512_castsi512_ps(sinBits));
    *n1 = _mm512_mul_ps(s, _mm512_castsi512_ps(cosBits));
}

/*
 * The particle words of 16 consecutive particles p … p+15 (64-bit indices; the low word may wrap): round 0's
 * product of counter word 2 (the particle's low word) by M1, high half *h2 and low half *l2 (the same for every
 * block), and counter word 3 (the high word) in *phi.
 */
static inline __attribute__((always_inline)) void lv_lanes16(uint64_t p, __m512i *h2, __m512i *l2, __m512i *phi) {
    const __m512i iota = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    const __m512i m1 = _mm512_set1_epi64(M1);
    const __m512i lo = _mm512_add_epi32(_mm512_set1_epi32((int) (uint32_t) p), iota);
    /* a lane whose low word wrapped below the first lane's carries into the high word */
    const __mmask16 carry = _mm512_cmplt_epu32_mask(lo, _mm512_set1_epi32((int) (uint32_t) p));
    MULHILO(lo, m1, *h2, *l2);
    *phi = _mm512_mask_add_epi32(_mm512_set1_epi32((int) (uint32_t) (p >> 32)), carry,
            _mm512_set1_epi32((int) (uint32_t) (p >> 32)), _mm512_set1_epi32(1));
}

/*
 * Philox block `block` (counter words 0 and 1) of nv ≤ LV_MAX_NV vectors of particles whose words lv_lanes16
 * gave: the four output words of every lane in c0 … c3. Round 0's products of the block's words are scalar ones
 * (the same in every lane).
 */
static inline __attribute__((always_inline)) void lv_philox16(const uint32_t *rk, uint64_t block, const int nv,
        const __m512i *h2, const __m512i *l2, const __m512i *phi, __m512i *c0, __m512i *c1, __m512i *c2,
        __m512i *c3) {
    const __m512i m0 = _mm512_set1_epi64(M0);
    const __m512i m1 = _mm512_set1_epi64(M1);
    const uint64_t p0 = (uint64_t) M0 * (uint32_t) block;
    const __m512i k1h0 = _mm512_set1_epi32((int) ((uint32_t) (p0 >> 32) ^ rk[10]));
    const __m512i c1k0 = _mm512_set1_epi32((int) ((uint32_t) (block >> 32) ^ rk[0]));
#pragma GCC unroll 8
    for (int v = 0; v < nv; v++) {
        c0[v] = _mm512_xor_si512(h2[v], c1k0);
        c1[v] = l2[v];
        c2[v] = _mm512_xor_si512(phi[v], k1h0);
        c3[v] = _mm512_set1_epi32((int) (uint32_t) p0);
    }
#pragma GCC unroll 9
    for (int r = 1; r < 10; r++) {
        const __m512i k0 = _mm512_set1_epi32((int) rk[r]);
        const __m512i k1 = _mm512_set1_epi32((int) rk[10 + r]);
#pragma GCC unroll 8
        for (int v = 0; v < nv; v++) {
            __m512i h0, l0, h1, l1;
            MULHILO(c0[v], m0, h0, l0);
            MULHILO(c2[v], m1, h1, l1);
            /* 0x96: a ^ b ^ c */
            c0[v] = _mm512_ternarylogic_epi32(h1, c1[v], k0, 0x96);
            c2[v] = _mm512_ternarylogic_epi32(h0, c3[v], k1, 0x96);
            c1[v] = l1;
            c3[v] = l0;
        }
    }
}

/*
 * FloatMath.exp lane-wise: the clamp to [−87, 88] (NaN kept: max/min return their second operand when one is
 * NaN), k = (int) (x/ln 2 ± ½) truncated (a NaN lane gets k = 0x80000000 here and 0 in Java; its scale
 * (k + 127) << 23 is 1.0 in both and its result the NaN of the polynomial), the two-part reduction, the
 * degree-8 polynomial in Horner's order and the scale 2^k.
 */
static inline __attribute__((always_inline)) __m512 exp16(__m512 x0) {
    __m512 x = _mm512_max_ps(_mm512_set1_ps(-87.0f), x0);
    x = _mm512_min_ps(_mm512_set1_ps(88.0f), x);
    const __m512 kf0 = _mm512_mul_ps(x, _mm512_set1_ps(INV_LN2));
    const __mmask16 pos = _mm512_cmp_ps_mask(kf0, _mm512_setzero_ps(), _CMP_GE_OQ);
    const __m512 kf = _mm512_mask_add_ps(_mm512_sub_ps(kf0, _mm512_set1_ps(0.5f)), pos, kf0, _mm512_set1_ps(0.5f));
    const __m512i k = _mm512_cvttps_epi32(kf);
    const __m512 fk = _mm512_cvtepi32_ps(k);
    const __m512 r = _mm512_sub_ps(_mm512_sub_ps(x, _mm512_mul_ps(fk, _mm512_set1_ps(LN2_HI))),
            _mm512_mul_ps(fk, _mm512_set1_ps(LN2_LO)));
    __m512 p = _mm512_add_ps(_mm512_mul_ps(r, _mm512_set1_ps(0x1.a01a02p-13f)), _mm512_set1_ps(0x1.6c16c2p-10f));
    p = _mm512_add_ps(_mm512_mul_ps(r, p), _mm512_set1_ps(0x1.111112p-7f));
    p = _mm512_add_ps(_mm512_mul_ps(r, p), _mm512_set1_ps(0x1.555556p-5f));
    p = _mm512_add_ps(_mm512_mul_ps(r, p), _mm512_set1_ps(0x1.555556p-3f));
    p = _mm512_add_ps(_mm512_mul_ps(r, p), _mm512_set1_ps(0.5f));
    p = _mm512_add_ps(_mm512_mul_ps(r, p), _mm512_set1_ps(1.0f));
    p = _mm512_add_ps(_mm512_mul_ps(r, p), _mm512_set1_ps(1.0f));
    const __m512i scale = _mm512_slli_epi32(_mm512_add_epi32(k, _mm512_set1_epi32(127)), 23);
    return _mm512_mul_ps(p, _mm512_castsi512_ps(scale));
}

#endif /* AVX-512 */

#endif /* LV_CPU_SIMD_H */
