package org.langevin.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.langevin.Langevin;
import org.langevin.SampleResult;
import org.langevin.engine.Backends;
import org.langevin.engine.Checkpoint;
import org.langevin.engine.CompiledProblem;
import org.langevin.engine.Engine;
import org.langevin.engine.InitialStates;
import org.langevin.engine.ParticleState;
import org.langevin.engine.ProblemCompiler;
import org.langevin.engine.Sampler;
import org.langevin.model.RunSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code langevin sample}: run a sampling job and write its results. */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Advance P independent particles of a dynamics and reduce them into moments with "
                + "standard errors, histograms and plots.")
public final class SampleCommand implements Callable<Integer> {
    /** Name of the file that marks a directory as holding results. */
    static final String RESULTS = "results.json";
    /** Checkpoint sub-directory. */
    static final String CHECKPOINT = "checkpoint";
    /** The command line of the run, for --resume. */
    static final String COMMAND_FILE = "command.json";

    @Mixin
    SpecOptions specOptions = new SpecOptions();

    @Option(names = "--backend", defaultValue = "auto", description = "auto | cpu | gpu | emulated (default: ${DEFAULT-VALUE})")
    String backend;

    @Option(names = "--threads", defaultValue = "0", description = "CPU threads (default: all cores)")
    int threads;

    @Option(names = "--noise", defaultValue = "fused", description = "GPU noise: fused (in-kernel Philox) | curand (JCurand buffer) (default: ${DEFAULT-VALUE})")
    String noise;

    @Option(names = "--out", description = "output directory (default: runs/sample-<date>-<time>)")
    Path out;

    @Option(names = "--force", description = "overwrite the results in an existing --out directory")
    boolean force;

    @Option(names = "--resume", description = "continue the run saved in DIR (give --steps for the new total)")
    Path resume;

    @Option(names = "--save-particles", description = "write particles.npy (float32, shape (P, d))")
    boolean saveParticles;

    @Option(names = "--checkpoint-seconds", defaultValue = "60", description = "wall time between checkpoints (default: ${DEFAULT-VALUE})")
    double checkpointSeconds;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec commandSpec;

    @Override
    public Integer call() throws Exception {
        java.io.PrintWriter err = commandSpec.commandLine().getErr();
        List<String> args = new ArrayList<>(commandSpec.commandLine().getParseResult().originalArgs());
        int self = args.indexOf(commandSpec.name());
        if (self >= 0) {
            args = new ArrayList<>(args.subList(self + 1, args.size()));
        }
        Path dir;
        RunSpec spec;
        ParticleState state;
        if (resume != null) {
            dir = resume;
            SavedCommand saved = SavedCommand.read(dir.resolve(CHECKPOINT).resolve(COMMAND_FILE));
            SampleCommand original = new SampleCommand();
            new CommandLine(original).parseArgs(saved.args().toArray(new String[0]));
            if (commandSpec.commandLine().getParseResult().hasMatchedOption("--steps")) {
                original.specOptions.steps = specOptions.steps;
            }
            spec = original.specOptions.toSpec();
            if (spec.data() != null && !saved.dataHash().equals(SavedCommand.hash(spec.data().kernelData()))) {
                throw new IllegalArgumentException("the training set of " + dir + " has changed since the run started;"
                        + " resuming would not continue the same run");
            }
            state = Checkpoint.load(dir.resolve(CHECKPOINT));
            if (state.particles() != spec.particles() || state.dim() != spec.dim()) {
                throw new IllegalArgumentException("checkpoint in " + dir + " does not match its command ("
                        + state.particles() + " particles of dimension " + state.dim() + ")");
            }
            if (spec.steps() < state.stepsDone()) {
                throw new IllegalArgumentException("--steps " + spec.steps() + " is fewer than the " + state.stepsDone()
                        + " steps " + dir + " already holds");
            }
            saveParticles |= original.saveParticles;
            args = new ArrayList<>(saved.args());
            replaceSteps(args, spec.steps());
            err.printf("resuming %s at step %d of %d%n", dir, state.stepsDone(), spec.steps());
        } else {
            spec = specOptions.toSpec();
            dir = out != null ? out : Path.of("runs", "sample-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
            if (Files.exists(dir.resolve(RESULTS)) || Files.exists(dir.resolve(CHECKPOINT))) {
                if (!force) {
                    throw new IllegalArgumentException("--out " + dir + " already holds a run; use --force to overwrite it, "
                            + "--resume " + dir + " to continue it, or another --out");
                }
                deleteRunFiles(dir);
            }
            state = null;
        }
        CompiledProblem problem = ProblemCompiler.compile(spec);
        // Open the backend before writing anything, so an unusable backend leaves no run directory behind.
        Backends.Selection sel = Backends.open(backend, threads, noise);
        err.println("backend: " + sel.reason());
        if (state == null) {
            try {
                state = InitialStates.create(spec);
                Files.createDirectories(dir.resolve(CHECKPOINT));
                new SavedCommand(args, spec.data() == null ? "" : SavedCommand.hash(spec.data().kernelData()))
                        .write(dir.resolve(CHECKPOINT).resolve(COMMAND_FILE));
                Checkpoint.save(dir.resolve(CHECKPOINT), state);
            } catch (IOException | RuntimeException e) {
                sel.engine().close();
                throw e;
            }
        }
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.set(true);
            try {
                finished.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "langevin-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        ProgressBar bar = new ProgressBar(err, spec.particles(), System.console() != null);
        Sampler.Outcome outcome;
        try (Engine engine = sel.engine()) {
            outcome = Sampler.run(problem, engine, state, spec.steps(),
                    new Sampler.Options(dir.resolve(CHECKPOINT), checkpointSeconds, bar, stop::get));
            bar.finish();
            if (!outcome.completed()) {
                err.printf("interrupted at step %d of %d; the run is saved. Continue it with:%n"
                        + "  java --add-modules jdk.incubator.vector -jar target/langevin.jar sample --resume %s --steps %d%n", state.stepsDone(),
                        spec.steps(), dir, spec.steps());
                return Main.EXIT_INTERRUPTED;
            }
            SampleResult result = Langevin.reduce(spec, outcome, engine.name(), threads);
            org.langevin.report.RunOutputs.write(dir, spec, result, saveParticles);
            commandSpec.commandLine().getOut().print(org.langevin.report.RunOutputs.summary(spec, result, dir));
            commandSpec.commandLine().getOut().flush();
            org.langevin.report.Divergence divergence = result.divergence();
            if (divergence.failed()) {
                err.println(divergence.error());
                return Main.EXIT_DIVERGED;
            }
            return 0;
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is already exiting (Ctrl-C): the hook is running and waits for us.
            }
        }
    }

    private static void replaceSteps(List<String> args, long steps) {
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--steps") && i + 1 < args.size()) {
                args.set(i + 1, Long.toString(steps));
                return;
            }
            if (args.get(i).startsWith("--steps=")) {
                args.set(i, "--steps=" + steps);
                return;
            }
        }
        args.add("--steps");
        args.add(Long.toString(steps));
    }

    private static void deleteRunFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var s = Files.walk(dir)) {
            List<Path> all = s.sorted(java.util.Comparator.reverseOrder()).toList();
            for (Path p : all) {
                if (!p.equals(dir)) {
                    Files.delete(p);
                }
            }
        }
    }

    /** The command line of a run and a hash of its training set, saved for --resume. */
    record SavedCommand(List<String> args, String dataHash) {
        private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

        void write(Path file) throws IOException {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("args", args);
            m.put("dataHash", dataHash);
            JSON.writeValue(file.toFile(), m);
        }

        @SuppressWarnings("unchecked")
        static SavedCommand read(Path file) throws IOException {
            if (!Files.exists(file)) {
                throw new IllegalArgumentException("--resume: " + file.getParent().getParent()
                        + " holds no resumable run (missing " + file + ")");
            }
            Map<String, Object> m = JSON.readValue(file.toFile(), Map.class);
            return new SavedCommand((List<String>) m.get("args"), (String) m.get("dataHash"));
        }

        static String hash(float[] data) {
            try {
                java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * data.length);
                b.asFloatBuffer().put(data);
                return java.util.HexFormat.of().formatHex(md.digest(b.array()));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
