package org.langevin.model.lang;

import org.langevin.rng.FloatMath;

/**
 * The functions a model may use, in float, built only from correctly rounded IEEE-754 operations and
 * the project's own {@link FloatMath} cores, and mirrored operation for operation by
 * {@code kernels/lv_model_math.cuh}, so that generated Java, C++ and CUDA agree bit for bit.
 * Accuracy (tested in ModelMathTest): a few float ulps; sin and cos are accurate for |x| ≤ 10⁴ and
 * return NaN beyond 2²⁰; exp returns +∞ above ln(FLT_MAX) and 0 below −104. Stateless, thread-safe.
 */
public final class ModelMath {
    private static final float TWO_OVER_PI = 0x1.45f306p-1f;
    /** π/2 in three parts (Cody–Waite): 8, 11 and 24 significant bits. */
    private static final float PIO2_1 = 0x1.92p+0f;
    private static final float PIO2_2 = 0x1.fb4p-12f;
    private static final float PIO2_3 = 0x1.4442d2p-24f;
    /** Largest argument of sin and cos. */
    private static final float TRIG_LIMIT = 0x1p20f;

    private ModelMath() {
    }

    /**
     * Applies a one-argument function of the IR, as {@link Graph#evaluate} and constant folding do.
     *
     * @param op one of {@link Graph.Op#SQRT} … {@link Graph.Op#SOFTPLUS}
     * @param x  the argument
     * @return the function op of {@link Graph.Op} applied to x
     * @throws IllegalArgumentException if {@code op} is not a one-argument function
     */
    public static float apply(Graph.Op op, float x) {
        return switch (op) {
            case SQRT -> sqrt(x);
            case EXP -> exp(x);
            case LOG -> log(x);
            case SIN -> sin(x);
            case COS -> cos(x);
            case TANH -> tanh(x);
            case SIGMOID -> sigmoid(x);
            case SOFTPLUS -> softplus(x);
            default -> throw new IllegalArgumentException("not a function: " + op);
        };
    }

    /**
     * Correctly rounded square root (the double square root of a float rounds to the float one exactly).
     *
     * @param x the argument
     * @return √x correctly rounded to float; NaN below 0 (−0 gives −0)
     */
    public static float sqrt(float x) {
        return (float) Math.sqrt(x);
    }

    /**
     * e^x: +∞ above 88.7228, 0 below −104, NaN for NaN.
     *
     * @param x the exponent
     * @return e^x within a few ulps, subnormal results included (computed as a square near the ends)
     */
    public static float exp(float x) {
        if (x != x) {
            return x;
        }
        if (x > 88.72283f) {
            return Float.POSITIVE_INFINITY;
        }
        if (x < -104.0f) {
            return 0.0f;
        }
        if (x > 88.0f || x < -87.0f) {
            float h = FloatMath.exp(x * 0.5f);
            return h * h;
        }
        return FloatMath.exp(x);
    }

    /**
     * ln x: NaN below 0, −∞ at 0, +∞ at +∞; subnormal arguments are scaled first.
     *
     * @param x the argument
     * @return ln x within a few ulps, or the special values above
     */
    public static float log(float x) {
        if (!(x >= 0.0f)) {
            return Float.NaN;
        }
        if (x == 0.0f) {
            return Float.NEGATIVE_INFINITY;
        }
        if (x == Float.POSITIVE_INFINITY) {
            return x;
        }
        if (x < 0x1p-126f) {
            return FloatMath.log(x * 0x1p24f) - 0x1.0a2b24p+4f;
        }
        return FloatMath.log(x);
    }

    /**
     * sin x (NaN for |x| &gt; 2²⁰ and non-finite x), by Cody–Waite reduction modulo π/2.
     *
     * @param x the argument in radians
     * @return sin x, accurate to a few ulps for |x| ≤ 10⁴
     */
    public static float sin(float x) {
        return trig(x, 0);
    }

    /**
     * cos x (NaN for |x| &gt; 2²⁰ and non-finite x), by Cody–Waite reduction modulo π/2.
     *
     * @param x the argument in radians
     * @return cos x, accurate to a few ulps for |x| ≤ 10⁴
     */
    public static float cos(float x) {
        return trig(x, 1);
    }

    private static float trig(float x, int shift) {
        if (!(x <= TRIG_LIMIT && x >= -TRIG_LIMIT)) {
            return Float.NaN;
        }
        float kf = x * TWO_OVER_PI;
        kf = kf >= 0.0f ? kf + 0.5f : kf - 0.5f;
        int k = (int) kf;
        float fk = (float) k;
        float r = ((x - (fk * PIO2_1)) - (fk * PIO2_2)) - (fk * PIO2_3);
        float z = r * r;
        float s = r + ((r * z) * (-0x1.555556p-3f + (z * (0x1.111112p-7f + (z * (-0x1.a01a02p-13f
                + (z * 0x1.71de3ap-19f)))))));
        float c = 1.0f + (z * (-0.5f + (z * (0x1.555556p-5f + (z * (-0x1.6c16c2p-10f + (z * (0x1.a01a02p-16f
                + (z * -0x1.27e4fcp-22f)))))))));
        int q = (k + shift) & 3;
        return switch (q) {
            case 0 -> s;
            case 1 -> c;
            case 2 -> -s;
            default -> -c;
        };
    }

    /**
     * tanh x: a Taylor polynomial below 0.25, 1 − 2/(e^{2|x|} + 1) up to 9, ±1 beyond.
     *
     * @param x the argument
     * @return tanh x in [−1, 1], odd in x; NaN for NaN
     */
    public static float tanh(float x) {
        if (x != x) {
            return x;
        }
        float a = x < 0.0f ? -x : x;
        float r;
        if (a > 9.0f) {
            r = 1.0f;
        } else if (a < 0.25f) {
            float z = a * a;
            r = a + ((a * z) * (-0x1.555556p-2f + (z * (0x1.111112p-3f + (z * (-0x1.ba1ba2p-5f
                    + (z * (0x1.664f48p-6f + (z * -0x1.226e36p-7f)))))))));
        } else {
            r = 1.0f - (2.0f / (exp(2.0f * a) + 1.0f));
        }
        return x < 0.0f ? -r : r;
    }

    /**
     * The logistic function 1 / (1 + e^{−x}).
     *
     * @param x the argument
     * @return σ(x) in [0, 1] (0 below about −88.7, 1 above about 17); NaN for NaN
     */
    public static float sigmoid(float x) {
        return 1.0f / (1.0f + exp(-x));
    }

    /**
     * ln(1 + e^x) = max(x, 0) + ln(1 + e^{−|x|}), the last term as ln(w)·u/(w − 1), w = 1 + u.
     *
     * @param x the argument
     * @return softplus(x) ≥ 0 (x itself for large x, e^x for very negative x, 0 below −104); NaN for NaN
     */
    public static float softplus(float x) {
        if (x != x) {
            return x;
        }
        float m = x > 0.0f ? x : 0.0f;
        float u = exp(x > 0.0f ? -x : x);
        float w = 1.0f + u;
        // ln(1 + u) without the rounding of 1 + u (Goldberg): ln(w) · u / (w − 1).
        float l = w == 1.0f ? u : log(w) * (u / (w - 1.0f));
        return m + l;
    }
}
