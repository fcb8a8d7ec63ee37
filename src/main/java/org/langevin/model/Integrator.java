package org.langevin.model;

/**
 * How overdamped Langevin dynamics is discretised (docs/theory.md O11). Euler–Maruyama uses the step's
 * normals ξ_k; Leimkuhler–Matthews the mean of this step's and the next step's, (ξ_k + ξ_{k+1})/2, which
 * makes the stationary law of Ornstein–Uhlenbeck exact at every stable Δt. The normals of both are the
 * particle's counter-based stream (normal k·d + j at step k), so LM needs no extra state: a resumed or
 * partitioned run draws the same numbers.
 */
public enum Integrator {
    /** x ← x − Δt∇L(x) + σ√Δt ξ_k. */
    EULER_MARUYAMA("em", 0),
    /** x ← x − Δt∇L(x) + σ√Δt (ξ_k + ξ_{k+1})/2. */
    LEIMKUHLER_MATTHEWS("leimkuhler-matthews", 1),
    /**
     * Underdamped Langevin by BAOAB (Leimkuhler &amp; Matthews 2013): p ← p − (h/2)∇L(q); q ← q + (h/2)p;
     * p ← c₁p + c₃ξ (c₁ = e^{−γh}, c₃ = √((1 − c₁²)T)); q ← q + (h/2)p; p ← p − (h/2)∇L(q).
     */
    BAOAB("baoab", 2);

    /** Name on the command line and in JSON. */
    public final String cliName;
    /** Value of {@code ip[IP_INTEGRATOR]}. */
    public final int code;

    Integrator(String cliName, int code) {
        this.cliName = cliName;
        this.code = code;
    }

    /**
     * Parses a command-line name; the message lists the valid names.
     *
     * @param name the {@link #cliName}: {@code em}, {@code leimkuhler-matthews} or {@code baoab} (case-sensitive)
     * @return the integrator with that name
     * @throws IllegalArgumentException if no integrator has that name
     */
    public static Integrator parse(String name) {
        for (Integrator v : values()) {
            if (v.cliName.equals(name)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown --integrator '" + name + "': use em, leimkuhler-matthews (langevin) or baoab (underdamped)");
    }

    @Override
    public String toString() {
        return cliName;
    }
}
