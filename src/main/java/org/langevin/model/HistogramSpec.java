package org.langevin.model;

/**
 * Histogram binning for every coordinate (and the 2-D histogram of the first two).
 *
 * @param bins number of bins, 1 … 100000
 * @param lo lower edge
 * @param hi upper edge, > lo
 */
public record HistogramSpec(int bins, double lo, double hi) {
    public HistogramSpec {
        if (bins < 1 || bins > 100_000) {
            throw new IllegalArgumentException("--histogram bins must be in 1..100000, got " + bins);
        }
        if (!Double.isFinite(lo) || !Double.isFinite(hi) || !(hi > lo)) {
            throw new IllegalArgumentException("--histogram needs finite lo < hi, got lo = " + lo + ", hi = " + hi);
        }
    }

    /** Parses {@code bins,lo,hi}, e.g. {@code 100,-2,2}. */
    public static HistogramSpec parse(String spec) {
        String[] p = spec.split(",");
        if (p.length != 3) {
            throw new IllegalArgumentException("--histogram expects bins,lo,hi (e.g. 100,-2,2), got '" + spec + "'");
        }
        try {
            return new HistogramSpec((int) Counts.parse("--histogram bins", p[0], 1, 100_000), Double.parseDouble(p[1].trim()),
                    Double.parseDouble(p[2].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--histogram expects bins,lo,hi (e.g. 100,-2,2), got '" + spec + "'");
        }
    }

    /** @return the command-line form */
    public String describe() {
        return bins + "," + lo + "," + hi;
    }
}
