package org.langevin.spark;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkFiles;
import org.langevin.engine.CompiledProblem;
import org.langevin.engine.ProblemCompiler;
import org.langevin.model.RunSpec;

/**
 * The run a distributed job performs, in a form that travels to the executors: the {@code sample}
 * options as typed (model records are not serializable, and the options are the run's definition),
 * the name of the training-set file shipped with {@code SparkContext.addFile}, and a fingerprint of the
 * compiled problem. An executor re-parses and recompiles the options and refuses to run when its
 * compiled problem differs from the driver's (a different training-set file, a different JVM that
 * rounds differently), so no partition can silently compute another run. Immutable; the compiled
 * problem is cached per executor JVM, and {@link #problem()} is thread-safe.
 */
public final class SampleJob implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Stands for the executor-local path of the training set in {@link #args}. */
    static final String DATA_PLACEHOLDER = "@langevin-data@";
    /** Stands for the executor-local path of a --model file in {@link #args}. */
    static final String MODEL_PLACEHOLDER = "@langevin-model@";
    /** Compiled problems of this executor JVM, by fingerprint (a JVM runs few jobs). */
    private static final Map<String, CompiledProblem> COMPILED = new ConcurrentHashMap<>();
    /** Most entries kept in {@link #COMPILED}. */
    private static final int CACHE_LIMIT = 4;

    /** The {@code sample} options, with the value of --data replaced by {@link #DATA_PLACEHOLDER}. */
    private final List<String> args;
    /** File name of the training set as shipped with addFile, or null without --data. */
    private final String dataFileName;
    /** SHA-256 of the compiled problem and the options, hex. */
    private final String fingerprint;
    /** CPU threads per task (0: the task's spark.task.cpus). */
    private final int threads;
    /** GPU noise mode: fused or curand. */
    private final String noise;
    /** True when the tasks send their final particles back (particles.npy). */
    private final boolean keepParticles;
    /** The records of the run, or null without --record. */
    private final org.langevin.series.Recording recording;
    /** The driver's compiled problem (not shipped). */
    private final transient CompiledProblem driverProblem;
    /** The driver's training-set file, absolute, or null (not shipped). */
    private final transient Path driverDataFile;
    /** File name of the --model file as shipped with addFile, or null (no model, or one of the jar's library). */
    private final String modelFileName;
    /** The driver's --model file, absolute, or null (not shipped). */
    private final transient Path driverModelFile;

    private SampleJob(List<String> args, String dataFileName, String fingerprint, int threads, String noise,
                      boolean keepParticles, org.langevin.series.Recording recording, CompiledProblem driverProblem,
                      Path driverDataFile, String modelFileName, Path driverModelFile) {
        this.modelFileName = modelFileName;
        this.driverModelFile = driverModelFile;
        this.recording = recording;
        this.args = List.copyOf(args);
        this.dataFileName = dataFileName;
        this.fingerprint = fingerprint;
        this.threads = threads;
        this.noise = noise;
        this.keepParticles = keepParticles;
        this.driverProblem = driverProblem;
        this.driverDataFile = driverDataFile;
    }

    /**
     * Describes a run on the driver. The caller ships {@code dataFile} to the executors with
     * {@code JavaSparkContext.addFile} (see {@link SparkSampler#run}).
     *
     * @param specArgs the run's options, parsed by {@link SparkSample#parseSpec(List)}
     * @param threads CPU threads per task, ≥ 0 (0: the task's spark.task.cpus)
     * @param noise GPU noise mode, "fused" or "curand"
     * @param keepParticles true to bring the final particles back to the driver
     * @return the job, holding the driver's compiled problem and the fingerprint the executors check
     * @throws IllegalArgumentException when the options do not define a valid run, threads is negative,
     *     noise is neither "fused" nor "curand", or --data and --model files share a file name
     */
    public static SampleJob create(List<String> specArgs, int threads, String noise, boolean keepParticles) {
        if (threads < 0) {
            throw new IllegalArgumentException("--threads must be >= 0 (0: spark.task.cpus), got " + threads);
        }
        if (!"fused".equals(noise) && !"curand".equals(noise)) {
            throw new IllegalArgumentException("--noise must be fused or curand, got '" + noise + "'");
        }
        RunSpec spec = SparkSample.parseSpec(specArgs);
        CompiledProblem problem = ProblemCompiler.compile(spec);
        Path data = optionPath(specArgs, "--data");
        List<String> shipped = data == null ? specArgs : replaceOption(specArgs, "--data", DATA_PLACEHOLDER);
        String name = data == null ? null : data.getFileName().toString();
        // A --model file travels like the training set; a library model (--model NAME) is in every jar.
        Path model = optionPath(specArgs, "--model");
        boolean shipModel = model != null && java.nio.file.Files.isRegularFile(model);
        if (shipModel) {
            shipped = replaceOption(shipped, "--model", MODEL_PLACEHOLDER);
            if (data != null && data.getFileName().equals(model.getFileName())) {
                throw new IllegalArgumentException("--data and --model have the same file name " + model.getFileName()
                        + "; Spark ships both by name: rename one");
            }
        }
        org.langevin.series.Recording recording = SparkSample.parseRecording(specArgs, spec);
        return new SampleJob(shipped, name, fingerprint(problem, shipped), threads, noise, keepParticles, recording,
                problem, data == null ? null : data.toAbsolutePath(), shipModel ? model.getFileName().toString() : null,
                shipModel ? model.toAbsolutePath() : null);
    }

    /** @return the driver's training-set file to ship to the executors (absolute), or null; driver only */
    Path dataFile() {
        return driverDataFile;
    }

    /** @return the driver's --model file to ship to the executors (absolute), or null; driver only */
    Path modelFile() {
        return driverModelFile;
    }

    /** @return CPU threads per task (0: spark.task.cpus) */
    int threads() {
        return threads;
    }

    /** @return the GPU noise mode */
    String noise() {
        return noise;
    }

    /** @return the records of the run ({@code --record}), or null */
    public org.langevin.series.Recording recording() {
        return recording;
    }

    /** @return true when tasks return their final particles */
    boolean keepParticles() {
        return keepParticles;
    }

    /**
     * The reductions every task computes: histograms only over the range given by --histogram (a
     * default range would depend on the data of all partitions), the loss, the covariance.
     */
    org.langevin.reduce.ReduceSpec reduceSpec() {
        RunSpec s = spec();
        int d = s.dim();
        double[] lo = new double[d];
        double[] hi = new double[d];
        if (s.histogram() == null) {
            return org.langevin.Langevin.reduceSpec(s, 0, lo, hi);
        }
        java.util.Arrays.fill(lo, s.histogram().lo());
        java.util.Arrays.fill(hi, s.histogram().hi());
        return org.langevin.Langevin.reduceSpec(s, s.histogram().bins(), lo, hi);
    }

    /** @return the run's specification (driver or executor) */
    public RunSpec spec() {
        return problem().spec();
    }

    /**
     * The compiled problem: the driver's own, or on an executor the options re-parsed (with the
     * training set from {@code SparkFiles}) and recompiled, checked against the driver's fingerprint.
     *
     * @return the compiled problem of the run (cached per executor JVM by fingerprint)
     * @throws IllegalStateException when the executor's compiled problem differs from the driver's
     */
    public CompiledProblem problem() {
        if (driverProblem != null) {
            return driverProblem;
        }
        CompiledProblem cached = COMPILED.get(fingerprint);
        if (cached != null) {
            return cached;
        }
        List<String> local = dataFileName == null ? args : replaceOption(args, "--data", SparkFiles.get(dataFileName));
        if (modelFileName != null) {
            local = replaceOption(local, "--model", SparkFiles.get(modelFileName));
        }
        CompiledProblem p = ProblemCompiler.compile(SparkSample.parseSpec(local));
        String here = fingerprint(p, args);
        if (!here.equals(fingerprint)) {
            throw new IllegalStateException("this executor compiles the run differently from the driver (fingerprint "
                    + here + " instead of " + fingerprint + "): a different training-set or model file or a"
                    + " different Java runtime; every executor must see the same --data and --model files and run the same"
                    + " Java version");
        }
        if (COMPILED.size() >= CACHE_LIMIT) {
            COMPILED.clear();
        }
        COMPILED.put(fingerprint, p);
        return p;
    }

    /** @return the path after an option (--data, --model), or null */
    private static Path optionPath(List<String> args, String option) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals(option) && i + 1 < args.size()) {
                return Path.of(args.get(i + 1));
            }
            if (a.startsWith(option + "=")) {
                return Path.of(a.substring(option.length() + 1));
            }
        }
        return null;
    }

    /** @return the options with the value of --data replaced */
    static List<String> replaceData(List<String> args, String value) {
        return replaceOption(args, "--data", value);
    }

    /** @return the options with the value of an option replaced */
    static List<String> replaceOption(List<String> args, String option, String value) {
        List<String> out = new ArrayList<>(args);
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i).equals(option) && i + 1 < out.size()) {
                out.set(i + 1, value);
                i++;
            } else if (out.get(i).startsWith(option + "=")) {
                out.set(i, option + "=" + value);
            }
        }
        return out;
    }

    /** @return SHA-256 over the kernel arrays and the options, hex */
    static String fingerprint(CompiledProblem p, List<String> args) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            ByteBuffer b = ByteBuffer.allocate(4 * (p.ip().length + p.fp().length + p.data().length));
            b.asIntBuffer().put(p.ip());
            b.position(4 * p.ip().length);
            b.asFloatBuffer().put(p.fp());
            b.position(4 * (p.ip().length + p.fp().length));
            b.asFloatBuffer().put(p.data());
            md.update(b.array());
            if (p.spec() != null && p.spec().model() != null) {
                md.update(p.spec().model().model().sha256().getBytes(StandardCharsets.UTF_8));
                for (double v : p.spec().model().values().values()) {
                    md.update(Double.toString(v).getBytes(StandardCharsets.UTF_8));
                }
            }
            for (String a : args) {
                md.update(a.getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
