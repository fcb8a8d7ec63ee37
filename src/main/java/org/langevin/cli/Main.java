package org.langevin.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code java -jar langevin.jar}. The only place (with its subcommands) that exits. */
@Command(name = "langevin", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "GPU-accelerated batch sampler for the stochastic dynamics of learning.",
        subcommands = {SampleCommand.class, CheckCommand.class, BenchCommand.class, InfoCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit code for bad input (a parameter out of range, a missing file). */
    public static final int EXIT_USAGE = 2;
    /** Exit code for a failure while running (a device error, an I/O error). */
    public static final int EXIT_FAILURE = 1;
    /**
     * Exit code for a run in which more than --max-diverged-fraction of the particles (or all of them)
     * diverged: its results are written, but its statistics describe only the particles that stayed.
     */
    public static final int EXIT_DIVERGED = 3;
    /** Exit code for a run stopped by Ctrl-C (resumable). */
    public static final int EXIT_INTERRUPTED = 130;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: sample, check, bench or info");
    }

    /** Builds the command line with the project's error handling (message, no stack trace, exit code). */
    public static CommandLine commandLine() {
        return withErrorHandling(new CommandLine(new Main()));
    }

    /**
     * Installs the project's error handling on a command line: bad input (IllegalArgumentException)
     * prints its message and exits {@link #EXIT_USAGE}; any other failure prints one line (the stack
     * trace with LANGEVIN_DEBUG=1) and exits {@link #EXIT_FAILURE}.
     */
    public static CommandLine withErrorHandling(CommandLine cl) {
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof IllegalArgumentException) {
                cmd.getErr().println("error: " + ex.getMessage());
                return EXIT_USAGE;
            }
            cmd.getErr().println("error: " + (ex.getMessage() != null ? ex.getMessage() : ex.toString()));
            if (System.getenv("LANGEVIN_DEBUG") != null) {
                ex.printStackTrace(cmd.getErr());
            } else {
                cmd.getErr().println("(set LANGEVIN_DEBUG=1 for the stack trace)");
            }
            return EXIT_FAILURE;
        });
        return cl;
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(commandLine().execute(args));
    }

    /** Version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"langevin " + (v == null ? "(development build)" : v)};
        }
    }
}
