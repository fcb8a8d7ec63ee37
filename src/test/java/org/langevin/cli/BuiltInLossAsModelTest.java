package org.langevin.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.langevin.cli.Cli.Outcome;
import org.langevin.model.BuiltInModels;
import org.langevin.model.Dynamics;
import org.langevin.model.LossKind;
import org.langevin.report.NpyReader;

/**
 * The built-in losses run with the options that exist on the model path only (the optimisers other than
 * sgd, underdamped Langevin, Leimkuhler–Matthews) as the model {@link BuiltInModels} writes: the model's
 * text is the built-in (under plain SGD it gives the built-in's particles bit for bit for linreg and
 * logistic, with and without a prior); the runs give the same bytes on the CPU engine and the emulated
 * device; results.json names the built-in; a rate or step beyond the scheme's stable range is refused
 * before anything is written. Deterministic (fixed seeds, byte comparisons).
 */
class BuiltInLossAsModelTest {
    @TempDir
    Path tmp;

    /** A CSV of n rows with d features; labels ±1 (or 0/1) for logistic, a noisy linear target otherwise. */
    private Path csv(String name, int d, boolean classification, boolean zeroOne) throws Exception {
        java.util.Random r = new java.util.Random(11);
        StringBuilder s = new StringBuilder();
        for (int j = 1; j <= d; j++) {
            s.append('x').append(j).append(',');
        }
        s.append("y\n");
        for (int i = 0; i < 50; i++) {
            double z = 0;
            for (int j = 0; j < d; j++) {
                float v = (float) r.nextGaussian();
                z += v * (j % 2 == 0 ? 1 : -0.5);
                s.append(v).append(',');
            }
            boolean pos = z + 0.5 * r.nextGaussian() > 0;
            s.append(classification ? (pos ? "1" : zeroOne ? "0" : "-1") : Float.toString((float) (z + 0.3 * r.nextGaussian())))
                    .append('\n');
        }
        Path p = tmp.resolve(name + ".csv");
        Files.writeString(p, s);
        return p;
    }

    private Outcome ok(List<String> args) {
        Outcome o = run(args);
        assertEquals(0, o.code(), String.join(" ", args) + "\n" + o.err());
        return o;
    }

    private static List<String> args(String... a) {
        return new ArrayList<>(List.of(a));
    }

    /** The written model under plain SGD = the built-in, bit for bit (so the optimisers run the built-in's loss). */
    @ParameterizedTest
    @ValueSource(strings = {"linreg|0", "linreg|2.5", "logistic|0", "logistic|4"})
    void theWrittenModelIsTheBuiltInLossBitForBit(String c) throws Exception {
        String name = c.split("\\|")[0];
        double tau2 = Double.parseDouble(c.split("\\|")[1]);
        boolean logistic = name.equals("logistic");
        int d = logistic ? 3 : 4;
        Path data = csv(name, d, logistic, false);
        var ds = org.langevin.model.TrainingSets.readCsv(data);
        String text = BuiltInModels.text(logistic ? LossKind.LOGISTIC : LossKind.LINREG, Dynamics.SGD, d, null, null, 1.0,
                tau2, logistic ? ds.withSignLabels() : ds);
        Path model = tmp.resolve(name + ".model");
        Files.writeString(model, text);
        List<String> common = args("--dynamics", "sgd", "--lr", "0.05", "--batch", "3", "--data", data.toString(), "--steps", "60",
                "--particles", "2000", "--seed", "4", "--backend", "cpu", "--save-particles", "--force");
        List<String> b = args("sample", "--loss", name, "--dim", Integer.toString(d), "--out", tmp.resolve("b").toString());
        b.addAll(common);
        if (tau2 > 0) {
            b.addAll(List.of("--prior-variance", Double.toString(tau2)));
        }
        List<String> m = args("sample", "--model", model.toString(), "--out", tmp.resolve("m").toString());
        m.addAll(common);
        ok(b);
        ok(m);
        if (tau2 == 0) {
            assertArrayEquals(Files.readAllBytes(tmp.resolve("b/particles.npy")), Files.readAllBytes(tmp.resolve("m/particles.npy")), c);
        } else {
            // With a prior the built-in adds the prior's gradient once to the batch mean, the model adds it inside
            // every example's loss: the same loss, rounded differently; equal to float precision.
            float[][] pb = NpyReader.read(tmp.resolve("b/particles.npy"));
            float[][] pm = NpyReader.read(tmp.resolve("m/particles.npy"));
            double worst = 0;
            for (int j = 0; j < d; j++) {
                for (int i = 0; i < pb[j].length; i++) {
                    worst = Math.max(worst, Math.abs(pb[j][i] - pm[j][i]) / (1 + Math.abs(pb[j][i])));
                }
            }
            assertTrue(worst < 1e-4, c + ": relative difference " + worst);
        }
    }

    /** Each option that runs on models only, on each built-in loss it applies to: cpu = emulated, bytes and aux. */
    @ParameterizedTest
    @ValueSource(strings = {
        "--dynamics sgd --loss linreg --dim 3 --lr 0.05 --batch 2 --optimizer adam:b1=0.8,b2=0.99,eps=1e-6|data",
        "--dynamics sgd --loss logistic --dim 3 --lr 0.1 --optimizer nesterov:0.9 --prior-variance 2|labels01",
        "--dynamics sgd --loss quadratic --dim 2 --lr 0.1 --optimizer momentum:0.5 --sampling without-replacement --batch 4|data",
        "--dynamics sgd --loss double-well --dim 2 --lr 0.01 --optimizer rmsprop:rho=0.9,eps=1e-4 --init normal:1,0.1|data",
        "--dynamics underdamped --loss double-well --integrator baoab --friction 2 --dt 0.05 --sigma 0.8|",
        "--dynamics underdamped --loss quadratic --dim 2 --integrator em --friction 1 --dt 0.05|",
        "--dynamics langevin --loss quadratic --dim 2 --integrator leimkuhler-matthews --dt 0.3|",
    })
    void eachModelOnlyOptionRunsOnTheBuiltInLossesWithTheSameBytesOnEveryBackend(String c) throws Exception {
        String[] part = c.split("\\|", -1);
        List<String> opts = args(part[0].split(" "));
        String loss = opts.get(opts.indexOf("--loss") + 1);
        int d = opts.contains("--dim") ? Integer.parseInt(opts.get(opts.indexOf("--dim") + 1)) : 1;
        if (!part[1].isEmpty()) {
            opts.addAll(List.of("--data", csv(loss, d, loss.equals("logistic"), part[1].equals("labels01")).toString()));
        }
        opts.addAll(List.of("--steps", "50", "--particles", "3000", "--seed", "9", "--save-particles", "--force"));
        byte[] first = null;
        byte[] firstAux = null;
        for (String backend : List.of("cpu", "emulated")) {
            Path out = tmp.resolve(backend);
            List<String> a = args("sample", "--backend", backend, "--out", out.toString());
            a.addAll(opts);
            ok(a);
            JsonNode spec = new ObjectMapper().readTree(out.resolve("results.json").toFile()).get("spec");
            assertEquals("built-in --loss " + loss + " (as a model)", spec.get("model").get("source").asText(), c);
            byte[] x = Files.readAllBytes(out.resolve("particles.npy"));
            byte[] aux = Files.exists(out.resolve("aux.npy")) ? Files.readAllBytes(out.resolve("aux.npy")) : new byte[0];
            assertEquals(!opts.contains("leimkuhler-matthews"), aux.length > 0, c + ": aux.npy holds the optimiser's or p's state");
            if (first == null) {
                first = x;
                firstAux = aux;
            } else {
                assertArrayEquals(first, x, c + ": particles.npy, cpu vs emulated");
                assertArrayEquals(firstAux, aux, c + ": aux.npy, cpu vs emulated");
            }
        }
        float[][] x = NpyReader.read(tmp.resolve("cpu/particles.npy"));
        for (float[] row : x) {
            for (float v : row) {
                assertTrue(Float.isFinite(v), c + ": a particle is not finite");
            }
        }
    }

    @Test
    void leimkuhlerMatthewsOnAQuadraticIsExactWhereEulerIsBiased() throws Exception {
        // OU-type check on the built-in quadratic (A = I, σ = 1): LM's stationary variance is σ²/2 = 0.5 at any stable
        // Δt; Euler–Maruyama's is σ²/(2 − Δt) = 0.5882 at Δt = 0.3. 10⁵ particles, 400 steps (stationary to 10⁻⁶²):
        // SE of the variance ≈ 0.5·√(2/10⁵) = 0.0022; 4.5 SE = 0.010, a false-alarm rate of 7·10⁻⁶ per comparison.
        List<String> common = args("--dynamics", "langevin", "--loss", "quadratic", "--dt", "0.3", "--sigma", "1", "--steps",
                "400", "--particles", "100000", "--seed", "3", "--backend", "cpu", "--force");
        List<String> lm = args("sample", "--integrator", "leimkuhler-matthews", "--out", tmp.resolve("lm").toString());
        lm.addAll(common);
        List<String> em = args("sample", "--out", tmp.resolve("em").toString());
        em.addAll(common);
        ok(lm);
        ok(em);
        JsonNode l = new ObjectMapper().readTree(tmp.resolve("lm/results.json").toFile());
        JsonNode e = new ObjectMapper().readTree(tmp.resolve("em/results.json").toFile());
        double vl = l.get("coordinates").get(0).get("variance").asDouble();
        double ve = e.get("coordinates").get(0).get("variance").asDouble();
        assertTrue(Math.abs(vl - 0.5) < 0.010, "LM variance " + vl);
        assertTrue(Math.abs(ve - 1 / 1.7) < 0.012, "EM variance " + ve);
        assertTrue(Math.abs(ve - 0.5) > 0.05, "EM's bias at this Δt must show");
        // The Euler chain's identity is the Euler chain's: not claimed for LM.
        assertFalse(l.get("theory").has("emIdentity"), l.get("theory").toString());
    }

    @Test
    void aRateBeyondTheSchemesStableRangeIsRefusedBeforeAnythingIsWritten() throws Exception {
        Path data = csv("q", 1, false, false);
        Path out = tmp.resolve("refused");
        Outcome o = run(args("sample", "--dynamics", "sgd", "--loss", "quadratic", "--data", data.toString(), "--lr", "4",
                "--optimizer", "momentum:0.9", "--steps", "10", "--particles", "10", "--out", out.toString()));
        assertNotEquals(0, o.code());
        assertTrue(o.err().contains("--lr 4.0 is beyond the stable range of --optimizer momentum:0.9")
                && o.err().contains("use --lr below 3.80000"), o.err());
        assertEquals(1, o.err().strip().lines().count(), o.err());
        assertFalse(Files.exists(out), "a refused run must not create its directory");
        Outcome u = run(args("sample", "--dynamics", "underdamped", "--loss", "double-well", "--integrator", "baoab", "--dt", "0.8",
                "--steps", "10", "--particles", "10", "--out", out.toString()));
        assertNotEquals(0, u.code());
        assertTrue(u.err().contains("BAOAB needs Δt·√λ_max < 2") && u.err().contains("use --dt below 0.707107"), u.err());
    }
}
