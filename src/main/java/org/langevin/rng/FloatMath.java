package org.langevin.rng;

/**
 * The project's own float logarithm, exponential and sine/cosine, bit-identical to
 * {@code lv_logf}, {@code lv_expf} and {@code lv_sincos_word} in kernels/lv_rng.cuh: built only from
 * correctly rounded IEEE-754 operations (Java float arithmetic is strict), never from {@link Math}'s
 * transcendental functions, so that the GPU, the emulated device and the CPU engine agree bit for bit.
 * The accuracy is stated and tested in FloatMathTest. Stateless and thread-safe.
 */
public final class FloatMath {
    /** ln 2, high part: 17 significant bits, so k·LN2_HI is exact for |k| < 128. */
    static final float LN2_HI = 0x1.62e3p-1f;
    /** ln 2 − LN2_HI. */
    static final float LN2_LO = 0x1.2fefa4p-17f;
    /** 1/ln 2. */
    static final float INV_LN2 = 0x1.715476p+0f;
    /** π/2 rounded to float. */
    static final float HALF_PI = 0x1.921fb6p+0f;

    private FloatMath() {
    }

    /**
     * Natural logarithm of a positive normal float (used on (0, 1] and [1, 2]); x = 2^e·m with
     * m ∈ [√½, √2), ln m = 2 atanh(s), s = f/(2+f), f = m − 1.
     *
     * @param x a positive normal float; zero, subnormal, negative, infinite or NaN arguments are not
     *     handled (the bits are decoded as if x were normal, with no check)
     * @return ln x rounded as {@code lv_logf} rounds it (e·ln 2 added in two parts, high part first)
     */
    public static float log(float x) {
        int ix = Float.floatToRawIntBits(x);
        int e = (ix >>> 23) - 127;
        int mb = (ix & 0x007fffff) | 0x3f800000;
        if (mb > 0x3fb504f3) {
            mb -= 0x00800000;
            e += 1;
        }
        float f = Float.intBitsToFloat(mb) - 1.0f;
        float s = f / (2.0f + f);
        float z = s * s;
        float r = z * (0x1.555556p-1f + (z * (0x1.99999ap-2f + (z * (0x1.24924ap-2f + (z * 0x1.c71c72p-3f))))));
        float lnm = f - (s * (f - r));
        float ef = (float) e;
        return (ef * LN2_HI) + (lnm + (ef * LN2_LO));
    }

    /**
     * e^x for x in about [−87, 88] (clamped there; NaN stays NaN): x = k ln 2 + r with k the nearest
     * integer to x/ln 2, e^r by its degree-7 Taylor polynomial, scaled by 2^k built from the exponent bits.
     *
     * @param x the exponent; below −87 it is taken as −87, above 88 as 88
     * @return e^x as {@code lv_expf} computes it, a positive normal float for every non-NaN x
     */
    public static float exp(float x) {
        if (x < -87.0f) {
            x = -87.0f;
        }
        if (x > 88.0f) {
            x = 88.0f;
        }
        float kf = x * INV_LN2;
        kf = kf >= 0.0f ? kf + 0.5f : kf - 0.5f;
        int k = (int) kf;
        float fk = (float) k;
        float r = (x - (fk * LN2_HI)) - (fk * LN2_LO);
        float p = 1.0f + (r * (1.0f + (r * (0.5f + (r * (0x1.555556p-3f + (r * (0x1.555556p-5f
                + (r * (0x1.111112p-7f + (r * (0x1.6c16c2p-10f + (r * 0x1.a01a02p-13f)))))))))))));
        return p * Float.intBitsToFloat((k + 127) << 23);
    }

    /**
     * sin and cos of θ = 2π(b + ½)/2³² for an unsigned word b, reduced exactly on the integer.
     *
     * @param b the word, read as unsigned (so θ ∈ (0, 2π))
     * @param out receives sin θ at out[off] and cos θ at out[off + 1]
     * @param off the index in {@code out} of sin θ
     */
    public static void sincosWord(int b, float[] out, int off) {
        int q = (b + 0x20000000) >>> 30;
        int r = b - (q << 30);
        float t = ((float) r + 0.5f) * 0x1p-30f;
        float x = t * HALF_PI;
        float z = x * x;
        float s = x + ((x * z) * (-0x1.555556p-3f + (z * (0x1.111112p-7f + (z * (-0x1.a01a02p-13f
                + (z * 0x1.71de3ap-19f)))))));
        float c = 1.0f + (z * (-0.5f + (z * (0x1.555556p-5f + (z * (-0x1.6c16c2p-10f + (z * (0x1.a01a02p-16f
                + (z * -0x1.27e4fcp-22f)))))))));
        switch (q & 3) {
            case 0 -> {
                out[off] = s;
                out[off + 1] = c;
            }
            case 1 -> {
                out[off] = c;
                out[off + 1] = -s;
            }
            case 2 -> {
                out[off] = -s;
                out[off + 1] = -c;
            }
            default -> {
                out[off] = -c;
                out[off + 1] = s;
            }
        }
    }
}
