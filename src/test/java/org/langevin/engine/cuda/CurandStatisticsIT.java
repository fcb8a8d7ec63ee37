package org.langevin.engine.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.langevin.engine.ParticleState;
import org.langevin.engine.device.DeviceCases;
import org.langevin.engine.device.DeviceProblems;
import org.langevin.engine.device.NoiseMode;
import org.langevin.model.Dynamics;
import org.langevin.model.LossKind;
import org.langevin.model.RunSpec;

/**
 * Fused (in-kernel Philox) and cuRAND buffer noise give the same statistics: the mean and the
 * variance of the final coordinates agree within 4.5 standard errors. The two runs use independent
 * streams, so each difference over its standard error is approximately N(0, 1); with 4 comparisons
 * at |z| &gt; 4.5 (two-sided 6.8e−6 each) the false-alarm rate is below 3e−5.
 */
class CurandStatisticsIT {
    /** Particles: 2^20, so the standard errors are about 1e−3 of the standard deviation. */
    private static final int P = 1 << 20;
    /** z-score bound. */
    private static final double Z = 4.5;

    @Test
    void fusedAndCurandAgreeInMeanAndVariance() {
        GpuTests.requireGpu("fused vs cuRAND statistics");
        RunSpec brownian = DeviceCases.base(Dynamics.BROWNIAN, LossKind.NONE, 1).particles(P).steps(100).build();
        RunSpec langevin = DeviceCases.base(Dynamics.LANGEVIN, LossKind.DOUBLE_WELL, 1).particles(P).steps(300).build();
        for (RunSpec s : new RunSpec[] {brownian, langevin}) {
            ParticleState fused;
            ParticleState curand;
            try (GpuEngine e = GpuEngine.open(0, NoiseMode.FUSED, 0)) {
                fused = DeviceProblems.run(e, s, s.steps());
            }
            try (GpuEngine e = GpuEngine.open(0, NoiseMode.BUFFER, 0)) {
                curand = DeviceProblems.run(e, s, s.steps());
            }
            double[] a = moments(fused.x()[0]);
            double[] b = moments(curand.x()[0]);
            double zMean = (a[0] - b[0]) / Math.sqrt(a[1] / P + b[1] / P);
            // Var of the sample variance ≈ (m4 − m2²)/P.
            double zVar = (a[1] - b[1]) / Math.sqrt((a[2] - a[1] * a[1]) / P + (b[2] - b[1] * b[1]) / P);
            assertTrue(Math.abs(zMean) < Z, s.dynamics() + ": means differ by " + zMean + " SE");
            assertTrue(Math.abs(zVar) < Z, s.dynamics() + ": variances differ by " + zVar + " SE");
        }
    }

    /** @return {mean, variance, fourth central moment} */
    private static double[] moments(float[] v) {
        double m = 0;
        for (float f : v) {
            m += f;
        }
        m /= v.length;
        double m2 = 0;
        double m4 = 0;
        for (float f : v) {
            double c = f - m;
            m2 += c * c;
            m4 += c * c * c * c;
        }
        return new double[] {m, m2 / v.length, m4 / v.length};
    }
}
