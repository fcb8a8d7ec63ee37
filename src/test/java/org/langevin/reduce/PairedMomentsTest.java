package org.langevin.reduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PairedMomentsTest {

    @Test
    void matchesTwoPassAndMergesInPieces() {
        SplittableRandom r = new SplittableRandom(3);
        int n = 5000;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = 10 + MomentsTest.gaussian(r);
            y[i] = x[i] * x[i] + 0.5 * MomentsTest.gaussian(r);
        }
        double mx = Arrays.stream(x).sum() / n;
        double my = Arrays.stream(y).sum() / n;
        double sxx = 0;
        double syy = 0;
        double sxy = 0;
        for (int i = 0; i < n; i++) {
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
            sxy += (x[i] - mx) * (y[i] - my);
        }
        PairedMoments streamed = new PairedMoments();
        for (int i = 0; i < n; i++) {
            streamed.accept(x[i], y[i]);
        }
        PairedMoments merged = PairedMoments.ofValues(Arrays.copyOf(x, 1234), Arrays.copyOf(y, 1234), 1234)
                .combine(PairedMoments.ofValues(Arrays.copyOfRange(x, 1234, n), Arrays.copyOfRange(y, 1234, n), n - 1234));
        // double sums of 5000 terms: relative accuracy ~1e-12; tolerance 1e-10 relative
        for (PairedMoments p : new PairedMoments[] {streamed, merged, PairedMoments.ofValues(x, y, n)}) {
            assertEquals(mx, p.getMeanX(), 1e-10 * mx);
            assertEquals(my, p.getMeanY(), 1e-10 * my);
            assertEquals(sxx / (n - 1), p.getVarianceX(), 1e-10 * sxx / n);
            assertEquals(syy / (n - 1), p.getVarianceY(), 1e-10 * syy / n);
            assertEquals(sxy / (n - 1), p.getCovariance(), 1e-10 * Math.sqrt(sxx * syy) / n);
            double a = -2 * mx;
            double v = (a * a * sxx + 2 * a * sxy + syy) / (n - 1);
            assertEquals(Math.sqrt(v / n), p.linearCombinationStdErr(a, 1), 1e-8 * Math.sqrt(v / n));
            // x's own moments travel along: the same variance, and x's fourth moment for its standard error
            Moments xm = Moments.ofValues(x, n);
            assertEquals(n, p.momentsX().getCount());
            assertEquals(p.getVarianceX(), p.momentsX().getVariance(), 1e-10 * sxx / n);
            assertEquals(xm.getVarianceStdErr(), p.momentsX().getVarianceStdErr(), 1e-8 * xm.getVarianceStdErr());
            assertEquals(xm.getMax(), p.momentsX().getMax(), 0.0);
        }
        assertThrows(IllegalArgumentException.class, () -> streamed.linearCombinationStdErr(Double.NaN, 1));
    }
}
