package org.langevin.reduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CovarianceTest {

    @Test
    void matchesTwoPassEntriesAndStdErrsAfterMerging() {
        int d = 3;
        int n = 3000;
        SplittableRandom r = new SplittableRandom(11);
        double[][] v = new double[d][n];
        for (int i = 0; i < n; i++) {
            double g0 = MomentsTest.gaussian(r);
            double g1 = MomentsTest.gaussian(r);
            v[0][i] = 5 + g0;
            v[1][i] = -2 + 0.6 * g0 + 0.8 * g1 * g1;
            v[2][i] = 100 + 3 * r.nextDouble();
        }
        double[] mu = new double[d];
        for (int j = 0; j < d; j++) {
            for (int i = 0; i < n; i++) {
                mu[j] += v[j][i];
            }
            mu[j] /= n;
        }
        Covariance whole = Covariance.ofValues(v, n, null);
        Covariance streamed = new Covariance(d);
        Covariance merged = new Covariance(d);
        int[] cuts = {0, 1, 2, 1000, 2999, 3000};
        for (int c = 0; c + 1 < cuts.length; c++) {
            int len = cuts[c + 1] - cuts[c];
            double[][] piece = new double[d][len];
            for (int j = 0; j < d; j++) {
                System.arraycopy(v[j], cuts[c], piece[j], 0, len);
            }
            merged.combine(Covariance.ofValues(piece, len, new double[d][len]));
        }
        for (int i = 0; i < n; i++) {
            streamed.accept(new double[] {v[0][i], v[1][i], v[2][i]});
        }
        for (int j = 0; j < d; j++) {
            for (int k = 0; k < d; k++) {
                double s11 = 0;
                double s22 = 0;
                for (int i = 0; i < n; i++) {
                    double p = (v[j][i] - mu[j]) * (v[k][i] - mu[k]);
                    s11 += p;
                    s22 += p * p;
                }
                double cov = s11 / (n - 1);
                double se = Math.sqrt((s22 / n - (s11 / n) * (s11 / n)) / n);
                for (Covariance c : new Covariance[] {whole, merged, streamed}) {
                    // double sums of 3000 terms: 1e-9 relative to the entry scale is ample
                    double scale = Math.sqrt(whole.getCovariance(j, j) * whole.getCovariance(k, k));
                    assertEquals(cov, c.getCovariance(j, k), 1e-9 * scale, "cov " + j + k);
                    assertEquals(se, c.getCovarianceStdErr(j, k), 1e-9 * se, "se " + j + k);
                }
            }
        }
        // the diagonal agrees with Moments (same two-pass sums, same bits)
        Moments m1 = Moments.ofValues(v[1], n);
        assertEquals(m1.getVariance(), whole.getCovariance(1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Covariance(65));
        assertThrows(IllegalArgumentException.class, () -> whole.getCovariance(0, 3));
    }
}
