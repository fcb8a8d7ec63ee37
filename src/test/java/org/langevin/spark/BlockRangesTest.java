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
            int blocks = BlockRanges.blocks(p);
            assertEquals((p + Blocks.SIZE - 1) / Blocks.SIZE, blocks);
            for (int k = 1; k <= blocks; k = k < 8 ? k + 1 : k * 3) {
                List<ParticleRange> rs = BlockRanges.split(p, k);
                assertEquals(k, rs.size());
                int nextBlock = 0;
                int nextParticle = 0;
                int minBlocks = Integer.MAX_VALUE;
                int maxBlocks = 0;
                for (int i = 0; i < k; i++) {
                    ParticleRange r = rs.get(i);
                    assertEquals(i, r.index());
                    assertEquals(nextBlock, r.firstBlock());
                    assertEquals(nextParticle, r.first());
                    assertEquals(r.firstBlock() * Blocks.SIZE, r.first(), "a range starts on a block boundary");
                    assertTrue(r.end() == p || r.end() == r.endBlock() * Blocks.SIZE, "only the last block may be partial");
                    int n = r.endBlock() - r.firstBlock();
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
}
