package org.langevin.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.langevin.report.Results;
import org.langevin.report.ResultsJson;

/**
 * docs/theory.md oracles O1, O4, O5 and O7 reproduced through the command line, as a user runs them,
 * with 10⁵ particles. Each comparison passes when |estimate − exact| ≤ 4.5 standard errors of the
 * estimate printed in results.json: a false-alarm rate of 6.8·10⁻⁶ per comparison (two-sided normal
 * tail), under 10⁻⁴ for the 14 comparisons of this class. Seeds are fixed, so the outcome is
 * deterministic; the bound says how unlucky a seed would have to be.
 */
class SampleCommandOracleTest {
    /** z bound of every comparison (see the class comment). */
    static final double Z = 4.5;
    static final int P = 100_000;

    @TempDir
    Path tmp;

    static int run(String... args) {
        StringWriter err = new StringWriter();
        var cl = Main.commandLine();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        int code = cl.execute(args);
        if (code != 0) {
            throw new AssertionError("exit " + code + ": " + err);
        }
        return code;
    }

    static void assertWithin(double exact, double estimate, double se, String what) {
        double z = (estimate - exact) / se;
        assertTrue(Math.abs(z) <= Z, what + ": estimate " + estimate + " ± " + se + " vs exact " + exact + " (z = " + z + ")");
    }

    Results sample(String name, String... args) throws IOException {
        List<String> a = new ArrayList<>(List.of("sample", "--backend", "cpu", "--out", tmp.resolve(name).toString()));
        a.addAll(List.of(args));
        run(a.toArray(new String[0]));
        return ResultsJson.read(tmp.resolve(name).resolve("results.json"));
    }

    /** O1: 1-D quadratic SGD, L_i = ½h(Φ−a_i)² as linreg with x_i = 1, y_i = a_i, s² = 1/h. */
    @Test
    void o1QuadraticSgdStationaryLawAndTransient() throws IOException {
        int n = 40;
        double[] a = new double[n];
        SplittableRandom r = new SplittableRandom(11);
        StringBuilder csv = new StringBuilder("x1,y\n");
        for (int i = 0; i < n; i++) {
            a[i] = (float) (2 * r.nextDouble() - 1 + 0.3);
            csv.append("1,").append(a[i]).append('\n');
        }
        Path data = tmp.resolve("a.csv");
        Files.writeString(data, csv);
        double mean = 0;
        for (double v : a) {
            mean += v / n;
        }
        double s2 = 0;
        for (double v : a) {
            s2 += (v - mean) * (v - mean) / n;
        }
        double h = 2.0;
        double eta = 0.3;
        double phi0 = 3.0;
        // Transient at N = 5 steps, B = 1 with replacement (κ = 1).
        int steps = 5;
        Results tr = sample("o1t", "--dynamics", "sgd", "--loss", "linreg", "--data", data.toString(),
                "--noise-variance", Double.toString(1 / h), "--lr", Double.toString(eta), "--init", Double.toString(phi0),
                "--particles", Integer.toString(P), "--steps", Integer.toString(steps), "--seed", "5");
        double q = Math.pow(1 - eta * h, steps);
        assertWithin(mean + (phi0 - mean) * q, tr.coordinates().get(0).mean(), tr.coordinates().get(0).meanStdErr(), "O1 transient mean");
        double vN = eta * h * s2 * (1 - q * q) / (2 - eta * h);
        assertWithin(vN, tr.coordinates().get(0).variance(), tr.coordinates().get(0).varianceStdErr(), "O1 transient variance");
        // Stationary, B = 4 without replacement: κ = (n−B)/(B(n−1)).
        int b = 4;
        double kappa = (double) (n - b) / (b * (n - 1.0));
        Results st = sample("o1s", "--dynamics", "sgd", "--loss", "linreg", "--data", data.toString(),
                "--noise-variance", Double.toString(1 / h), "--lr", Double.toString(eta), "--batch", Integer.toString(b),
                "--sampling", "without-replacement", "--particles", Integer.toString(P), "--steps", "200", "--seed", "6");
        assertWithin(mean, st.coordinates().get(0).mean(), st.coordinates().get(0).meanStdErr(), "O1 stationary mean");
        assertWithin(eta * h * s2 * kappa / (2 - eta * h), st.coordinates().get(0).variance(),
                st.coordinates().get(0).varianceStdErr(), "O1 stationary variance");
        // Excess loss ηh²s²κ/(2(2−ηh)): the loss minus L* = ½h·s² (the loss at ā).
        double lStar = 0.5 * h * s2;
        assertWithin(lStar + eta * h * h * s2 * kappa / (2 * (2 - eta * h)), st.loss().mean(), st.loss().stdErr(),
                "O1 excess loss");
    }

    /** O4: Ornstein–Uhlenbeck by Euler–Maruyama: exact transition and stationary variance s²/(θ(2−θΔt)). */
    @Test
    void o4OrnsteinUhlenbeck() throws IOException {
        double theta = 1.5;
        double mu = 0.7;
        double s = 0.8;
        double dt = 0.1;
        Results st = sample("o4", "--dynamics", "langevin", "--loss", "quadratic", "--quadratic-matrix",
                Double.toString(theta), "--quadratic-center", Double.toString(mu), "--sigma", Double.toString(s),
                "--dt", Double.toString(dt), "--particles", Integer.toString(P), "--steps", "300", "--seed", "7");
        assertWithin(mu, st.coordinates().get(0).mean(), st.coordinates().get(0).meanStdErr(), "O4 stationary mean");
        assertWithin(s * s / (theta * (2 - theta * dt)), st.coordinates().get(0).variance(),
                st.coordinates().get(0).varianceStdErr(), "O4 EM stationary variance");
        // One step from x0: Euler's transition is N(x0 − θ(x0−μ)Δt, s²Δt) exactly.
        double x0 = -1.0;
        Results one = sample("o4one", "--dynamics", "langevin", "--loss", "quadratic", "--quadratic-matrix",
                Double.toString(theta), "--quadratic-center", Double.toString(mu), "--sigma", Double.toString(s),
                "--dt", Double.toString(dt), "--init", Double.toString(x0), "--particles", Integer.toString(P),
                "--steps", "1", "--seed", "8");
        assertWithin(x0 - theta * (x0 - mu) * dt, one.coordinates().get(0).mean(), one.coordinates().get(0).meanStdErr(),
                "O4 one-step mean");
        assertWithin(s * s * dt, one.coordinates().get(0).variance(), one.coordinates().get(0).varianceStdErr(),
                "O4 one-step variance");
    }

    /** O5: Langevin with σ² = 2/n samples the Bayesian linear-regression posterior (EM covariance exact). */
    @Test
    void o5BayesianPosterior() throws IOException {
        int n = 60;
        double noise = 0.5;
        double tau2 = 4.0;
        double dt = 0.02;
        Results r = sample("o5", "--dynamics", "langevin", "--loss", "linreg", "--synthetic",
                "n=" + n + ",d=2,noise=" + noise + ",seed=9", "--noise-variance", Double.toString(noise * noise),
                "--prior-variance", Double.toString(tau2), "--posterior-temperature", "--dt", Double.toString(dt),
                "--particles", Integer.toString(P), "--steps", "1500", "--seed", "10");
        var t = org.langevin.model.TrainingSets.synthetic(n, 2, noise, 9, false);
        // S_N = (XᵀX/s² + I/τ²)⁻¹, m_N = S_N Xᵀy/s²; EM: C = S_N (I − (Δt/2n) S_N⁻¹)⁻¹ (docs/theory.md O5).
        double[][] prec = new double[2][2];
        double[] xty = new double[2];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 2; j++) {
                xty[j] += t.x(i, j) * t.y(i) / (noise * noise);
                for (int k = 0; k < 2; k++) {
                    prec[j][k] += t.x(i, j) * t.x(i, k) / (noise * noise);
                }
            }
        }
        prec[0][0] += 1 / tau2;
        prec[1][1] += 1 / tau2;
        double[][] sn = inv2(prec);
        double[] mn = {sn[0][0] * xty[0] + sn[0][1] * xty[1], sn[1][0] * xty[0] + sn[1][1] * xty[1]};
        double[][] m = {{1 - dt / (2 * n) * prec[0][0], -dt / (2 * n) * prec[0][1]},
                {-dt / (2 * n) * prec[1][0], 1 - dt / (2 * n) * prec[1][1]}};
        double[][] mi = inv2(m);
        double[][] c = {{sn[0][0] * mi[0][0] + sn[0][1] * mi[1][0], sn[0][0] * mi[0][1] + sn[0][1] * mi[1][1]},
                {sn[1][0] * mi[0][0] + sn[1][1] * mi[1][0], sn[1][0] * mi[0][1] + sn[1][1] * mi[1][1]}};
        for (int j = 0; j < 2; j++) {
            var cj = r.coordinates().get(j);
            assertWithin(mn[j], cj.mean(), cj.meanStdErr(), "O5 posterior mean " + j);
            assertWithin(c[j][j], cj.variance(), cj.varianceStdErr(), "O5 posterior variance " + j);
        }
        assertWithin(c[0][1], r.covariance()[0][1], r.covarianceStdErr()[0][1], "O5 posterior covariance");
    }

    /** O7: Brownian motion: Var z(t) = σ²t exactly at any Δt, E z⁴ = 3σ⁴t² (excess kurtosis 0). */
    @Test
    void o7Brownian() throws IOException {
        double sigma = 1.3;
        double dt = 0.25;
        int steps = 16;
        Results r = sample("o7", "--dynamics", "brownian", "--sigma", Double.toString(sigma), "--dt", Double.toString(dt),
                "--dim", "2", "--particles", Integer.toString(P), "--steps", Integer.toString(steps), "--seed", "12",
                "--save-particles");
        double t = dt * steps;
        for (int j = 0; j < 2; j++) {
            var cj = r.coordinates().get(j);
            assertWithin(0, cj.mean(), cj.meanStdErr(), "O7 mean " + j);
            assertWithin(sigma * sigma * t, cj.variance(), cj.varianceStdErr(), "O7 variance " + j);
        }
        // E z⁴ from the saved particles, SE from the sample variance of z⁴.
        float[][] x = org.langevin.report.NpyReader.read(tmp.resolve("o7").resolve("particles.npy"));
        double m4 = 0;
        double m8 = 0;
        for (float v : x[0]) {
            double z4 = Math.pow(v, 4);
            m4 += z4 / P;
            m8 += z4 * z4 / P;
        }
        double se = Math.sqrt((m8 - m4 * m4) / P);
        assertWithin(3 * Math.pow(sigma, 4) * t * t, m4, se, "O7 fourth moment");
    }

    /** --threads 1 and --threads 2 give the same particles.npy; a resumed run equals an uninterrupted one. */
    @Test
    void threadCountAndResumeAreByteIdentical() throws IOException {
        String[] common = {"--dynamics", "langevin", "--loss", "double-well", "--particles", "30001", "--steps", "120",
                "--seed", "3", "--init", "normal:0,0.5", "--save-particles"};
        List<String> a = new ArrayList<>(List.of("sample", "--backend", "cpu", "--threads", "1", "--out", tmp.resolve("t1").toString()));
        a.addAll(List.of(common));
        run(a.toArray(new String[0]));
        List<String> b = new ArrayList<>(List.of("sample", "--backend", "cpu", "--threads", "2", "--out", tmp.resolve("t2").toString()));
        b.addAll(List.of(common));
        run(b.toArray(new String[0]));
        byte[] one = Files.readAllBytes(tmp.resolve("t1/particles.npy"));
        assertArrayEquals(one, Files.readAllBytes(tmp.resolve("t2/particles.npy")));
        // 50 steps, then resume to 120.
        List<String> c = new ArrayList<>(List.of("sample", "--backend", "cpu", "--out", tmp.resolve("r").toString()));
        c.addAll(List.of(common));
        c.set(c.indexOf("120"), "50");
        run(c.toArray(new String[0]));
        run("sample", "--resume", tmp.resolve("r").toString(), "--steps", "120");
        assertArrayEquals(one, Files.readAllBytes(tmp.resolve("r/particles.npy")));
        Results whole = ResultsJson.read(tmp.resolve("t1/results.json"));
        Results resumed = ResultsJson.read(tmp.resolve("r/results.json"));
        assertEquals(whole.coordinates().get(0).variance(), resumed.coordinates().get(0).variance(), 0.0);
        assertEquals(120, resumed.steps());
    }

    /** The emulated device and the CPU engine write the same particles.npy through the CLI. */
    @Test
    void emulatedAndCpuAgreeThroughTheCli() throws IOException {
        String[] common = {"--dynamics", "sgd", "--loss", "logistic", "--synthetic", "n=64,d=3,noise=1,seed=2",
                "--prior-variance", "1", "--lr", "0.2", "--batch", "3", "--particles", "9000", "--steps", "40",
                "--save-particles"};
        List<String> a = new ArrayList<>(List.of("sample", "--backend", "cpu", "--out", tmp.resolve("cpu").toString()));
        a.addAll(List.of(common));
        run(a.toArray(new String[0]));
        List<String> b = new ArrayList<>(List.of("sample", "--backend", "emulated", "--out", tmp.resolve("emu").toString()));
        b.addAll(List.of(common));
        run(b.toArray(new String[0]));
        assertArrayEquals(Files.readAllBytes(tmp.resolve("cpu/particles.npy")),
                Files.readAllBytes(tmp.resolve("emu/particles.npy")));
    }

    private static double[][] inv2(double[][] a) {
        double det = a[0][0] * a[1][1] - a[0][1] * a[1][0];
        return new double[][] {{a[1][1] / det, -a[0][1] / det}, {-a[1][0] / det, a[0][0] / det}};
    }
}
