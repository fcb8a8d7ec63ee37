package org.langevin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench} runs at tiny sizes and writes what the README promises. No timing is asserted. */
class BenchCommandTest {
    @TempDir
    Path tmp;

    @Test
    void tinyBenchWritesTableJsonAndPlot() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute("bench", "--backends", "cpu,emulated", "--dims", "1,2", "--particles", "2000,5000",
                "--repeats", "3", "--warmup-seconds", "0", "--target-seconds", "0.01", "--out", tmp.toString());
        assertEquals(0, code, err.toString());
        assertTrue(out.toString().contains("x CPU"), out.toString());
        JsonNode json = new ObjectMapper().readTree(tmp.resolve("bench.json").toFile());
        JsonNode rows = json.get("rows");
        // 2 backends × 2 dynamics × 2 dims × 2 counts
        assertEquals(16, rows.size());
        for (JsonNode r : rows) {
            for (String f : new String[] {"backend", "dynamics", "dim", "particles", "median", "min", "max",
                "stepsPerRepetition", "repetitions", "speedupOverCpu"}) {
                assertTrue(r.has(f), "row lacks " + f + ": " + r);
            }
            assertTrue(r.get("min").asDouble() <= r.get("median").asDouble());
            assertTrue(r.get("median").asDouble() <= r.get("max").asDouble());
            if (r.get("backend").asText().equals("cpu")) {
                assertEquals(1.0, r.get("speedupOverCpu").asDouble(), 1e-12);
            }
        }
        assertTrue(json.get("machine").has("cores"));
        assertTrue(ImageIO.read(Files.newInputStream(tmp.resolve("bench.png"))).getWidth() > 0);
    }

    @Test
    void everyWorkloadRunsOnTheCpuAndTheEmulatedDevice() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        String works = "langevin,langevin-quadratic,langevin-logistic,sgd,sgd-logistic";
        int code = cl.execute("bench", "--backends", "cpu,emulated", "--dynamics", works, "--dims", "3",
                "--particles", "1000", "--repeats", "1", "--warmup-seconds", "0", "--target-seconds", "0.01",
                "--out", tmp.toString());
        assertEquals(0, code, err.toString());
        JsonNode rows = new ObjectMapper().readTree(tmp.resolve("bench.json").toFile()).get("rows");
        java.util.List<String> seen = new java.util.ArrayList<>();
        for (JsonNode r : rows) {
            seen.add(r.get("backend").asText() + "/" + r.get("dynamics").asText());
            assertTrue(r.get("median").asDouble() > 0, r.toString());
            assertEquals(3, r.get("dim").asInt());
        }
        java.util.List<String> want = new java.util.ArrayList<>();
        for (String b : new String[] {"cpu", "emulated"}) {
            for (String w : works.split(",")) {
                want.add(b + "/" + w);
            }
        }
        assertEquals(want, seen);
    }

    @Test
    void rejectsAnUnknownWorkload() {
        var cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        assertEquals(Main.EXIT_USAGE, cl.execute("bench", "--backends", "cpu", "--dynamics", "adam", "--out", tmp.toString()));
        assertTrue(err.toString().contains("unknown bench workload 'adam'") && err.toString().contains("sgd-logistic"),
                err.toString());
    }

    @Test
    void rejectsAnUnknownBackend() {
        var cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        assertEquals(Main.EXIT_USAGE, cl.execute("bench", "--backends", "tpu", "--out", tmp.toString()));
        assertTrue(err.toString().contains("unknown backend 'tpu'"), err.toString());
    }
}
