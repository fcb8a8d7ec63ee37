package org.langevin.engine.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;
import org.langevin.engine.CompiledProblem;
import org.langevin.engine.EngineSession;
import org.langevin.engine.InitialStates;
import org.langevin.engine.ParticleState;
import org.langevin.engine.device.DeviceCases;
import org.langevin.engine.device.DeviceProblems;
import org.langevin.engine.device.NoiseMode;
import org.langevin.model.Dynamics;
import org.langevin.model.LossKind;
import org.langevin.model.RunSpec;

/**
 * {@code --noise curand} draws each normal from the position of (global step, lane, global particle)
 * (kernels/README.md, "cuRAND buffer noise"): a resumed run continues the stream instead of repeating
 * it, two particle ranges in separate sessions (Spark partitions) get different normals and together
 * give the one-session bytes, and a fixed seed reproduces. Brownian motion from 0 makes the state the
 * sum of the normals drawn, so a repeated normal would show as x(2k) = 2 x(k) and equal partitions.
 */
class CurandNoiseIT {
    /** Odd, so partitions and rows start and end at odd positions of the sequence. */
    private static final int P = 4099;
    private static final int STEPS = 40;

    private static RunSpec spec() {
        return DeviceCases.base(Dynamics.BROWNIAN, LossKind.NONE, 2).particles(P).steps(STEPS).build();
    }

    /** Runs particles [first, first + count) of the spec for steps [from, to), continuing `st` when given. */
    private static ParticleState run(GpuEngine gpu, RunSpec s, ParticleState st, long from, long to) {
        CompiledProblem cp = DeviceProblems.compile(s);
        try (EngineSession session = gpu.open(cp, st)) {
            session.advance(from, to);
            session.download();
        }
        st.setStepsDone(to);
        return st;
    }

    @Test
    void resumedRunContinuesTheStreamAndAFixedSeedReproduces() {
        GpuTests.requireGpu("cuRAND noise across sessions");
        RunSpec s = spec();
        try (GpuEngine gpu = GpuEngine.open(0, NoiseMode.BUFFER, 0)) {
            ParticleState whole = run(gpu, s, InitialStates.create(s, 0, P), 0, STEPS);
            ParticleState again = run(gpu, s, InitialStates.create(s, 0, P), 0, STEPS);
            ParticleState half = run(gpu, s, InitialStates.create(s, 0, P), 0, STEPS / 2);
            float[][] atHalf = {half.x()[0].clone(), half.x()[1].clone()};
            ParticleState resumed = run(gpu, s, half, STEPS / 2, STEPS);
            for (int j = 0; j < 2; j++) {
                assertArrayEquals(whole.x()[j], again.x()[j], "a fixed seed reproduces, coordinate " + j);
                assertArrayEquals(whole.x()[j], resumed.x()[j], "resumed = uninterrupted, coordinate " + j);
                int doubled = 0;
                for (int i = 0; i < P; i++) {
                    if (resumed.x()[j][i] == 2.0f * atHalf[j][i]) {
                        doubled++;
                    }
                }
                assertEquals(0, doubled, "particles whose second half repeated the first half's normals");
            }
        }
    }

    @Test
    void partitionsDrawDifferentNormalsAndTogetherGiveTheWholeRun() {
        GpuTests.requireGpu("cuRAND noise across partitions");
        RunSpec s = spec();
        int a = 2049;
        try (GpuEngine gpu = GpuEngine.open(0, NoiseMode.BUFFER, 0)) {
            ParticleState whole = run(gpu, s, InitialStates.create(s, 0, P), 0, STEPS);
            ParticleState first = run(gpu, s, InitialStates.create(s, 0, a), 0, STEPS);
            ParticleState second = run(gpu, s, InitialStates.create(s, a, P - a), 0, STEPS);
            for (int j = 0; j < 2; j++) {
                float[] joined = new float[P];
                System.arraycopy(first.x()[j], 0, joined, 0, a);
                System.arraycopy(second.x()[j], 0, joined, a, P - a);
                assertArrayEquals(whole.x()[j], joined, "partitions joined = one session, coordinate " + j);
                int same = 0;
                for (int i = 0; i < Math.min(a, P - a); i++) {
                    if (second.x()[j][i] == first.x()[j][i]) {
                        same++;
                    }
                }
                assertEquals(0, same, "particles of the second partition equal to the first's");
            }
            assertNotEquals(whole.x()[0][0], whole.x()[1][0], "the two lanes of a step differ");
        }
    }
}
