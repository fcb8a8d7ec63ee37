package org.langevin.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/** Runs the command line in this JVM, as a user would type it, and keeps its exit code and output (tests). */
final class Cli {
    private Cli() {
    }

    /** The exit code, standard output and standard error of one command. */
    record Outcome(int code, String out, String err) {
    }

    static Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Outcome(code, out.toString(), err.toString());
    }

    static Outcome run(List<String> args) {
        return run(args.toArray(new String[0]));
    }
}
