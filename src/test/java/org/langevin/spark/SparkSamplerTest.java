package org.langevin.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A distributed run in local[2] mode gives the one-machine CPU run's bytes for every partitioning. */
class SparkSamplerTest {
    private static JavaSparkContext sc;
    private static SparkRuns.Files2 reference;
    @TempDir
    static Path tmp;

    /** Finish order of the ranges in the shuffled test (tasks run in this JVM: local mode). */
    private static final List<Integer> FINISHED = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void start() throws Exception {
        sc = SparkRuns.context("local[2]");
        reference = SparkRuns.reference(tmp);
    }

    @AfterAll
    static void stop() {
        if (sc != null) {
            sc.close();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4, 7, SparkRuns.BLOCKS})
    void everyPartitioningGivesTheOneMachineBytes(int partitions) throws Exception {
        SampleJob job = SampleJob.create(SparkRuns.args(), 1, "fused", true);
        SparkSampler.Outcome o = SparkSampler.run(sc, job, partitions);
        assertEquals(partitions, o.partitions());
        assertEquals(Set.of("cpu"), o.devices());
        SparkRuns.Files2 got = SparkRuns.of(tmp, "p" + partitions, o);
        assertArrayEquals(reference.results(), got.results(), "results.json statistics");
        assertArrayEquals(reference.particles(), got.particles(), "particles.npy");
    }

    @Test
    void tasksFinishingInAShuffledOrderChangeNothing() throws Exception {
        // A seeded permutation of delays: range r waits 250 ms times its place in the permutation, so
        // the ranges finish far from index order (two run at a time). The step is long against the
        // scheduling jitter of a loaded 2-core machine (60 ms once let every task finish in order).
        List<Integer> place = new ArrayList<>();
        for (int i = 0; i < SparkRuns.BLOCKS; i++) {
            place.add(i);
        }
        Collections.shuffle(place, new Random(7));
        List<Integer> delays = List.copyOf(place);
        FINISHED.clear();
        TaskHook hook = range -> {
            Thread.sleep(250L * (SparkRuns.BLOCKS - 1 - delays.get(range.index())));
            FINISHED.add(range.index());
        };
        SampleJob job = SampleJob.create(SparkRuns.args(), 1, "fused", true);
        SparkSampler.Outcome o = SparkSampler.run(sc, job, SparkRuns.BLOCKS, hook);
        List<Integer> inOrder = new ArrayList<>();
        for (int i = 0; i < SparkRuns.BLOCKS; i++) {
            inOrder.add(i);
        }
        assertEquals(SparkRuns.BLOCKS, FINISHED.size());
        assertNotEquals(inOrder, List.copyOf(FINISHED), "the delays must make the tasks finish out of order");
        SparkRuns.Files2 got = SparkRuns.of(tmp, "shuffled", o);
        assertArrayEquals(reference.results(), got.results(), "results.json statistics");
        assertArrayEquals(reference.particles(), got.particles(), "particles.npy");
    }

    @Test
    void withoutSavedParticlesOnlyStatisticsComeBack() throws Exception {
        SampleJob job = SampleJob.create(SparkRuns.args(), 1, "fused", false);
        SparkSampler.Outcome o = SparkSampler.run(sc, job, 4);
        assertNull(o.particles());
        SparkRuns.Files2 got = SparkRuns.of(tmp, "noparticles", o);
        assertArrayEquals(reference.results(), got.results(), "results.json statistics");
        assertNull(got.particles());
    }
}
