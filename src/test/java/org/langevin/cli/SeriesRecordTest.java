package org.langevin.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.statistics.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sample --record}: the transient of docs/theory.md's O1 and O7 at every record, and the bytes of
 * series.csv and trace.npy across thread counts, backends and an interrupted-and-resumed run; bad record
 * options are one-line usage errors. Each family of claims uses the Bonferroni threshold
 * Φ⁻¹(1 − α/(2K)) for its K claims at family-wise false-alarm rate α = 0.01 (K = 40 for O1: z ≤ 3.66;
 * K = 20 for O7: z ≤ 3.48); seeds are fixed, so the outcome is deterministic.
 */
class SeriesRecordTest {
    static final double ALPHA = 0.01;

    @TempDir
    Path tmp;

    record Run(int code, String err) {
    }

    static Run exec(String... args) {
        StringWriter err = new StringWriter();
        var cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        return new Run(cl.execute(args), err.toString());
    }

    Path sample(String name, String... args) {
        List<String> a = new ArrayList<>(List.of("sample", "--out", tmp.resolve(name).toString()));
        a.addAll(List.of(args));
        Run r = exec(a.toArray(new String[0]));
        assertEquals(0, r.code(), r::err);
        return tmp.resolve(name);
    }

    /** @return the columns of series.csv by name */
    static Map<String, double[]> csv(Path dir) throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve("series.csv"));
        String[] head = lines.get(0).split(",");
        Map<String, double[]> m = new TreeMap<>();
        for (int c = 0; c < head.length; c++) {
            double[] col = new double[lines.size() - 1];
            for (int i = 1; i < lines.size(); i++) {
                col[i - 1] = Double.parseDouble(lines.get(i).split(",")[c]);
            }
            m.put(head[c], col);
        }
        return m;
    }

    static double threshold(int claims) {
        return NormalDistribution.of(0, 1).inverseSurvivalProbability(ALPHA / (2 * claims));
    }

    /** O1 transient: mean and variance at 20 records (40 claims) of SGD on the 1-D quadratic examples/quadratic1d.csv. */
    @Test
    void o1TransientMeanAndVarianceAtEveryRecord() throws IOException {
        List<String> rows = Files.readAllLines(Path.of("examples/quadratic1d.csv"));
        int n = rows.size() - 1;
        double abar = 0;
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = Float.parseFloat(rows.get(i + 1).split(",")[1]);
            abar += a[i] / n;
        }
        double s2 = 0;
        for (double v : a) {
            s2 += (v - abar) * (v - abar) / n;
        }
        double h = 2.0;
        double eta = 0.15;
        double phi0 = 2.0;
        Path dir = sample("o1", "--backend", "cpu", "--dynamics", "sgd", "--loss", "linreg", "--data",
                "examples/quadratic1d.csv", "--noise-variance", "0.5", "--lr", Double.toString(eta), "--init",
                Double.toString(phi0), "--particles", "100000", "--steps", "40", "--record", "every:2", "--seed", "17");
        Map<String, double[]> c = csv(dir);
        double[] step = c.get("step");
        assertEquals(21, step.length, "step 0 and 20 records");
        assertEquals(0, step[0]);
        double z = threshold(40);
        assertTrue(Math.abs(z - 3.66) < 0.01, "threshold " + z);
        double ehFloat = (float) eta * h;
        for (int i = 1; i < step.length; i++) {
            double q = Math.pow(1 - ehFloat, step[i]);
            double mean = abar + (phi0 - abar) * q;
            double var = ehFloat * (float) eta * h * s2 * (1 - q * q) / (1 - (1 - ehFloat) * (1 - ehFloat));
            assertEquals(step[i] * (double) (float) eta, c.get("t")[i], 1e-12, "t = sum of the learning rates");
            double zm = (c.get("x1_mean")[i] - mean) / c.get("x1_mean_se")[i];
            double zv = (c.get("x1_var")[i] - var) / c.get("x1_var_se")[i];
            assertTrue(Math.abs(zm) <= z, "mean at step " + step[i] + ": z = " + zm);
            assertTrue(Math.abs(zv) <= z, "variance at step " + step[i] + ": z = " + zv);
            assertEquals(mean, c.get("x1_mean_exact")[i], 1e-9 * Math.abs(mean) + 1e-12, "exact column");
            assertEquals(var, c.get("x1_var_exact")[i], 1e-9 * var, "exact column");
        }
        JsonNode series = new ObjectMapper().readTree(dir.resolve("results.json").toFile()).get("series");
        assertEquals(21, series.get("steps").size());
        assertEquals(c.get("x1_mean")[5], series.get("coordinates").get(0).get("mean").get(5).asDouble());
        assertTrue(Files.exists(dir.resolve("series-x1.png")) && Files.exists(dir.resolve("series-loss-log.png")));
    }

    /** O7: Var z(t) = σ²t at each of 20 records (20 claims). */
    @Test
    void brownianVarianceIsSigmaSquaredTimesT() throws IOException {
        double sigma = 1.5;
        Path dir = sample("bm", "--backend", "cpu", "--dynamics", "brownian", "--sigma", Double.toString(sigma),
                "--dt", "0.01", "--particles", "100000", "--steps", "200", "--record", "every:10", "--seed", "3");
        Map<String, double[]> c = csv(dir);
        double z = threshold(20);
        assertEquals(21, c.get("step").length);
        for (int i = 1; i < 21; i++) {
            double t = c.get("step")[i] * 0.01;
            assertEquals(t, c.get("t")[i], 1e-12);
            double zv = (c.get("x1_var")[i] - sigma * sigma * t) / c.get("x1_var_se")[i];
            assertTrue(Math.abs(zv) <= z, "variance at t = " + t + ": z = " + zv);
        }
    }

    static final String[] IDENTITY_RUN = {"--dynamics", "langevin", "--loss", "quadratic", "--dim", "2",
        "--quadratic-matrix", "2,0.5;0.5,1", "--quadratic-center", "1,-1", "--sigma", "0.9", "--dt", "0.02",
        "--particles", "9000", "--init", "normal:2,0.5", "--seed", "99", "--record", "every:7", "--trace", "6",
        "--record-histograms", "--histogram", "30,-4,4"};

    static String[] with(String[] base, String... more) {
        List<String> a = new ArrayList<>(List.of(base));
        a.addAll(List.of(more));
        return a.toArray(new String[0]);
    }

    static void assertSameSeries(Path x, Path y) throws IOException {
        for (String f : List.of("series.csv", "trace.npy", "series_histograms.csv")) {
            assertArrayEquals(Files.readAllBytes(x.resolve(f)), Files.readAllBytes(y.resolve(f)), f + " of " + x + " vs " + y);
        }
    }

    @Test
    void sameBytesForThreadsBackendsAndResume() throws IOException {
        Path one = sample("t1", with(IDENTITY_RUN, "--backend", "cpu", "--threads", "1", "--steps", "100"));
        Path two = sample("t2", with(IDENTITY_RUN, "--backend", "cpu", "--threads", "2", "--steps", "100"));
        assertSameSeries(one, two);
        Path emu = sample("emu", with(IDENTITY_RUN, "--backend", "emulated", "--steps", "100"));
        assertSameSeries(one, emu);
        // Run to step 60, then resume to 100: the records already taken are kept and the run appends.
        Path part = sample("part", with(IDENTITY_RUN, "--backend", "cpu", "--threads", "2", "--steps", "60"));
        assertEquals(9, Files.readAllLines(part.resolve("series.csv")).size() - 1, "steps 0, 7, ..., 56");
        Run r = exec("sample", "--resume", part.toString(), "--steps", "100");
        assertEquals(0, r.code(), r::err);
        assertSameSeries(one, part);
        assertTrue(Files.exists(one.resolve("trace-x1.png")));
        // The exact transient of O4 is in series.csv; the trace holds particles 0..5.
        Map<String, double[]> c = csv(one);
        assertTrue(c.containsKey("x2_var_exact") && c.containsKey("loss_exact"));
        assertEquals(0.25, c.get("x1_var_exact")[0], 1e-15, "sd0² at step 0");
        byte[] npy = Files.readAllBytes(one.resolve("trace.npy"));
        assertTrue(new String(npy, 0, 128, java.nio.charset.StandardCharsets.US_ASCII).contains("'shape': (15, 6, 2)"));
    }

    @Test
    void resumeRefusesAnotherRecordSchedule() {
        Path part = sample("r", "--backend", "cpu", "--dynamics", "brownian", "--particles", "5000", "--steps", "50",
                "--record", "log:5");
        Run changed = exec("sample", "--resume", part.toString(), "--steps", "80", "--record", "every:5");
        assertEquals(Main.EXIT_USAGE, changed.code(), changed::err);
        assertTrue(changed.err().contains("--record"), changed::err);
        // log:M depends on --steps: the records already taken are not those of log:5 over 80 steps.
        Run longer = exec("sample", "--resume", part.toString(), "--steps", "80");
        assertEquals(Main.EXIT_USAGE, longer.code(), longer::err);
        assertTrue(longer.err().contains("records already taken"), longer::err);
    }

    @Test
    void badRecordOptionsAreOneLineUsageErrors() {
        String[][] bad = {
            {"--record", "every:0"}, {"--record", "at:5,3"}, {"--record", "at:0,4"}, {"--record", "at:3,3"},
            {"--record", "at:5,101"}, {"--record", "log:0"}, {"--record", "log:101"}, {"--record", "weekly"},
            {"--record", "every:x"}, {"--record", "every:1", "--record-histograms"}, {"--trace", "3"},
            {"--record", "every:10", "--trace", "0"}, {"--record", "every:10", "--trace", "5000"},
        };
        for (String[] b : bad) {
            Path out = tmp.resolve("bad" + String.join("", b).replaceAll("[^a-z0-9]", ""));
            List<String> a = new ArrayList<>(List.of("sample", "--backend", "cpu", "--dynamics", "brownian",
                    "--particles", "5000", "--steps", "100", "--out", out.toString()));
            a.addAll(List.of(b));
            Run r = exec(a.toArray(new String[0]));
            assertEquals(Main.EXIT_USAGE, r.code(), String.join(" ", b) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), String.join(" ", b) + ": " + r.err());
            assertFalse(Files.exists(out.resolve("results.json")));
        }
    }

    @Test
    void logScheduleHasMDistinctStepsEndingAtN() {
        Path dir = sample("log", "--backend", "cpu", "--dynamics", "brownian", "--particles", "4096", "--steps", "1000",
                "--record", "log:12");
        assertTrue(Files.exists(dir.resolve("series.csv")));
        long[] s = org.langevin.series.Recording.parse("log:12", 1000, false, 0, 10, 1).steps();
        assertEquals(13, s.length);
        assertEquals(0, s[0]);
        assertEquals(1, s[1]);
        assertEquals(1000, s[12]);
        long[] tight = org.langevin.series.Recording.parse("log:10", 10, false, 0, 10, 1).steps();
        assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, tight);
    }
}
