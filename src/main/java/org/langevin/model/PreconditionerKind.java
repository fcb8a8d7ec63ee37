package org.langevin.model;

/** The matrix D of the SGD update Φ ← Φ − η D ĝ. */
public enum PreconditionerKind {
    /** D = I. */
    IDENTITY("identity"),
    /** D = diag(v), v given by the user. */
    DIAGONAL("diagonal"),
    /** D a full d×d matrix given by the user. */
    FULL("full"),
    /** D = Σ(Φ*)⁻¹, the inverse gradient-noise covariance at the minimiser. */
    INVERSE_NOISE("inverse-noise"),
    /** D = diag(1/σ_k), σ_k² the diagonal of Σ(Φ*) (RMSProp-like). */
    RMSPROP("rmsprop");

    /** Name on the command line and in JSON. */
    public final String cliName;

    PreconditionerKind(String cliName) {
        this.cliName = cliName;
    }

    /**
     * Parses a command-line name.
     *
     * @param name the {@link #cliName}, e.g. {@code inverse-noise} (case-sensitive)
     * @return the preconditioner kind with that name
     * @throws IllegalArgumentException if no kind has that name; the message lists the valid names
     */
    public static PreconditionerKind parse(String name) {
        for (PreconditionerKind v : values()) {
            if (v.cliName.equals(name)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown preconditioner '" + name
                + "': use identity, diagonal, full, inverse-noise or rmsprop");
    }

    @Override
    public String toString() {
        return cliName;
    }
}
