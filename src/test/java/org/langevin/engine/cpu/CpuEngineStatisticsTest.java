package org.langevin.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.langevin.engine.ParticleState;
import org.langevin.model.Dynamics;
import org.langevin.model.InitialState;
import org.langevin.model.LossKind;
import org.langevin.model.RunSpec;
import org.langevin.model.RunSpecBuilder;
import org.langevin.model.Sampling;
import org.langevin.model.TrainingSet;

/**
 * The CPU engine against the exact results of docs/theory.md §3. Every check compares an estimate with
 * the exact value within Z standard errors; Z = 4 gives a two-sided false-alarm rate of 6.3e-5 per
 * check (about 1e-3 for the whole class), and the seeds are fixed, so a run is reproducible.
 */
class CpuEngineStatisticsTest {
    /** Standard errors allowed (two-sided false-alarm rate 6.3e-5 per comparison). */
    private static final double Z = 4.0;
    private static final int P = 20_000;

    /** Asserts |est − exact| ≤ Z·se. */
    private static void assertWithin(double exact, double est, double se, String what) {
        assertTrue(Math.abs(est - exact) <= Z * se,
                what + ": estimate " + est + " vs exact " + exact + " (se " + se + ")");
    }

    /** Checks the sample variance of v about the known mean c against var, with the sample's own SE. */
    private static void assertVariance(float[] v, double c, double var, String what) {
        double m2 = TestProblems.moment(v, c, 2);
        double m4 = TestProblems.moment(v, c, 4);
        assertWithin(var, m2, Math.sqrt((m4 - m2 * m2) / v.length), what + " variance");
    }

    /** O7: Var z(t) = σ²t at any Δt and E z⁴ = 3σ⁴t²; 1-D (specialised path) and 3-D with window sums. */
    @Test
    void brownianVarianceAndFourthMoment() {
        for (int d : new int[] {1, 3}) {
            double sigma = 1.5;
            double dt = 0.01;
            int steps = 100;
            RunSpec s = new RunSpecBuilder().dynamics(Dynamics.BROWNIAN).dim(d).sigma(sigma).dt(dt)
                    .particles(P).steps(steps).seed(11 + d).average(d == 3).burnIn(0).build();
            ParticleState st = TestProblems.run(s, 2);
            double t = steps * dt;
            double var = sigma * sigma * t;
            for (int j = 0; j < d; j++) {
                float[] z = st.x()[j];
                assertWithin(0.0, TestProblems.mean(z), Math.sqrt(var / P), "d=" + d + " mean");
                assertVariance(z, 0.0, var, "d=" + d + " coordinate " + j);
                // Var z⁴ = E z⁸ − (E z⁴)² = (105 − 9) σ⁸t⁴ for a Gaussian.
                double m4 = TestProblems.moment(z, 0.0, 4);
                assertWithin(3 * var * var, m4, Math.sqrt(96.0 / P) * var * var, "d=" + d + " E z^4");
            }
        }
    }

    /**
     * O4: Euler–Maruyama OU (quadratic loss θ(x−μ)²/2, Langevin σ = s) from x = μ has
     * Var_N = s²(1 − (1−θΔt)^{2N}) / (θ(2 − θΔt)); after 200 steps the transient factor is 5e-19.
     */
    @Test
    void langevinOrnsteinUhlenbeckStationaryVariance() {
        double theta = 1.0;
        double mu = 0.5;
        double sigma = 1.0;
        double dt = 0.1;
        RunSpec s = new RunSpecBuilder().dynamics(Dynamics.LANGEVIN).loss(LossKind.QUADRATIC).dim(1)
                .quadratic(new double[][] {{theta}}, new double[] {mu}).sigma(sigma).dt(dt)
                .init(new InitialState(new double[] {mu}, 0)).particles(P).steps(200).seed(5).build();
        ParticleState st = TestProblems.run(s, 2);
        double var = sigma * sigma / (theta * (2 - theta * dt));
        assertWithin(mu, TestProblems.mean(st.x()[0]), Math.sqrt(var / P), "OU mean");
        assertVariance(st.x()[0], mu, var, "OU");
    }

    /** The 1-D quadratic SGD of O1 as linear regression with x_i = 1, targets a_i = i − 4.5, s² = 1 (h = 1). */
    private static RunSpec sgdQuadratic(int batch, Sampling sampling, double lr, long seed) {
        int n = 10;
        float[] x = new float[n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = 1f;
            y[i] = i - 4.5f;
        }
        return new RunSpecBuilder().dynamics(Dynamics.SGD).loss(LossKind.LINREG).dim(1)
                .data(new TrainingSet(n, 1, x, y)).noiseVariance(1.0).lr(lr).batch(batch).sampling(sampling)
                .particles(P).steps(300).seed(seed).build();
    }

    /**
     * O1: stationary variance η h s² κ / (2 − ηh) with s² = (n²−1)/12 = 8.25 the variance of the a_i,
     * κ = 1 for B = 1 and κ = (n−B)/(B(n−1)) = 1/6 for 4 distinct examples out of 10; started at ā = 0
     * the transient factor (1−ηh)^{600} is 2e-28.
     */
    @Test
    void sgdQuadraticStationaryVariance() {
        double eta = 0.1;
        double h = 1.0;
        double s2 = 8.25;
        Object[][] cases = {{1, Sampling.WITH_REPLACEMENT, 1.0}, {4, Sampling.WITHOUT_REPLACEMENT, 1.0 / 6.0},
            {4, Sampling.WITH_REPLACEMENT, 0.25}};
        long seed = 21;
        for (Object[] c : cases) {
            int b = (Integer) c[0];
            Sampling sampling = (Sampling) c[1];
            double kappa = (Double) c[2];
            assertEquals(kappa, sampling.kappa(b, 10), 1e-15);
            ParticleState st = TestProblems.run(sgdQuadratic(b, sampling, eta, seed++), 2);
            double var = eta * h * s2 * kappa / (2 - eta * h);
            assertWithin(0.0, TestProblems.mean(st.x()[0]), Math.sqrt(var / P), "SGD B=" + b + " " + sampling + " mean");
            assertVariance(st.x()[0], 0.0, var, "SGD B=" + b + " " + sampling);
        }
    }
}
