package org.langevin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.langevin.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.langevin.cli.Cli.Outcome;
import org.junit.jupiter.api.io.TempDir;
import org.langevin.report.Results;
import org.langevin.report.ResultsJson;

/**
 * Diverging particles through the command line, as a user runs it: the double well at Δt = 0.15 (the
 * Euler–Maruyama drift step expands |x| beyond r = √(1 + 1/(2Δt)) ≈ 2.08) loses particles, which the
 * run counts, excludes and reports, and exits {@link Main#EXIT_DIVERGED} after writing its results.
 * Also: which z-scores the summary prints. Seeds are fixed, so each outcome is deterministic; the
 * z bounds are 4.5 standard errors, a false-alarm rate of 6.8·10⁻⁶ per comparison (two-sided normal
 * tail). No healthy particle can be flagged by the derived double-well bound (a particle beyond it
 * provably never returns; theory.DivergenceBound), so "0 diverged" has no false alarms.
 */
class SampleCommandDivergenceTest {
    /** z bound of every comparison (class comment). */
    static final double Z = 4.5;

    @TempDir
    Path tmp;



    private Outcome unstable(String name, String... more) {
        String[] base = {"sample", "--dt", "0.15", "--sigma", "1", "--particles", "20000", "--steps", "200",
            "--seed", "5", "--backend", "cpu", "--out", tmp.resolve(name).toString()};
        String[] a = new String[base.length + more.length];
        System.arraycopy(base, 0, a, 0, base.length);
        System.arraycopy(more, 0, a, base.length, more.length);
        return run(a);
    }

    @Test
    void anUnstableRunReportsItsDivergedParticlesAndFailsAfterWritingResults() throws Exception {
        Outcome o = unstable("dw");
        assertEquals(Main.EXIT_DIVERGED, o.code(), o.err());
        Results r = ResultsJson.read(tmp.resolve("dw").resolve("results.json"));
        assertTrue(r.divergedFraction() > 0.01, "the run diverges beyond the default 1 %: " + r.divergedFraction());
        assertEquals((double) r.diverged() / r.particles(), r.divergedFraction(), 1e-15);
        assertTrue(r.divergence().startsWith("FAILED"), r.divergence());
        assertTrue(Double.isFinite(r.divergenceBound()) && r.divergenceBound() > 2.08 && r.divergenceBound() < 100,
                "the double-well escape bound: " + r.divergenceBound());
        double var = r.coordinates().get(0).variance();
        assertTrue(Double.isFinite(var) && var > 0 && var < 10, "the statistics exclude the diverged: " + var);
        Matcher m = Pattern.compile("WARNING: (\\d+) of 20000 particles").matcher(o.out());
        assertTrue(m.find(), o.out());
        assertEquals(r.diverged(), Long.parseLong(m.group(1)));
        assertTrue(o.err().contains("error: ") && o.err().contains("--max-diverged-fraction"), o.err());
        assertTrue(Files.exists(tmp.resolve("dw").resolve("histogram_x1.png")));
    }

    @Test
    void aLargerThresholdLetsTheSameRunSucceedWithTheWarning() throws Exception {
        Outcome o = unstable("dw1", "--max-diverged-fraction", "1");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("WARNING: "), o.out());
        Results r = ResultsJson.read(tmp.resolve("dw1").resolve("results.json"));
        assertTrue(r.diverged() > 0);
        assertTrue(r.divergence().startsWith("WARNING"), r.divergence());
    }

    @Test
    void aHealthyRunReportsNoDivergence() throws Exception {
        Outcome o = run("sample", "--dt", "0.01", "--particles", "20000", "--steps", "300", "--backend", "cpu",
                "--out", tmp.resolve("ok").toString());
        assertEquals(0, o.code(), o.err());
        assertFalse(o.out().contains("WARNING"), o.out());
        Results r = ResultsJson.read(tmp.resolve("ok").resolve("results.json"));
        assertEquals(0, r.diverged());
        assertEquals(0.0, r.divergedFraction());
        assertTrue(r.divergence().startsWith("none"), r.divergence());
    }

    @Test
    void aRunWhoseEveryParticleDivergedFailsWhateverTheThreshold() throws Exception {
        Outcome o = run("sample", "--loss", "quadratic", "--init", "1", "--steps", "0", "--particles", "5000",
                "--divergence-bound", "1e-3", "--max-diverged-fraction", "1", "--backend", "cpu",
                "--out", tmp.resolve("all").toString());
        assertEquals(Main.EXIT_DIVERGED, o.code(), o.err());
        Results r = ResultsJson.read(tmp.resolve("all").resolve("results.json"));
        assertEquals(5000, r.diverged());
        assertEquals(1e-3, r.divergenceBound());
    }

    @Test
    void rejectsBadBoundsAndThresholds() {
        for (String[] bad : new String[][] {{"--divergence-bound", "-1"}, {"--divergence-bound", "NaN"},
            {"--divergence-bound", "Infinity"}, {"--max-diverged-fraction", "1.5"},
            {"--max-diverged-fraction", "NaN"}, {"--max-diverged-fraction", "-0.1"}}) {
            Outcome o = run("sample", "--particles", "10", "--steps", "1", "--backend", "cpu",
                    "--out", tmp.resolve("bad").toString(), bad[0], bad[1]);
            assertEquals(Main.EXIT_USAGE, o.code(), String.join(" ", bad) + ": " + o.err());
            assertTrue(o.err().contains(bad[0]), o.err());
        }
    }

    /** The README's demo (smaller): a continuous-time reference only, so no z, but the Euler-chain identity with one. */
    @Test
    void theDoubleWellSummaryPrintsNoZAgainstTheContinuousTimeLaw() throws Exception {
        Outcome o = run("sample", "--dynamics", "langevin", "--loss", "double-well", "--sigma", "1", "--dt", "0.01",
                "--steps", "2000", "--particles", "50000", "--histogram", "120,-2.5,2.5", "--backend", "cpu",
                "--out", tmp.resolve("demo").toString());
        assertEquals(0, o.code(), o.err());
        String header = o.out().lines().filter(l -> l.startsWith("coordinate")).findFirst().orElseThrow();
        assertTrue(header.contains("continuous-time reference, bias O(Δt)"), header);
        assertFalse(header.trim().endsWith(" z") || header.contains("exact variance"), header);
        Matcher m = Pattern.compile("Euler-chain identity .*: (\\S+) ± (\\S+) vs 0\\.500000, z = (\\S+)").matcher(o.out());
        assertTrue(m.find(), o.out());
        double z = Double.parseDouble(m.group(3));
        assertTrue(Math.abs(z) <= Z, "the Euler-chain identity holds: z = " + z);
        Results r = ResultsJson.read(tmp.resolve("demo").resolve("results.json"));
        assertEquals(Boolean.FALSE, r.theory().get("exactForScheme"));
        assertEquals("continuous-time reference, bias O(dt)", r.theory().get("reference"));
    }

    @Test
    void aQuadraticLangevinSummaryPrintsZAgainstTheExactEulerChainLaw() throws Exception {
        Outcome o = run("sample", "--loss", "quadratic", "--dt", "0.2", "--steps", "300", "--particles", "50000",
                "--backend", "cpu", "--out", tmp.resolve("q").toString());
        assertEquals(0, o.code(), o.err());
        String header = o.out().lines().filter(l -> l.startsWith("coordinate")).findFirst().orElseThrow();
        assertTrue(header.contains("exact variance") && header.trim().endsWith(" z"), header);
        String row = o.out().lines().filter(l -> l.startsWith("x1")).findFirst().orElseThrow();
        String[] cells = row.trim().split("\\s+");
        double exact = Double.parseDouble(cells[5]);
        double z = Double.parseDouble(cells[6]);
        assertEquals(1 / (1 * (2 - 0.2)), exact, 1e-5, "EM stationary variance σ²/(a(2 − aΔt)) (docs/theory.md O4)");
        assertTrue(Math.abs(z) <= Z, row);
        Results r = ResultsJson.read(tmp.resolve("q").resolve("results.json"));
        assertEquals(Boolean.TRUE, r.theory().get("exactForScheme"));
    }
}
