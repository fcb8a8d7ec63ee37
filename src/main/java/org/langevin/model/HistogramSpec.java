package org.langevin.model;

/**
 * Histogram binning for every coordinate (and the 2-D histogram of the first two).
 *
 * @param bins number of bins, 1 … 100000
 * @param lo lower edge
 * @param hi upper edge, &gt; lo
 */
public record HistogramSpec(int bins, double lo, double hi) {
    /**
     * Validates the binning.
     *
     * @param bins number of bins, 1 … 100000
     * @param lo   lower edge, finite
     * @param hi   upper edge, finite and &gt; lo
     * @throws IllegalArgumentException if bins is outside 1 … 100000, or lo and hi are not finite with lo &lt; hi
     */
    public HistogramSpec {
        if (bins < 1 || bins > 100_000) {
            throw new IllegalArgumentException("--histogram bins must be in 1..100000, got " + bins);
        }
        if (!Double.isFinite(lo) || !Double.isFinite(hi) || !(hi > lo)) {
            throw new IllegalArgumentException("--histogram needs finite lo < hi, got lo = " + lo + ", hi = " + hi);
        }
    }

    /**
     * Parses {@code bins,lo,hi}, e.g. {@code 100,-2,2}.
     *
     * @param spec the {@code --histogram} value: a count (see {@link Counts}) and two numbers, comma-separated
     * @return the binning
     * @throws IllegalArgumentException if the text does not have that form or the values are out of range
     */
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
