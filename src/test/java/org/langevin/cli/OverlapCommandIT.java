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
import java.util.HashMap;
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
 * {@code sample --backend gpu} on small stand-in devices with known attributes (LV_STANDIN_MEMORY,
 * LV_STANDIN_SMS, LV_STANDIN_THREADS_PER_SM), in a child JVM: runs larger than the device are chunked
 * into two slots whose copies overlap compute (streams that defer their work until synchronised, pinned
 * staging memory), give the CPU's bytes for several dynamics with window sums and d &gt; 1, also resumed,
 * and leave no stream, pinned memory or allocation behind (the stand-in's leak report); the plan line
 * names the local-memory reserve; a device too small once the reserve is counted is refused, naming the
 * bytes. Only meaningful against the stand-in: skipped under {@code -Pgpu}.
 */
class OverlapCommandIT {
    @TempDir
    Path tmp;

    /** Stand-in device: 32 MiB, 2 SMs of 1024 threads. */
    static final Map<String, String> SMALL = Map.of("LV_STANDIN_MEMORY", "32M", "LV_STANDIN_DEVICES", "1",
            "LV_STANDIN_SMS", "2", "LV_STANDIN_THREADS_PER_SM", "1024");

    record Child(int code, String output, String leaks) {
        long field(String name) {
            Matcher m = Pattern.compile("\\b" + name + "=(\\d+)").matcher(leaks);
            assertTrue(m.find(), "no " + name + " in the leak report: " + leaks + "\n" + output);
            return Long.parseLong(m.group(1));
        }

        void assertNothingLeft() {
            for (String f : List.of("contexts", "allocations", "modules", "streams", "pinned")) {
                assertEquals(0, field(f), f + " alive at exit: " + leaks);
            }
        }
    }

    @BeforeEach
    void onlyAgainstTheStandin() {
        assumeTrue(GpuTests.standin(), "these tests configure the stand-in CUDA driver (not under -Pgpu)");
    }

    Child gpu(String name, Map<String, String> env, List<String> args) throws IOException, InterruptedException {
        Path report = tmp.resolve(name + ".leaks");
        Path log = tmp.resolve(name + ".log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                "org.langevin.cli.Main", "sample", "--backend", "gpu", "--save-particles"));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> e = new HashMap<>(env);
        e.put("LV_STANDIN_LEAK_REPORT", report.toString());
        pb.environment().putAll(e);
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

    static List<String> concat(List<String> a, List<String> b) {
        List<String> r = new ArrayList<>(a);
        r.addAll(b);
        return r;
    }

    /** Runs on the small device and on the CPU; the device's plan line must contain {@code plan} and the chunk count. */
    void sameBytes(String name, List<String> run, String plan, int chunks) throws Exception {
        Child g = gpu(name, SMALL, concat(List.of("--out", tmp.resolve(name).toString()), run));
        assertEquals(0, g.code(), g.output());
        assertTrue(g.output().contains("device plan: ") && g.output().contains(plan), g.output());
        assertTrue(g.output().contains("in 2 device slots (copies overlap compute)"), g.output());
        assertTrue(g.output().contains(chunks + " chunks of "), g.output());
        g.assertNothingLeft();
        assertTrue(g.field("asyncOps") > 0, g.leaks());
        assertTrue(g.field("peak") <= 32L << 20, g.leaks());
        assertArrayEquals(cpu(name + "-cpu", run), Files.readAllBytes(tmp.resolve(name).resolve("particles.npy")), name);
    }

    @Test
    void langevinD3AveragedInFiveChunks() throws Exception {
        // lv_langevin: 2048 bytes of local memory a thread x 2 SMs x 1024 threads
        sameBytes("langevin", List.of("--dynamics", "langevin", "--loss", "double-well", "--dim", "3", "--average",
                "--burn-in", "4", "--particles", "700000", "--steps", "12", "--seed", "5", "--init", "normal:0,1"),
                "local-memory reserve 4194304 bytes", 5);
    }

    @Test
    void brownianAndSgdChunked() throws Exception {
        // lv_brownian_d1 has no local memory; the record reduction's 512 bytes count
        sameBytes("brownian", List.of("--dynamics", "brownian", "--particles", "8000001", "--steps", "6", "--seed", "9"),
                "local-memory reserve 1048576 bytes", 3);
        sameBytes("sgd", List.of("--dynamics", "sgd", "--loss", "linreg", "--synthetic", "n=200,d=2", "--average", "--lr", "0.05",
                "--batch", "4", "--particles", "600001", "--steps", "10", "--seed", "3"),
                "local-memory reserve 6291456 bytes", 3);
    }

    @Test
    void aResumedChunkedRunGivesTheBytesOfOneRun() throws Exception {
        List<String> spec = List.of("--dynamics", "langevin", "--loss", "quadratic", "--dim", "2", "--average",
                "--particles", "600000", "--seed", "21", "--init", "normal:0,1");
        Path dir = tmp.resolve("resumed");
        Child first = gpu("first", SMALL, concat(List.of("--out", dir.toString(), "--steps", "6"), spec));
        assertEquals(0, first.code(), first.output());
        first.assertNothingLeft();
        Child second = gpu("second", SMALL, List.of("--resume", dir.toString(), "--steps", "14"));
        assertEquals(0, second.code(), second.output());
        assertTrue(second.output().contains("in 2 device slots"), second.output());
        second.assertNothingLeft();
        assertArrayEquals(cpu("whole", concat(List.of("--steps", "14"), spec)), Files.readAllBytes(dir.resolve("particles.npy")));
    }

    @Test
    void aLaunchFaultingInThePipelineIsReportedAndLeavesNothing() throws Exception {
        Map<String, String> env = new HashMap<>(SMALL);
        env.put("LV_STANDIN_FAULT_LAUNCH", "3");  // the third chunk's launch, while the others' work is queued
        Child c = gpu("fault", env, List.of("--out", tmp.resolve("fault").toString(), "--dynamics", "langevin", "--loss",
                "double-well", "--dim", "3", "--average", "--particles", "700000", "--steps", "4"));
        assertNotEquals(0, c.code(), c.output());
        assertTrue(c.output().contains("CUDA_ERROR_ILLEGAL_ADDRESS"), c.output());
        c.assertNothingLeft();
    }

    @Test
    void aDeviceTooSmallOnceTheLocalMemoryIsCountedIsRefusedNamingTheBytes() throws Exception {
        // lv_sgd_sde: 10624 bytes a thread x 4 SMs x 2048 threads = 87031808 bytes, more than 0.8 of 64 MiB
        Child c = gpu("refused", Map.of("LV_STANDIN_MEMORY", "64M", "LV_STANDIN_DEVICES", "1"),
                List.of("--out", tmp.resolve("refused").toString(), "--dynamics", "sgd-sde", "--loss", "linreg",
                        "--synthetic", "n=200,d=3", "--lr", "0.05", "--particles", "10000", "--steps", "2"));
        assertNotEquals(0, c.code(), c.output());
        assertTrue(c.output().contains("less the 87031808 bytes the kernels' local memory reserves"), c.output());
        c.assertNothingLeft();
    }
}
