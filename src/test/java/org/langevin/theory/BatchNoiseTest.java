package org.langevin.theory;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** κ against the exact variance of a batch mean, by enumerating every batch of a small population. */
class BatchNoiseTest {

    private static final double[] POPULATION = {-1.3, 0.2, 0.9, 2.5, -0.4, 1.1};

    private static double populationVariance() {
        double m = 0;
        for (double v : POPULATION) {
            m += v / POPULATION.length;
        }
        double s = 0;
        for (double v : POPULATION) {
            s += (v - m) * (v - m) / POPULATION.length;
        }
        return s;
    }

    @Test
    void withoutReplacementMatchesEnumerationOfSubsets() {
        int n = POPULATION.length;
        for (int b = 1; b <= n; b++) {
            double sum = 0;
            double sumSq = 0;
            int count = 0;
            for (int mask = 0; mask < 1 << n; mask++) {
                if (Integer.bitCount(mask) != b) {
                    continue;
                }
                double mean = 0;
                for (int i = 0; i < n; i++) {
                    if ((mask & 1 << i) != 0) {
                        mean += POPULATION[i] / b;
                    }
                }
                sum += mean;
                sumSq += mean * mean;
                count++;
            }
            double var = sumSq / count - (sum / count) * (sum / count);
            assertEquals(var, BatchNoise.kappaWithoutReplacement(n, b) * populationVariance(), 1e-14, "B = " + b);
        }
    }

    @Test
    void withReplacementMatchesEnumerationOfOrderedDraws() {
        int n = POPULATION.length;
        int b = 3;
        double sum = 0;
        double sumSq = 0;
        int count = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < n; k++) {
                    double mean = (POPULATION[i] + POPULATION[j] + POPULATION[k]) / b;
                    sum += mean;
                    sumSq += mean * mean;
                    count++;
                }
            }
        }
        double var = sumSq / count - (sum / count) * (sum / count);
        assertEquals(var, BatchNoise.kappaWithReplacement(b) * populationVariance(), 1e-14);
    }

    @Test
    void invalidSizesThrow() {
        assertThrows(IllegalArgumentException.class, () -> BatchNoise.kappaWithReplacement(0));
        assertThrows(IllegalArgumentException.class, () -> BatchNoise.kappaWithoutReplacement(5, 6));
    }
}
