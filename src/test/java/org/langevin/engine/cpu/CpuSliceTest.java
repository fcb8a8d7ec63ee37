package org.langevin.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.langevin.engine.InitialStates;
import org.langevin.engine.ParticleState;
import org.langevin.engine.ProblemCompiler;
import org.langevin.engine.Sampler;
import org.langevin.model.Dynamics;
import org.langevin.model.LossKind;
import org.langevin.model.RunSpec;
import org.langevin.model.RunSpecBuilder;
import org.langevin.model.TrainingSets;

/** A slice [first, first+count) of a run, advanced alone, equals those columns of the whole run. */
class CpuSliceTest {
    @Test
    void sliceEqualsTheWholeRunsColumns() {
        RunSpec[] specs = {
            new RunSpecBuilder().dynamics(Dynamics.LANGEVIN).loss(LossKind.DOUBLE_WELL).dim(1).particles(9000)
                    .steps(37).init(org.langevin.model.InitialState.parse("normal:0,1", 1)).seed(4).build(),
            new RunSpecBuilder().dynamics(Dynamics.BROWNIAN).dim(1).particles(9000).steps(37).seed(5).build(),
            new RunSpecBuilder().dynamics(Dynamics.SGD).loss(LossKind.LINREG).dim(3).lr(0.05).batch(2)
                    .data(TrainingSets.synthetic(30, 3, 0.5, 2, false)).particles(9000).steps(37).seed(6)
                    .average(true).burnIn(10).build(),
        };
        for (RunSpec s : specs) {
            ParticleState whole = InitialStates.create(s);
            ParticleState slice = InitialStates.create(s, 4097, 3001);
            try (CpuEngine e = new CpuEngine(2)) {
                Sampler.run(ProblemCompiler.compile(s), e, whole, s.steps(), Sampler.Options.none());
                Sampler.run(ProblemCompiler.compile(s), e, slice, s.steps(), Sampler.Options.none());
            }
            for (int j = 0; j < s.dim(); j++) {
                assertArrayEquals(Arrays.copyOfRange(whole.x()[j], 4097, 7098), slice.x()[j], s.dynamics() + " coordinate " + j);
            }
        }
    }
}
