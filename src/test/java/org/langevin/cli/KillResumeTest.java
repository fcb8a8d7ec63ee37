package org.langevin.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.langevin.engine.Checkpoint;
import org.langevin.engine.ParticleState;

/**
 * Fault injection: a run with a checkpoint after every segment is killed with SIGKILL (no shutdown
 * hook, no clean-up) at 20 random moments — during JVM start-up, while stepping, while writing a
 * checkpoint — and resumed after each kill; the final particles.npy equals an uninterrupted run's
 * byte for byte. The kill moments come from a fixed seed.
 */
class KillResumeTest {
    @TempDir
    Path tmp;

    static final List<String> RUN = List.of("--dynamics", "langevin", "--loss", "double-well", "--particles", "8192",
            "--seed", "23", "--backend", "cpu", "--threads", "1", "--checkpoint-seconds", "0", "--save-particles");
    static final int KILLS = 20;

    static List<String> jvm() {
        return new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                "org.langevin.cli.Main", "sample"));
    }

    @Test
    void sigkillAtRandomMomentsThenResumeIsByteIdentical() throws Exception {
        Path dir = tmp.resolve("run");
        Path state = dir.resolve("checkpoint").resolve(Checkpoint.STATE_FILE);
        Random moments = new Random(20261201L);
        List<String> first = jvm();
        first.addAll(List.of("--out", dir.toString(), "--steps", "100000000"));
        first.addAll(RUN);
        Process p = start(first, 0);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(state) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(moments.nextInt(500));
        kill(p);
        long previous = -1;
        for (int k = 1; k <= KILLS; k++) {
            ParticleState saved = Checkpoint.load(dir.resolve("checkpoint"));
            assertTrue(saved.stepsDone() >= previous, "a kill lost steps already saved");
            previous = saved.stepsDone();
            List<String> resume = jvm();
            resume.addAll(List.of("--resume", dir.toString(), "--checkpoint-seconds", "0"));
            p = start(resume, k);
            // From 0.1 s (the JVM is still starting) to 2.6 s (stepping and checkpointing).
            Thread.sleep(100 + moments.nextInt(2500));
            kill(p);
        }
        // On a loaded machine every random kill may land before the resumed run took a step: one more
        // kill, once a checkpoint beyond the last one exists, makes sure the run has moved on.
        long before = Checkpoint.load(dir.resolve("checkpoint")).stepsDone();
        List<String> resume = jvm();
        resume.addAll(List.of("--resume", dir.toString(), "--checkpoint-seconds", "0"));
        p = start(resume, KILLS + 1);
        long deadline2 = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (stepsOnDisk(dir) <= before && System.nanoTime() < deadline2) {
            Thread.sleep(20);
        }
        kill(p);
        long reached = Checkpoint.load(dir.resolve("checkpoint")).stepsDone();
        assertTrue(reached > before, "the run never saved a step beyond " + before + ": "
                + Files.readString(tmp.resolve("log" + (KILLS + 1) + ".txt")));
        long target = reached + 37;
        assertEquals(0, InterruptTest.run("sample", "--resume", dir.toString(), "--steps", Long.toString(target)));

        List<String> whole = new ArrayList<>(List.of("sample", "--out", tmp.resolve("whole").toString(), "--steps",
                Long.toString(target)));
        whole.addAll(RUN);
        assertEquals(0, InterruptTest.run(whole.toArray(new String[0])));
        assertArrayEquals(Files.readAllBytes(tmp.resolve("whole/particles.npy")), Files.readAllBytes(dir.resolve("particles.npy")),
                "killed " + KILLS + " times and resumed to step " + target);
    }

    /** @return the steps of the checkpoint on disk, or -1 while it cannot be read */
    private static long stepsOnDisk(Path dir) {
        try {
            return Checkpoint.load(dir.resolve("checkpoint")).stepsDone();
        } catch (Exception e) {
            return -1;
        }
    }

    private Process start(List<String> cmd, int k) throws Exception {
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("log" + k + ".txt").toFile())
                .start();
    }

    private static void kill(Process p) throws Exception {
        p.destroyForcibly(); // SIGKILL on Linux
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the process did not die");
    }
}
