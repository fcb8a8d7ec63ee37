package org.langevin.spark;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Writes a distributed run's output directory so that it appears complete or not at all: every file
 * goes into a hidden sibling directory, which is renamed onto the output directory at the end. A job
 * that fails before that leaves no {@code results.json} in the output directory. Not thread-safe
 * for the same directory.
 */
public final class SparkOutputs {
    /** The file whose presence marks a directory as holding results (as for {@code sample}). */
    public static final String RESULTS = "results.json";
    /** Final particles, float32, shape (P, d). */
    public static final String PARTICLES = "particles.npy";

    private SparkOutputs() {
    }

    /**
     * Refuses an output directory that already holds a run, unless forced. Call before the job runs.
     *
     * @throws IllegalArgumentException naming --out when dir holds results and force is false
     */
    public static void checkTarget(Path dir, boolean force) {
        if (!force && Files.exists(dir.resolve(RESULTS))) {
            throw new IllegalArgumentException("--out " + dir + " already holds a run; use --force to overwrite it,"
                    + " or another --out");
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--out " + dir + " is a file, not a directory");
        }
    }

    /**
     * Writes results.json (and particles.npy when the outcome holds particles) into dir, atomically.
     *
     * @param dir the output directory (created; an existing one is replaced only when force)
     * @param outcome the merged run
     * @param force replace an existing directory's results
     * @throws IOException when writing or renaming fails (the temporary directory is removed)
     */
    public static void write(Path dir, SparkSampler.Outcome outcome, boolean force) throws IOException {
        checkTarget(dir, force);
        Path abs = dir.toAbsolutePath();
        Path parent = abs.getParent();
        Files.createDirectories(parent);
        Path tmp = parent.resolve("." + abs.getFileName() + ".incomplete-" + UUID.randomUUID());
        try {
            Files.createDirectory(tmp);
            Map<String, Object> info = runInfo(outcome);
            org.langevin.report.RunOutputs.write(tmp, outcome.spec(), outcome.reduction(), outcome.spec().steps(),
                    (String) info.get("backend"), outcome.elapsedSeconds(), outcome.particleStepsPerSecond(),
                    outcome.particles() == null ? null : outcome.particles().x(), Map.of("partitions", outcome.partitions()));
            Path old = null;
            if (Files.exists(abs)) {
                old = parent.resolve("." + abs.getFileName() + ".replaced-" + UUID.randomUUID());
                Files.move(abs, old, StandardCopyOption.ATOMIC_MOVE);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot rename " + tmp + " to " + abs + " atomically (different file systems?)", e);
            }
            if (old != null) {
                deleteTree(old);
            }
        } catch (IOException | RuntimeException e) {
            try {
                deleteTree(tmp);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** @return the run fields of results.json that describe how the run was executed */
    static Map<String, Object> runInfo(SparkSampler.Outcome o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("backend", "spark:" + String.join("+", o.devices()));
        m.put("partitions", o.partitions());
        m.put("steps", o.spec().steps());
        m.put("elapsedSeconds", o.elapsedSeconds());
        m.put("particleStepsPerSecond", o.particleStepsPerSecond());
        return m;
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        List<Path> all;
        try (Stream<Path> s = Files.walk(p)) {
            all = s.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path q : all) {
            Files.delete(q);
        }
    }
}
