package org.langevin.engine;

import java.util.Locale;
import org.langevin.model.RunSpec;
import org.langevin.reduce.Blocks;

/**
 * The Java heap a run held in one JVM needs, known from its spec before anything is allocated, so a
 * run too large for the heap is refused with one line (the bytes needed, the heap, the largest
 * --particles that fits) instead of failing with an OutOfMemoryError after minutes. What is counted:
 * <ul>
 *   <li>the state, d float rows of P ({@link ParticleState}): 4·d·P bytes;</li>
 *   <li>with --average, the window sums, 2d+1 double rows of P: 8·(2d+1)·P bytes;</li>
 *   <li>the training set: its features and targets, the kernels' copy ({@code kernelData}) and the two
 *       transient copies of the data hash, 4 × 4·n·(d+1) bytes, plus the double rows the host
 *       statistics build ({@code linalg}), 2 × n·(16 + 8(d+1)) bytes;</li>
 *   <li>the reduction: per thread a block reducer of 8·4096·(2d+4) bytes, and the partial summaries in
 *       flight (histograms of d·bins and the 2-D histogram, moments and the covariance);</li>
 *   <li>a fixed allowance for the JVM's classes, the plots and the I/O buffers.</li>
 * </ul>
 * Not counted, because they are streamed through fixed buffers of 1 MiB: particles.npy and the
 * checkpoint. Device memory is not counted either: the device engines plan it themselves
 * ({@code engine.device.ChunkPlan}, chunks within the free memory). Immutable and thread-safe.
 *
 * @param stateBytes the particle coordinates
 * @param averageBytes the window sums (0 without --average)
 * @param dataBytes the training set and its copies (0 without one)
 * @param reductionBytes the reduction's working set
 * @param fixedBytes the allowance independent of the spec
 */
public record MemoryEstimate(long stateBytes, long averageBytes, long dataBytes, long reductionBytes, long fixedBytes) {
    /** Allowance for classes, plots (a few PNG images) and I/O buffers, in bytes. */
    public static final long FIXED_BYTES = 64L << 20;
    /** Largest P: the longest Java array that every JVM allocates (a state row has P floats). */
    public static final int MAX_PARTICLES = (int) RunSpec.MAX_ONE_JVM_PARTICLES;
    /** Histogram bins when the spec names none (Langevin.DEFAULT_BINS; no import: engine does not depend on the facade). */
    private static final int AUTOMATIC_BINS = 100;
    /** Partial summaries in flight per reducer thread (the reducer's window, with room for merging). */
    private static final int SUMMARIES_PER_THREAD = 8;

    /**
     * Estimates a run.
     *
     * @param spec a validated spec
     * @param threads reducer threads, ≥ 1
     * @return the estimate in bytes, per part; {@link #totalBytes()} sums them
     */
    public static MemoryEstimate of(RunSpec spec, int threads) {
        int d = spec.dim();
        long p = spec.particles();
        long state = 4L * d * p;
        long avg = spec.average() ? 8L * (2L * d + 1) * p : 0;
        long data = 0;
        if (spec.data() != null) {
            long n = spec.data().n();
            data = 16L * n * (d + 1) + 2L * n * (16 + 8L * (d + 1));
        }
        int bins = spec.histogram() != null ? spec.histogram().bins() : AUTOMATIC_BINS;
        long b2 = d >= 2 ? Math.min(bins, 100) : 0;
        long summary = 8L * (d * (bins + 2L) + b2 * b2 + 2L * d * d + 8L * d);
        long t = Math.max(1, threads);
        long reduction = t * (8L * Blocks.SIZE * (2L * d + 4) + SUMMARIES_PER_THREAD * summary) + 64 * summary;
        return new MemoryEstimate(state, avg, data, reduction, FIXED_BYTES);
    }

    /** @return the bytes of heap the run needs in all */
    public long totalBytes() {
        return stateBytes + averageBytes + dataBytes + reductionBytes + fixedBytes;
    }

    /**
     * Refuses a run that does not fit the heap, or whose P exceeds the longest Java array.
     *
     * @param spec a validated spec
     * @param threads reducer threads, ≥ 1
     * @param maxHeapBytes the heap the JVM may use ({@code Runtime.getRuntime().maxMemory()};
     *                     {@code Long.MAX_VALUE} for no limit)
     * @throws IllegalArgumentException one line: bytes needed, heap available, the largest --particles
     *                                  that fits and how to raise the heap; or, for P above one JVM's arrays,
     *                                  that the Spark launcher runs it
     */
    public static void requireFits(RunSpec spec, int threads, long maxHeapBytes) {
        spec.particlesInOneJvm();
        MemoryEstimate m = of(spec, threads);
        long need = m.totalBytes();
        if (need > maxHeapBytes) {
            long perParticle = (m.stateBytes + m.averageBytes) / spec.particles();
            long room = maxHeapBytes - (need - m.stateBytes - m.averageBytes);
            long fit = room <= 0 ? 0 : Math.min(MAX_PARTICLES, room / perParticle);
            long xmxGiB = (need + (1L << 30) - 1 >> 30) + 1;
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "--particles %d needs about %d bytes (%s) of Java heap%s but the heap is %d bytes (%s): "
                            + "%s; or raise the heap, e.g. java -Xmx%dg ...", spec.particles(), need, human(need),
                    m.averageBytes > 0 ? " with --average" : "", maxHeapBytes, human(maxHeapBytes),
                    fit > 0 ? "at most --particles " + fit + " fit" : "no --particles fits (the training set alone is "
                            + human(m.dataBytes) + ")", xmxGiB));
        }
    }

    /** @return bytes in KiB, MiB or GiB with three significant digits */
    static String human(long bytes) {
        if (bytes < 1L << 20) {
            return String.format(Locale.ROOT, "%.3g KiB", bytes / 1024.0);
        }
        if (bytes < 1L << 30) {
            return String.format(Locale.ROOT, "%.3g MiB", bytes / (double) (1L << 20));
        }
        return String.format(Locale.ROOT, "%.3g GiB", bytes / (double) (1L << 30));
    }
}
