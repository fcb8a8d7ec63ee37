package org.langevin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Java example, copied out of README.md as written: its imports and statements put into
 * a class, compiled with the JDK's compiler against the test class path, and run; it must print the
 * variance of the double-well run (the Gibbs value is about 0.85 at σ = 1; the Euler chain at Δt = 0.01
 * is within 0.01 of it).
 */
class ReadmeJavaExampleTest {
    @TempDir
    Path tmp;

    @Test
    void theJavaApiExampleCompilesAndRuns() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int section = readme.indexOf("## The Java API");
        assertTrue(section >= 0, "README has no Java API section");
        int start = readme.indexOf("```java\n", section);
        int end = readme.indexOf("```\n", start + 8);
        String block = readme.substring(start + 8, end);
        StringBuilder imports = new StringBuilder();
        StringBuilder body = new StringBuilder();
        for (String line : block.split("\n")) {
            (line.startsWith("import ") ? imports : body).append(line).append('\n');
        }
        String source = imports + "\npublic class ReadmeExample {\n    public static void main(String[] args) throws Exception {\n"
                + body + "    }\n}\n";
        Path src = tmp.resolve("ReadmeExample.java");
        Files.writeString(src, source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "the tests need a JDK (javax.tools)");
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int rc = javac.run(null, diagnostics, diagnostics, "-cp", System.getProperty("java.class.path"), "-d",
                tmp.toString(), src.toString());
        assertEquals(0, rc, "the README example does not compile:\n" + diagnostics + "\n" + source);
        PrintStream stdout = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {tmp.toUri().toURL()}, getClass().getClassLoader())) {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            loader.loadClass("ReadmeExample").getMethod("main", String[].class).invoke(null, (Object) new String[0]);
        } finally {
            System.setOut(stdout);
        }
        String out = printed.toString(StandardCharsets.UTF_8);
        assertTrue(out.startsWith("Var x = "), out);
        double var = Double.parseDouble(out.substring("Var x = ".length(), out.indexOf(' ', "Var x = ".length())));
        assertEquals(0.852, var, 0.01, out);
        assertTrue(List.of(out.split(" ")).contains("(0"), "no particle diverges: " + out);
    }
}
