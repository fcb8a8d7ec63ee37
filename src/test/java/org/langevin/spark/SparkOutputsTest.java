package org.langevin.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.langevin.report.RunDirectory;

/**
 * A driver killed while writing leaves a hidden staging directory beside --out; the next job on that
 * --out removes it when it holds only this tool's files and nobody writes it, and says what it did;
 * --out itself follows the run-directory rules.
 */
class SparkOutputsTest {
    @TempDir
    Path tmp;

    static Path leftover(Path parent, String name, String lockHolder) throws Exception {
        Path d = parent.resolve(name);
        Files.createDirectories(d);
        Files.write(d.resolve("particles.npy"), new byte[128]);
        Files.write(d.resolve("results.json.part"), new byte[0]);
        Files.writeString(d.resolve(RunDirectory.MARKER), "command=sample\n");
        Files.writeString(d.resolve(RunDirectory.LOCK), lockHolder);
        return d;
    }

    @Test
    void abandonedStagingDirectoriesAreRemovedOthersAreNamed() throws Exception {
        Path out = tmp.resolve("dw");
        // A dead driver (no such process), a live one (this JVM), and one holding a user's file.
        Path dead = leftover(tmp, ".dw.incomplete-1", "pid 2147483646, started 2026-01-01T00:00:00Z\n");
        Path live = leftover(tmp, ".dw.incomplete-2", "pid " + ProcessHandle.current().pid() + ", started now\n");
        Path foreign = leftover(tmp, ".dw.replaced-3", "");
        Files.writeString(foreign.resolve("notes.txt"), "mine");
        Path unrelated = leftover(tmp, ".other.incomplete-4", "");

        List<String> notes = SparkOutputs.cleanLeftovers(out);
        assertEquals(3, notes.size(), notes::toString);
        assertFalse(Files.exists(dead), "the dead driver's directory is removed");
        assertTrue(notes.stream().anyMatch(n -> n.startsWith("removed " + dead)), notes::toString);
        assertTrue(Files.exists(live) && Files.exists(foreign.resolve("notes.txt")), "the others are left");
        assertTrue(notes.stream().anyMatch(n -> n.startsWith("left " + live)), notes::toString);
        assertTrue(Files.exists(unrelated), "another --out's directory is not touched");
    }

    @Test
    void outFollowsTheRunDirectoryRules() throws Exception {
        Path user = tmp.resolve("mine");
        Files.createDirectories(user);
        Files.writeString(user.resolve("thesis.tex"), "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparkOutputs.checkTarget(user, true));
        assertTrue(e.getMessage().contains("thesis.tex"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SparkOutputs.checkTarget(Path.of("."), true));
    }
}
