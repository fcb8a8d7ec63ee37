package org.langevin.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.langevin.cli.Main;
import picocli.CommandLine;

/** {@code langevin check} through the command line (one fast check; bad input). */
class CheckCommandTest {
    @TempDir
    Path dir;

    @Test
    void runsOneCheckAndWritesJson() throws Exception {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        StringWriter out = new StringWriter();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(out));
        int code = cl.execute("check", "ou-exact", "--size", "tiny", "--backend", "cpu", "--threads", "2",
                "--out", dir.toString(), "--seed", "5");
        assertEquals(0, code, err.toString());
        JsonNode root = new ObjectMapper().readTree(dir.resolve("checks.json").toFile());
        assertEquals("tiny", root.get("size").asText());
        assertEquals(4, root.get("claimCount").asInt());
        assertEquals("refuted", root.get("claims").get(3).get("expectedVerdict").asText());
        assertTrue(out.toString().contains("every verdict is the one theory predicts"), out.toString());
        assertTrue(err.toString().contains("backend: cpu"), err.toString());
    }

    @Test
    void rejectsUnknownChecksAndMissingSelection() {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        assertEquals(Main.EXIT_USAGE, cl.execute("check", "no-such-check", "--out", dir.toString()));
        assertTrue(err.toString().contains("unknown check 'no-such-check'"), err.toString());
        assertEquals(Main.EXIT_USAGE, cl.execute("check", "--out", dir.toString()));
        assertEquals(Main.EXIT_USAGE, cl.execute("check", "--all", "--size", "huge", "--out", dir.toString()));
    }
}
