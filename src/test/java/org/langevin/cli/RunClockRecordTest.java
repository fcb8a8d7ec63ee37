package org.langevin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.langevin.engine.InitialStates;
import org.langevin.engine.ParticleState;
import org.langevin.engine.ProblemCompiler;
import org.langevin.engine.Sampler;
import org.langevin.engine.device.NoiseMode;
import org.langevin.engine.emulated.EmulatedEngine;
import org.langevin.model.RunSpec;
import org.langevin.series.Recording;
import org.langevin.series.SeriesRecorder;
import picocli.CommandLine;

/**
 * The run clock that {@code sample} puts between the sampler and the series recorder passes the session
 * on, so that {@code sample --record} on a device reduces its records there.
 */
class RunClockRecordTest {
    @Test
    void recordsOfSampleAreReducedOnTheDevice() {
        SpecOptions o = new SpecOptions();
        new CommandLine(o).parseArgs("--dynamics", "brownian", "--particles", "5000", "--steps", "20", "--record",
                "every:5", "--trace", "2");
        RunSpec spec = o.toSpec();
        Recording rec = o.recording(spec);
        SeriesRecorder recorder = new SeriesRecorder(spec, rec, List.of(), 1);
        ParticleState state = InitialStates.create(spec);
        RunClock clock = new RunClock(new double[] {0, 0}, state, null, recorder);
        try (EmulatedEngine emu = new EmulatedEngine(NoiseMode.FUSED, 0)) {
            Sampler.run(ProblemCompiler.compile(spec), emu, state, spec.steps(),
                    Sampler.Options.none().withRecorder(clock));
        }
        assertEquals(5, recorder.points().size(), "steps 0, 5, 10, 15, 20");
        assertEquals(5, recorder.deviceRecords(), "every record reduced on the emulated device");
        assertEquals(0, recorder.hostRecords());
    }
}
