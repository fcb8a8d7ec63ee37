package org.langevin.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.langevin.engine.Engine;
import org.langevin.engine.InitialStates;
import org.langevin.engine.ParticleState;
import org.langevin.engine.ProblemCompiler;
import org.langevin.engine.Sampler;
import org.langevin.engine.cpu.CpuEngine;
import org.langevin.engine.cuda.GpuEngine;
import org.langevin.engine.cuda.GpuTests;
import org.langevin.engine.device.NoiseMode;
import org.langevin.model.RunSpec;
import org.langevin.series.Recording;
import org.langevin.series.SeriesPoint;
import org.langevin.series.SeriesRecorder;
import picocli.CommandLine;

/**
 * Records reduced on the GPU ({@code lv_reduce_blocks} from the packaged PTX, launched through JCuda)
 * give the bytes of records reduced on the host by the CPU engine: series.csv, trace.npy and
 * series_histograms.csv of {@code sample --backend gpu} (every visible device: three under the stand-in
 * driver, so three particle ranges reduced at once) and of {@code --backend cpu}; and through the API,
 * on all devices and on one, every record was reduced on the GPU (a user model's records too, by the
 * {@code lvu_reduce} of its kernel).
 */
class DeviceRecordsIT {
    @TempDir
    Path tmp;

    static final String HIST = " --record-histograms --histogram 30,-3,3 --trace 5";

    @ParameterizedTest
    @ValueSource(strings = {
        "--dynamics brownian --dim 2 --sigma 1.1 --particles 20000 --record every:6",
        "--dynamics langevin --loss quadratic --dim 2 --quadratic-matrix 2,0.5;0.5,1 --quadratic-center 1,-1 --sigma 0.9 "
            + "--particles 13000 --init normal:2,0.5 --record log:8",
        "--dynamics langevin --loss double-well --dim 1 --sigma 0.5 --dt 0.2 --init normal:0,1.6 --particles 12000 "
            + "--record every:3 --max-diverged-fraction 1",
        "--dynamics sgd --loss linreg --synthetic n=50,d=2,noise=0.3,seed=4 --lr 0.05 --prior-variance 2 "
            + "--particles 9000 --init normal:1,0.5 --record every:4",
        // user models: their lvu_reduce, compiled with the model at run time
        "--dynamics langevin --model examples/rosenbrock.model --dt 0.001 --sigma 0.5 --particles 9000 "
            + "--init normal:0,1 --record every:4",
        "--dynamics sgd --model examples/student.model --synthetic n=200,d=2,seed=1 --init normal:0,1 --lr 0.05 "
            + "--batch 8 --particles 5000 --record every:6",
    })
    void gpuSeriesEqualsCpuSeries(String args) throws Exception {
        GpuTests.requireGpu("sample --record --backend gpu = cpu: " + args);
        Path cpu = run("cpu", args + HIST);
        Path gpu = run("gpu", args + HIST);
        for (String f : List.of("series.csv", "trace.npy", "series_histograms.csv")) {
            assertArrayEquals(Files.readAllBytes(cpu.resolve(f)), Files.readAllBytes(gpu.resolve(f)), f + ": " + args);
        }
    }

    @Test
    void everyRecordIsReducedOnTheGpuOnAllDevicesAndOnOne() throws Exception {
        GpuTests.requireGpu("records reduced on the GPU");
        String[] args = ("--dynamics langevin --loss quadratic --dim 2 --quadratic-matrix 2,0.5;0.5,1 --sigma 0.9 "
                + "--particles 20000 --steps 40 --seed 4 --record every:5 --trace 3 --record-histograms --histogram 30,-3,3").split(" ");
        List<SeriesPoint> want;
        try (CpuEngine cpu = new CpuEngine(2)) {
            want = points(cpu, args, 0);
        }
        try (Engine all = GpuEngine.openDevices(null, NoiseMode.FUSED, 0)) {
            assertEquals(bytes(want), bytes(points(all, args, want.size())), "all devices");
        }
        try (Engine one = GpuEngine.open(0, NoiseMode.FUSED, 0)) {
            assertEquals(bytes(want), bytes(points(one, args, want.size())), "one device");
        }
        String[] model = ("--dynamics langevin --model examples/rosenbrock.model --dt 0.001 --sigma 0.5 --particles 9000 "
                + "--steps 20 --seed 2 --record every:5 --trace 2").split(" ");
        List<SeriesPoint> wantModel;
        try (CpuEngine cpu = new CpuEngine(2)) {
            wantModel = points(cpu, model, 0);
        }
        try (Engine one = GpuEngine.open(0, NoiseMode.FUSED, 0)) {
            assertEquals(bytes(wantModel), bytes(points(one, model, wantModel.size())), "a user model on one device");
        }
    }

    /** Runs with a recorder; asserts that {@code onDevice} records were reduced on the device. */
    static List<SeriesPoint> points(Engine engine, String[] args, int onDevice) {
        SpecOptions o = new SpecOptions();
        new CommandLine(o).parseArgs(args);
        RunSpec spec = o.toSpec();
        Recording rec = o.recording(spec);
        SeriesRecorder r = new SeriesRecorder(spec, rec, List.of(), 2);
        ParticleState s = InitialStates.create(spec);
        Sampler.run(ProblemCompiler.compile(spec), engine, s, spec.steps(), Sampler.Options.none().withRecorder(r));
        assertEquals(onDevice, r.deviceRecords(), engine.name() + ": records reduced on the device");
        assertTrue(r.points().size() > 3);
        return r.points();
    }

    static String bytes(List<SeriesPoint> points) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(b)) {
            out.writeObject(new ArrayList<>(points));
        }
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b.toByteArray()));
    }

    Path run(String backend, String args) {
        Path out = tmp.resolve(backend);
        List<String> a = new ArrayList<>(List.of("sample", "--backend", backend, "--steps", "24", "--seed", "21",
                "--force", "--out", out.toString()));
        a.addAll(List.of(args.split(" ")));
        Cli.Outcome o = Cli.run(a);
        assertEquals(0, o.code(), o.err());
        return out;
    }
}
