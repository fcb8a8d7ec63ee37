package org.langevin.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
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
import org.langevin.report.RunDirectory;
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

    @Option(names = "--devices", description = "GPUs to use, e.g. 0,2: particle blocks are split between them, same "
            + "bytes as one GPU (default: every visible GPU; gpu and auto backends)")
    String devices;

    @Option(names = "--noise", defaultValue = "fused", description = "GPU noise: fused (in-kernel Philox) | curand (JCurand buffer) (default: ${DEFAULT-VALUE})")
    String noise;

    @Option(names = "--out", description = "output directory (default: runs/sample-<date>-<time>)")
    Path out;

    @Option(names = "--force", description = "overwrite the results in an existing --out directory")
    boolean force;

    @Option(names = "--resume", description = "continue the run saved in DIR (give --steps for the new total)")
    Path resume;

    @Option(names = "--save-particles", description = "write particles.npy (float32, shape (P, d)), and aux.npy (shape (P, A)) when the particles carry auxiliary state (an optimiser's, underdamped momenta)")
    boolean saveParticles;

    @Option(names = "--drop-checkpoint", description = "delete checkpoint/ once the results are written (saves "
            + "4·d bytes a particle on disk; the run can then not be continued with --resume)")
    boolean dropCheckpoint;

    @Option(names = "--checkpoint-seconds", defaultValue = "60", description = "wall time between checkpoints, in "
            + "seconds (default: ${DEFAULT-VALUE}; 0: after every segment)")
    double checkpointSeconds;

    @Option(names = "--plot-format", paramLabel = "png|svg|pdf", description = "format of the plots: png (800×600 "
            + "pixels), svg or pdf (vector graphics) (default: png, or the resumed run's)")
    String plotFormat;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec commandSpec;

    /** Options that may change when a run is resumed (the rest define the run). */
    static final java.util.Set<String> RESUME_MAY_CHANGE = java.util.Set.of("--resume", "--steps", "--threads",
            "--backend", "--checkpoint-seconds", "--save-particles", "--out", "--drop-checkpoint", "--plot-format");

    @Override
    public Integer call() throws Exception {
        java.io.PrintWriter err = commandSpec.commandLine().getErr();
        if (!(checkpointSeconds >= 0) || Double.isInfinite(checkpointSeconds)) {
            throw new IllegalArgumentException("--checkpoint-seconds must be finite and >= 0 (0: after every segment), got "
                    + checkpointSeconds);
        }
        org.langevin.report.PlotFormat format = plotFormat == null ? null
                : org.langevin.report.PlotFormat.parse(plotFormat);
        List<String> args = new ArrayList<>(commandSpec.commandLine().getParseResult().originalArgs());
        int self = args.indexOf(commandSpec.name());
        if (self >= 0) {
            args = new ArrayList<>(args.subList(self + 1, args.size()));
        }
        RunSpec spec;
        ParticleState state;
        RunDirectory runDir = null;
        SavedCommand saved = null;
        Path dir;
        org.langevin.series.Recording recording;
        List<org.langevin.series.SeriesPoint> taken = List.of();
        try {
            if (resume != null) {
                if (force) {
                    throw new IllegalArgumentException("--force does not apply to --resume: the run continues in " + resume);
                }
                if (out != null && !out.toAbsolutePath().normalize().equals(resume.toAbsolutePath().normalize())) {
                    throw new IllegalArgumentException("--out " + out + " does not apply to --resume: the run continues in "
                            + resume + " (drop --out)");
                }
                dir = resume;
                runDir = RunDirectory.reopen(dir, RunDirectory.Kind.SAMPLE, CHECKPOINT, "--resume");
                Path ck = runDir.workDir().resolve(CHECKPOINT);
                saved = SavedCommand.read(ck.resolve(COMMAND_FILE), dir);
                SampleCommand original = parse(saved.args());
                refuseConflicts(original, saved);
                boolean newTarget = commandSpec.commandLine().getParseResult().hasMatchedOption("--steps")
                        && !java.util.Objects.equals(original.specOptions.steps, specOptions.steps);
                if (newTarget) {
                    original.specOptions.steps = specOptions.steps;
                }
                spec = original.specOptions.toSpec();
                if (!saved.dataHash().equals(SavedCommand.inputsHash(spec))) {
                    throw new IllegalArgumentException("the training set or model file of " + dir + " has changed since the "
                            + "run started; resuming would not continue the same run");
                }
                state = Checkpoint.load(ck, saved.runDigest());
                recording = original.specOptions.recording(spec);
                if (state.particles() != spec.particles() || state.dim() != spec.dim()) {
                    throw new IllegalArgumentException("checkpoint in " + dir + " does not match its command ("
                            + state.particles() + " particles of dimension " + state.dim() + ")");
                }
                if (spec.steps() < state.stepsDone()) {
                    throw new IllegalArgumentException("--steps " + spec.steps() + " is fewer than the " + state.stepsDone()
                            + " steps " + dir + " already holds");
                }
                if (recording != null) {
                    taken = org.langevin.series.SeriesRecorder.load(ck, recording, state.stepsDone());
                }
                saveParticles |= original.saveParticles;
                noise = original.noise;
                if (format == null && original.plotFormat != null) {
                    format = org.langevin.report.PlotFormat.parse(original.plotFormat);
                }
                // the saved command names the run's current target, so that it never contradicts the run
                if (newTarget) {
                    saved = saved.withSteps(spec.steps());
                    saved.write(ck.resolve(COMMAND_FILE));
                }
                err.printf("resuming %s at step %d of %d%n", dir, state.stepsDone(), spec.steps());
            } else {
                spec = specOptions.toSpec();
                recording = specOptions.recording(spec);
                dir = out != null ? out : Path.of("runs", "sample-"
                        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
                RunDirectory.precheck(dir, RunDirectory.Kind.SAMPLE, force, "--out");
                state = null;
            }
        } catch (IOException | RuntimeException e) {
            if (runDir != null) {
                runDir.close();
            }
            throw e;
        }
        CompiledProblem problem;
        Backends.Selection sel;
        try {
            problem = ProblemCompiler.compile(spec);
            // Open the backend before writing anything, so an unusable backend leaves no run directory behind.
            // auto runs a user model on the GPU only when this machine can also compile its CUDA kernel.
            String chosen = backend;
            if (spec.model() != null && backend.equals("auto")) {
                String compiler = org.langevin.engine.cuda.ModelPtx.describeCompiler();
                if (compiler.startsWith("unavailable")) {
                    chosen = "cpu";
                    err.println("backend: auto runs this model on the CPU engine: the GPU's model compiler is " + compiler);
                }
            }
            sel = Backends.open(chosen, threads, noise, parseDevices(devices, backend));
        } catch (RuntimeException e) {
            if (runDir != null) {
                runDir.close();
            }
            throw e;
        }
        err.println("backend: " + sel.reason());
        try {
            if (runDir == null) {
                runDir = RunDirectory.claim(dir, RunDirectory.Kind.SAMPLE, force, "--out");
                if (runDir.replacing()) {
                    err.println("--force: the results in " + dir + " stay until this run has written its own");
                }
                state = InitialStates.create(spec);
                saved = SavedCommand.create(args, SavedCommand.inputsHash(spec));
                Path ck = runDir.workDir().resolve(CHECKPOINT);
                Files.createDirectories(ck);
                saved.write(ck.resolve(COMMAND_FILE));
                Files.deleteIfExists(ck.resolve(org.langevin.series.SeriesRecorder.FILE));
                Files.deleteIfExists(ck.resolve(RunClock.FILE));
                Checkpoint.save(ck, state, saved.runDigest());
            }
        } catch (IOException | RuntimeException e) {
            sel.engine().close();
            if (runDir != null) {
                runDir.close();
            }
            throw e;
        }
        Path work = runDir.workDir();
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
        org.langevin.series.SeriesRecorder recorder = recording == null ? null
                : new org.langevin.series.SeriesRecorder(spec, recording, taken, threads);
        RunClock clock = new RunClock(RunClock.read(work.resolve(CHECKPOINT)), state, bar, recorder);
        try (RunDirectory owned = runDir; Engine engine = sel.engine()) {
            if (engine instanceof org.langevin.engine.device.DeviceEngine device && spec.model() == null) {
                try {
                    err.println("device plan: " + device.plan(problem, state).describe());
                } catch (IllegalArgumentException e) {
                    // the session's open reports a budget too small, with the bytes
                }
            }
            outcome = Sampler.run(problem, engine, state, spec.steps(),
                    new Sampler.Options(work.resolve(CHECKPOINT), checkpointSeconds, clock, stop::get, saved.runDigest())
                            .withRecorder(clock));
            bar.finish();
            if (recorder != null) {
                err.printf(java.util.Locale.ROOT, "records: %d taken in this run (%d reduced on the device, %d on the host), "
                                + "%.3f s of reductions (%.1f %% of %.3f s)%n", recorder.takenHere(), recorder.deviceRecords(),
                        recorder.hostRecords(), recorder.seconds(), 100 * recorder.seconds() / Math.max(1e-9,
                                outcome.elapsedSeconds()), outcome.elapsedSeconds());
            }
            if (!outcome.completed()) {
                err.printf("interrupted at step %d of %d; the run is saved. Continue it with:%n"
                        + "  java --add-modules jdk.incubator.vector -jar target/langevin.jar sample --resume %s --steps %d%n", state.stepsDone(),
                        spec.steps(), dir, spec.steps());
                return Main.EXIT_INTERRUPTED;
            }
            // results.json's elapsed time and rate cover every part of a resumed run
            Sampler.Outcome whole = new Sampler.Outcome(outcome.state(), true,
                    clock.totalSeconds(outcome.elapsedSeconds()), clock.totalParticleSteps(outcome.particleSteps()));
            SampleResult result = Langevin.reduce(spec, whole, engine.name(), threads);
            try {
                Map<String, Object> series = recorder == null ? null
                        : org.langevin.series.SeriesOutputs.write(work, spec, recording, recorder.points(),
                                format == null ? org.langevin.report.PlotFormat.PNG : format);
                Map<String, Object> extra = (resume != null ? parse(saved.args()).specOptions : specOptions).dataSource();
                org.langevin.report.RunOutputs.write(work, spec, result.reduction(), result.state().stepsDone(),
                        result.backend(), result.elapsedSeconds(), result.particleStepsPerSecond(),
                        saveParticles ? result.state().x() : null, extra, series,
                        format == null ? org.langevin.report.PlotFormat.PNG : format, result.state().x(),
                        result.state().aux(), saveParticles);
                owned.commit();
                if (dropCheckpoint) {
                    RunDirectory.deleteTree(dir.resolve(CHECKPOINT));
                }
            } catch (java.nio.file.FileSystemException e) {
                throw e;
            } catch (IOException e) {
                throw new IOException("cannot write the results into " + work + ": " + e.getMessage()
                        + "; the run's checkpoint is kept, free space and continue with --resume " + dir, e);
            }
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

    /** Parses a saved command line into a fresh command (the run as it was defined). */
    private static SampleCommand parse(List<String> args) {
        SampleCommand c = new SampleCommand();
        new CommandLine(c).parseArgs(args.toArray(new String[0]));
        return c;
    }

    /**
     * Refuses options given with --resume that would change the saved run: each typed option outside
     * {@link #RESUME_MAY_CHANGE} is applied to the saved command line, and when the run it defines
     * differs from the saved one (or is no valid run), the option is named.
     */
    private void refuseConflicts(SampleCommand original, SavedCommand saved) {
        CommandLine.ParseResult typed = commandSpec.commandLine().getParseResult();
        Map<String, Object> before = comparable(original);
        CommandLine originalLine = new CommandLine(new SampleCommand());
        originalLine.parseArgs(saved.args().toArray(new String[0]));
        for (CommandLine.Model.OptionSpec o : typed.matchedOptions()) {
            String name = o.longestName();
            if (RESUME_MAY_CHANGE.contains(name) || o.usageHelp() || o.versionHelp()) {
                continue;
            }
            List<String> values = typed.matchedOption(name).originalStringValues();
            String shown = name + (values.isEmpty() ? "" : " " + String.join(" ", values));
            List<String> merged = new ArrayList<>(saved.args());
            merged.add(name);
            merged.addAll(values);
            String why;
            try {
                SampleCommand c = new SampleCommand();
                CommandLine cl = new CommandLine(c);
                cl.setOverwrittenOptionsAllowed(true);
                cl.parseArgs(merged.toArray(new String[0]));
                if (comparable(c).equals(before)) {
                    continue; // the same value the run was started with
                }
                CommandLine.Model.OptionSpec was = originalLine.getCommandSpec().findOption(name);
                why = "the saved run has " + name + " " + (was == null ? "unset" : String.valueOf((Object) was.getValue()));
            } catch (IllegalArgumentException | CommandLine.ParameterException e) {
                why = e.getMessage();
            }
            throw new IllegalArgumentException(shown + " conflicts with the run saved in " + resume + " (" + why
                    + "); --resume continues a run as it was defined: only --steps, --threads, --backend, "
                    + "--checkpoint-seconds and --save-particles may be given with it. Start a new run with --out to change it");
        }
    }

    /** @return what a command line defines, in a comparable form (steps and output choices left out) */
    private static Map<String, Object> comparable(SampleCommand c) {
        RunSpec s = c.specOptions.toSpec();
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> spec = org.langevin.report.RunOutputs.specMap(s);
        spec.remove("steps");
        try {
            m.put("spec", JSON_COMPARE.writeValueAsString(spec));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        m.put("data", SavedCommand.inputsHash(s));
        m.put("noise", c.noise);
        org.langevin.series.Recording rec = c.specOptions.recording(s);
        m.put("record", rec == null ? "" : rec.describe());
        return m;
    }

    private static final ObjectMapper JSON_COMPARE = new ObjectMapper();

    /**
     * The command line of a run, a hash of its training set, and the run digest every checkpoint of
     * the run carries, saved for --resume with a SHA-256 of the three so that an edited file is refused.
     */
    record SavedCommand(List<String> args, String dataHash, byte[] runDigest) {
        private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

        /** A new run's saved command; its digest covers the options and the training set. */
        static SavedCommand create(List<String> args, String dataHash) {
            MessageDigest md = sha256();
            for (String a : args) {
                md.update(a.getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            md.update(dataHash.getBytes(StandardCharsets.UTF_8));
            return new SavedCommand(List.copyOf(args), dataHash, md.digest());
        }

        /**
         * The same run with another target number of steps: the arguments with every {@code --steps}
         * replaced by one {@code --steps n} at the end; the run digest (which every state.bin of the run
         * carries) is kept.
         */
        SavedCommand withSteps(long n) {
            List<String> a = new ArrayList<>();
            for (int i = 0; i < args.size(); i++) {
                String x = args.get(i);
                if (x.equals("--steps")) {
                    i++;
                } else if (!x.startsWith("--steps=")) {
                    a.add(x);
                }
            }
            a.add("--steps");
            a.add(Long.toString(n));
            return new SavedCommand(List.copyOf(a), dataHash, runDigest);
        }

        void write(Path file) throws IOException {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("args", args);
            m.put("dataHash", dataHash);
            m.put("runDigest", HexFormat.of().formatHex(runDigest));
            m.put("sha256", checksum(args, dataHash, runDigest));
            Path tmp = file.resolveSibling(file.getFileName() + ".part");
            try {
                JSON.writeValue(tmp.toFile(), m);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }

        /**
         * @param run the run directory, for messages
         * @throws IllegalArgumentException when the file is missing, malformed or fails its checksum
         */
        @SuppressWarnings("unchecked")
        static SavedCommand read(Path file, Path run) throws IOException {
            if (!Files.exists(file)) {
                throw new IllegalArgumentException("--resume: " + run + " holds no resumable run (missing " + file + ")");
            }
            Map<String, Object> m;
            try {
                m = JSON.readValue(file.toFile(), Map.class);
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                throw new IllegalArgumentException("--resume: " + file + " is not valid JSON (" + e.getOriginalMessage()
                        + "); the run cannot be resumed");
            }
            Object a = m.get("args");
            Object h = m.get("dataHash");
            Object r = m.get("runDigest");
            Object sum = m.get("sha256");
            if (!(a instanceof List<?> list) || !list.stream().allMatch(String.class::isInstance) || !(h instanceof String)
                    || !(r instanceof String) || !(sum instanceof String)) {
                throw new IllegalArgumentException("--resume: " + file + " lacks args, dataHash, runDigest or sha256: it was "
                        + "written by another release of langevin, or edited; the run cannot be resumed");
            }
            List<String> args = (List<String>) list;
            byte[] digest;
            try {
                digest = HexFormat.of().parseHex((String) r);
            } catch (IllegalArgumentException e) {
                digest = new byte[0];
            }
            if (digest.length != Checkpoint.DIGEST_BYTES || !checksum(args, (String) h, digest).equals(sum)) {
                throw new IllegalArgumentException("--resume: " + file + " fails its checksum (SHA-256): the saved command "
                        + "was altered after the run started, so resuming would not continue the same run");
            }
            return new SavedCommand(List.copyOf(args), (String) h, digest);
        }

        private static String checksum(List<String> args, String dataHash, byte[] runDigest) {
            MessageDigest md = sha256();
            for (String a : args) {
                md.update(a.getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            md.update((byte) 1);
            md.update(dataHash.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 1);
            md.update(runDigest);
            return HexFormat.of().formatHex(md.digest());
        }

        /** @return the hash of what a run reads besides its options: the training set and the model text ("" for none) */
        static String inputsHash(RunSpec spec) {
            String h = spec.data() == null ? "" : hash(spec.data().kernelData());
            return spec.model() == null ? h : h + "+model:" + spec.model().model().sha256();
        }

        static String hash(float[] data) {
            MessageDigest md = sha256();
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * data.length);
            b.asFloatBuffer().put(data);
            return HexFormat.of().formatHex(md.digest(b.array()));
        }

        private static MessageDigest sha256() {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
            }
        }
    }

    /** @return the ordinals of --devices ("0,2"), or null when not given */
    static int[] parseDevices(String list, String backend) {
        if (list == null) {
            return null;
        }
        if (!backend.equals("gpu") && !backend.equals("auto")) {
            throw new IllegalArgumentException("--devices chooses GPUs: it needs --backend gpu or auto, got --backend " + backend);
        }
        String[] items = list.split(",", -1);
        int[] out = new int[items.length];
        for (int i = 0; i < items.length; i++) {
            try {
                out[i] = Integer.parseInt(items[i].trim());
            } catch (NumberFormatException e) {
                out[i] = -1;
            }
            if (out[i] < 0) {
                throw new IllegalArgumentException("--devices must be GPU ordinals >= 0 separated by commas, e.g. 0,2; got '"
                        + list + "'");
            }
        }
        return out;
    }
}
