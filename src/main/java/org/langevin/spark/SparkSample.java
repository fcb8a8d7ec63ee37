package org.langevin.spark;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.langevin.cli.SpecOptions;
import org.langevin.model.RunSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The Spark launcher: {@code spark-submit --class org.langevin.spark.SparkSample target/langevin.jar
 * sample [the options of sample] --partitions K --out DIR}. Runs the job with {@link SparkSampler} and
 * writes the output directory atomically ({@link SparkOutputs}). As the launcher's entry point it is,
 * with the cli package, a place that prints (a summary on stdout, errors on stderr) and exits.
 */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run a sampling job on Apache Spark: the particles are split into K ranges of whole "
                + "blocks, one task each; the result is bit-identical to `langevin sample` with the same options.")
public final class SparkSample implements Callable<Integer> {
    /** Exit code for bad input, the same as {@code langevin}'s. */
    static final int EXIT_USAGE = org.langevin.cli.Main.EXIT_USAGE;
    /** Exit code for too many diverged particles, the same as {@code langevin}'s. */
    static final int EXIT_DIVERGED = org.langevin.cli.Main.EXIT_DIVERGED;

    @Mixin
    SpecOptions specOptions = new SpecOptions();

    /** Required; checked in {@link #call()} so that {@link #parseSpec} also reads argument lists without it. */
    @Option(names = "--partitions", description = "number of Spark tasks K, 1 … ⌈P/4096⌉ (required)")
    Integer partitions;

    @Option(names = "--threads", defaultValue = "0", description = "CPU threads per task (default: spark.task.cpus)")
    int threads;

    @Option(names = "--noise", defaultValue = "fused", description = "GPU noise: fused | curand (default: ${DEFAULT-VALUE})")
    String noise;

    @Option(names = "--out", description = "output directory (default: runs/spark-sample-<date>-<time>)")
    Path out;

    @Option(names = "--force", description = "overwrite the results in an existing --out directory")
    boolean force;

    @Option(names = "--save-particles", description = "write particles.npy (float32, shape (P, d)), and aux.npy (shape (P, A)) when the particles carry auxiliary state (an optimiser's, underdamped momenta)")
    boolean saveParticles;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec commandSpec;

    /**
     * @param particles P of the run
     * @return P as an int, when the driver can gather every particle ({@code --save-particles})
     * @throws IllegalArgumentException when P exceeds one JVM's arrays (2³¹ − 1), naming the fix
     */
    static int gatherable(long particles) {
        if (particles > org.langevin.model.RunSpec.MAX_ONE_JVM_PARTICLES) {
            throw new IllegalArgumentException("--save-particles gathers every particle on the driver, which holds at most "
                    + org.langevin.model.RunSpec.MAX_ONE_JVM_PARTICLES + " (one Java array a row); --particles " + particles
                    + " runs without it (the statistics are merged from the tasks' block partials)");
        }
        return (int) particles;
    }

    /**
     * Parses the options of {@code sample} (the run definition; options of this launcher are accepted
     * and ignored) into a validated specification. Thread-safe.
     *
     * @throws IllegalArgumentException when the options are malformed or define no valid run
     */
    static RunSpec parseSpec(List<String> args) {
        SparkSample s = new SparkSample();
        try {
            new CommandLine(s).parseArgs(args.toArray(new String[0]));
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        // Each task holds a slice of the particles, so the one-JVM heap check of toSpec() does not apply.
        return s.specOptions.toSpecWithoutMemoryCheck();
    }

    /**
     * The records of the run ({@code --record}, {@code --record-histograms}, {@code --trace}), or null.
     *
     * @throws IllegalArgumentException when the options are malformed
     */
    static org.langevin.series.Recording parseRecording(List<String> args, RunSpec spec) {
        SparkSample s = new SparkSample();
        try {
            new CommandLine(s).parseArgs(args.toArray(new String[0]));
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return s.specOptions.recording(spec);
    }

    @Override
    public Integer call() throws Exception {
        List<String> args = new ArrayList<>(commandSpec.commandLine().getParseResult().originalArgs());
        if (!args.isEmpty() && args.get(0).equals("sample")) {
            args.remove(0); // the launcher's subcommand name, when picocli reports the whole command line
        }
        if (partitions == null) {
            throw new IllegalArgumentException("--partitions K is required: the number of Spark tasks (1 … ⌈P/4096⌉)");
        }
        Path dir = out != null ? out : Path.of("runs", "spark-sample-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        SparkOutputs.checkTarget(dir, force);
        for (String note : SparkOutputs.cleanLeftovers(dir)) {
            commandSpec.commandLine().getErr().println(note);
        }
        SampleJob job = SampleJob.create(args, threads, noise, saveParticles);
        if (saveParticles) {
            gatherable(job.spec().particles());
        }
        BlockRanges.split(job.spec().particles(), partitions);
        SparkConf conf = new SparkConf().setAppName("langevin sample");
        SparkSampler.Outcome outcome;
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            outcome = SparkSampler.run(sc, job, partitions);
        }
        SparkOutputs.write(dir, outcome, force, specOptions.dataSource());
        String scalar = scalarWarning(outcome.devices());
        if (scalar != null) {
            commandSpec.commandLine().getErr().println(scalar);
        }
        commandSpec.commandLine().getOut().printf(Locale.ROOT, "%d particles x %d steps in %d Spark tasks on %s: %.3f s, %.4g particle-steps/s%n"
                        + "results in %s%n", outcome.spec().particles(), outcome.spec().steps(), outcome.partitions(),
                String.join(", ", outcome.devices()), outcome.elapsedSeconds(), outcome.particleStepsPerSecond(), dir);
        org.langevin.report.Divergence divergence = org.langevin.report.Divergence.of(outcome.spec(), outcome.reduction());
        commandSpec.commandLine().getOut().print(divergence.warning());
        commandSpec.commandLine().getOut().flush();
        if (divergence.failed()) {
            commandSpec.commandLine().getErr().println(divergence.error());
            return EXIT_DIVERGED;
        }
        return 0;
    }

    /**
     * @return a warning when some tasks ran the CPU engine's scalar paths (executor JVMs started without the
     *         vector module, which spark-submit does not add), or null
     */
    static String scalarWarning(java.util.Set<String> devices) {
        if (!devices.contains(ExecutorEngines.cpuDevice(false))) {
            return null;
        }
        return "warning: some executors' JVMs lack --add-modules jdk.incubator.vector, so what the CPU engine's native "
                + "kernels do not take there (user models; everything on a CPU "
                + "without AVX-512) ran on its scalar paths: the same bits, several times slower. Add --conf "
                + "spark.executor.extraJavaOptions=--add-modules=jdk.incubator.vector to spark-submit";
    }

    /** The launcher command: its one subcommand is {@code sample}. */
    @Command(name = "langevin-spark", mixinStandardHelpOptions = true, subcommands = SparkSample.class,
            description = "langevin on Apache Spark (run through spark-submit).")
    static final class Launcher implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: sample");
        }
    }

    /** Builds the launcher's command line with the error handling of {@code langevin}. */
    static CommandLine commandLine() {
        return org.langevin.cli.Main.withErrorHandling(new CommandLine(new Launcher()));
    }

    /**
     * Runs the launcher (headless, so plots need no display) and exits with the command's code.
     *
     * @param args the command line: {@code sample} and its options
     */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(commandLine().execute(args));
    }
}
