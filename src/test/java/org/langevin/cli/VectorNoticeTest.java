package org.langevin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run started without the vector module (plain java -jar) says once that the vector paths are off and how to turn them on. */
class VectorNoticeTest {
    @TempDir
    Path tmp;

    String run(boolean vectorModule) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (vectorModule) {
            cmd.addAll(List.of("--add-modules", "jdk.incubator.vector"));
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.langevin.cli.Main", "sample", "--backend", "cpu",
                "--particles", "100", "--steps", "2", "--out", tmp.resolve(vectorModule ? "v" : "s").toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void plainJavaPrintsTheNoticeAndTheVectorModuleSilencesIt() throws Exception {
        String plain = run(false);
        assertEquals(1, plain.lines().filter(l -> l.startsWith("note: the CPU engine's vector paths are off")).count(), plain);
        assertTrue(plain.contains("--add-modules jdk.incubator.vector") && plain.contains("bin/langevin"), plain);
        // where the native kernels load (an AVX-512 CPU: NativeCpuTest), the notice says what they still carry
        assertEquals(org.langevin.engine.cpu.NativeCpu.enabled(), plain.contains("its native kernels still run"), plain);
        assertFalse(run(true).contains("vector paths are off"));
        assertTrue(Files.exists(tmp.resolve("s/results.json")));
    }
}
