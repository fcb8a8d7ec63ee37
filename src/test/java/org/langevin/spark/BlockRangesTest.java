package org.langevin.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.langevin.reduce.Blocks;

class BlockRangesTest {
    @Test
    void rangesAreWholeBlocksCoveringEveryParticleOnce() {
        int[] sizes = {1, 4095, 4096, 4097, 5 * 4096 + 123, 100 * 4096};
        for (int p : sizes) {
            long blocks = BlockRanges.blocks(p);
            assertEquals((p + Blocks.SIZE - 1) / Blocks.SIZE, blocks);
            for (int k = 1; k <= blocks; k = k < 8 ? k + 1 : k * 3) {
                List<ParticleRange> rs = BlockRanges.split(p, k);
                assertEquals(k, rs.size());
                long nextBlock = 0;
                long nextParticle = 0;
                long minBlocks = Long.MAX_VALUE;
                long maxBlocks = 0;
                for (int i = 0; i < k; i++) {
                    ParticleRange r = rs.get(i);
                    assertEquals(i, r.index());
                    assertEquals(nextBlock, r.firstBlock());
                    assertEquals(nextParticle, r.first());
                    assertEquals(r.firstBlock() * Blocks.SIZE, r.first(), "a range starts on a block boundary");
                    assertTrue(r.end() == p || r.end() == r.endBlock() * Blocks.SIZE, "only the last block may be partial");
                    long n = r.endBlock() - r.firstBlock();
                    minBlocks = Math.min(minBlocks, n);
                    maxBlocks = Math.max(maxBlocks, n);
                    nextBlock = r.endBlock();
                    nextParticle = r.end();
                }
                assertEquals(blocks, nextBlock);
                assertEquals(p, nextParticle);
                assertTrue(maxBlocks - minBlocks <= 1, "ranges differ by at most one block");
            }
        }
    }

    @Test
    void onePartitionPerBlockIsTheFinestSplit() {
        List<ParticleRange> rs = BlockRanges.split(5 * 4096 + 123, 6);
        assertEquals(new ParticleRange(5, 5, 6, 5 * 4096, 5 * 4096 + 123), rs.get(5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BlockRanges.split(5 * 4096 + 123, 7));
        assertTrue(e.getMessage().contains("--partitions") && e.getMessage().contains("7"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BlockRanges.split(100, 0));
        assertThrows(IllegalArgumentException.class, () -> BlockRanges.blocks(0));
    }

    /**
     * 10¹⁰ particles (beyond 2³¹): the ranges are whole blocks, cover [0, P) once and each fits one task's JVM;
     * too few partitions for that are refused with the smallest count that works.
     */
    @Test
    void runsBeyondTwoToTheThirtyOneSplitIntoPartitionsThatFitATask() {
        long p = 10_000_000_000L;
        long blocks = BlockRanges.blocks(p);
        assertEquals(2_441_407L, blocks); // ⌈10^10 / 4096⌉
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BlockRanges.split(p, 4));
        assertTrue(e.getMessage().contains("use at least --partitions 5"), e.getMessage());
        for (int k : new int[] {5, 7, 1000}) {
            List<ParticleRange> rs = BlockRanges.split(p, k);
            long next = 0;
            for (ParticleRange r : rs) {
                assertEquals(next, r.first());
                assertEquals(r.firstBlock() * Blocks.SIZE, r.first());
                assertTrue(r.end() - r.first() <= org.langevin.model.RunSpec.MAX_ONE_JVM_PARTICLES, r.toString());
                assertEquals(r.end() - r.first(), r.count());
                next = r.end();
            }
            assertEquals(p, next);
        }
    }
}
