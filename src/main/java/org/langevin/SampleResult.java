package org.langevin;

import org.langevin.engine.ParticleState;
import org.langevin.model.RunSpec;
import org.langevin.reduce.Reduction;

/**
 * The outcome of a sampling run: its statistics, the particles, and how fast it ran.
 *
 * @param spec the run specification
 * @param reduction moments with standard errors, histograms, the diverged count
 * @param state the final particles (host, structure of arrays)
 * @param backend the engine's name (cpu, emulated, gpu)
 * @param elapsedSeconds wall time spent advancing particles (this invocation)
 * @param particleStepsPerSecond particle-steps per second of this invocation
 */
public record SampleResult(RunSpec spec, Reduction reduction, ParticleState state, String backend,
                           double elapsedSeconds, double particleStepsPerSecond) {

    /** @return the run's divergence verdict (the rule every launcher's exit code follows) */
    public org.langevin.report.Divergence divergence() {
        return org.langevin.report.Divergence.of(spec, reduction);
    }
}
