package org.langevin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input gets a message naming the value and the fix, and a non-zero exit; no run is overwritten. */
class SampleCommandInputTest {
    @TempDir
    Path tmp;

    record Outcome(int code, String err) {
    }

    Outcome run(String... args) {
        StringWriter err = new StringWriter();
        var cl = Main.commandLine();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        return new Outcome(cl.execute(args), err.toString());
    }

    void assertRejected(String expectedFragment, String... args) {
        String[] a = new String[args.length + 5];
        a[0] = "sample";
        a[1] = "--out";
        a[2] = tmp.resolve("x").toString();
        a[3] = "--particles";
        a[4] = "10";
        System.arraycopy(args, 0, a, 5, args.length);
        Outcome o = run(a);
        assertEquals(Main.EXIT_USAGE, o.code(), o.err());
        assertTrue(o.err().contains(expectedFragment), "message '" + o.err() + "' lacks '" + expectedFragment + "'");
    }

    @Test
    void rejectsBadValuesWithTheirNames() throws Exception {
        assertRejected("--dt must be finite and > 0, got -1.0", "--dt", "-1");
        assertRejected("--dt must be finite and > 0, got 0.0", "--dt", "0");
        assertRejected("--dt must be finite and > 0, got NaN", "--dt", "NaN");
        assertRejected("unknown dynamics 'foo'", "--dynamics", "foo");
        assertRejected("unknown loss 'bar'", "--loss", "bar");
        assertRejected("needs a training set", "--loss", "linreg");
        assertRejected("training-set file not found", "--loss", "linreg", "--data", tmp.resolve("none.csv").toString());
        assertRejected("--quadratic-matrix row 2 has 3 values but --dim is 2", "--loss", "quadratic", "--dim", "2",
                "--quadratic-matrix", "1,0;0,1,3");
        assertRejected("beyond the stable range", "--dt", "0.3");
        assertRejected("beyond the stable range", "--dynamics", "sgd", "--loss", "linreg", "--synthetic", "n=50,d=2,seed=1",
                "--lr", "5");
        Outcome zero = run("sample", "--out", tmp.resolve("z").toString(), "--particles", "0");
        assertEquals(Main.EXIT_USAGE, zero.code());
        assertTrue(zero.err().contains("--particles must be at least 1, got 0"), zero.err());
        assertRejected("dimension mismatch", "--loss", "linreg", "--synthetic", "n=50,d=2,seed=1", "--dim", "3");
        Path bad = tmp.resolve("bad.csv");
        Files.writeString(bad, "x1,y\n1,2\n3,abc\n");
        assertRejected("line 3", "--loss", "linreg", "--data", bad.toString());
        assertRejected("at most 256 distinct", "--dynamics", "sgd", "--loss", "linreg", "--synthetic", "n=500,d=1,seed=1",
                "--lr", "0.01", "--batch", "300", "--sampling", "without-replacement");
        assertRejected("--batch must be in 1..50", "--dynamics", "sgd", "--loss", "linreg", "--synthetic", "n=50,d=1,seed=1",
                "--lr", "0.01", "--batch", "51");
    }

    @Test
    void refusesToOverwriteResultsWithoutForce() {
        Path out = tmp.resolve("run");
        Outcome first = run("sample", "--out", out.toString(), "--particles", "100", "--steps", "3", "--backend", "cpu");
        assertEquals(0, first.code(), first.err());
        Outcome again = run("sample", "--out", out.toString(), "--particles", "100", "--steps", "3", "--backend", "cpu");
        assertEquals(Main.EXIT_USAGE, again.code());
        assertTrue(again.err().contains("--force"), again.err());
        Outcome forced = run("sample", "--out", out.toString(), "--particles", "100", "--steps", "3", "--backend", "cpu", "--force");
        assertEquals(0, forced.code(), forced.err());
        assertTrue(Files.exists(out.resolve("results.json")));
    }

    @Test
    void gpuWithoutADeviceSaysWhatIsMissing() {
        org.junit.jupiter.api.Assumptions.assumeFalse(org.langevin.engine.cuda.CudaProbe.probe().usable(),
                "this machine has a usable GPU; the no-GPU message is tested where there is none");
        Outcome o = run("sample", "--backend", "gpu", "--out", tmp.resolve("g").toString(), "--particles", "10", "--steps", "1");
        assertFalse(o.code() == 0);
        assertTrue(o.err().toLowerCase().contains("gpu"), o.err());
        assertFalse(Files.exists(tmp.resolve("g")), "an unusable backend must leave no run directory");
    }

    @Test
    void helpListsAllFourCommands() {
        StringWriter out = new StringWriter();
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        assertEquals(0, cl.execute("--help"));
        for (String c : new String[] {"sample", "check", "bench", "info"}) {
            assertTrue(out.toString().contains(c), out.toString());
        }
    }
}
