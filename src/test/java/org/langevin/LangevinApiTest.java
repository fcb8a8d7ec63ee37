package org.langevin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.langevin.engine.Backends;
import org.langevin.engine.Engine;
import org.langevin.model.Dynamics;
import org.langevin.model.LossKind;
import org.langevin.model.RunSpec;
import org.langevin.model.RunSpecBuilder;

/** The library use shown in the README, as written there (smaller sizes). */
class LangevinApiTest {
    /**
     * Brownian motion from 0: Var z(t) = σ²t exactly (O7). 4.5 standard errors: false-alarm rate
     * 6.8·10⁻⁶.
     */
    @Test
    void readmeExampleRunsAndReportsErrorBars() {
        RunSpec spec = new RunSpecBuilder()
                .dynamics(Dynamics.BROWNIAN).loss(LossKind.NONE).dim(1)
                .sigma(1.0).dt(0.01).particles(50_000).steps(200).seed(42)
                .build();
        try (Engine engine = Backends.open("auto", 0).engine()) {
            SampleResult r = Langevin.sample(spec, engine);
            double var = r.reduction().coordinates().get(0).variance();
            double se = r.reduction().coordinates().get(0).varianceStdErr();
            assertTrue(Math.abs(var - 2.0) <= 4.5 * se, var + " ± " + se);
            assertEquals(0, r.reduction().diverged());
            assertEquals(200, r.state().stepsDone());
        }
    }
}
