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

    /**
     * Builds the command line with the project's error handling (message, no stack trace, exit code).
     *
     * @return the command line of {@code langevin} with its subcommands
     */
    public static CommandLine commandLine() {
        return withErrorHandling(new CommandLine(new Main()));
    }

    /**
     * Installs the project's error handling on a command line: bad input (IllegalArgumentException)
     * prints its message and exits {@link #EXIT_USAGE}; any other failure prints one line (the stack
     * trace with LANGEVIN_DEBUG=1) and exits {@link #EXIT_FAILURE}. A command line that does not parse
     * (a malformed value, a missing value, an unknown option, a stray argument) prints the one-line error
     * and a one-line hint to the command's --help, not the whole usage, and exits {@link #EXIT_USAGE};
     * for every subcommand present when this is called.
     *
     * @param cl the command line
     * @return the same command line
     */
    public static CommandLine withErrorHandling(CommandLine cl) {
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr().println("error: " + ex.getMessage());
            cmd.getErr().println("run '" + cmd.getCommandSpec().qualifiedName() + " --help' for the options");
            cmd.getErr().flush();
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof IllegalArgumentException) {
                cmd.getErr().println("error: " + ex.getMessage());
                return EXIT_USAGE;
            }
            cmd.getErr().println("error: " + describe(ex));
            if (System.getenv("LANGEVIN_DEBUG") != null) {
                ex.printStackTrace(cmd.getErr());
            } else {
                cmd.getErr().println("(set LANGEVIN_DEBUG=1 for the stack trace)");
            }
            return EXIT_FAILURE;
        });
        return cl;
    }

    /**
     * One line for a failure: file-system errors name the path and the reason (permission denied, no
     * space left on device, ...), which their own messages often leave out.
     */
    static String describe(Throwable ex) {
        Throwable t = ex;
        String context = null;
        if (t instanceof java.io.UncheckedIOException u && u.getCause() != null) {
            context = u.getMessage();
            t = u.getCause();
        }
        if (t instanceof java.nio.file.FileSystemException f) {
            String reason = f.getReason();
            if (reason == null) {
                reason = f instanceof java.nio.file.AccessDeniedException ? "permission denied"
                        : f instanceof java.nio.file.NoSuchFileException ? "no such file or directory"
                        : f instanceof java.nio.file.NotDirectoryException ? "not a directory"
                        : f instanceof java.nio.file.FileAlreadyExistsException ? "it already exists"
                        : f instanceof java.nio.file.DirectoryNotEmptyException ? "the directory is not empty"
                        : f.getClass().getSimpleName();
            }
            String file = f.getFile() != null ? f.getFile() : "a file";
            return "cannot write " + file + (f.getOtherFile() != null ? " (or " + f.getOtherFile() + ")" : "") + ": "
                    + reason + "; nothing was reported as finished";
        }
        if (context != null) {
            return context;
        }
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }

    /**
     * Runs {@code langevin} and exits with the command's code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        String notice = vectorNotice(args);
        if (notice != null) {
            System.err.println(notice);
        }
        System.exit(commandLine().execute(args));
    }

    /**
     * One line for a run started without the vector module (plain {@code java -jar}), which then takes
     * the scalar paths of the CPU engine wherever its native kernels do not run (it says which); null when the
     * module is there or the command does not sample.
     */
    static String vectorNotice(String[] args) {
        boolean runs = args.length > 0 && (args[0].equals("sample") || args[0].equals("check") || args[0].equals("bench"));
        if (!runs || ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            return null;
        }
        if (org.langevin.engine.cpu.NativeCpu.enabled()) {
            return "note: the CPU engine's vector paths are off (this java was started without "
                    + "--add-modules jdk.incubator.vector, which a jar cannot turn on); its native kernels still run "
                    + "Brownian motion, gradient flow, Langevin, SGD and the SGD SDE on the built-in losses, "
                    + "but user models take the scalar paths, several times slower with the same bits: run java "
                    + "--add-modules jdk.incubator.vector -jar ..., or bin/langevin";
        }
        return "note: the CPU engine's vector paths are off (this java was started without "
                + "--add-modules jdk.incubator.vector, which a jar cannot turn on); they are several times faster with "
                + "the same bits: run java --add-modules jdk.incubator.vector -jar ..., or bin/langevin";
    }

    /** The version the build recorded ({@link org.langevin.Version}). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"langevin " + org.langevin.Version.get()};
        }
    }
}
