package org.langevin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.langevin.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.langevin.cli.Cli.Outcome;
import org.junit.jupiter.api.io.TempDir;
import org.langevin.report.NpyReader;
import org.langevin.report.RunDirectory;

/**
 * An output directory belongs to one run: --force replaces only this tool's files and keeps the old
 * results until the new ones exist; a directory with anything else in it, the current directory and
 * the home directory are refused; a second run on a directory in use is refused naming the first;
 * --resume refuses options that would change the run and checkpoints that fail their checksum; a
 * failed write leaves no partial file and reports no success. Through the CLI, as a user runs it.
 */
class OutputDirectoryTest {
    @TempDir
    Path tmp;



    /** A small run on the CPU; options in {@code more} replace the defaults of the same name. */
    static Outcome sample(Path out, String... more) {
        List<String> extra = List.of(more);
        List<String> a = new ArrayList<>(List.of("sample", "--backend", "cpu", "--out", out.toString()));
        if (!extra.contains("--particles")) {
            a.addAll(List.of("--particles", "2000"));
        }
        if (!extra.contains("--steps")) {
            a.addAll(List.of("--steps", "5"));
        }
        a.addAll(extra);
        return run(a.toArray(new String[0]));
    }

    static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void forceRefusesADirectoryWithForeignFilesAndKeepsThem() throws Exception {
        Path user = tmp.resolve("thesis");
        Files.createDirectories(user.resolve("data"));
        Files.writeString(user.resolve("thesis.tex"), "\\documentclass{article}");
        Files.writeString(user.resolve("data").resolve("x.csv"), "1,2\n");
        for (String[] extra : new String[][] {{}, {"--force"}}) {
            Outcome o = sample(user, extra);
            assertEquals(Main.EXIT_USAGE, o.code(), o.err());
            assertTrue(o.err().contains("thesis.tex") && o.err().contains("data/") && o.err().contains("did not write"),
                    o.err());
        }
        assertEquals(List.of("data", "thesis.tex"), names(user), "nothing may be added to or removed from the folder");
        assertEquals("\\documentclass{article}", Files.readString(user.resolve("thesis.tex")));

        // A run directory into which the user put a file of their own: --force refuses too.
        Path runDir = tmp.resolve("run");
        assertEquals(0, sample(runDir).code());
        Files.writeString(runDir.resolve("notes.txt"), "mine");
        Outcome o = sample(runDir, "--force");
        assertEquals(Main.EXIT_USAGE, o.code(), o.err());
        assertTrue(o.err().contains("notes.txt"), o.err());
        assertEquals("mine", Files.readString(runDir.resolve("notes.txt")));
        assertTrue(Files.exists(runDir.resolve("results.json")), "the old results stay");
    }

    @Test
    void currentHomeAndEmptyDirectoriesAreRefused() {
        String home = System.getProperty("user.home");
        for (String bad : new String[] {".", "", home, Path.of("").toAbsolutePath().toString(), "/"}) {
            Outcome o = run("sample", "--backend", "cpu", "--particles", "10", "--steps", "1", "--out", bad, "--force");
            assertEquals(Main.EXIT_USAGE, o.code(), bad + ": " + o.err());
            assertTrue(o.err().contains("a directory of its own") || o.err().contains("names no directory"), o.err());
        }
        assertFalse(Files.exists(Path.of(RunDirectory.MARKER)), "no marker in the current directory");
        assertFalse(Files.exists(Path.of("results.json")), "no results in the current directory");
    }

    @Test
    void forceReplacesOnlyItsOwnFilesAndSwapsTheResultsAtTheEnd() throws Exception {
        Path dir = tmp.resolve("r");
        assertEquals(0, sample(dir, "--histogram", "10,-3,3", "--dim", "2", "--loss", "quadratic",
                "--save-particles").code());
        assertTrue(Files.exists(dir.resolve("histogram_x1_x2.csv")));
        Outcome again = sample(dir);
        assertEquals(Main.EXIT_USAGE, again.code());
        assertTrue(again.err().contains("--force") && again.err().contains("--resume"), again.err());
        Outcome forced = sample(dir, "--steps", "7", "--force");
        assertEquals(0, forced.code(), forced.err());
        assertTrue(forced.err().contains("stay until this run has written its own"), forced.err());
        // The new run's files only: no 2-D histogram, no particles of the old run, no staging area.
        assertEquals(List.of(RunDirectory.LOCK, RunDirectory.MARKER, "checkpoint", "histogram_x1.csv", "histogram_x1.png",
                "results.json"), names(dir));
        JsonNode r = new ObjectMapper().readTree(dir.resolve("results.json").toFile());
        assertEquals(7, r.get("steps").asLong());
        // And the new run continues as itself.
        Outcome resumed = run("sample", "--resume", dir.toString(), "--steps", "9");
        assertEquals(0, resumed.code(), resumed.err());
        assertEquals(9, new ObjectMapper().readTree(dir.resolve("results.json").toFile()).get("steps").asLong());
    }

    @Test
    void checkAndBenchFollowTheSameRules() throws Exception {
        Path user = tmp.resolve("u");
        Files.createDirectories(user);
        Files.writeString(user.resolve("keep.txt"), "mine");
        Outcome c = run("check", "brownian", "--out", user.toString(), "--backend", "cpu");
        assertEquals(Main.EXIT_USAGE, c.code(), c.err());
        assertTrue(c.err().contains("keep.txt"), c.err());
        Outcome b = run("bench", "--backends", "cpu", "--dynamics", "langevin", "--dims", "1", "--particles", "4096",
                "--repeats", "1", "--warmup-seconds", "0", "--target-seconds", "0.01", "--out", user.toString());
        assertEquals(Main.EXIT_USAGE, b.code(), b.err());
        assertEquals(List.of("keep.txt"), names(user));

        Path bench = tmp.resolve("bench");
        String[] benchArgs = {"bench", "--backends", "cpu", "--dynamics", "langevin", "--dims", "1", "--particles", "4096",
                "--repeats", "1", "--warmup-seconds", "0", "--target-seconds", "0.01", "--out", bench.toString()};
        assertEquals(0, run(benchArgs).code());
        Outcome twice = run(benchArgs);
        assertEquals(Main.EXIT_USAGE, twice.code(), twice.err());
        assertTrue(twice.err().contains("--force"), twice.err());
        List<String> withForce = new ArrayList<>(List.of(benchArgs));
        withForce.add("--force");
        assertEquals(0, run(withForce.toArray(new String[0])).code());
        assertTrue(names(bench).contains("bench.json"));

        // A sample directory is not a bench directory.
        Path s = tmp.resolve("s");
        assertEquals(0, sample(s).code());
        List<String> intoSample = new ArrayList<>(List.of(benchArgs));
        intoSample.set(intoSample.size() - 1, s.toString());
        intoSample.add("--force");
        Outcome wrongKind = run(intoSample.toArray(new String[0]));
        assertEquals(Main.EXIT_USAGE, wrongKind.code(), wrongKind.err());
    }

    @Test
    void aSecondRunOnADirectoryInUseIsRefusedAndTheFirstCompletes() throws Exception {
        Path dir = tmp.resolve("busy");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                "org.langevin.cli.Main", "sample", "--backend", "cpu", "--threads", "1", "--particles", "50000",
                "--steps", "20000", "--seed", "4", "--save-particles", "--out", dir.toString()));
        Process first = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("first.log").toFile())
                .start();
        try {
            Path lock = dir.resolve(RunDirectory.LOCK);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while ((!Files.exists(lock) || Files.size(lock) == 0) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(first.isAlive(), "the first run ended too early: " + Files.readString(tmp.resolve("first.log")));
            for (String[] extra : new String[][] {{}, {"--force"}}) {
                Outcome second = sample(dir, extra);
                assertEquals(Main.EXIT_USAGE, second.code(), second.err());
                assertTrue(second.err().contains("in use by another langevin run (pid " + first.pid()), second.err());
            }
            assertTrue(first.waitFor(300, TimeUnit.SECONDS), "the first run did not finish");
        } finally {
            first.destroyForcibly();
        }
        assertEquals(0, first.exitValue(), Files.readString(tmp.resolve("first.log")));
        // The first run's output is complete and its own: results.json describes particles.npy.
        JsonNode r = new ObjectMapper().readTree(dir.resolve("results.json").toFile());
        assertEquals(20000, r.get("steps").asLong());
        assertEquals(4, r.get("spec").get("seed").asLong());
        float[][] x = NpyReader.read(dir.resolve("particles.npy"));
        assertEquals(50000, x[0].length);
        double sum = 0;
        for (float v : x[0]) {
            sum += v;
        }
        assertEquals(r.get("coordinates").get(0).get("mean").asDouble(), sum / x[0].length, 1e-9);
        assertEquals(0, Files.size(dir.resolve(RunDirectory.LOCK)), "the lock is released at the end");
    }

    @Test
    void resumeRefusesConflictingOptionsAndAcceptsTheAllowedOnes() throws Exception {
        Path dir = tmp.resolve("r");
        assertEquals(0, sample(dir, "--dt", "0.02", "--sigma", "0.5").code());
        String[][] conflicts = {{"--dt", "0.01"}, {"--sigma", "1"}, {"--particles", "3000"}, {"--dynamics", "brownian"},
                {"--seed", "2"}, {"--loss", "quadratic"}, {"--out", tmp.resolve("other").toString()}, {"--force"},
                {"--noise", "curand"}};
        for (String[] c : conflicts) {
            List<String> a = new ArrayList<>(List.of("sample", "--resume", dir.toString(), "--steps", "8"));
            a.addAll(List.of(c));
            Outcome o = run(a.toArray(new String[0]));
            assertEquals(Main.EXIT_USAGE, o.code(), String.join(" ", c) + ": " + o.err());
            assertTrue(o.err().contains(c[0]), "the message names " + c[0] + ": " + o.err());
        }
        assertEquals(5, new ObjectMapper().readTree(dir.resolve("results.json").toFile()).get("steps").asLong(),
                "a refused resume changes nothing");
        // The same values as saved, and the options that may change, are accepted.
        Outcome ok = run("sample", "--resume", dir.toString(), "--steps", "8", "--dt", "0.02", "--particles", "2000",
                "--threads", "1", "--backend", "cpu", "--checkpoint-seconds", "5", "--save-particles");
        assertEquals(0, ok.code(), ok.err());
        assertTrue(Files.exists(dir.resolve("particles.npy")));
    }

    @Test
    void alteredCheckpointsAndCommandsAreRefusedByChecksum() throws Exception {
        Path dir = tmp.resolve("c");
        assertEquals(0, sample(dir, "--particles", "5000").code());
        Path state = dir.resolve("checkpoint").resolve("state.bin");
        byte[] good = Files.readAllBytes(state);
        // A NaN written over one particle's coordinate.
        try (FileChannel ch = FileChannel.open(state, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(Float.NaN).flip(), 60 + 4 * 123);
        }
        Outcome o = run("sample", "--resume", dir.toString(), "--steps", "10");
        assertEquals(Main.EXIT_USAGE, o.code(), o.err());
        assertTrue(o.err().contains("checksum"), o.err());
        // Truncated.
        Files.write(state, java.util.Arrays.copyOf(good, good.length - 8));
        Outcome t = run("sample", "--resume", dir.toString(), "--steps", "10");
        assertEquals(Main.EXIT_USAGE, t.code(), t.err());
        assertTrue(t.err().contains("truncated"), t.err());
        Files.write(state, good);
        // An edited command (another sigma).
        Path command = dir.resolve("checkpoint").resolve("command.json");
        String text = Files.readString(command);
        Files.writeString(command, text.replace("\"--steps\"", "\"--sigma\", \"2\", \"--steps\""));
        Outcome e = run("sample", "--resume", dir.toString(), "--steps", "10");
        assertEquals(Main.EXIT_USAGE, e.code(), e.err());
        assertTrue(e.err().contains("checksum"), e.err());
        Files.writeString(command, text);
        Outcome intact = run("sample", "--resume", dir.toString(), "--steps", "10");
        assertEquals(0, intact.code(), "the intact run resumes: " + intact.err());
    }

    @Test
    void dropCheckpointRemovesTheCheckpointAfterTheResultsAndResumeThenSaysSo() throws Exception {
        Path dir = tmp.resolve("d");
        Outcome o = sample(dir, "--drop-checkpoint", "--save-particles");
        assertEquals(0, o.code(), o.err());
        assertTrue(Files.exists(dir.resolve("results.json")) && Files.exists(dir.resolve("particles.npy")));
        assertFalse(Files.exists(dir.resolve("checkpoint")), "the checkpoint is gone");
        Outcome r = run("sample", "--resume", dir.toString(), "--steps", "9");
        assertEquals(Main.EXIT_USAGE, r.code(), r.err());
        assertTrue(r.err().contains("no resumable run"), r.err());
    }

    @Test
    void aFailedWriteNamesThePathLeavesNoPartialFileAndClaimsNoSuccess() throws Exception {
        // Unwritable: --out below a regular file.
        Path file = tmp.resolve("plain");
        Files.writeString(file, "x");
        Outcome o = sample(file.resolve("sub"));
        assertNotEquals(0, o.code());
        assertTrue(o.err().contains(file.toString()), o.err());
        assertFalse(o.err().contains("Exception"), "no class names in messages: " + o.err());

        // A full disk: results.json.part points at /dev/full, which refuses every write with ENOSPC.
        Path full = Path.of("/dev/full");
        if (!Files.isWritable(full)) {
            throw new AssertionError("this test needs /dev/full (Linux) to simulate a full disk");
        }
        Path dir = tmp.resolve("full");
        Files.createDirectories(dir);
        Files.createSymbolicLink(dir.resolve("results.json.part"), full);
        Outcome f = sample(dir);
        assertEquals(Main.EXIT_FAILURE, f.code(), f.err());
        assertTrue(f.err().contains("No space left on device") && f.err().contains(dir.toString()), f.err());
        assertFalse(Files.exists(dir.resolve("results.json")), "nothing may claim success");
        try (Stream<Path> s = Files.walk(dir)) {
            assertEquals(List.of(), s.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".part") || n.endsWith(".tmp")).toList(), "no partial files left");
        }
        assertTrue(f.err().contains("--resume"), "the computed state is kept and the message says how to continue");
        assertEquals(0, run("sample", "--resume", dir.toString()).code(), "and it continues once there is space");
    }
}
