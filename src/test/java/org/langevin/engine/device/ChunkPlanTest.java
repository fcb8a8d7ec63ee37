package org.langevin.engine.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ChunkPlanTest {
    @Test
    void oneChunkWhenEverythingFits() {
        ChunkPlan p = ChunkPlan.of(3, 5000, true, 0, 1000, 1L << 30);
        assertEquals(1, p.chunks());
        assertEquals(5000, p.chunkParticles());
        assertEquals(5000, p.stride());
        assertEquals(0, p.bufferSteps());
        assertEquals(0, p.chunkStart(0));
        assertEquals(5000, p.chunkCount(0));
        assertEquals(1000 + 5000L * (3 * 4 + 7 * 8), p.deviceBytes());
    }

    @Test
    void chunksAreWholeMultiplesOfTheQuantumAndCoverEveryParticle() {
        // 1 float per particle: room for 3.5 quanta -> chunks of 3 quanta.
        long budget = 100 + (long) (3.5 * ChunkPlan.QUANTUM * 4);
        int particles = 10 * ChunkPlan.QUANTUM + 7;
        ChunkPlan p = ChunkPlan.of(1, particles, false, 0, 100, budget);
        assertEquals(3 * ChunkPlan.QUANTUM, p.chunkParticles());
        assertEquals(4, p.chunks());
        long covered = 0;
        for (int c = 0; c < p.chunks(); c++) {
            assertEquals(0, p.chunkStart(c) % ChunkPlan.QUANTUM);
            assertEquals(covered, p.chunkStart(c));
            covered += p.chunkCount(c);
        }
        assertEquals(particles, covered);
        assertEquals(ChunkPlan.QUANTUM + 7, p.chunkCount(3));
        assertTrue(p.deviceBytes() <= budget);
    }

    @Test
    void bufferModeShrinksTheNoiseDepthBeforeGivingUpAndKeepsAnEvenBuffer() {
        // d = 1, q = 1: 4 bytes state + 4 bytes per buffered step; room for 4096 particles x 8 steps.
        long budget = ChunkPlan.QUANTUM * (4L + 4L * 8) + 4;
        ChunkPlan p = ChunkPlan.of(1, 3 * ChunkPlan.QUANTUM, false, 1, 0, budget);
        assertEquals(8, p.bufferSteps());
        assertEquals(ChunkPlan.QUANTUM, p.chunkParticles());
        assertEquals(0, p.noiseFloats(1) % 2);
        assertTrue(p.noiseFloats(1) >= 8L * ChunkPlan.QUANTUM);
        // Depth 1 (two steps do not fit) and an odd stride: the buffer gets one extra float for cuRAND.
        ChunkPlan odd = ChunkPlan.of(1, ChunkPlan.QUANTUM - 1, false, 1, 0, ChunkPlan.QUANTUM * 8L + 4);
        assertEquals(1, odd.bufferSteps());
        assertEquals(ChunkPlan.QUANTUM, odd.noiseFloats(1));
    }

    @Test
    void rejectsABudgetBelowOneQuantumAndBadArguments() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ChunkPlan.of(2, 100_000, true, 0, 0, 4096L * 10));
        assertTrue(e.getMessage().contains("cannot hold one chunk of 4096 particles"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ChunkPlan.of(0, 10, false, 0, 0, 1L << 20));
        assertThrows(IllegalArgumentException.class, () -> ChunkPlan.of(1, 10, false, 0, 0, 0));
    }
}
