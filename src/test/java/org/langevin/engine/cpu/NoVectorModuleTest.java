package org.langevin.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.langevin.engine.CompiledProblem;
import org.langevin.engine.EngineSession;
import org.langevin.engine.ParticleState;
import org.langevin.model.Dynamics;
import org.langevin.model.LossKind;
import org.langevin.model.RunSpec;
import org.langevin.model.RunSpecBuilder;
import org.langevin.model.TrainingSets;

/**
 * The engine without the jdk.incubator.vector module (a child JVM started without
 * {@code --add-modules}, as plain {@code java -jar} would): it runs the scalar paths, loads no vector
 * class, and gives the same bits as this JVM (vector paths on under the build's argLine).
 */
class NoVectorModuleTest {

    /** Langevin on the double well and SGD on linreg, 37 particles: the state's bits hashed. */
    static String fingerprint() {
        RunSpec lv = new RunSpecBuilder().dynamics(Dynamics.LANGEVIN).loss(LossKind.DOUBLE_WELL).dim(1).sigma(1.0)
                .dt(0.01).particles(37).steps(30).seed(11).average(true).burnIn(5).build();
        RunSpec sgd = new RunSpecBuilder().dynamics(Dynamics.SGD).loss(LossKind.LINREG).dim(8).lr(0.02).batch(1)
                .data(TrainingSets.synthetic(50, 8, 0.5, 3, false)).particles(37).steps(30).seed(12).build();
        long h = 17;
        for (RunSpec s : new RunSpec[] {lv, sgd}) {
            CompiledProblem cp = TestProblems.compile(s);
            ParticleState st = TestProblems.state(s);
            try (CpuEngine e = new CpuEngine(2); EngineSession session = e.open(cp, st)) {
                session.advance(0, 7);
                session.advance(7, 30);
            }
            for (float[] row : st.x()) {
                for (float v : row) {
                    h = h * 31 + Float.floatToRawIntBits(v);
                }
            }
            if (st.hasAverages()) {
                for (double[] row : st.avg()) {
                    for (double v : row) {
                        h = h * 31 + Double.doubleToRawLongBits(v);
                    }
                }
            }
        }
        return Long.toHexString(h);
    }

    /** Child JVM entry: prints "enabled fingerprint". */
    public static void main(String[] args) {
        System.out.println(Simd.enabled() + " " + fingerprint());
    }

    @Test
    void scalarFallbackWithoutTheModuleGivesTheSameBits() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                NoVectorModuleTest.class.getName()));
        pb.redirectErrorStream(true);
        Process proc = pb.start();
        String out;
        try (InputStream in = proc.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        proc.waitFor(60, TimeUnit.SECONDS);
        assertEquals(0, proc.exitValue(), out);
        assertEquals("false " + fingerprint(), out);
    }
}
