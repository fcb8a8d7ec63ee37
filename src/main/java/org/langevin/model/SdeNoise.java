package org.langevin.model;

/** The gradient-noise covariance of the SGD SDE. The code is {@code ip[IP_SDE_NOISE]}. */
public enum SdeNoise {
    /** Σ(Φ*) held constant (Cholesky factor computed once on the host). */
    CONSTANT("constant", 0),
    /** The exact Σ(Φ) at the particle's state, recomputed every step (linear regression). */
    STATE("state", 1);

    /** Name on the command line and in JSON. */
    public final String cliName;
    /** Value of {@code ip[IP_SDE_NOISE]}. */
    public final int code;

    SdeNoise(String cliName, int code) {
        this.cliName = cliName;
        this.code = code;
    }

    /**
     * Parses a command-line name.
     *
     * @param name {@code constant} or {@code state} (case-sensitive)
     * @return the noise model with that name
     * @throws IllegalArgumentException for any other name; the message lists the valid names
     */
    public static SdeNoise parse(String name) {
        for (SdeNoise v : values()) {
            if (v.cliName.equals(name)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown --sde-noise '" + name + "': use constant or state");
    }

    @Override
    public String toString() {
        return cliName;
    }
}
