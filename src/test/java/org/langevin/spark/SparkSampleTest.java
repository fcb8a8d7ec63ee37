package org.langevin.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The launcher as spark-submit runs it (the master comes from the spark.master system property, as
 * spark-submit passes it): one context per run, created and stopped by the launcher.
 */
class SparkSampleTest {
    @TempDir
    static Path tmp;

    @BeforeAll
    static void master() {
        System.setProperty("spark.master", "local[2]");
        System.setProperty("spark.ui.enabled", "false");
        System.setProperty("spark.driver.host", "127.0.0.1");
    }

    @AfterAll
    static void clear() {
        System.clearProperty("spark.master");
        System.clearProperty("spark.ui.enabled");
        System.clearProperty("spark.driver.host");
    }

    /** Runs the launcher with exactly these arguments (no defaults added). */
    private static int launch(StringWriter err, String... args) {
        CommandLine cl = SparkSample.commandLine();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        return cl.execute(args);
    }

    private static int run(StringWriter err, String... extra) {
        List<String> a = new ArrayList<>();
        a.add("sample");
        a.addAll(SparkRuns.args());
        a.addAll(List.of(extra));
        CommandLine cl = SparkSample.commandLine();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        return cl.execute(a.toArray(new String[0]));
    }

    @Test
    void writesTheOneMachineParticlesAndRefusesToOverwrite() throws Exception {
        SparkRuns.Files2 reference = SparkRuns.reference(tmp);
        Path out = tmp.resolve("run");
        StringWriter err = new StringWriter();
        assertEquals(0, run(err, "--partitions", "4", "--threads", "1", "--save-particles", "--out", out.toString()),
                err::toString);
        assertArrayEquals(reference.particles(), Files.readAllBytes(out.resolve("particles.npy")));
        assertTrue(Files.exists(out.resolve("results.json")));
        try (Stream<Path> s = Files.list(tmp)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().contains(".incomplete-")), "no temporary directory is left");
        }
        byte[] first = Files.readAllBytes(out.resolve("results.json"));

        StringWriter err2 = new StringWriter();
        assertEquals(SparkSample.EXIT_USAGE, run(err2, "--partitions", "4", "--out", out.toString()));
        assertTrue(err2.toString().contains("--force"), err2::toString);
        assertArrayEquals(first, Files.readAllBytes(out.resolve("results.json")), "a refused run leaves the old results");

        assertEquals(0, run(new StringWriter(), "--partitions", "9", "--out", out.toString(), "--force"));
        assertFalse(Files.exists(out.resolve("particles.npy")), "--force replaces the whole directory");
    }

    @Test
    void aUserModelFileTravelsToTheExecutorsAndGivesTheOneMachineBytes() throws Exception {
        Path model = tmp.resolve("student.model");
        Files.writeString(model, "state w[2], a[2]\ndata x -> y\nlet h[j] = tanh(w[j] * x)\n"
                + "loss 0.5 * (sum(j, a[j] * h[j]) - y)^2 + 0.01 * sum(j, w[j]^2 + a[j]^2)\n");
        Path data = tmp.resolve("teacher.csv");
        StringBuilder sb = new StringBuilder("x1,y\n");
        for (int i = 0; i < 30; i++) {
            double x = -2 + 4.0 * i / 29;
            sb.append(x).append(',').append(Math.tanh(1.5 * x)).append('\n');
        }
        Files.writeString(data, sb.toString());
        for (String[] run : new String[][] {
            {"--dynamics", "sgd", "--model", model.toString(), "--data", data.toString(), "--lr", "0.1", "--batch", "3"},
            {"--dynamics", "langevin", "--model", "double-well", "--sigma", "0.8"},
            {"--dynamics", "sgd", "--model", model.toString(), "--data", data.toString(), "--lr", "0.05", "--batch", "3",
                "--optimizer", "adam"},
            {"--dynamics", "underdamped", "--model", "double-well", "--sigma", "0.8", "--integrator", "baoab",
                "--friction", "0.5"},
            {"--dynamics", "sgd", "--loss", "linreg", "--data", data.toString(), "--lr", "0.05", "--batch", "2",
                "--optimizer", "momentum:0.9"},
        }) {
            List<String> common = new ArrayList<>(List.of(run));
            common.addAll(List.of("--steps", "40", "--particles", "9000", "--init", "normal:0,0.5", "--seed", "3",
                    "--save-particles"));
            String tag = run[1] + "-" + run[run.length - 1];
            Path one = tmp.resolve("one-" + tag);
            List<String> a = new ArrayList<>(List.of("sample", "--backend", "cpu", "--out", one.toString()));
            a.addAll(common);
            var cl = org.langevin.cli.Main.commandLine();
            cl.setOut(new PrintWriter(new StringWriter(), true));
            assertEquals(0, cl.execute(a.toArray(new String[0])));
            Path spark = tmp.resolve("spark-" + tag);
            List<String> b = new ArrayList<>(List.of("sample", "--partitions", "3", "--threads", "1", "--out", spark.toString()));
            b.addAll(common);
            CommandLine sl = SparkSample.commandLine();
            StringWriter err = new StringWriter();
            sl.setErr(new PrintWriter(err, true));
            sl.setOut(new PrintWriter(new StringWriter(), true));
            assertEquals(0, sl.execute(b.toArray(new String[0])), err::toString);
            assertArrayEquals(Files.readAllBytes(one.resolve("particles.npy")), Files.readAllBytes(spark.resolve("particles.npy")),
                    String.join(" ", run));
            if (List.of(run).contains("--data")) {
                var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
                var want = mapper.readTree(one.resolve("results.json").toFile()).get("spec").get("dataFile");
                var got = mapper.readTree(spark.resolve("results.json").toFile()).get("spec").get("dataFile");
                assertEquals(64, want.get("sha256").asText().length(), String.join(" ", run));
                assertEquals(want, got, "the Spark run's results.json names the training set as sample's does");
            }
            boolean carries = String.join(" ", run).contains("adam") || String.join(" ", run).contains("momentum")
                    || run[1].equals("underdamped");
            assertEquals(carries, Files.exists(one.resolve("aux.npy")), "aux.npy of " + String.join(" ", run));
            if (carries) {
                assertArrayEquals(Files.readAllBytes(one.resolve("aux.npy")), Files.readAllBytes(spark.resolve("aux.npy")),
                        "the auxiliary state of " + String.join(" ", run));
            } else {
                assertFalse(Files.exists(spark.resolve("aux.npy")), String.join(" ", run));
            }
        }
    }

    /** 10¹⁰ particles: the spec holds the count; too few partitions and --save-particles are refused before Spark starts. */
    @Test
    void runsBeyondTwoToTheThirtyOneParticlesAreSplitOrRefusedWithTheFix() {
        assertEquals(10_000_000_000L, SparkSample.parseSpec(List.of("--particles", "1e10")).particles());
        StringWriter few = new StringWriter();
        assertEquals(SparkSample.EXIT_USAGE, launch(few, "sample", "--particles", "1e10", "--partitions", "4", "--out",
                tmp.resolve("few").toString()));
        assertTrue(few.toString().contains("use at least --partitions 5"), few::toString);
        StringWriter save = new StringWriter();
        assertEquals(SparkSample.EXIT_USAGE, launch(save, "sample", "--particles", "1e10", "--partitions", "5",
                "--save-particles", "--out", tmp.resolve("save").toString()));
        assertTrue(save.toString().contains("--save-particles gathers every particle on the driver"), save::toString);
        assertFalse(Files.exists(tmp.resolve("few")) || Files.exists(tmp.resolve("save")), "a refused run writes nothing");
    }

    @Test
    void badPartitionsAreUsageErrors() {
        StringWriter err = new StringWriter();
        assertEquals(SparkSample.EXIT_USAGE, run(err, "--out", tmp.resolve("a").toString()));
        assertTrue(err.toString().contains("--partitions"), err::toString);
        StringWriter err2 = new StringWriter();
        assertEquals(SparkSample.EXIT_USAGE, run(err2, "--partitions", "10", "--out", tmp.resolve("b").toString()));
        assertTrue(err2.toString().contains("--partitions must be in 1..9"), err2::toString);
        assertFalse(Files.exists(tmp.resolve("b")));
    }

    /**
     * A bound that some particles cross: the Spark run counts the same diverged particles and gets the
     * same statistics as {@code langevin sample}, writes its results, and exits EXIT_DIVERGED.
     */
    @Test
    void divergedParticlesAreTheSameAsOnOneMachineAndFailTheRun() throws Exception {
        Path out = tmp.resolve("diverged");
        StringWriter err = new StringWriter();
        int code = run(err, "--partitions", "3", "--threads", "1", "--divergence-bound", "1.5",
                "--max-diverged-fraction", "0.001", "--out", out.toString());
        assertEquals(SparkSample.EXIT_DIVERGED, code, () -> err + "; results.json: " + readQuietly(out.resolve("results.json")));
        assertTrue(err.toString().contains("--max-diverged-fraction"), err::toString);
        org.langevin.report.Results spark = org.langevin.report.ResultsJson.read(out.resolve("results.json"));
        List<String> a = new ArrayList<>();
        a.add("sample");
        a.addAll(SparkRuns.args());
        a.addAll(List.of("--divergence-bound", "1.5", "--max-diverged-fraction", "0.001", "--backend", "cpu", "--out",
                tmp.resolve("one").toString()));
        CommandLine cl = org.langevin.cli.Main.commandLine();
        cl.setOut(new PrintWriter(new StringWriter(), true));
        cl.setErr(new PrintWriter(new StringWriter(), true));
        assertEquals(org.langevin.cli.Main.EXIT_DIVERGED, cl.execute(a.toArray(new String[0])));
        org.langevin.report.Results one = org.langevin.report.ResultsJson.read(tmp.resolve("one").resolve("results.json"));
        assertTrue(spark.diverged() > 0 && spark.diverged() < spark.particles(), "some diverged: " + spark.diverged());
        assertEquals(one.diverged(), spark.diverged());
        assertEquals(one.coordinates(), spark.coordinates());
        assertEquals(1.5, spark.divergenceBound());
    }

    /** @return the file's text, or the reason it could not be read (for failure messages) */
    static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
