package org.langevin.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.langevin.cli.Cli.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.langevin.cli.Cli.Outcome;
import org.langevin.report.NpyReader;
import org.langevin.theory.MomentumSgd1D;
import org.langevin.theory.UnderdampedHarmonic;

/**
 * Particles with auxiliary state through the CLI: the SGD optimisers (momentum, Nesterov, RMSProp, Adam)
 * and underdamped Langevin (BAOAB, Euler–Maruyama) on user models. The CPU engine, the emulated device and
 * a run interrupted and resumed write the same particles.npy and aux.npy bytes; heavy-ball SGD reproduces
 * O9 and O10 and BAOAB O12 with 10⁵ particles, each within 4.5 standard errors (false-alarm rate 7·10⁻⁶
 * per comparison, under 10⁻⁴ for the 9 here), while the contrasts (O1's variance for momentum SGD, T for
 * BAOAB's momentum variance, T/ω² for Euler–Maruyama) are rejected by more than 4.5 standard errors.
 */
class AuxStateRunTest {
    @TempDir
    Path tmp;

    static void within(double exact, double estimate, double se, String what) {
        assertTrue(Math.abs(estimate - exact) <= 4.5 * se, what + ": " + estimate + " ± " + se + " vs exact " + exact
                + " (z = " + (estimate - exact) / se + ")");
    }

    static void rejected(double wrong, double estimate, double se, String what) {
        assertTrue(Math.abs(estimate - wrong) > 4.5 * se, what + ": " + estimate + " ± " + se + " is not told from "
                + wrong);
    }

    JsonNode results(Path dir) throws Exception {
        return new ObjectMapper().readTree(dir.resolve("results.json").toFile());
    }

    Path write(String name, String text) throws Exception {
        Path p = tmp.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    Outcome ok(List<String> args) {
        Outcome o = run(args);
        assertEquals(0, o.code(), String.join(" ", args) + "\n" + o.err());
        return o;
    }

    @Test
    void heavyBallSgdHasTheExactMomentumVarianceAndMomentumZeroIsSgd() throws Exception {
        // O1's problem: L_i = ½(Φ − a_i)² with a_i = ±1 (h = 1, ā = 0, s² = 1, κ = 1 with replacement).
        Path m = write("q1.model", "state x\ndata -> y\nloss 0.5 * (x - y)^2\n");
        Path data = write("pm1.csv", "y\n-1\n1\n");
        List<String> common = List.of("sample", "--dynamics", "sgd", "--model", m.toString(), "--data", data.toString(),
                "--lr", "0.4", "--particles", "100000", "--seed", "11", "--backend", "cpu", "--save-particles");
        List<String> a = new ArrayList<>(common);
        a.addAll(List.of("--optimizer", "momentum:0.5", "--steps", "300", "--out", tmp.resolve("mom").toString()));
        ok(a);
        JsonNode r = results(tmp.resolve("mom"));
        JsonNode c = r.get("coordinates").get(0);
        MomentumSgd1D o9 = new MomentumSgd1D(1, 0, 1, 0.5);
        within(o9.stationaryVariance(0.4, 1), c.get("variance").asDouble(), c.get("varianceStdErr").asDouble(),
                "O9 Var Φ");
        rejected(0.4 / (2 - 0.4), c.get("variance").asDouble(), c.get("varianceStdErr").asDouble(),
                "O1's variance without momentum");
        JsonNode aux = r.get("aux");
        assertEquals("v1", aux.get("rows").get(0).asText());
        within(o9.stationaryMomentumSecondMoment(0.4, 1), aux.get("meanSquare").get(0).asDouble(),
                aux.get("meanSquareSE").get(0).asDouble(), "O10 E v²");
        assertEquals("momentum:0.5", r.get("spec").get("optimizer").asText());
        float[][] v = NpyReader.read(tmp.resolve("mom/aux.npy"));
        assertEquals(1, v.length);
        assertEquals(100000, v[0].length);
        // μ = 0: v = ĝ exactly, so the particles are plain SGD's to the bit.
        List<String> zero = new ArrayList<>(common);
        zero.addAll(List.of("--optimizer", "momentum:0", "--steps", "20", "--out", tmp.resolve("mu0").toString()));
        ok(zero);
        List<String> sgd = new ArrayList<>(common);
        sgd.addAll(List.of("--steps", "20", "--out", tmp.resolve("sgd").toString()));
        ok(sgd);
        assertArrayEquals(Files.readAllBytes(tmp.resolve("sgd/particles.npy")),
                Files.readAllBytes(tmp.resolve("mu0/particles.npy")), "momentum:0 is SGD");
        assertTrue(!Files.exists(tmp.resolve("sgd/aux.npy")), "plain SGD carries no auxiliary state");
    }

    @Test
    void everyOptimiserGivesTheSameBytesOnCpuEmulatedAndThroughAResume() throws Exception {
        Path m = write("lr2.model", "state w[2]\ndata x[2] -> y\nloss 0.5 * (w[0] * x[0] + w[1] * x[1] - y)^2\n");
        StringBuilder sb = new StringBuilder("x1,x2,y\n");
        for (int i = 0; i < 12; i++) {
            double x1 = Math.sin(1.3 * i);
            double x2 = Math.cos(0.7 * i);
            sb.append(x1).append(',').append(x2).append(',').append(0.5 * x1 - x2 + 0.3 * Math.sin(5.1 * i)).append('\n');
        }
        Path data = write("lr2.csv", sb.toString());
        for (String opt : new String[] {"momentum:0.9", "nesterov:0.8", "rmsprop:rho=0.9,eps=1e-6", "adam"}) {
            List<String> common = List.of("--dynamics", "sgd", "--model", m.toString(), "--data", data.toString(),
                    "--optimizer", opt, "--lr", "0.05", "--batch", "3", "--sampling", "without-replacement",
                    "--lr-schedule", "step:0.5@13", "--init", "normal:0,1", "--particles", "700", "--seed", "5",
                    "--average", "--burn-in", "4", "--save-particles");
            String tag = opt.substring(0, 4);
            List<String> cpu = new ArrayList<>(List.of("sample", "--steps", "30", "--backend", "cpu", "--out",
                    tmp.resolve(tag + "-cpu").toString()));
            cpu.addAll(common);
            List<String> emu = new ArrayList<>(List.of("sample", "--steps", "30", "--backend", "emulated", "--out",
                    tmp.resolve(tag + "-emu").toString()));
            emu.addAll(common);
            List<String> part = new ArrayList<>(List.of("sample", "--steps", "11", "--backend", "cpu", "--out",
                    tmp.resolve(tag + "-part").toString()));
            part.addAll(common);
            ok(cpu);
            ok(emu);
            ok(part);
            ok(List.of("sample", "--resume", tmp.resolve(tag + "-part").toString(), "--steps", "30"));
            for (String f : new String[] {"particles.npy", "aux.npy"}) {
                byte[] ref = Files.readAllBytes(tmp.resolve(tag + "-cpu").resolve(f));
                assertArrayEquals(ref, Files.readAllBytes(tmp.resolve(tag + "-emu").resolve(f)), opt + " cpu = emulated: " + f);
                assertArrayEquals(ref, Files.readAllBytes(tmp.resolve(tag + "-part").resolve(f)), opt + " resumed: " + f);
            }
            JsonNode a = results(tmp.resolve(tag + "-cpu")).get("aux");
            assertEquals(opt.startsWith("adam") ? 4 : 2, a.get("rows").size(), opt);
            assertEquals(results(tmp.resolve(tag + "-cpu")).get("coordinates"), results(tmp.resolve(tag + "-part"))
                    .get("coordinates"), opt + ": the window sums survive the resume");
        }
    }

    @Test
    void baoabHasTheExactConfigurationalVarianceAndEulerMaruyamaDoesNot() throws Exception {
        // ½ω²q² with ω = 1 (the library quadratic), γ = 1, σ = 1 (T = ½), h = 0.5.
        UnderdampedHarmonic u = new UnderdampedHarmonic(1, 1, 0.5);
        String[] integrators = {"baoab", "em"};
        for (String in : integrators) {
            ok(List.of("sample", "--dynamics", "underdamped", "--model", "quadratic", "--integrator", in, "--friction",
                    "1", "--sigma", "1", "--dt", "0.5", "--steps", "400", "--particles", "100000", "--seed", "17",
                    "--backend", "cpu", "--out", tmp.resolve("u-" + in).toString()));
        }
        JsonNode b = results(tmp.resolve("u-baoab"));
        JsonNode bq = b.get("coordinates").get(0);
        within(u.configurationalVariance(), bq.get("variance").asDouble(), bq.get("varianceStdErr").asDouble(),
                "O12 BAOAB Var q = T/ω²");
        JsonNode ba = b.get("aux");
        assertEquals("p1", ba.get("rows").get(0).asText());
        double ep2 = ba.get("meanSquare").get(0).asDouble();
        double ep2se = ba.get("meanSquareSE").get(0).asDouble();
        within(u.baoabMomentumVariance(0.5), ep2, ep2se, "O12 BAOAB Var p = T(1 − h²ω²/4)");
        rejected(0.5, ep2, ep2se, "BAOAB's momentum variance is not T");
        assertEquals(ep2, ba.get("kineticTemperature").asDouble(), 1e-15, "d = 1: E‖p‖²/d = E p²");
        within(0.5, ba.get("configurationalTemperature").asDouble(), ba.get("configurationalTemperatureSE").asDouble(),
                "BAOAB's configurational temperature E[q·∇L]/d = T");
        JsonNode eq = results(tmp.resolve("u-em")).get("coordinates").get(0);
        double[] em = u.eulerMaruyamaCovariance(0.5);
        within(em[0], eq.get("variance").asDouble(), eq.get("varianceStdErr").asDouble(), "EM's own Var q");
        rejected(u.configurationalVariance(), eq.get("variance").asDouble(), eq.get("varianceStdErr").asDouble(),
                "EM's Var q is not T/ω²");
    }

    @Test
    void underdampedGivesTheSameBytesOnCpuEmulatedAndThroughAResume() throws Exception {
        for (String in : new String[] {"baoab", "em"}) {
            List<String> common = List.of("--dynamics", "underdamped", "--model", "double-well", "--integrator", in,
                    "--friction", "0.7", "--sigma", "0.9", "--dt", "0.05", "--init", "normal:0.5,0.5", "--particles",
                    "3000", "--seed", "9", "--save-particles");
            List<String> cpu = new ArrayList<>(List.of("sample", "--steps", "50", "--backend", "cpu", "--out",
                    tmp.resolve(in + "-cpu").toString()));
            cpu.addAll(common);
            List<String> emu = new ArrayList<>(List.of("sample", "--steps", "50", "--backend", "emulated", "--out",
                    tmp.resolve(in + "-emu").toString()));
            emu.addAll(common);
            List<String> part = new ArrayList<>(List.of("sample", "--steps", "17", "--backend", "cpu", "--out",
                    tmp.resolve(in + "-part").toString()));
            part.addAll(common);
            ok(cpu);
            ok(emu);
            ok(part);
            ok(List.of("sample", "--resume", tmp.resolve(in + "-part").toString(), "--steps", "50"));
            for (String f : new String[] {"particles.npy", "aux.npy"}) {
                byte[] ref = Files.readAllBytes(tmp.resolve(in + "-cpu").resolve(f));
                assertArrayEquals(ref, Files.readAllBytes(tmp.resolve(in + "-emu").resolve(f)), in + " cpu = emulated: " + f);
                assertArrayEquals(ref, Files.readAllBytes(tmp.resolve(in + "-part").resolve(f)), in + " resumed: " + f);
            }
        }
    }

    @Test
    void optionsThatDoNotApplyAreRefusedWithTheFix() {
        Path no = tmp.resolve("nope");
        // a built-in loss runs the optimisers as its model (BuiltInLossAsModelTest), but not with a preconditioner
        Outcome builtIn = run("sample", "--dynamics", "sgd", "--loss", "linreg", "--synthetic", "n=50,d=2", "--lr", "0.1",
                "--optimizer", "adam", "--preconditioner", "diagonal", "--preconditioner-matrix", "1,2", "--particles", "10",
                "--out", no.toString());
        assertEquals(Main.EXIT_USAGE, builtIn.code());
        assertTrue(builtIn.err().contains("applies to --optimizer sgd only"), builtIn.err());
        Outcome lang = run("sample", "--dynamics", "langevin", "--model", "quadratic", "--optimizer", "momentum:0.9",
                "--particles", "10", "--out", no.toString());
        assertEquals(Main.EXIT_USAGE, lang.code());
        assertTrue(lang.err().contains("--optimizer does not apply"), lang.err());
        Outcome fr = run("sample", "--dynamics", "langevin", "--model", "quadratic", "--friction", "2",
                "--particles", "10", "--out", no.toString());
        assertEquals(Main.EXIT_USAGE, fr.code());
        assertTrue(fr.err().contains("--friction does not apply"), fr.err());
        Outcome ud = run("sample", "--dynamics", "underdamped", "--loss", "double-well", "--integrator", "leimkuhler-matthews",
                "--dt", "10", "--particles", "10", "--out", no.toString());
        assertEquals(Main.EXIT_USAGE, ud.code());
        assertTrue(ud.err().contains("em or baoab"), ud.err());
        Outcome bl = run("sample", "--dynamics", "langevin", "--model", "quadratic", "--integrator", "baoab",
                "--particles", "10", "--out", no.toString());
        assertEquals(Main.EXIT_USAGE, bl.code());
        assertTrue(bl.err().contains("baoab applies to --dynamics underdamped"), bl.err());
        Outcome lm = run("sample", "--dynamics", "underdamped", "--model", "quadratic", "--integrator",
                "leimkuhler-matthews", "--particles", "10", "--out", no.toString());
        assertEquals(Main.EXIT_USAGE, lm.code());
        assertTrue(lm.err().contains("em or baoab"), lm.err());
        Outcome gpu = run("sample", "--dynamics", "underdamped", "--model", "quadratic", "--backend", "gpu",
                "--particles", "10", "--out", no.toString());
        // the GPU runs these models too (GpuCpuCliIT); without a GPU the backend is refused before anything is written
        assertTrue(gpu.code() != 0, gpu.err());
        assertTrue(gpu.err().contains("gpu backend unavailable"), gpu.err());
        assertTrue(!Files.exists(no), "a refused run writes nothing");
    }
}
