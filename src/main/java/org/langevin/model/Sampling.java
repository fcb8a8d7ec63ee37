package org.langevin.model;

/** How SGD draws the B examples of a step. The code is {@code ip[IP_SAMPLING]}. */
public enum Sampling {
    /** B independent uniform draws; κ = 1/B. */
    WITH_REPLACEMENT("with-replacement", 0),
    /** B distinct examples (Floyd's algorithm); κ = (n−B)/(B(n−1)). */
    WITHOUT_REPLACEMENT("without-replacement", 1);

    /** Name on the command line and in JSON. */
    public final String cliName;
    /** Value of {@code ip[IP_SAMPLING]}. */
    public final int code;

    Sampling(String cliName, int code) {
        this.cliName = cliName;
        this.code = code;
    }

    /**
     * The batch-noise factor κ of docs/theory.md for batch size b out of n examples: the batch gradient's
     * noise covariance is κΣ.
     *
     * @param b the batch size B ≥ 1 (≤ n without replacement)
     * @param n the number of examples n ≥ 1
     * @return 1/B with replacement; (n−B)/(B(n−1)) without, 0 for n = 1 (the full batch has no noise)
     */
    public double kappa(int b, int n) {
        if (this == WITH_REPLACEMENT) {
            return 1.0 / b;
        }
        return n == 1 ? 0.0 : (double) (n - b) / ((double) b * (n - 1));
    }

    /**
     * Parses a command-line name.
     *
     * @param name {@code with-replacement} or {@code without-replacement} (case-sensitive)
     * @return the sampling with that name
     * @throws IllegalArgumentException for any other name; the message lists the valid names
     */
    public static Sampling parse(String name) {
        for (Sampling v : values()) {
            if (v.cliName.equals(name)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown sampling '" + name
                + "': use with-replacement or without-replacement");
    }

    @Override
    public String toString() {
        return cliName;
    }
}
