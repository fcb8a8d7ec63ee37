package org.langevin.model;

/** The dynamics of docs/theory.md §1. The code is the kernel ABI's {@code IP_DYNAMICS} value. */
public enum Dynamics {
    /** z ← z + σ√Δt ε. */
    BROWNIAN("brownian", 0),
    /** Φ ← Φ − g(Φ)Δt (deterministic Euler). */
    GRADIENT_FLOW("gradient-flow", 1),
    /** Φ ← Φ − g(Φ)Δt + σ√Δt ε (Euler–Maruyama). */
    LANGEVIN("langevin", 2),
    /** Φ ← Φ − η_k D ĝ_k with examples drawn uniformly each step. */
    SGD("sgd", 3),
    /** Φ ← Φ − g(Φ)Δt + √η S(Φ)√Δt ε with S Sᵀ = Σ(Φ). */
    SGD_SDE("sgd-sde", 4),
    /** x ← x + μ(x, t)Δt + S(x, t)√Δt ε: the general SDE of a user model (--model). */
    SDE("sde", 5),
    /**
     * Underdamped Langevin of a user model's potential: dq = p dt, dp = −∇L(q) dt − γp dt + √(2γT) dW with
     * T = σ²/2 (q-marginal exp(−2L/σ²)); the momentum p is the particle's auxiliary state.
     */
    UNDERDAMPED("underdamped", 6);

    /** Name on the command line and in JSON. */
    public final String cliName;
    /** Value of {@code ip[IP_DYNAMICS]}. */
    public final int code;

    Dynamics(String cliName, int code) {
        this.cliName = cliName;
        this.code = code;
    }

    /** @return true for a dynamics that only user models drive (no built-in kernel entry point) */
    public boolean modelOnly() {
        return this == SDE || this == UNDERDAMPED;
    }

    /**
     * Gaussian normals consumed per step for dimension d (the RNG layout of kernels/README.md).
     *
     * @param d the particle's dimension
     * @return d for the stochastic dynamics (Brownian, Langevin, SGD SDE, SDE, underdamped), 0 for gradient
     *         flow and SGD (SGD draws example indices, not normals)
     */
    public int normalsPerStep(int d) {
        return switch (this) {
            case BROWNIAN, LANGEVIN, SGD_SDE, SDE, UNDERDAMPED -> d;
            case GRADIENT_FLOW, SGD -> 0;
        };
    }

    /**
     * Parses a command-line name; the message lists the valid names.
     *
     * @param name the {@link #cliName}, e.g. {@code sgd-sde} (case-sensitive)
     * @return the dynamics with that name
     * @throws IllegalArgumentException if no dynamics has that name
     */
    public static Dynamics parse(String name) {
        for (Dynamics v : values()) {
            if (v.cliName.equals(name)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown dynamics '" + name + "': use one of "
                + "brownian, gradient-flow, langevin, sgd, sgd-sde, sde, underdamped");
    }

    @Override
    public String toString() {
        return cliName;
    }
}
