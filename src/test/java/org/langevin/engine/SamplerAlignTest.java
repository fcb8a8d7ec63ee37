package org.langevin.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.langevin.model.Dynamics;
import org.langevin.model.LossKind;
import org.langevin.model.RunSpecBuilder;
import org.langevin.model.TrainingSet;

/**
 * Segments end where every random stream of a particle is at a Philox block boundary (4 words), so
 * no block is computed twice; the alignment follows the normals (q = d per step) and SGD's index words
 * (B per step).
 */
class SamplerAlignTest {
    static CompiledProblem langevin(int d) {
        return ProblemCompiler.compile(new RunSpecBuilder().dynamics(Dynamics.LANGEVIN).loss(LossKind.QUADRATIC).dim(d)
                .particles(10).steps(10).build());
    }

    @Test
    void alignmentOfEachStream() {
        assertEquals(4, Sampler.alignSteps(langevin(1)));
        assertEquals(2, Sampler.alignSteps(langevin(2)));
        assertEquals(4, Sampler.alignSteps(langevin(3)));
        assertEquals(1, Sampler.alignSteps(langevin(4)));
        assertEquals(2, Sampler.alignSteps(langevin(6)));
        TrainingSet t = new TrainingSet(8, 1, new float[] {1, 2, 3, 4, 5, 6, 7, 8}, new float[8]);
        for (int[] bq : new int[][] {{1, 4}, {2, 2}, {3, 4}, {4, 1}, {6, 2}}) {
            CompiledProblem sgd = ProblemCompiler.compile(new RunSpecBuilder().dynamics(Dynamics.SGD).loss(LossKind.LINREG)
                    .dim(1).data(t).lr(0.01).batch(bq[0]).particles(10).steps(10).build());
            assertEquals(bq[1], Sampler.alignSteps(sgd), "B = " + bq[0]);
        }
    }

    @Test
    void segmentEndsLandOnAlignedSteps() {
        for (long k = 0; k < 40; k++) {
            for (long seg = 1; seg < 40; seg++) {
                for (long align : new long[] {1, 2, 4}) {
                    long e = Sampler.aligned(k, seg, align);
                    assertTrue(e > k, "a segment makes progress");
                    assertEquals(0, e % align, "k = " + k + ", seg = " + seg);
                    assertTrue(e <= k + Math.max(seg, align), "no longer than asked, or one aligned stretch");
                }
            }
        }
    }
}
