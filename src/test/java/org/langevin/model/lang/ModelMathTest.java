package org.langevin.model.lang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Accuracy of the model functions against java.lang.Math in double, over their ranges, as a bound on
 * the error in float ulps of the result (plus an absolute floor where the result passes through 0),
 * and their special values. The bounds are what the implementation achieves with margin, documented
 * in ModelMath.
 */
class ModelMathTest {
    /** Largest error in ulps of the exact value over a grid, or of the absolute floor. */
    static double worstUlps(DoubleUnaryOperator exact, java.util.function.Function<Float, Float> f, double lo, double hi,
                            double absFloor) {
        double worst = 0;
        int n = 200_000;
        for (int i = 0; i <= n; i++) {
            float x = (float) (lo + (hi - lo) * i / n);
            double want = exact.applyAsDouble(x);
            double got = f.apply(x);
            double ulp = Math.max(Math.ulp((float) want), absFloor);
            worst = Math.max(worst, Math.abs(got - want) / ulp);
        }
        return worst;
    }

    @Test
    void accuracyInUlps() {
        assertTrue(worstUlps(Math::exp, ModelMath::exp, -103, 88.7, 0) <= 4, "exp");
        assertTrue(worstUlps(Math::log, ModelMath::log, 1e-6, 1e6, 0) <= 4, "log");
        assertTrue(worstUlps(Math::log, ModelMath::log, 0.5, 2, 1e-7) <= 4, "log near 1");
        assertTrue(worstUlps(Math::sin, ModelMath::sin, -100, 100, 1e-7) <= 4, "sin");
        assertTrue(worstUlps(Math::cos, ModelMath::cos, -100, 100, 1e-7) <= 4, "cos");
        assertTrue(worstUlps(Math::sin, ModelMath::sin, -1e4, 1e4, 1e-6) <= 8, "sin up to 1e4");
        assertTrue(worstUlps(Math::tanh, ModelMath::tanh, -12, 12, 1e-8) <= 6, "tanh (4.7 ulps at |x| = 0.254, where 1 - 2/(e^2x + 1) cancels)");
        assertTrue(worstUlps(x -> 1 / (1 + Math.exp(-x)), ModelMath::sigmoid, -30, 30, 1e-8) <= 4, "sigmoid");
        assertTrue(worstUlps(x -> Math.log1p(Math.exp(x)), ModelMath::softplus, -30, 30, 1e-9) <= 4, "softplus");
        assertTrue(worstUlps(Math::sqrt, ModelMath::sqrt, 0, 1e6, 0) <= 0.5, "sqrt is correctly rounded");
    }

    @Test
    void specialValues() {
        assertEquals(Float.POSITIVE_INFINITY, ModelMath.exp(89f));
        assertEquals(0f, ModelMath.exp(-105f));
        assertTrue(Float.isNaN(ModelMath.exp(Float.NaN)));
        assertEquals(Float.NEGATIVE_INFINITY, ModelMath.log(0f));
        assertTrue(Float.isNaN(ModelMath.log(-1f)));
        assertEquals(Math.log(Float.MIN_VALUE), ModelMath.log(Float.MIN_VALUE), 1e-5);
        assertTrue(Float.isNaN(ModelMath.sin(0x1.000002p20f)));
        assertTrue(Float.isNaN(ModelMath.cos(Float.POSITIVE_INFINITY)));
        assertEquals(1f, ModelMath.tanh(50f));
        assertEquals(-1f, ModelMath.tanh(-50f));
        assertEquals(0f, ModelMath.sigmoid(-200f));
        assertEquals(200f, ModelMath.softplus(200f));
        assertEquals(0f, ModelMath.softplus(-200f));
    }
}
