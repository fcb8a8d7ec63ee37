package org.langevin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.langevin.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.langevin.cli.Cli.Outcome;
import org.junit.jupiter.api.io.TempDir;
import org.langevin.engine.MemoryEstimate;
import org.langevin.model.Counts;
import org.langevin.model.RunSpec;
import org.langevin.model.RunSpecBuilder;

/**
 * Through the command line as a user runs it: options that do not apply to the chosen dynamics and
 * loss, out-of-range numbers, malformed counts and runs too large for the heap are refused before the
 * run with one line naming the option, exit code 2, and no --out directory; parse errors print one
 * line and a hint instead of the usage. Every run here is tiny (10 particles, a few steps, seed fixed).
 */
class OptionValidationTest {
    @TempDir
    Path tmp;


    private int runs;


    /** Runs {@code sample --out DIR --steps 2 --seed 3 ARGS} and returns the outcome and DIR. */
    private Path dir;

    Outcome sample(String... args) {
        dir = tmp.resolve("run" + (runs++));
        List<String> a = new ArrayList<>(List.of("sample", "--out", dir.toString(), "--backend", "cpu", "--seed", "3"));
        if (!List.of(args).contains("--particles")) {
            a.addAll(List.of("--particles", "10"));
        }
        if (!List.of(args).contains("--steps")) {
            a.addAll(List.of("--steps", "2"));
        }
        a.addAll(List.of(args));
        return run(a.toArray(new String[0]));
    }

    /** Asserts exit 2, the fragment in the one-line message, and that no --out directory was made. */
    void assertRefused(String fragment, String... args) {
        Outcome o = sample(args);
        assertEquals(Main.EXIT_USAGE, o.code(), o.err());
        assertTrue(o.err().contains(fragment), "message '" + o.err() + "' lacks '" + fragment + "'");
        assertFalse(o.err().contains("Usage:"), "a refusal prints one line, not the usage: " + o.err());
        assertFalse(Files.exists(dir), "a refused run must leave no --out directory: " + dir);
    }

    void assertAccepted(String... args) {
        Outcome o = sample(args);
        assertEquals(0, o.code(), o.err());
        assertTrue(Files.exists(dir.resolve("results.json")), o.err());
    }

    private static final String[] LINREG = {"--loss", "linreg", "--synthetic", "n=50,d=2,seed=1"};

    private static String[] with(String[] base, String... more) {
        String[] r = new String[base.length + more.length];
        System.arraycopy(base, 0, r, 0, base.length);
        System.arraycopy(more, 0, r, base.length, more.length);
        return r;
    }

    @Test
    void optionsOfOtherDynamicsAreRefused() {
        for (String dyn : new String[] {"langevin", "brownian", "gradient-flow"}) {
            assertRefused("--lr does not apply to --dynamics " + dyn, "--dynamics", dyn, "--lr", "0.1");
            assertRefused("--lr-schedule does not apply to --dynamics " + dyn, "--dynamics", dyn, "--lr-schedule", "constant");
            assertRefused("--batch does not apply to --dynamics " + dyn, "--dynamics", dyn, "--batch", "2");
            assertRefused("--sampling does not apply", "--dynamics", dyn, "--sampling", "with-replacement");
            assertRefused("--preconditioner does not apply", "--dynamics", dyn, "--preconditioner", "identity");
            assertRefused("--preconditioner-matrix does not apply", "--dynamics", dyn, "--preconditioner-matrix", "1");
            assertRefused("--sde-noise does not apply", "--dynamics", dyn, "--sde-noise", "constant");
        }
        assertRefused("SGD steps by the learning rate --lr", with(LINREG, "--dynamics", "sgd", "--lr", "0.01", "--dt", "0.1"));
        for (String dyn : new String[] {"gradient-flow", "sgd", "sgd-sde"}) {
            assertRefused("--sigma does not apply to --dynamics " + dyn,
                    with(LINREG, "--dynamics", dyn, "--lr", "0.01", "--sigma", "0.5"));
        }
        assertRefused("--batch does not apply to --dynamics sgd-sde",
                with(LINREG, "--dynamics", "sgd-sde", "--lr", "0.01", "--batch", "2"));
        assertRefused("--loss does not apply to --dynamics brownian: brownian motion has no loss",
                "--dynamics", "brownian", "--loss", "quadratic");
        assertRefused("--posterior-temperature does not apply", with(LINREG, "--dynamics", "gradient-flow",
                "--posterior-temperature"));
    }

    @Test
    void optionsOfOtherLossesAndUnusedDataAreRefused() {
        assertRefused("--quadratic-matrix does not apply to --dynamics langevin with --loss double-well",
                "--quadratic-matrix", "2");
        assertRefused("--quadratic-center does not apply", with(LINREG, "--quadratic-center", "1,1"));
        assertRefused("--noise-variance does not apply", "--loss", "quadratic", "--noise-variance", "2");
        assertRefused("--synthetic does not apply to --dynamics langevin with --loss double-well",
                "--synthetic", "n=10,d=1");
        assertRefused("--synthetic does not apply to --dynamics brownian", "--dynamics", "brownian", "--synthetic", "n=10");
        assertRefused("--prior-variance does not apply to --dynamics brownian", "--dynamics", "brownian",
                "--prior-variance", "1");
        assertRefused("--burn-in does not apply", "--burn-in", "1");
        assertRefused("--posterior-temperature sets σ² = 2/n; give one of them",
                with(LINREG, "--sigma", "0.5", "--posterior-temperature"));
        assertRefused("--preconditioner identity takes no matrix", with(LINREG, "--dynamics", "sgd", "--lr", "0.01",
                "--preconditioner-matrix", "1,1"));
        assertRefused("--preconditioner rmsprop takes no matrix", with(LINREG, "--dynamics", "sgd", "--lr", "0.01",
                "--preconditioner", "rmsprop", "--preconditioner-matrix", "1,1"));
        assertRefused("--lr-schedule scales the learning rate: give --lr", with(LINREG, "--dynamics", "sgd",
                "--lr-schedule", "constant"));
    }

    @Test
    void optionsThatApplyAreAccepted() {
        // The data set as gradient noise of quadratic SGD, and n for the prior of a double-well Langevin run.
        assertAccepted("--dynamics", "sgd", "--loss", "quadratic", "--synthetic", "n=20,d=1,seed=2", "--lr", "0.1",
                "--batch", "2", "--sampling", "without-replacement");
        assertAccepted("--synthetic", "n=20,d=1,seed=2", "--prior-variance", "2", "--sigma", "0.5", "--dt", "0.01");
        assertAccepted(with(LINREG, "--posterior-temperature", "--noise-variance", "0.5"));
        assertAccepted(with(LINREG, "--dynamics", "sgd-sde", "--lr", "0.05", "--sde-noise", "state", "--dt", "0.1"));
        assertAccepted("--average", "--burn-in", "1", "--steps", "3", "--histogram", "1e1,-2,2");
        assertAccepted("--dynamics", "brownian", "--sigma", "0.5", "--dt", "0.1", "--dim", "2");
        assertAccepted(with(LINREG, "--dynamics", "sgd", "--lr", "0.01", "--preconditioner", "diagonal",
                "--preconditioner-matrix", "1,2"));
    }

    @Test
    void numbersAreValidatedWithTheirNames() {
        assertRefused("--prior-variance must be finite and > 0: omit --prior-variance for no prior; got 0",
                with(LINREG, "--prior-variance", "0"));
        assertRefused("--prior-variance must be finite and > 0", with(LINREG, "--prior-variance", "NaN"));
        assertRefused("--prior-variance must be finite and > 0", with(LINREG, "--prior-variance", "Infinity"));
        assertRefused("--dim must be in 1..64, got -1", "--dim", "-1");
        assertRefused("--dim must be in 1..64, got 65", "--dim", "65");
        assertRefused("--sigma must be finite and >= 0, got -1", "--sigma", "-1");
        assertRefused("--sigma must be finite and >= 0, got NaN", "--sigma", "NaN");
        assertRefused("--noise-variance must be finite and > 0", with(LINREG, "--noise-variance", "0"));
        assertRefused("--noise-variance must be finite and > 0", with(LINREG, "--noise-variance", "Infinity"));
        assertRefused("--lr must be finite and > 0, got NaN", with(LINREG, "--dynamics", "sgd", "--lr", "NaN"));
        assertRefused("--steps must be >= 0, got -5", "--steps", "-5");
        assertRefused("--particles must be at least 1, got 0", "--particles", "0");
        assertRefused("--burn-in must be in 0..1", "--average", "--burn-in", "2", "--steps", "2");
        assertRefused("--histogram bins must be in 1..100000", "--histogram", "0,-1,1");
        assertRefused("--histogram bins must be a whole number", "--histogram", "1.5,-1,1");
        assertRefused("--histogram needs finite lo < hi", "--histogram", "10,1,-1");
        assertRefused("--histogram needs finite lo < hi", "--histogram", "10,NaN,1");
        assertRefused("--init normal standard deviation must be finite and >= 0", "--init", "normal:0,-1");
        assertRefused("--init normal standard deviation must be finite and >= 0", "--init", "normal:0,Infinity");
        assertRefused("--init value is not finite", "--init", "normal:NaN,1");
        assertRefused("--synthetic n=2000000000,d=1 has n·(d+1) = 4000000000 values",
                "--loss", "linreg", "--synthetic", "n=2e9,d=1");
        assertRefused("--synthetic n must be in 1..2147483647, got 3e9", "--loss", "linreg", "--synthetic", "n=3e9");
        assertRefused("--synthetic n must be a whole number", "--loss", "linreg", "--synthetic", "n=1.5");
        assertRefused("--synthetic d must be in 1..64, got 0", "--loss", "linreg", "--synthetic", "n=10,d=0");
        assertRefused("--synthetic noise must be finite and >= 0, got NaN", "--loss", "linreg", "--synthetic",
                "n=10,noise=NaN");
        assertRefused("--synthetic: seed is not a number: 'x'", "--loss", "linreg", "--synthetic", "n=10,seed=x");
        assertRefused("Invalid value for option '--seed'", "--seed", "1.5");
    }

    @Test
    void countsAcceptScientificNotationAndUnderscores() {
        assertAccepted("--particles", "1e1", "--steps", "2_0");
        assertAccepted("--particles", "1_000", "--steps", "1e0", "--average", "--burn-in", "0");
        assertAccepted("--loss", "linreg", "--dynamics", "sgd", "--lr", "0.01", "--batch", "1e1", "--synthetic", "n=1e2,d=1");
        assertRefused("Invalid value for option '--particles': '1.5e0' is not a whole number", "--particles", "1.5e0");
        assertRefused("Invalid value for option '--particles': '1e30' is out of range", "--particles", "1e30");
        assertRefused("Invalid value for option '--steps': '_1' is not a whole number", "--steps", "_1");
        assertRefused("Invalid value for option '--batch'", with(LINREG, "--dynamics", "sgd", "--lr", "0.01", "--batch", "2.5"));
        assertEquals(2500, Counts.parse("x", "2.5e3", 0, 10_000));
        assertEquals(1_000_000, Counts.parse("x", "1_000_000", 0, Long.MAX_VALUE));
        assertEquals(Long.MAX_VALUE, Counts.parse("x", "9223372036854775807", 0, Long.MAX_VALUE));
    }

    @Test
    void benchCountsUseTheSameParser() {
        Outcome o = run("bench", "--backends", "cpu", "--particles", "1.5", "--out", tmp.resolve("b").toString());
        assertEquals(Main.EXIT_USAGE, o.code(), o.err());
        assertTrue(o.err().contains("--particles must be a whole number"), o.err());
        assertFalse(Files.exists(tmp.resolve("b")));
        Outcome r = run("bench", "--backends", "cpu", "--repeats", "1e0x", "--out", tmp.resolve("c").toString());
        assertEquals(Main.EXIT_USAGE, r.code(), r.err());
        assertTrue(r.err().contains("Invalid value for option '--repeats'"), r.err());
    }

    @Test
    void parseErrorsPrintOneLineAndAHint() {
        String[][] bad = {
            {"sample", "--dt", "abc"}, {"sample", "--dt"}, {"sample", "stray"}, {"sample", "--bogus"},
            {"check", "--bogus"}, {"bench", "--repeats"}, {"nonsense"},
        };
        for (String[] args : bad) {
            Outcome o = run(args);
            assertEquals(Main.EXIT_USAGE, o.code(), String.join(" ", args) + ": " + o.err());
            String[] lines = o.err().strip().split("\\R");
            assertEquals(2, lines.length, String.join(" ", args) + ": " + o.err());
            assertTrue(lines[0].startsWith("error: "), o.err());
            assertTrue(lines[1].matches("run 'langevin( [a-z]+)? --help' for the options"), o.err());
        }
        Outcome dt = run("sample", "--dt", "abc");
        assertTrue(dt.err().contains("'--dt': 'abc' is not a double"), dt.err());
        assertTrue(dt.err().contains("run 'langevin sample --help' for the options"), dt.err());
        assertTrue(run("sample", "--bogus").err().contains("Unknown option: '--bogus'"));
        assertTrue(run("sample", "stray").err().contains("'stray'"));
    }

    @Test
    void aRunTooLargeForTheHeapIsRefusedBeforeAllocating() {
        // beyond one JVM's arrays (whatever the heap): refused, naming the Spark launcher
        for (String p : new String[] {"2147483647", "1e10"}) {
            Outcome big = sample("--particles", p);
            assertEquals(Main.EXIT_USAGE, big.code(), big.err());
            assertTrue(big.err().contains("is more than one JVM holds (" + MemoryEstimate.MAX_PARTICLES + ":")
                    && big.err().contains("Spark launcher"), big.err());
            assertEquals(1, big.err().strip().lines().count(), big.err());
        }
        Outcome o = sample("--particles", Integer.toString(MemoryEstimate.MAX_PARTICLES));
        long heap = Runtime.getRuntime().maxMemory();
        if (heap > 16L << 30) {
            return; // a heap this large holds the state
        }
        assertEquals(Main.EXIT_USAGE, o.code(), o.err());
        assertTrue(o.err().contains("--particles " + MemoryEstimate.MAX_PARTICLES + " needs about"), o.err());
        assertTrue(o.err().contains("but the heap is " + heap + " bytes"), o.err());
        assertTrue(o.err().contains("at most --particles "), o.err());
        assertTrue(o.err().contains("java -Xmx"), o.err());
        assertFalse(o.err().contains("OutOfMemoryError"), o.err());
        assertFalse(Files.exists(dir));
    }

    @Test
    void memoryEstimateCountsStateAveragesAndData() {
        RunSpec plain = new RunSpecBuilder().particles(1000).dim(3).build();
        MemoryEstimate m = MemoryEstimate.of(plain, 2);
        assertEquals(4L * 3 * 1000, m.stateBytes());
        assertEquals(0, m.averageBytes());
        assertEquals(0, m.dataBytes());
        RunSpec avg = new RunSpecBuilder().particles(1000).dim(3).average(true).steps(10).build();
        assertEquals(8L * 7 * 1000, MemoryEstimate.of(avg, 2).averageBytes());
        // The largest P the message names fits, and one more particle per 4d+8(2d+1) bytes would not.
        long heap = 1L << 30;
        RunSpec big = new RunSpecBuilder().particles(MemoryEstimate.MAX_PARTICLES).dim(3).average(true).steps(10).build();
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> MemoryEstimate.requireFits(big, 2, heap));
        String msg = e.getMessage();
        long fit = Long.parseLong(msg.replaceAll(".*at most --particles (\\d+) fit.*", "$1"));
        MemoryEstimate.requireFits(big.toBuilder().particles((int) fit).build(), 2, heap);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> MemoryEstimate.requireFits(big.toBuilder().particles((int) fit + 1).build(), 2, heap));
    }

    @Test
    void anIndefiniteQuadraticIsRefusedBeforeTheRunAndASemiDefiniteOneRuns() {
        assertRefused("--quadratic-matrix must be positive semi-definite: its smallest eigenvalue is -1.0",
                "--loss", "quadratic", "--dim", "2", "--quadratic-matrix", "1,0;0,-1");
        assertRefused("--quadratic-matrix must be symmetric", "--loss", "quadratic", "--dim", "2",
                "--quadratic-matrix", "1,0.5;0,1");
        // Singular A: Brownian along the null space, a valid simulation (no stationary law is drawn).
        assertAccepted("--loss", "quadratic", "--dim", "2", "--quadratic-matrix", "1,0;0,0");
        assertAccepted("--dynamics", "sgd", "--loss", "quadratic", "--dim", "2", "--quadratic-matrix", "1,0;0,0",
                "--synthetic", "n=10,d=2,seed=1", "--lr", "0.1");
        assertAccepted("--dynamics", "gradient-flow", "--loss", "quadratic", "--dim", "2", "--quadratic-matrix", "0,0;0,0");
    }
}
