package org.langevin.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code --record} on Spark: every task returns its blocks' partials at each record step and the driver
 * merges them in block order, so series.csv, series_histograms.csv and trace.npy have the same bytes for 1
 * and 4 partitions and as {@code langevin sample} on one machine.
 */
class SparkSeriesTest {
    @TempDir
    static Path tmp;

    static final List<String> RECORD = List.of("--record", "every:5", "--trace", "8", "--record-histograms");
    static final List<String> FILES = List.of("series.csv", "series_histograms.csv", "trace.npy");

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

    private static void spark(Path out, int partitions) {
        List<String> a = new ArrayList<>(List.of("sample"));
        a.addAll(SparkRuns.args());
        a.addAll(RECORD);
        a.addAll(List.of("--partitions", Integer.toString(partitions), "--threads", "1", "--out", out.toString()));
        StringWriter err = new StringWriter();
        CommandLine cl = SparkSample.commandLine();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        assertEquals(0, cl.execute(a.toArray(new String[0])), err::toString);
    }

    @Test
    void seriesBytesDoNotDependOnPartitions() throws Exception {
        Path one = tmp.resolve("p1");
        Path four = tmp.resolve("p4");
        spark(one, 1);
        spark(four, 4);
        List<String> a = new ArrayList<>(List.of("sample"));
        a.addAll(SparkRuns.args());
        a.addAll(RECORD);
        Path local = tmp.resolve("local");
        a.addAll(List.of("--backend", "cpu", "--out", local.toString()));
        CommandLine cl = org.langevin.cli.Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        assertEquals(0, cl.execute(a.toArray(new String[0])), err::toString);
        for (String f : FILES) {
            assertArrayEquals(Files.readAllBytes(one.resolve(f)), Files.readAllBytes(four.resolve(f)), f + ": 1 vs 4 partitions");
            assertArrayEquals(Files.readAllBytes(local.resolve(f)), Files.readAllBytes(four.resolve(f)), f + ": one machine vs Spark");
        }
        assertEquals(5, Files.readAllLines(four.resolve("series.csv")).size() - 1, "records at steps 0, 5, 10, 15, 20");
    }
}
