package org.langevin.model;

/**
 * How particles start: every particle at the same point, or Φ_j = mean + sd·N(0,1) with the normals
 * taken from region 2 of the particle's Philox stream (kernels/README.md), drawn on the host.
 *
 * @param point the common start (length d) when {@code sd == 0}; for the normal start, the mean vector
 * @param sd standard deviation of the normal start; 0 for a fixed point
 */
public record InitialState(double[] point, double sd) {

    /**
     * Validates the start and keeps a copy of {@code point}.
     *
     * @param point the common start, or the mean of the normal start (length d, finite)
     * @param sd    standard deviation of the normal start, finite and ≥ 0; 0 for a fixed point
     * @throws IllegalArgumentException if a coordinate of the point is not finite, or sd is negative, NaN or infinite
     */
    public InitialState {
        point = point.clone();
        for (double v : point) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("--init value is not finite: " + v);
            }
        }
        if (!(sd >= 0) || Double.isInfinite(sd)) {
            throw new IllegalArgumentException("--init normal standard deviation must be finite and >= 0, got " + sd);
        }
    }

    /**
     * Parses {@code 0}, {@code v1,v2,...} (d values, or one value used for every coordinate) or
     * {@code normal:mean,sd}.
     *
     * @param spec the {@code --init} value
     * @param d    the run's dimension
     * @return the start: a fixed point with sd = 0, or the normal start with the same mean in every coordinate
     * @throws IllegalArgumentException if a value is not a number, the count of values is neither 1 nor d, or the
     *         values are out of range
     */
    public static InitialState parse(String spec, int d) {
        String s = spec.trim();
        try {
            if (s.startsWith("normal:")) {
                String[] p = s.substring(7).split(",");
                if (p.length != 2) {
                    throw new IllegalArgumentException("--init normal: expects normal:MEAN,SD, got '" + spec + "'");
                }
                double mean = Double.parseDouble(p[0].trim());
                double sd = Double.parseDouble(p[1].trim());
                double[] m = new double[d];
                java.util.Arrays.fill(m, mean);
                return new InitialState(m, sd);
            }
            String[] p = s.split(",");
            double[] v = new double[d];
            if (p.length == 1) {
                java.util.Arrays.fill(v, Double.parseDouble(p[0].trim()));
            } else if (p.length == d) {
                for (int j = 0; j < d; j++) {
                    v[j] = Double.parseDouble(p[j].trim());
                }
            } else {
                throw new IllegalArgumentException("--init has " + p.length + " values but --dim is " + d
                        + " (give one value or d values)");
            }
            return new InitialState(v, 0);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--init: not a number in '" + spec
                    + "' (use 0, v1,v2,... or normal:MEAN,SD)");
        }
    }

    /** @return the dimension */
    public int dim() {
        return point.length;
    }

    /**
     * The start point, or the mean of the normal start.
     *
     * @return a fresh copy of the point, length d
     */
    @Override
    public double[] point() {
        return point.clone();
    }

    /** @return the command-line form */
    public String describe() {
        StringBuilder sb = new StringBuilder(sd > 0 ? "normal:" : "");
        if (sd > 0) {
            return sb.append(point[0]).append(',').append(sd).toString();
        }
        for (int j = 0; j < point.length; j++) {
            sb.append(j == 0 ? "" : ",").append(point[j]);
        }
        return sb.toString();
    }
}
