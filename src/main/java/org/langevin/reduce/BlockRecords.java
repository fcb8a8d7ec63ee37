package org.langevin.reduce;

import java.util.ArrayList;
import java.util.List;

/**
 * Level-0 block partials from <em>block records</em>: the fixed-layout arrays of doubles in which a
 * device reduces its resident particles, one thread per block ({@code kernels/lv_reduce.cuh}), so
 * that only the records are copied back, not the particles. A record is exactly what
 * {@link Reducer#reduceBlock} computes for a view of final states (no window sums) under a spec that
 * this class {@linkplain #supports supports}: the same validity pass and the same two-pass moments in
 * the same order, so the partials, and everything merged from them, have the bytes of the host's.
 *
 * <p>Record layout of one block, {@link #length} doubles: the accepted count n and the diverged
 * count; per coordinate j the moments {@code mean, M2, M3, M4, min, max} of its final states; with a
 * loss, the same six of the loss; with histograms, per coordinate the underflow count, the overflow
 * count and the {@code bins} bin counts. Counts are integers held exactly in doubles.
 *
 * <p>Stateless; thread-safe.
 */
public final class BlockRecords {

    private BlockRecords() {
    }

    /**
     * Whether a record can hold a block's reduction under {@code spec}: no covariance, no observables,
     * no 2-D histogram, and histograms (if any) on one range shared by every coordinate. The loss, when
     * the spec has one, must be computed where the records are made exactly as
     * {@link ReduceSpec#loss()} computes it on the host; that is the caller's part.
     *
     * @param spec the reduction
     * @param d the dimension, {@code >= 1}
     * @return whether {@link #partials} can decode records of this spec
     */
    public static boolean supports(ReduceSpec spec, int d) {
        if (spec == null || d < 1) {
            return false;
        }
        spec.check(d);
        return !spec.computesCovariance(d) && spec.observables().isEmpty() && !spec.hasHistogram2D()
                && spec.histogramRangeShared();
    }

    /**
     * @param spec a spec this class {@linkplain #supports supports} for d
     * @param d the dimension, {@code >= 1}
     * @return doubles per block record (class comment)
     */
    public static int length(ReduceSpec spec, int d) {
        requireSupported(spec, d);
        long len = 2L + 6L * d + (spec.loss() != null ? 6 : 0)
                + (spec.histogramBins() > 0 ? (long) d * (2L + spec.histogramBins()) : 0);
        if (len > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("a block record of d = " + d + " with " + spec.histogramBins()
                    + " histogram bins would hold " + len + " doubles, too many");
        }
        return (int) len;
    }

    /**
     * The histogram binning of a spec as {@link Histogram1D#accept} applies it:
     * {@code {bins, lo, hi, scale}} with {@code scale = bins / (hi − lo)} computed as the histogram
     * computes it (bin of x: {@code min((int) ((x − lo)·scale), bins − 1)} for {@code lo <= x < hi}).
     *
     * @param spec a spec this class {@linkplain #supports supports}
     * @return the four numbers, or null without histograms
     */
    public static double[] histogramBinning(ReduceSpec spec) {
        Histogram1D[] h = spec.newHistograms(1);
        if (h == null) {
            return null;
        }
        return new double[] {h[0].getBins(), h[0].getLo(), h[0].getHi(), h[0].scale()};
    }

    /**
     * Decodes the records of consecutive blocks into their level-0 partials, checking each record's
     * counts: n and the diverged count are integers adding up to the block's particles, and every
     * coordinate's histogram counts are integers adding up to n.
     *
     * @param spec the spec the records were made under (one this class {@linkplain #supports supports})
     * @param d the dimension
     * @param firstBlock the global index of the first record's block, {@code >= 0}
     * @param particles the particles of the records' blocks together (all blocks full but the last)
     * @param records {@code ceil(particles / Blocks.SIZE)} records of {@link #length} doubles each
     * @return the partials, in block order
     * @throws IllegalArgumentException when the records are malformed (the message names the block)
     */
    public static List<BlockPartial> partials(ReduceSpec spec, int d, long firstBlock, long particles,
                                              double[] records) {
        int len = length(spec, d);
        if (firstBlock < 0 || particles < 1) {
            throw new IllegalArgumentException("need firstBlock >= 0 and particles >= 1, got " + firstBlock + " and "
                    + particles);
        }
        long blocks = (particles + Blocks.SIZE - 1) / Blocks.SIZE;
        if (records == null || records.length != blocks * len) {
            throw new IllegalArgumentException("block records of " + particles + " particles must hold " + blocks + " x "
                    + len + " doubles, got " + (records == null ? "none" : records.length));
        }
        boolean withLoss = spec.loss() != null;
        int bins = spec.histogramBins();
        List<BlockPartial> out = new ArrayList<>((int) blocks);
        for (int b = 0; b < blocks; b++) {
            long block = firstBlock + b;
            int o = b * len;
            long size = Math.min(Blocks.SIZE, particles - (long) b * Blocks.SIZE);
            long n = count(records[o], block, "accepted count");
            long diverged = count(records[o + 1], block, "diverged count");
            if (n + diverged != size) {
                throw new IllegalArgumentException("block record " + block + " counts " + n + " accepted and " + diverged
                        + " diverged particles, but the block holds " + size);
            }
            Moments[] state = new Moments[d];
            int p = o + 2;
            for (int j = 0; j < d; j++, p += 6) {
                state[j] = moments(records, p, n);
            }
            Moments loss = null;
            if (withLoss) {
                loss = moments(records, p, n);
                p += 6;
            }
            Histogram1D[] hist = spec.newHistograms(d);
            if (hist != null) {
                for (int j = 0; j < d; j++) {
                    long total = 0;
                    for (int k = -1; k <= bins; k++) {
                        // record order: underflow, overflow, bins 0..bins-1
                        int at = k == -1 ? p : k == bins ? p + 1 : p + 2 + k;
                        long c = count(records[at], block, "histogram count");
                        hist[j].add(k, c);
                        total += c;
                    }
                    if (total != n) {
                        throw new IllegalArgumentException("block record " + block + " histogram of coordinate " + j
                                + " counts " + total + " values, not its " + n + " accepted particles");
                    }
                    p += 2 + bins;
                }
            }
            Summary s = new Summary(d, false, n, diverged, state, null, null, loss, new String[0], new Moments[0],
                    hist, null);
            out.add(new BlockPartial(0, block, s));
        }
        return out;
    }

    private static Moments moments(double[] r, int p, long n) {
        return Moments.ofFields(n, r[p], r[p + 1], r[p + 2], r[p + 3], r[p + 4], r[p + 5]);
    }

    private static long count(double v, long block, String what) {
        if (!(v >= 0) || v > Blocks.SIZE || v != Math.rint(v)) {
            throw new IllegalArgumentException("block record " + block + " has " + what + " " + v
                    + ", not an integer in [0, " + Blocks.SIZE + "]");
        }
        return (long) v;
    }

    private static void requireSupported(ReduceSpec spec, int d) {
        if (!supports(spec, d)) {
            throw new IllegalArgumentException("block records hold no covariance, observables, 2-D histogram or "
                    + "per-coordinate histogram ranges; this spec asks for one of them (d = " + d + ")");
        }
    }
}
