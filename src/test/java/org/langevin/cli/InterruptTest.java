package org.langevin.cli;

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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.langevin.engine.Checkpoint;
import org.langevin.engine.ParticleState;

/**
 * A run stopped by a termination signal (what Ctrl-C and {@code kill} send) saves the step it
 * reached and leaves its directory resumable; the resumed run equals an uninterrupted one bit for bit.
 */
class InterruptTest {
    @TempDir
    Path tmp;

    static final List<String> RUN = List.of("--dynamics", "langevin", "--loss", "double-well", "--particles", "100000",
            "--steps", "200000", "--seed", "17", "--backend", "cpu", "--threads", "2", "--save-particles");

    @Test
    void terminatedRunIsResumableAndExact() throws Exception {
        Path dir = tmp.resolve("run");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.langevin.cli.Main", "sample", "--out", dir.toString()));
        cmd.addAll(RUN);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("log.txt").toFile()).start();
        // Wait until the run has passed its first segments, then terminate it as Ctrl-C would.
        Path state = dir.resolve("checkpoint").resolve(Checkpoint.STATE_FILE);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(state) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Thread.sleep(1500);
        assertTrue(p.isAlive(), "the run finished before it could be interrupted: " + Files.readString(tmp.resolve("log.txt")));
        p.destroy();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the run did not stop after the signal");
        String log = Files.readString(tmp.resolve("log.txt"));
        assertFalse(Files.exists(dir.resolve("results.json")), "an interrupted run must not look complete: " + log);
        ParticleState saved = Checkpoint.load(dir.resolve("checkpoint"));
        long k = saved.stepsDone();
        assertTrue(k > 0 && k < 200000, "saved at step " + k + "; log: " + log);
        assertTrue(log.contains("--resume"), log);

        // Resume to k + 50 steps; compare with an uninterrupted run of k + 50 steps.
        long target = k + 50;
        assertEquals(0, run("sample", "--resume", dir.toString(), "--steps", Long.toString(target)));
        List<String> whole = new ArrayList<>(List.of("sample", "--out", tmp.resolve("whole").toString()));
        whole.addAll(RUN);
        whole.set(whole.indexOf("200000"), Long.toString(target));
        assertEquals(0, run(whole.toArray(new String[0])));
        assertArrayEquals(Files.readAllBytes(tmp.resolve("whole/particles.npy")), Files.readAllBytes(dir.resolve("particles.npy")));
    }

    static int run(String... args) {
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(new StringWriter()));
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        if (code != 0) {
            throw new AssertionError(err.toString());
        }
        return code;
    }
}
