package org.langevin.engine.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The cuRAND buffer-noise layout: every normal of a run has one stream position, a function of
 * (step, lane, particle) alone, so resumed sessions, particle ranges (Spark partitions), chunks and
 * launch boundaries never reuse a normal nor change one; and every cuRAND call obeys cuRAND's rules
 * (even offset, even count).
 */
class CurandLayoutTest {
    /**
     * Plays the ops of one launch the way CurandNoise does, with a "generator" whose element n is n:
     * returns what each buffer slot receives, after checking cuRAND's rules and that every slot is
     * written exactly once.
     */
    private static long[] play(List<CurandLayout.Op> ops, int count, int nSteps, int q) {
        long[] buf = new long[count * nSteps * q];
        Arrays.fill(buf, -1);
        for (CurandLayout.Op op : ops) {
            if (op instanceof CurandLayout.Generate g) {
                assertEquals(0, g.offset() & 1, "curandSetGeneratorOffset at an odd position splits a Box-Muller pair: " + g);
                assertEquals(0, g.count() & 1, "curandGenerateNormal needs an even count: " + g);
                assertTrue(g.count() > 0, g.toString());
                for (long i = 0; i < g.count(); i++) {
                    int at = Math.toIntExact(g.dst() + i);
                    assertEquals(-1, buf[at], "slot " + at + " written twice");
                    buf[at] = g.offset() + i;
                }
            } else if (op instanceof CurandLayout.Pick p) {
                assertEquals(0, p.pair() & 1, "a pair starts at an even position: " + p);
                assertTrue(p.lane() == 0 || p.lane() == 1, p.toString());
                int at = Math.toIntExact(p.dst());
                assertEquals(-1, buf[at], "slot " + at + " written twice");
                buf[at] = p.pair() + p.lane();
            }
        }
        for (int i = 0; i < buf.length; i++) {
            assertTrue(buf[i] >= 0, "slot " + i + " not written");
        }
        return buf;
    }

    /**
     * A run of P particles and N steps as DeviceSession drives it: particle ranges (partitions, each
     * its own session), chunks of each range, step segments (sessions: resume points) and launches of
     * at most {@code depth} steps. Returns position[(k·q + j)·P + p] = the stream position normal j of
     * step k of particle p was read from.
     */
    private static long[] run(int particles, int q, int steps, int[] rangeEnds, int chunk, int[] segmentEnds, int depth) {
        CurandLayout layout = new CurandLayout(particles, q);
        long[] used = new long[particles * q * steps];
        Arrays.fill(used, -1);
        int first = 0;
        for (int end : rangeEnds) {
            int from = 0;
            for (int segEnd : segmentEnds) {
                for (int c = first; c < end; c += chunk) {
                    int count = Math.min(chunk, end - c);
                    for (int k = from; k < segEnd; k += depth) {
                        int n = Math.min(depth, segEnd - k);
                        long[] buf = play(layout.plan(c, count, k, n), count, n, q);
                        for (int s = 0; s < n; s++) {
                            for (int j = 0; j < q; j++) {
                                for (int i = 0; i < count; i++) {
                                    int slot = ((k + s) * q + j) * particles + c + i;
                                    assertEquals(-1, used[slot], "normal read twice");
                                    used[slot] = buf[(s * q + j) * count + i];
                                }
                            }
                        }
                    }
                }
                from = segEnd;
            }
            first = end;
        }
        return used;
    }

    @Test
    void positionIsStepMajorThenLaneThenParticle() {
        CurandLayout l = new CurandLayout(10, 3);
        assertEquals(0, l.position(0, 0, 0));
        assertEquals(9, l.position(0, 0, 9));
        assertEquals(10, l.position(0, 1, 0));
        assertEquals(3 * 10 * 7 + 2 * 10 + 4, l.position(7, 2, 4));
        assertThrows(IllegalArgumentException.class, () -> l.position(0, 3, 0));
        assertThrows(IllegalArgumentException.class, () -> l.position(0, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> l.position(-1, 0, 0));
        IllegalArgumentException far = assertThrows(IllegalArgumentException.class,
                () -> new CurandLayout(Integer.MAX_VALUE, 64).position(Long.MAX_VALUE / 64, 0, 0));
        assertTrue(far.getMessage().contains("64-bit offset"), far.getMessage());
        assertThrows(IllegalArgumentException.class, () -> l.plan(5, 6, 0, 1), "columns beyond the run");
    }

    @Test
    void aLaunchOverTheWholeRunIsOneCall() {
        CurandLayout l = new CurandLayout(8192, 2);
        assertEquals(List.of(new CurandLayout.Generate(2L * 8192 * 100, 2L * 8192 * 32, 0)), l.plan(0, 8192, 100, 32));
        // a chunk of a larger run: one call per (step, lane) row
        List<CurandLayout.Op> rows = l.plan(4096, 4096, 3, 2);
        assertEquals(List.of(new CurandLayout.Generate((3 * 2) * 8192L + 4096, 4096, 0),
                new CurandLayout.Generate((3 * 2 + 1) * 8192L + 4096, 4096, 4096),
                new CurandLayout.Generate((4 * 2) * 8192L + 4096, 4096, 2 * 4096),
                new CurandLayout.Generate((4 * 2 + 1) * 8192L + 4096, 4096, 3 * 4096)), rows);
        // odd P: the merged run starts or ends at odd positions, picked one normal at a time
        CurandLayout odd = new CurandLayout(5, 1);
        assertEquals(List.of(new CurandLayout.Pick(4, 1, 0), new CurandLayout.Generate(6, 4, 1)), odd.plan(0, 5, 1, 1));
        assertEquals(List.of(new CurandLayout.Pick(14, 0, 4), new CurandLayout.Generate(10, 4, 0)), odd.plan(0, 5, 2, 1));
        assertEquals(List.of(), odd.plan(0, 0, 2, 1));
        assertEquals(List.of(), odd.plan(0, 5, 2, 0));
    }

    /** The mapping does not depend on sessions, partitions, chunks or launches, and is injective. */
    @Test
    void resumedPartitionedChunkedRunsReadEveryNormalOnceAndTheSameOne() {
        for (int particles : new int[] {1, 2, 7, 10, 33}) {
            for (int q = 1; q <= 3; q++) {
                int steps = 40;
                long[] reference = run(particles, q, steps, new int[] {particles}, particles, new int[] {steps}, 32);
                Set<Long> distinct = new HashSet<>();
                for (long p : reference) {
                    distinct.add(p);
                }
                assertEquals(reference.length, distinct.size(), "a normal is used twice (P = " + particles + ", q = " + q + ")");
                CurandLayout l = new CurandLayout(particles, q);
                for (int k = 0; k < steps; k++) {
                    for (int j = 0; j < q; j++) {
                        for (int p = 0; p < particles; p++) {
                            assertEquals(l.position(k, j, p), reference[(k * q + j) * particles + p]);
                        }
                    }
                }
                SplittableRandom rnd = new SplittableRandom(particles * 31L + q);
                for (int trial = 0; trial < 20; trial++) {
                    int[] ranges = cuts(rnd, particles);
                    int[] segments = cuts(rnd, steps);
                    int chunk = 1 + rnd.nextInt(particles);
                    int depth = 1 + rnd.nextInt(32);
                    long[] other = run(particles, q, steps, ranges, chunk, segments, depth);
                    assertTrue(Arrays.equals(reference, other), "P = " + particles + ", q = " + q + ", ranges "
                            + Arrays.toString(ranges) + ", chunk " + chunk + ", segments " + Arrays.toString(segments)
                            + ", depth " + depth);
                }
            }
        }
    }

    /** The two cases: a run resumed at step 100, and two particle ranges in separate sessions. */
    @Test
    void aResumedSegmentAndASecondPartitionGetNewNormals() {
        CurandLayout l = new CurandLayout(8192, 1);
        Set<Long> first = positions(l, 0, 8192, 0, 100);
        Set<Long> resumed = positions(l, 0, 8192, 100, 100);
        assertTrue(disjoint(first, resumed), "the resumed segment reuses the first segment's normals");
        Set<Long> rangeA = positions(l, 0, 4096, 0, 100);
        Set<Long> rangeB = positions(l, 4096, 4096, 0, 100);
        assertTrue(disjoint(rangeA, rangeB), "two partitions read the same normals");
        Set<Long> union = new HashSet<>(rangeA);
        union.addAll(rangeB);
        assertEquals(first, union, "two partitions read what one session over all particles reads");
    }

    private static Set<Long> positions(CurandLayout l, long first, int count, long firstStep, int nSteps) {
        Set<Long> s = new HashSet<>();
        for (int k = 0; k < nSteps; k += 32) {
            int n = Math.min(32, nSteps - k);
            for (long v : play(l.plan(first, count, firstStep + k, n), count, n, 1)) {
                s.add(v);
            }
        }
        return s;
    }

    private static boolean disjoint(Set<Long> a, Set<Long> b) {
        for (Long x : a) {
            if (b.contains(x)) {
                return false;
            }
        }
        return true;
    }

    /** @return 1 to 4 increasing cut points in (0, n], the last n */
    private static int[] cuts(SplittableRandom rnd, int n) {
        int k = 1 + rnd.nextInt(Math.min(4, n));
        Set<Integer> s = new HashSet<>();
        s.add(n);
        while (s.size() < k) {
            s.add(1 + rnd.nextInt(n));
        }
        return s.stream().mapToInt(Integer::intValue).sorted().toArray();
    }
}
