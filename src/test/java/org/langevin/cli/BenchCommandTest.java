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
    void rejectsAnUnknownBackend() {
        var cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        assertEquals(Main.EXIT_USAGE, cl.execute("bench", "--backends", "tpu", "--out", tmp.toString()));
        assertTrue(err.toString().contains("unknown backend 'tpu'"), err.toString());
    }
}
