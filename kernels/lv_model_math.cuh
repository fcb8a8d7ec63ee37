// The functions of user models, in float, mirrored operation for operation by
// org.langevin.model.lang.ModelMath (Java): only correctly rounded IEEE operations (with nvcc:
// -ftz=false -prec-div=true -prec-sqrt=true -fmad=false; host: -ffp-contract=off) and the project's
// own lv_expf / lv_logf cores, so generated CUDA, C++ and Java agree bit for bit.
#pragma once

#include "lv_common.cuh"
#include "lv_rng.cuh"

LV_HD inline float lvm_sqrt(float x) { return sqrtf(x); }

LV_HD inline float lvm_exp(float x) {
    if (x != x) {
        return x;
    }
    if (x > 88.72283f) {
        return lv_uint_as_float(0x7f800000u);
    }
    if (x < -104.0f) {
        return 0.0f;
    }
    if (x > 88.0f || x < -87.0f) {
        const float h = lv_expf(x * 0.5f);
        return h * h;
    }
    return lv_expf(x);
}

LV_HD inline float lvm_log(float x) {
    if (!(x >= 0.0f)) {
        return lv_uint_as_float(0x7fc00000u);
    }
    if (x == 0.0f) {
        return lv_uint_as_float(0xff800000u);
    }
    if (x == lv_uint_as_float(0x7f800000u)) {
        return x;
    }
    if (x < 0x1p-126f) {
        return lv_logf(x * 0x1p24f) - 0x1.0a2b24p+4f;
    }
    return lv_logf(x);
}

LV_HD inline float lvm_trig(float x, int shift) {
    if (!(x <= 0x1p20f && x >= -0x1p20f)) {
        return lv_uint_as_float(0x7fc00000u);
    }
    float kf = x * 0x1.45f306p-1f;
    kf = kf >= 0.0f ? kf + 0.5f : kf - 0.5f;
    const int k = (int)kf;
    const float fk = (float)k;
    const float r = ((x - (fk * 0x1.92p+0f)) - (fk * 0x1.fb4p-12f)) - (fk * 0x1.4442d2p-24f);
    const float z = r * r;
    const float s = r + ((r * z) * (-0x1.555556p-3f + (z * (0x1.111112p-7f + (z * (-0x1.a01a02p-13f
            + (z * 0x1.71de3ap-19f)))))));
    const float c = 1.0f + (z * (-0.5f + (z * (0x1.555556p-5f + (z * (-0x1.6c16c2p-10f + (z * (0x1.a01a02p-16f
            + (z * -0x1.27e4fcp-22f)))))))));
    switch ((k + shift) & 3) {
        case 0: return s;
        case 1: return c;
        case 2: return -s;
        default: return -c;
    }
}

LV_HD inline float lvm_sin(float x) { return lvm_trig(x, 0); }

LV_HD inline float lvm_cos(float x) { return lvm_trig(x, 1); }

LV_HD inline float lvm_tanh(float x) {
    if (x != x) {
        return x;
    }
    const float a = x < 0.0f ? -x : x;
    float r;
    if (a > 9.0f) {
        r = 1.0f;
    } else if (a < 0.25f) {
        const float z = a * a;
        r = a + ((a * z) * (-0x1.555556p-2f + (z * (0x1.111112p-3f + (z * (-0x1.ba1ba2p-5f
                + (z * (0x1.664f48p-6f + (z * -0x1.226e36p-7f)))))))));
    } else {
        r = 1.0f - (2.0f / (lvm_exp(2.0f * a) + 1.0f));
    }
    return x < 0.0f ? -r : r;
}

LV_HD inline float lvm_sigmoid(float x) { return 1.0f / (1.0f + lvm_exp(-x)); }

LV_HD inline float lvm_softplus(float x) {
    if (x != x) {
        return x;
    }
    const float m = x > 0.0f ? x : 0.0f;
    const float u = lvm_exp(x > 0.0f ? -x : x);
    const float w = 1.0f + u;
    const float l = w == 1.0f ? u : lvm_log(w) * (u / (w - 1.0f));
    return m + l;
}
