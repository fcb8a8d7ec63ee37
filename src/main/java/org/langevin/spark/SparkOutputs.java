package org.langevin.spark;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.langevin.report.RunDirectory;
import java.util.ArrayList;

/**
 * Writes a distributed run's output directory so that it appears complete or not at all: every file
 * goes into a hidden sibling directory (marked and locked as a {@link RunDirectory}), which is renamed
 * onto the output directory at the end. A job that fails before that leaves no {@code results.json}
 * in the output directory; the hidden directory of a driver killed while writing is removed by the
 * next job on the same --out ({@link #cleanLeftovers}). The output directory follows the rules of
 * {@link RunDirectory} (only this tool's files in it; --force replaces only those). Not thread-safe
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
     * Refuses an output directory that may not take this run (the rules of {@link RunDirectory}:
     * other files in it, results without --force, in use). Call before the job runs.
     *
     * @param dir the output directory (--out); need not exist
     * @param force true with --force: existing results of this tool may be replaced
     * @throws IllegalArgumentException naming --out and the fix
     */
    public static void checkTarget(Path dir, boolean force) {
        RunDirectory.precheck(dir, RunDirectory.Kind.SAMPLE, force, "--out");
    }

    /**
     * Cleans up after earlier jobs on the same --out whose driver died while writing: their hidden
     * {@code .NAME.incomplete-*} and {@code .NAME.replaced-*} siblings are removed when they hold only
     * this tool's files and no live process writes them; others are left and reported.
     *
     * @param dir the output directory (--out) whose hidden siblings are looked for
     * @return one line per leftover found, saying what was done with it; empty when there are none or
     *     the parent directory does not exist
     * @throws IOException when the parent directory cannot be listed or a leftover cannot be removed
     */
    public static List<String> cleanLeftovers(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        List<String> notes = new ArrayList<>();
        if (parent == null || !Files.isDirectory(parent)) {
            return notes;
        }
        String prefix = "." + abs.getFileName();
        List<Path> found;
        try (Stream<Path> s = Files.list(parent)) {
            found = s.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(prefix + ".incomplete-") || n.startsWith(prefix + ".replaced-");
            }).sorted().toList();
        }
        for (Path p : found) {
            if (RunDirectory.removeIfAbandoned(p, RunDirectory.Kind.SAMPLE)) {
                notes.add("removed " + p + ", left by an earlier job on --out " + dir + " that did not finish");
            } else {
                notes.add("left " + p + " as it is: another job is writing it, or it holds files langevin did not write");
            }
        }
        return notes;
    }

    /** @return the launcher's source entries followed by the partition count */
    private static Map<String, Object> specExtra(Map<String, Object> source, int partitions) {
        Map<String, Object> m = new java.util.LinkedHashMap<>(source);
        m.put("partitions", partitions);
        return m;
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
        write(dir, outcome, force, Map.of());
    }

    /**
     * Writes the results as {@link #write(Path, SparkSampler.Outcome, boolean)} does, with extra entries
     * for results.json's {@code spec} (the launcher's training-set file with its SHA-256, as {@code sample} writes).
     *
     * @param dir the run directory
     * @param outcome the merged run
     * @param force replace an existing directory's results
     * @param source entries added to {@code spec} besides {@code partitions} (e.g. {@code dataFile})
     * @throws IOException when writing or renaming fails (the temporary directory is removed)
     */
    public static void write(Path dir, SparkSampler.Outcome outcome, boolean force, Map<String, Object> source)
            throws IOException {
        checkTarget(dir, force);
        Path abs = dir.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        Files.createDirectories(parent);
        Path tmp = parent.resolve("." + abs.getFileName() + ".incomplete-" + UUID.randomUUID());
        try {
            try (RunDirectory staging = RunDirectory.claim(tmp, RunDirectory.Kind.SAMPLE, false, "--out")) {
                Map<String, Object> info = runInfo(outcome);
                Map<String, Object> series = outcome.recording() == null ? null
                        : org.langevin.series.SeriesOutputs.write(tmp, outcome.spec(), outcome.recording(), outcome.series());
                org.langevin.report.RunOutputs.write(tmp, outcome.spec(), outcome.reduction(), outcome.spec().steps(),
                        (String) info.get("backend"), outcome.elapsedSeconds(), outcome.particleStepsPerSecond(),
                        outcome.particles() == null ? null : outcome.particles().x(), specExtra(source, outcome.partitions()),
                        series, outcome.particles() == null ? null : outcome.particles().x(),
                        outcome.particles() == null ? null : outcome.particles().aux(), true);
            }
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
                RunDirectory.deleteTree(old);
            }
        } catch (IOException | RuntimeException e) {
            try {
                RunDirectory.deleteTree(tmp);
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
}
