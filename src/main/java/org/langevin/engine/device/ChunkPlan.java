package org.langevin.engine.device;

/**
 * How a device engine lays a run out in device memory: particles in chunks of a whole multiple of
 * {@link #QUANTUM} consecutive indices (so chunk boundaries are boundaries of the fixed reduction
 * blocks), each chunk's state, window sums and noise buffer within a memory budget. One chunk stays
 * resident for the whole session; with several, each advance streams the chunks through the device,
 * through two device slots when the plan overlaps copies with compute ({@code slots} = 2: chunk c in
 * slot c mod 2, so the next chunk's upload and the previous chunk's download run while a chunk's kernels
 * do). The budget is what the device may allocate less the local memory its kernels reserve at their
 * first launch ({@code localReserve}). Immutable.
 *
 * @param particles P
 * @param chunkParticles particles per chunk (a multiple of QUANTUM, or P when one chunk holds all)
 * @param chunks number of chunks, ⌈P / chunkParticles⌉
 * @param stride row stride of the device arrays: min(chunkParticles, P)
 * @param bufferSteps steps per launch in buffer mode (the noise buffer's depth), 0 without a buffer
 * @param deviceBytes bytes the plan allocates (parameters, the slots' chunk arrays, the noise buffer)
 * @param slots device slots for chunks: 1 (resident, or chunks one after the other) or 2 (chunks
 *              alternate between two slots, copies overlapping compute)
 * @param localReserve bytes of device memory the kernels' local memory takes at their first launch,
 *                     subtracted from the budget before the chunks were sized
 */
public record ChunkPlan(int particles, int chunkParticles, int chunks, int stride, int bufferSteps, long deviceBytes,
                        int slots, long localReserve) {
    /** Chunk sizes are whole multiples of this many particles (the reduction block of docs/architecture.md). */
    public static final int QUANTUM = 4096;
    /** Largest number of steps one buffer-mode launch takes (depth of the noise buffer). */
    public static final int MAX_BUFFER_STEPS = 32;

    /**
     * Plans a run.
     *
     * @param dim d ≥ 1
     * @param particles P ≥ 1
     * @param averages whether window sums (2d+1 doubles per particle) live on the device
     * @param bufferNormalsPerStep q when a noise buffer is used (buffer mode and q &gt; 0), else 0
     * @param fixedBytes bytes of the parameter arrays and data, ≥ 0
     * @param budgetBytes device memory the plan may use, &gt; 0
     * @return the plan with the largest chunk the budget holds (halving the buffer's depth from
     *         {@link #MAX_BUFFER_STEPS} until one chunk of QUANTUM particles fits)
     * @throws IllegalArgumentException when the budget cannot hold one chunk of QUANTUM particles, or an
     *                                  argument is out of range
     */
    public static ChunkPlan of(int dim, int particles, boolean averages, int bufferNormalsPerStep, long fixedBytes,
                               long budgetBytes) {
        return of(dim, particles, averages, bufferNormalsPerStep, fixedBytes, budgetBytes, false, 0);
    }

    /**
     * Plans a run, with two slots when the particles need several chunks and {@code overlap} is set (each
     * slot then gets half of the room), and the local-memory reserve taken off the budget first.
     *
     * @param dim d ≥ 1
     * @param particles P ≥ 1
     * @param averages whether window sums (2d+1 doubles per particle) live on the device
     * @param bufferNormalsPerStep q when a noise buffer is used (buffer mode and q &gt; 0), else 0; a noise
     *                             buffer keeps one slot
     * @param fixedBytes bytes of the parameter arrays and data, ≥ 0
     * @param budgetBytes device memory the plan may use, &gt; 0
     * @param overlap whether several chunks may alternate between two slots
     * @param localReserve bytes the kernels' local memory will take, ≥ 0
     * @return the plan; one slot when two slots of QUANTUM particles do not fit
     * @throws IllegalArgumentException when the budget less the reserve cannot hold one chunk of QUANTUM
     *                                  particles, or an argument is out of range
     */
    public static ChunkPlan of(int dim, int particles, boolean averages, int bufferNormalsPerStep, long fixedBytes,
                               long budgetBytes, boolean overlap, long localReserve) {
        if (localReserve < 0) {
            throw new IllegalArgumentException("localReserve must be >= 0 bytes, got " + localReserve);
        }
        if (dim < 1 || particles < 1 || bufferNormalsPerStep < 0 || fixedBytes < 0) {
            throw new IllegalArgumentException("need dim >= 1, particles >= 1, q >= 0, fixedBytes >= 0; got " + dim
                    + ", " + particles + ", " + bufferNormalsPerStep + ", " + fixedBytes);
        }
        if (!(budgetBytes > 0)) {
            throw new IllegalArgumentException("device memory budget must be > 0 bytes, got " + budgetBytes);
        }
        long stateBytes = 4L * dim + (averages ? 8L * (2L * dim + 1) : 0L);
        int steps = bufferNormalsPerStep > 0 ? MAX_BUFFER_STEPS : 0;
        long capacity;
        while (true) {
            // +4 bytes: the noise buffer may hold one float more than needed (an even count).
            long perParticle = stateBytes + 4L * bufferNormalsPerStep * steps;
            long room = budgetBytes - localReserve - fixedBytes - (steps > 0 ? 4 : 0);
            capacity = room <= 0 ? 0 : (room / perParticle) / QUANTUM * QUANTUM;
            if (capacity >= QUANTUM || steps <= 1) {
                break;
            }
            steps /= 2;
        }
        if (capacity < QUANTUM) {
            long need = fixedBytes + QUANTUM * (stateBytes + 4L * bufferNormalsPerStep * Math.max(steps, 0)) + 4;
            if (localReserve > 0) {
                throw new IllegalArgumentException("device memory budget of " + budgetBytes + " bytes less the "
                        + localReserve + " bytes the kernels' local memory reserves leaves " + (budgetBytes - localReserve)
                        + " bytes, which cannot hold one chunk of " + QUANTUM + " particles in dimension " + dim
                        + " (the chunk needs " + need + " bytes, " + (need + localReserve) + " with the reserve): use a "
                        + "device with more free memory, or fewer resident threads of the kernels' local memory");
            }
            throw new IllegalArgumentException("device memory budget of " + budgetBytes + " bytes cannot hold one chunk of "
                    + QUANTUM + " particles in dimension " + dim + " (needs " + need
                    + " bytes): use a larger budget or a device with more free memory");
        }
        long roundedP = ((long) particles + QUANTUM - 1) / QUANTUM * QUANTUM;
        int slots = 1;
        if (overlap && steps == 0 && capacity < roundedP) {
            long half = (budgetBytes - localReserve - fixedBytes) / 2;
            long two = (half / stateBytes) / QUANTUM * QUANTUM;
            if (two >= QUANTUM) {
                capacity = two;
                slots = 2;
            }
        }
        int chunk = (int) Math.min(Math.min(capacity, roundedP), Integer.MAX_VALUE / QUANTUM * (long) QUANTUM);
        int chunks = (int) (((long) particles + chunk - 1) / chunk);
        int stride = Math.min(chunk, particles);
        long bytes = fixedBytes + (long) slots * stride * stateBytes
                + (steps > 0 ? 4L * (evenUp((long) bufferNormalsPerStep * steps * stride)) : 0L);
        return new ChunkPlan(particles, chunks == 1 ? particles : chunk, chunks, stride, steps, bytes, slots,
                localReserve);
    }

    /**
     * @param c a chunk, 0 ≤ c &lt; chunks
     * @return first particle of chunk c (its index in the session's state)
     */
    public int chunkStart(int c) {
        return (int) Math.min((long) c * chunkParticles, particles);
    }

    /**
     * @param c a chunk, 0 ≤ c &lt; chunks
     * @return particles in chunk c: chunkParticles, fewer in the last chunk
     */
    public int chunkCount(int c) {
        return Math.min(chunkParticles, particles - chunkStart(c));
    }

    /**
     * @param q normals per particle and step
     * @return floats of the noise buffer for q normals per step (q · bufferSteps · stride rounded up to
     *         even, as cuRAND fills even counts only), or 0 without a buffer
     */
    public long noiseFloats(int q) {
        return bufferSteps == 0 ? 0 : evenUp((long) q * bufferSteps * stride);
    }

    /** @return the plan in one line for people: chunks, slots, bytes, local-memory reserve */
    public String describe() {
        String layout = chunks == 1 ? "resident (1 chunk of " + particles + " particles)"
                : chunks + " chunks of " + chunkParticles + " particles"
                        + (slots == 2 ? " in 2 device slots (copies overlap compute)" : ", one after the other");
        return layout + ", " + deviceBytes + " bytes of device memory, local-memory reserve " + localReserve + " bytes";
    }

    private static long evenUp(long n) {
        return (n + 1) & ~1L;
    }
}
