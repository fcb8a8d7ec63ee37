package org.langevin.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retried tasks change nothing: in local[2,3] mode (up to 3 attempts per task) every task fails its
 * first attempt, and the run still gives the one-machine bytes.
 */
class SparkSamplerFaultTest {
    private static JavaSparkContext sc;
    private static SparkRuns.Files2 reference;
    @TempDir
    static Path tmp;

    /** Attempts seen per range index (tasks run in this JVM: local mode). */
    private static final Map<Integer, Set<Integer>> ATTEMPTS = new TreeMap<>();

    @BeforeAll
    static void start() throws Exception {
        sc = SparkRuns.context("local[2,3]");
        reference = SparkRuns.reference(tmp);
    }

    @AfterAll
    static void stop() {
        if (sc != null) {
            sc.close();
        }
    }

    private static void record(ParticleRange r) {
        synchronized (ATTEMPTS) {
            ATTEMPTS.computeIfAbsent(r.index(), k -> new TreeSet<>()).add(TaskContext.get().attemptNumber());
        }
    }

    @Test
    void aFailedFirstAttemptOfEveryTaskChangesNothing() throws Exception {
        synchronized (ATTEMPTS) {
            ATTEMPTS.clear();
        }
        TaskHook failFirst = range -> {
            record(range);
            if (TaskContext.get().attemptNumber() == 0) {
                throw new IllegalStateException("injected failure of range " + range.index());
            }
        };
        int partitions = 7;
        SparkSampler.Outcome o = SparkSampler.run(sc, SampleJob.create(SparkRuns.args(), 1, "fused", true), partitions,
                failFirst);
        synchronized (ATTEMPTS) {
            assertEquals(partitions, ATTEMPTS.size());
            for (Set<Integer> a : ATTEMPTS.values()) {
                assertEquals(Set.of(0, 1), a, "each task fails once and succeeds on its second attempt");
            }
        }
        SparkRuns.Files2 got = SparkRuns.of(tmp, "retried", o);
        assertArrayEquals(reference.results(), got.results(), "results.json statistics");
        assertArrayEquals(reference.particles(), got.particles(), "particles.npy");
    }

    @Test
    void aTaskThatAlwaysFailsFailsTheRunAndWritesNothing() throws Exception {
        Path out = tmp.resolve("never");
        TaskHook alwaysFail = range -> {
            if (range.index() == 2) {
                throw new IllegalStateException("injected failure of range 2");
            }
        };
        assertThrows(Exception.class, () -> {
            SparkSampler.Outcome o = SparkSampler.run(sc, SampleJob.create(SparkRuns.args(), 1, "fused", true), 4,
                    alwaysFail);
            SparkOutputs.write(out, o, false);
        });
        assertEquals(false, java.nio.file.Files.exists(out));
    }
}
