package org.langevin.engine.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.langevin.cli.SpecOptions;
import org.langevin.engine.CompiledProblem;
import org.langevin.engine.EngineSession;
import org.langevin.engine.InitialStates;
import org.langevin.engine.ParticleState;
import org.langevin.engine.ProblemCompiler;
import org.langevin.engine.RecordReduction;
import org.langevin.engine.emulated.EmulatedEngine;
import org.langevin.model.HostLoss;
import org.langevin.model.RunSpec;
import org.langevin.reduce.BlockPartial;
import org.langevin.reduce.BlockRecords;
import org.langevin.reduce.ParticleView;
import org.langevin.reduce.ReduceSpec;
import org.langevin.reduce.Reducer;
import org.langevin.series.Recording;
import org.langevin.series.SeriesRecorder;
import picocli.CommandLine;

/**
 * The record reduction of a device session on the emulated device: block by block the partials of the
 * host's reducer, with only the block records (and the traced particles) copied back, counted in bytes;
 * and the cases in which the session declines (the caller then downloads and reduces on the host).
 */
class RecordReductionTest {

    static SpecOptions options(String... args) {
        SpecOptions o = new SpecOptions();
        new CommandLine(o).parseArgs(args);
        return o;
    }

    static byte[] bytes(Object o) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(b)) {
            out.writeObject(o);
        }
        return b.toByteArray();
    }

    static final String[] QUADRATIC = {"--dynamics", "langevin", "--loss", "quadratic", "--dim", "2",
        "--quadratic-matrix", "2,0.5;0.5,1", "--quadratic-center", "1,-1", "--sigma", "0.9", "--dt", "0.02",
        "--particles", "20000", "--init", "normal:2,0.5", "--seed", "7", "--steps", "30", "--record", "every:10",
        "--trace", "3", "--record-histograms", "--histogram", "25,-3,3"};

    @Test
    void partialsAreTheHostsBlockByBlockAndOnlyRecordsTravel() throws IOException {
        SpecOptions o = options(QUADRATIC);
        RunSpec spec = o.toSpec();
        Recording rec = o.recording(spec);
        ReduceSpec rs = SeriesRecorder.reduceSpec(spec, rec);
        RecordReduction req = new RecordReduction(rs, new HostLoss(spec).polynomialCoefficients());
        CompiledProblem problem = ProblemCompiler.compile(spec);
        ParticleState state = InitialStates.create(spec);
        try (EmulatedEngine emu = new EmulatedEngine(NoiseMode.FUSED, 0);
             EngineSession s = emu.open(problem, state)) {
            DeviceSession ds = (DeviceSession) s;
            s.advance(0, 17);
            long before = ds.bytesToHost();
            List<BlockPartial> parts = s.reduceBlocks(req);
            assertNotNull(parts, "a resident session with a quadratic loss reduces on the device");
            int len = BlockRecords.length(rs, 2);
            assertEquals(2 + 12 + 6 + 2 * 27, len, "n, diverged; 6 moments of x1, x2 and the loss; 2 x (2 + 25) counts");
            assertEquals(5, parts.size(), "20000 particles: 4 full blocks and one of 3616");
            assertEquals(5L * len * 8, ds.bytesToHost() - before, "only the block records are copied back");
            assertEquals(1, ds.deviceReductions());
            long mid = ds.bytesToHost();
            s.downloadFirst(3);
            assertEquals(3L * 2 * 4, ds.bytesToHost() - mid, "the traced particles: 3 x 2 floats");
            float first = state.x()[0][0];
            float beyond = state.x()[0][5000];
            s.download();
            assertEquals(first, state.x()[0][0], "downloadFirst copied particle 0");
            assertEquals(Boolean.TRUE, beyond != state.x()[0][5000], "downloadFirst left particle 5000 as it was");
            ParticleView view = ParticleView.of(state.x());
            for (int b = 0; b < 5; b++) {
                BlockPartial host = Reducer.reduceBlock(view, rs, b);
                assertEquals(b, parts.get(b).firstBlock());
                assertArrayEquals(bytes(host.summary()), bytes(parts.get(b).summary()), "block " + b);
            }
            assertArrayEquals(bytes(Reducer.reduce(view, rs, 3)), bytes(Reducer.merge(parts)), "the merged reduction");
        }
    }

    @Test
    void declinesWhatTheDeviceCannotReproduce() {
        SpecOptions o = options(QUADRATIC);
        RunSpec spec = o.toSpec();
        ReduceSpec rs = SeriesRecorder.reduceSpec(spec, o.recording(spec));
        CompiledProblem problem = ProblemCompiler.compile(spec);
        // A loss without device coefficients (as the logistic loss has none).
        try (EmulatedEngine emu = new EmulatedEngine(NoiseMode.FUSED, 0);
             EngineSession s = emu.open(problem, InitialStates.create(spec))) {
            assertNull(s.reduceBlocks(new RecordReduction(rs, null)));
            assertEquals(0, ((DeviceSession) s).bytesToHost(), "nothing copied");
            // The covariance is not in a block record.
            assertNull(s.reduceBlocks(new RecordReduction(rs.withCovariance(true),
                    new HostLoss(spec).polynomialCoefficients())));
        }
        // Particles in chunks: room for one chunk of 4096 particles (2 floats each) and the parameters.
        try (EmulatedEngine emu = new EmulatedEngine(NoiseMode.FUSED, 4096 * 8 + 8192);
             EngineSession s = emu.open(problem, InitialStates.create(spec))) {
            assertEquals(Boolean.TRUE, ((DeviceSession) s).plan().chunks() > 1);
            assertNull(s.reduceBlocks(new RecordReduction(rs, new HostLoss(spec).polynomialCoefficients())));
        }
        // A first particle inside a block.
        ParticleState off = new ParticleState(2, 5000, false, 100);
        try (EmulatedEngine emu = new EmulatedEngine(NoiseMode.FUSED, 0);
             EngineSession s = emu.open(problem, off)) {
            assertNull(s.reduceBlocks(new RecordReduction(rs, new HostLoss(spec).polynomialCoefficients())));
        }
        // The logistic loss has no device form.
        RunSpec logistic = options("--dynamics", "sgd", "--loss", "logistic", "--synthetic", "n=20,d=2,noise=0.5,seed=2",
                "--lr", "0.1", "--particles", "100", "--steps", "2").toSpec();
        assertNull(new HostLoss(logistic).polynomialCoefficients());
    }
}
