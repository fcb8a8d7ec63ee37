package org.langevin.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.langevin.engine.cuda.GpuTests;

/**
 * The GPU backend on devices and failures no test machine has, made by the stand-in CUDA driver's
 * environment variables (docs/architecture.md, "The stand-in CUDA driver") in a child JVM running the
 * command line: a 64 MiB device (the run is chunked and still gives the CPU's bytes), a context the
 * driver refuses (auto falls back to the CPU and says why), an allocation that fails and a launch that
 * faults (clean errors, nothing left allocated). The stand-in's leak report at the child's exit says
 * what was still allocated. Only meaningful against the stand-in: skipped under {@code -Pgpu}.
 */
class StandinFaultsIT {
    @TempDir
    Path tmp;

    /** The child's exit code, merged output and the stand-in's leak report line. */
    record Child(int code, String output, String leaks) {
        long field(String name) {
            Matcher m = Pattern.compile("\\b" + name + "=(\\d+)").matcher(leaks);
            assertTrue(m.find(), "no " + name + " in the leak report: " + leaks + "\n" + output);
            return Long.parseLong(m.group(1));
        }

        void assertNothingLeft() {
            assertEquals(0, field("contexts"), "contexts alive at exit: " + leaks);
            assertEquals(0, field("allocations"), "allocations alive at exit: " + leaks);
            assertEquals(0, field("modules"), "modules loaded at exit: " + leaks);
        }
    }

    @BeforeEach
    void onlyAgainstTheStandin() {
        assumeTrue(GpuTests.standin(), "these tests configure the stand-in CUDA driver (not under -Pgpu)");
    }

    Child sample(String name, Map<String, String> env, List<String> args) throws IOException, InterruptedException {
        Path report = tmp.resolve(name + ".leaks");
        Path log = tmp.resolve(name + ".log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                "org.langevin.cli.Main", "sample", "--out", tmp.resolve(name).toString(), "--save-particles"));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        pb.environment().put("LV_STANDIN_LEAK_REPORT", report.toString());
        Process p = pb.start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the child did not finish");
        String leaks = Files.exists(report) ? Files.readString(report) : "";
        return new Child(p.exitValue(), Files.readString(log), leaks);
    }

    byte[] cpu(String name, List<String> args) throws IOException {
        List<String> a = new ArrayList<>(List.of("sample", "--backend", "cpu", "--threads", "2", "--save-particles",
                "--out", tmp.resolve(name).toString()));
        a.addAll(args);
        Cli.Outcome o = Cli.run(a);
        assertEquals(0, o.code(), o.err());
        return Files.readAllBytes(tmp.resolve(name).resolve("particles.npy"));
    }

    @Test
    void runLargerThanA64MiBDeviceIsChunkedAndGivesTheCpuBytes() throws Exception {
        int particles = 1_200_000;
        List<String> run = List.of("--dynamics", "langevin", "--loss", "double-well", "--dim", "3", "--average",
                "--burn-in", "4", "--particles", Integer.toString(particles), "--steps", "12", "--seed", "5",
                "--init", "normal:0,1");
        long device = 64L << 20;
        // the state (3 floats) and window sums (7 doubles) of all particles do not fit: the run must be chunked
        assertTrue((long) particles * (3 * 4 + 7 * 8) > device);
        Child gpu = sample("gpu64", Map.of("LV_STANDIN_MEMORY", "64M", "LV_STANDIN_DEVICES", "1"), concat(List.of("--backend", "gpu"), run));
        assertEquals(0, gpu.code(), gpu.output());
        gpu.assertNothingLeft();
        long peak = gpu.field("peak");
        assertTrue(peak > 0 && peak <= device, "peak device memory " + peak);
        assertArrayEquals(cpu("cpu64", run), Files.readAllBytes(tmp.resolve("gpu64").resolve("particles.npy")));
    }

    @Test
    void autoFallsBackToTheCpuAndSaysWhyWhenTheContextIsRefused() throws Exception {
        List<String> run = List.of("--dynamics", "langevin", "--loss", "double-well", "--particles", "3000", "--steps", "20");
        Map<String, String> refuse = Map.of("LV_STANDIN_REFUSE_CONTEXT", "CUDA_ERROR_DEVICE_UNAVAILABLE");
        Child auto = sample("auto", refuse, concat(List.of("--backend", "auto"), run));
        assertEquals(0, auto.code(), auto.output());
        assertTrue(auto.output().contains("CUDA_ERROR_DEVICE_UNAVAILABLE") && auto.output().contains("CPU engine"),
                auto.output());
        assertArrayEquals(cpu("cpuAuto", run), Files.readAllBytes(tmp.resolve("auto").resolve("particles.npy")));
        Child gpu = sample("gpuRefused", refuse, concat(List.of("--backend", "gpu"), run));
        assertNotEquals(0, gpu.code(), gpu.output());
        assertTrue(gpu.output().contains("CUDA_ERROR_DEVICE_UNAVAILABLE"), gpu.output());
        gpu.assertNothingLeft();
    }

    @Test
    void failedAllocationIsReportedAndLeavesNothingAllocated() throws Exception {
        List<String> run = List.of("--backend", "gpu", "--dynamics", "langevin", "--loss", "double-well", "--average",
                "--particles", "3000", "--steps", "20");
        for (int n = 1; n <= 3; n++) {
            Child c = sample("alloc" + n, Map.of("LV_STANDIN_FAIL_ALLOC", Integer.toString(n)), run);
            assertNotEquals(0, c.code(), c.output());
            assertTrue(c.output().contains("CUDA_ERROR_OUT_OF_MEMORY"), "allocation " + n + ": " + c.output());
            c.assertNothingLeft();
        }
    }

    @Test
    void faultingLaunchIsReportedAndLeavesNothingAllocated() throws Exception {
        List<String> run = List.of("--backend", "gpu", "--dynamics", "brownian", "--particles", "3000", "--steps", "20");
        Child c = sample("fault", Map.of("LV_STANDIN_FAULT_LAUNCH", "1"), run);
        assertNotEquals(0, c.code(), c.output());
        assertTrue(c.output().contains("CUDA_ERROR_ILLEGAL_ADDRESS"), c.output());
        c.assertNothingLeft();
        Child ok = sample("noFault", Map.of(), run);
        assertEquals(0, ok.code(), ok.output());
        ok.assertNothingLeft();
        assertTrue(ok.field("launches") > 0, ok.leaks());
    }

    @Test
    void unusableGpusAreNamedAndAutoRunsOnTheCpu() throws Exception {
        List<String> run = List.of("--dynamics", "brownian", "--particles", "2000", "--steps", "10");
        // driver environment -> what auto says
        Map<Map<String, String>, String> cases = Map.of(
                Map.of("LV_STANDIN_DRIVER_VERSION", "10.2"), "PTX newer than the driver",
                Map.of("LV_STANDIN_INIT_ERROR", "CUDA_ERROR_NO_DEVICE"), "cuInit: CUDA_ERROR_NO_DEVICE",
                Map.of("LV_STANDIN_CC", "7.0"), "compute capability 7.0 < 7.5",
                Map.of("LV_STANDIN_DEVICES", "0"), "no CUDA device");
        int i = 0;
        for (var c : cases.entrySet()) {
            Child auto = sample("unusable" + i++, c.getKey(), concat(List.of("--backend", "auto"), run));
            assertEquals(0, auto.code(), auto.output());
            assertTrue(auto.output().contains("GPU unavailable (" + c.getValue() + "), using the CPU engine"),
                    c.getKey() + ": " + auto.output());
        }
        // the JIT's own error log reaches the user
        Child old = sample("oldDriver", Map.of("LV_STANDIN_DRIVER_VERSION", "10.2"), concat(List.of("--backend", "gpu"), run));
        assertNotEquals(0, old.code(), old.output());
        assertTrue(old.output().contains("CUDA 10.2") && old.output().contains("JIT error log")
                && old.output().contains("Unsupported .version 7.0"), old.output());
        old.assertNothingLeft();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
