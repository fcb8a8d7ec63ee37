package org.langevin.engine.cuda;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the normals of {@code --noise curand} come from: a pure function from (global step, normal
 * lane, global particle) to a position in the stream of one cuRAND Philox4x32-10 generator seeded
 * with the run's seed, and the cuRAND calls that fill one launch's noise buffer from it. Every normal
 * of a run has its own position, whatever the sessions (a resumed run), the particle ranges (Spark
 * partitions), the chunks and the launches that produce it, so a fixed seed reproduces and no normal
 * is used twice (kernels/README.md, "cuRAND buffer noise"). Immutable; no CUDA calls.
 * <p>
 * Normal j (0 ≤ j &lt; q) of global step k of global particle p (0 ≤ p &lt; P) is element
 * {@code (k·q + j)·P + p} of the generator's sequence. cuRAND's rules: {@code curandSetGeneratorOffset(o)}
 * makes the next value generated element o of the sequence (for Philox the offset counts 32-bit values,
 * one per float normal); {@code curandGenerateNormal} needs an even count and makes its normals by
 * Box–Muller on consecutive pairs of values, so every call here starts at an even position and
 * generates an even count: pair (2m, 2m+1) is always generated together and each normal is the same
 * whichever call produces it. A run of slots that starts or ends at an odd position gets its first or
 * last normal from a {@link Pick}: the pair is generated into a two-float scratch buffer and one of its
 * lanes copied into place.
 */
final class CurandLayout {
    /** One call: {@code count} normals (even) from stream position {@code offset} (even) into buffer floats [dst, dst+count). */
    record Generate(long offset, long count, long dst) implements Op {
    }

    /** One normal: the pair at stream positions {@code pair}, {@code pair+1} (pair even) goes to scratch; its lane (0 or 1) to buffer float dst. */
    record Pick(long pair, int lane, long dst) implements Op {
    }

    /** A step of filling a launch's buffer. */
    sealed interface Op permits Generate, Pick {
    }

    /** P, the run's particles: the stream's row length. */
    private final long particles;
    /** q, normals per step. */
    private final int q;

    /**
     * @param particles the run's particles P (all partitions together), ≥ 1
     * @param q normals per step, ≥ 1
     */
    CurandLayout(long particles, int q) {
        if (particles < 1 || q < 1) {
            throw new IllegalArgumentException("need particles >= 1 and q >= 1, got " + particles + ", " + q);
        }
        this.particles = particles;
        this.q = q;
    }

    /**
     * @return the stream position of normal j of global step k of global particle p: (k·q + j)·P + p
     * @throws IllegalArgumentException outside the run, or past 2^63 − 1 (cuRAND's offset is 64 bits)
     */
    long position(long step, int j, long particle) {
        if (step < 0 || j < 0 || j >= q || particle < 0 || particle >= particles) {
            throw new IllegalArgumentException("no normal " + j + " of step " + step + " of particle " + particle
                    + " in a run of " + particles + " particles with " + q + " normals per step");
        }
        try {
            return Math.addExact(Math.multiplyExact(Math.addExact(Math.multiplyExact(step, (long) q), j), particles),
                    particle);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("step " + step + " of a run of " + particles + " particles with " + q
                    + " normals per step is beyond cuRAND's 64-bit offset: use --noise fused", e);
        }
    }

    /**
     * The calls that fill one launch's buffer in the kernel ABI's layout (normal j of local step s of
     * column i at float {@code (s·q + j)·count + i}), in order. Rows adjacent both in the stream and in
     * the buffer are merged: when the launch holds every particle of the run, it is one call.
     *
     * @param firstParticle global index of column 0
     * @param count columns, ≥ 0, with firstParticle + count ≤ P
     * @param firstStep global index of the launch's first step, ≥ 0
     * @param nSteps steps, ≥ 0
     */
    List<Op> plan(long firstParticle, int count, long firstStep, int nSteps) {
        if (firstParticle < 0 || count < 0 || firstStep < 0 || nSteps < 0 || firstParticle > particles - count) {
            throw new IllegalArgumentException("columns [" + firstParticle + ", " + firstParticle + "+" + count
                    + ") and steps [" + firstStep + ", " + firstStep + "+" + nSteps + ") are not within a run of "
                    + particles + " particles");
        }
        List<Op> ops = new ArrayList<>();
        if (count == 0 || nSteps == 0) {
            return ops;
        }
        position(firstStep + nSteps - 1, q - 1, firstParticle + count - 1); // overflow check of the last one
        long runStart = -1;
        long runDst = -1;
        long runLen = 0;
        for (int s = 0; s < nSteps; s++) {
            for (int j = 0; j < q; j++) {
                long start = position(firstStep + s, j, firstParticle);
                long dst = ((long) s * q + j) * count;
                if (runLen > 0 && runStart + runLen == start && runDst + runLen == dst) {
                    runLen += count;
                } else {
                    emit(ops, runStart, runDst, runLen);
                    runStart = start;
                    runDst = dst;
                    runLen = count;
                }
            }
        }
        emit(ops, runStart, runDst, runLen);
        return ops;
    }

    /** Splits stream positions [start, start+len) → buffer [dst, dst+len) into even-aligned calls. */
    private static void emit(List<Op> ops, long start, long dst, long len) {
        if (len <= 0) {
            return;
        }
        if ((start & 1) != 0) {
            ops.add(new Pick(start - 1, 1, dst));
            start++;
            dst++;
            len--;
        }
        if ((len & 1) != 0) {
            ops.add(new Pick(start + len - 1, 0, dst + len - 1));
            len--;
        }
        if (len > 0) {
            ops.add(new Generate(start, len, dst));
        }
    }
}
