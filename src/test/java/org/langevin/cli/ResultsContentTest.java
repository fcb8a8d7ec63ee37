package org.langevin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.langevin.Version;

/** What results.json and checkpoint/command.json say about a run (docs/output-formats.md). */
class ResultsContentTest {

    @TempDir
    Path tmp;

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode run(String... args) throws Exception {
        Cli.Outcome o = Cli.run(args);
        assertEquals(0, o.code(), o.err());
        int out = List.of(args).indexOf("--out");
        int resume = List.of(args).indexOf("--resume");
        Path dir = Path.of(args[out >= 0 ? out + 1 : resume + 1]);
        return JSON.readTree(dir.resolve("results.json").toFile());
    }

    @Test
    void specRecordsTheDataFileHistogramRangesAndVersion() throws Exception {
        Path csv = tmp.resolve("q.csv");
        Files.writeString(csv, "x1,y\n1,0.5\n1,-0.25\n1,0.1\n1,-0.3\n");
        JsonNode r = run("sample", "--dynamics", "sgd", "--loss", "linreg", "--data", csv.toString(), "--lr", "0.1",
                "--steps", "50", "--particles", "5000", "--histogram", "30,-1,1", "--backend", "cpu",
                "--out", tmp.resolve("sgd").toString());
        JsonNode spec = r.get("spec");
        assertEquals(csv.toString(), spec.get("dataFile").get("path").asText());
        String want = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(csv)));
        assertEquals(want, spec.get("dataFile").get("sha256").asText());
        JsonNode range = spec.get("histograms").get("ranges").get(0);
        assertEquals("x1", range.get("name").asText());
        assertEquals(30, range.get("bins").asInt());
        assertEquals(-1.0, range.get("lo").asDouble(), 0.0);
        assertEquals(1.0, range.get("hi").asDouble(), 0.0);
        assertTrue(spec.get("histograms").get("source").asText().startsWith("given (--histogram"));
        assertEquals(Version.get(), spec.get("version").asText());
        assertFalse(Version.get().equals("unknown"), "the build records the version");
        // O1 (every x_i = 1, constant rate, fixed start): theory values for the law at step N
        assertEquals(1, r.get("theory").get("variance").size());
        assertTrue(r.get("theory").get("exactForScheme").asBoolean());
        // final states: no pooled variance
        assertFalse(r.get("coordinates").get(0).has("pooledVariance"));
    }

    @Test
    void averagesReportTheStatisticsOfThePerParticleAveragesAndThePooledVariance() throws Exception {
        JsonNode r = run("sample", "--dynamics", "langevin", "--loss", "quadratic", "--sigma", "1", "--dt", "0.05",
                "--steps", "400", "--burn-in", "100", "--average", "--particles", "20000", "--init", "normal:0,1",
                "--backend", "cpu", "--out", tmp.resolve("avg").toString());
        JsonNode c = r.get("coordinates").get(0);
        double exact = r.get("theory").get("variance").get(0).asDouble();
        // the pooled variance estimates the stationary variance (O4, exact for the chain): within 5 SE
        // (false-alarm rate below 1e-6)
        double pooled = c.get("pooledVariance").asDouble();
        double se = c.get("pooledVarianceStdErr").asDouble();
        assertTrue(Math.abs(pooled - exact) < 5 * se, pooled + " ± " + se + " vs " + exact);
        // the variance of time averages over 300 steps is far below the stationary variance: for an OU chain with
        // θΔt = 0.05 (autocorrelation time about 20 steps) it is about 2·20/300 ≈ 0.13 of it
        double v = c.get("variance").asDouble();
        assertTrue(v > 0.03 * exact && v < 0.3 * exact, "variance of the averages " + v + " vs stationary " + exact);
        assertTrue(c.get("varianceStdErr").asDouble() > 0 && c.get("varianceStdErr").asDouble() < 0.05 * v);
        assertTrue(Math.abs(c.get("max").asDouble()) < 5 * Math.sqrt(v) + 1, "max is of the averages");
    }

    @Test
    void aResumedRunCoversTheWholeRunAndItsCommandNamesTheNewTarget() throws Exception {
        Path dir = tmp.resolve("r");
        List<String> a = new ArrayList<>(List.of("sample", "--dynamics", "langevin", "--loss", "double-well",
                "--particles", "20000", "--steps", "200", "--seed", "5", "--backend", "cpu", "--out", dir.toString()));
        JsonNode first = run(a.toArray(new String[0]));
        double firstSeconds = first.get("elapsedSeconds").asDouble();
        JsonNode clock = JSON.readTree(dir.resolve("checkpoint/clock.json").toFile());
        assertEquals(200, clock.get("stepsDone").asLong());
        assertEquals(200L * 20000, clock.get("particleSteps").asLong());

        JsonNode second = run("sample", "--resume", dir.toString(), "--steps", "400");
        assertEquals(400, second.get("steps").asLong());
        assertTrue(second.get("elapsedSeconds").asDouble() > firstSeconds,
                "the resumed run's time includes the first part's " + firstSeconds + " s");
        double rate = second.get("particleStepsPerSecond").asDouble();
        assertEquals(400.0 * 20000 / second.get("elapsedSeconds").asDouble(), rate, 1e-6 * rate);
        JsonNode cmd = JSON.readTree(dir.resolve("checkpoint/command.json").toFile());
        List<String> args = new ArrayList<>();
        cmd.get("args").forEach(n -> args.add(n.asText()));
        assertEquals("400", args.get(args.lastIndexOf("--steps") + 1));
        assertEquals(1, args.stream().filter("--steps"::equals).count());
        // and the rewritten command still resumes (its checksum holds): to 400 again is a no-op run of 0 steps
        Cli.Outcome again = Cli.run("sample", "--resume", dir.toString());
        assertEquals(0, again.code(), again.err());
    }

    @Test
    void plotFormatNamesTheFiles() throws Exception {
        Path dir = tmp.resolve("svg");
        run("sample", "--dynamics", "langevin", "--loss", "quadratic", "--dim", "2", "--sigma", "1", "--dt", "0.05",
                "--steps", "50", "--particles", "4000", "--histogram", "20,-3,3", "--plot-format", "svg",
                "--backend", "cpu", "--out", dir.toString());
        assertTrue(Files.exists(dir.resolve("histogram_x1.svg")));
        assertTrue(Files.exists(dir.resolve("histogram_x1_x2.svg")));
        assertFalse(Files.exists(dir.resolve("histogram_x1.png")));
        assertTrue(Files.readString(dir.resolve("histogram_x1_x2.svg")).contains("<svg"));
        Cli.Outcome bad = Cli.run("sample", "--plot-format", "gif", "--steps", "1", "--particles", "10",
                "--out", tmp.resolve("gif").toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--plot-format must be png, svg or pdf"), bad.err());
    }
}
