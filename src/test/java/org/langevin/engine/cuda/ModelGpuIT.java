package org.langevin.engine.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.langevin.engine.CompiledProblem;
import org.langevin.engine.InitialStates;
import org.langevin.engine.ParticleState;
import org.langevin.engine.ProblemCompiler;
import org.langevin.engine.Sampler;
import org.langevin.engine.cpu.CpuEngine;
import org.langevin.engine.device.NoiseMode;
import org.langevin.model.Dynamics;
import org.langevin.model.RunSpec;
import org.langevin.model.RunSpecBuilder;
import org.langevin.model.UserModel;

/**
 * On a GPU: a user model's kernel compiled at run time ({@link ModelPtx}) gives the CPU engine's bytes,
 * for potentials under Langevin (the double well, Rosenbrock) and a state-dependent SDE with correlated
 * noise, over uneven segments.
 */
class ModelGpuIT {
    record Case(String name, RunSpec spec) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case("langevin, double-well", new RunSpecBuilder().dynamics(Dynamics.LANGEVIN)
                        .model(UserModel.load(Path.of("double-well"), null)).dt(0.01).sigma(1.0).particles(10_007)
                        .steps(60).seed(11).build()),
                new Case("sde, correlated-gbm", new RunSpecBuilder().dynamics(Dynamics.SDE)
                        .model(UserModel.load(Path.of("correlated-gbm"), null)).init(new org.langevin.model.InitialState(
                                new double[] {1, 2}, 0)).dt(0.02).particles(4099).steps(50).seed(12).build()),
                new Case("langevin, rosenbrock", new RunSpecBuilder().dynamics(Dynamics.LANGEVIN)
                        .model(UserModel.load(Path.of("rosenbrock"), null)).dt(0.001).sigma(0.5).particles(3001)
                        .steps(40).seed(13).build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sameBytesAsCpu(Case c) {
        GpuTests.requireGpu("user model on the GPU: " + c.name());
        CompiledProblem problem = ProblemCompiler.compile(c.spec());
        ParticleState cpu = InitialStates.create(c.spec());
        try (CpuEngine engine = new CpuEngine(2)) {
            Sampler.run(problem, engine, cpu, c.spec().steps(), Sampler.Options.none());
        }
        ParticleState gpu = InitialStates.create(c.spec());
        try (GpuEngine engine = GpuEngine.open(0, NoiseMode.FUSED, 0)) {
            try (var s = engine.open(problem, gpu)) {
                long mid = c.spec().steps() / 3;
                s.advance(0, mid);
                s.advance(mid, c.spec().steps());
                s.download();
            }
        }
        assertEquals(c.spec().steps(), gpu.stepsDone());
        for (int j = 0; j < cpu.dim(); j++) {
            assertArrayEquals(cpu.x()[j], gpu.x()[j], c.name() + ": coordinate " + j);
        }
    }
}
