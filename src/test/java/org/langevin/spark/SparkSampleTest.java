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
    void badPartitionsAreUsageErrors() {
        StringWriter err = new StringWriter();
        assertEquals(SparkSample.EXIT_USAGE, run(err, "--out", tmp.resolve("a").toString()));
        assertTrue(err.toString().contains("--partitions"), err::toString);
        StringWriter err2 = new StringWriter();
        assertEquals(SparkSample.EXIT_USAGE, run(err2, "--partitions", "10", "--out", tmp.resolve("b").toString()));
        assertTrue(err2.toString().contains("--partitions must be in 1..9"), err2::toString);
        assertFalse(Files.exists(tmp.resolve("b")));
    }
}
