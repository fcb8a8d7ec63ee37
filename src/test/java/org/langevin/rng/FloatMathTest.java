package org.langevin.rng;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Accuracy of the project's float log, exp and word-sincos against double-precision references.
 * Stated bounds (measured by these sweeps): log ≤ 1 ulp over every value u of the uniform (all 2³²
 * words); exp ≤ 1.5 ulp over [−87, 88]; sin and cos ≤ 1.2·10⁻⁷ absolute (2 ulp at 1).
 */
class FloatMathTest {
    /** Bound on the log error in ulps of the correctly rounded result. */
    static final double LOG_ULPS = 1.0;
    /** Bound on the exp error in ulps. */
    static final double EXP_ULPS = 1.5;
    /** Bound on the absolute sin/cos error. */
    static final double SINCOS_ABS = 1.2e-7;

    /**
     * Every word x gives u = (float)x·2⁻³² + 2⁻³³, so the distinct values of (float)x — all integers
     * below 2²⁴ and the floats of each binade up to 2³², 8.4·10⁷ values — cover all 2³² words.
     */
    @Test
    void logOverEveryUniformValue() {
        double worst = IntStream.range(0, 9).parallel().mapToDouble(binade -> {
            float lo = binade == 0 ? 0f : (float) (1L << (23 + binade));
            float hi = (float) (1L << (24 + binade));
            double w = 0;
            for (float f = lo; f < hi; f = Math.nextUp(f)) {
                float u = (f * 0x1p-32f) + 0x1p-33f;
                double ref = Math.log(u);
                float got = FloatMath.log(u);
                if (ref != 0) {
                    w = Math.max(w, Math.abs(got - ref) / Math.ulp((float) ref));
                } else {
                    w = Math.max(w, Math.abs(got) / Math.ulp(1f));
                }
            }
            return w;
        }).max().orElseThrow();
        assertTrue(worst <= LOG_ULPS, "log error " + worst + " ulp");
        assertEquals(0f, FloatMath.log(1f));
    }

    @Test
    void logOnTheSoftplusRange() {
        double worst = 0;
        for (float x = 1f; x <= 2f; x = Math.nextUp(x)) {
            double ref = Math.log(x);
            worst = Math.max(worst, Math.abs(FloatMath.log(x) - ref) / Math.ulp((float) Math.max(ref, 0x1p-24)));
        }
        assertTrue(worst <= LOG_ULPS, "log error on [1,2] " + worst + " ulp");
    }

    @Test
    void expOverItsRange() {
        double worst = 0;
        for (float x = -87f; x <= 88f; x += 0x1p-10f) {
            double ref = Math.exp(x);
            worst = Math.max(worst, Math.abs(FloatMath.exp(x) - ref) / Math.ulp((float) ref));
        }
        assertTrue(worst <= EXP_ULPS, "exp error " + worst + " ulp");
        assertEquals(1f, FloatMath.exp(0f));
        assertTrue(Float.isNaN(FloatMath.exp(Float.NaN)));
    }

    /** Every 256th word, plus the words at the quadrant and octant edges. */
    @Test
    void sincosDenseSweep() {
        float[] o = new float[2];
        double worst = 0;
        for (long w = 0; w < (1L << 32); w += 256) {
            worst = Math.max(worst, err((int) w, o));
        }
        int[] edges = {0, 1, -1, 0x1fffffff, 0x20000000, 0x3fffffff, 0x40000000, 0x5fffffff, 0x60000000,
            0x7fffffff, 0x80000000, 0x9fffffff, 0xa0000000, 0xdfffffff, 0xe0000000, 0xffffffe0};
        for (int w : edges) {
            worst = Math.max(worst, err(w, o));
        }
        assertTrue(worst <= SINCOS_ABS, "sincos error " + worst);
    }

    private static double err(int w, float[] o) {
        FloatMath.sincosWord(w, o, 0);
        double th = 2 * Math.PI * ((w & 0xFFFFFFFFL) + 0.5) / 4294967296.0;
        return Math.max(Math.abs(o[0] - Math.sin(th)), Math.abs(o[1] - Math.cos(th)));
    }
}
