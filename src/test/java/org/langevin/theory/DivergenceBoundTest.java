package org.langevin.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.langevin.model.Dynamics;
import org.langevin.model.InitialState;
import org.langevin.model.LossKind;
import org.langevin.model.RunSpec;
import org.langevin.model.RunSpecBuilder;
import org.langevin.model.TrainingSet;
import org.langevin.rng.NormalTransform;

/** The bound derived from the problem, and the escape property that makes the double-well bound exact. */
class DivergenceBoundTest {

    private static RunSpecBuilder doubleWell(double dt, double sigma) {
        return new RunSpecBuilder().dynamics(Dynamics.LANGEVIN).loss(LossKind.DOUBLE_WELL).dt(dt).sigma(sigma)
                .particles(10).steps(100);
    }

    @Test
    void theDoubleWellBoundIsTwiceTheLargestOfEscapeRadiusStartAndNoiseStep() {
        // Δt = 0.01: r = √51 ≈ 7.14 dominates the noise step 0.1·6.76.
        DivergenceBound b = DivergenceBound.of(doubleWell(0.01, 1).build());
        assertEquals(2 * Math.sqrt(51), b.value(), 1e-12);
        // Δt = 0.15: the noise step σ√Δt·MAX_ABS ≈ 2.62 exceeds r ≈ 2.08.
        DivergenceBound c = DivergenceBound.of(doubleWell(0.15, 1).build());
        assertEquals(2 * Math.sqrt(0.15) * NormalTransform.MAX_ABS, c.value(), 1e-12);
        // A wide start: 3 + 6.76·2.
        DivergenceBound d = DivergenceBound.of(doubleWell(0.01, 1).init(new InitialState(new double[] {3}, 2)).build());
        assertEquals(2 * (3 + 2 * NormalTransform.MAX_ABS), d.value(), 1e-12);
    }

    /** The worst case of the class comment: at |x| = B, noise ν against the growth, |x| still grows ≥ 6.5-fold. */
    @Test
    void aDoubleWellParticleBeyondTheBoundNeverComesBack() {
        for (double dt : new double[] {1e-4, 0.01, 0.1, 0.15, 0.24}) {
            for (double sigma : new double[] {0, 1, 10}) {
                RunSpec spec = doubleWell(dt, sigma).build();
                double b = DivergenceBound.of(spec).value();
                double nu = sigma * Math.sqrt(dt) * NormalTransform.MAX_ABS;
                float x = (float) b;
                for (int k = 0; k < 3 && Float.isFinite(x); k++) {
                    float next = (float) (x - dt * 4 * x * (x * x - 1) + nu * Math.signum(x));
                    assertTrue(!Float.isFinite(next) || Math.abs(next) >= 6.5 * Math.abs(x) * (1 - 1e-6),
                            "dt " + dt + ", sigma " + sigma + ": " + x + " -> " + next);
                    x = next;
                }
            }
        }
    }

    @Test
    void otherProblemsGetAMillionTimesTheirLargestScale() {
        RunSpec q = new RunSpecBuilder().loss(LossKind.QUADRATIC).quadratic(new double[][] {{1}}, new double[] {-40})
                .dt(0.1).sigma(1).particles(10).steps(100).build();
        assertEquals(1e6 * 40, DivergenceBound.of(q).value(), 1e-6);
        RunSpec diffusive = q.toBuilder().quadratic(new double[][] {{1}}, new double[] {0}).steps(10_000).sigma(2).build();
        assertEquals(1e6 * 2 * Math.sqrt(1000), DivergenceBound.of(diffusive).value(), 1e-3);
        // Linear regression y = 500 x: Φ* = 500 beyond the data scale 500·0.5 = 250.
        float[] x = {0.5f, -0.25f, 0.125f};
        float[] y = {250f, -125f, 62.5f};
        RunSpec lin = new RunSpecBuilder().dynamics(Dynamics.LANGEVIN).loss(LossKind.LINREG).dim(1)
                .data(new TrainingSet(3, 1, x, y)).dt(0.01).sigma(0.01).particles(10).steps(10).build();
        assertEquals(1e6 * 500, DivergenceBound.of(lin).value(), 1e-3);
    }

    @Test
    void aGivenBoundIsUsedAndValidated() {
        RunSpec s = doubleWell(0.01, 1).divergenceBound(123).build();
        assertEquals(123, DivergenceBound.of(s).value());
        assertTrue(DivergenceBound.of(s).rule().startsWith("given"));
        assertEquals(s.divergenceBound(), s.toBuilder().build().divergenceBound(), "kept through toBuilder");
        assertEquals(0, doubleWell(0.01, 1).build().toBuilder().build().divergenceBound(), "derived stays derived");
        for (double bad : new double[] {-1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThrows(IllegalArgumentException.class, () -> doubleWell(0.01, 1).divergenceBound(bad).build(), "" + bad);
        }
        for (double bad : new double[] {-0.01, 1.01, Double.NaN}) {
            assertThrows(IllegalArgumentException.class, () -> doubleWell(0.01, 1).maxDivergedFraction(bad).build(),
                    "" + bad);
        }
    }
}
