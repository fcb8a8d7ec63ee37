package org.langevin.model;

/** The built-in losses of docs/theory.md §1. The code is the kernel ABI's {@code IP_LOSS} value. */
public enum LossKind {
    /** No loss (Brownian motion). */
    NONE("none", 0),
    /** ½(Φ−m)ᵀA(Φ−m). */
    QUADRATIC("quadratic", 1),
    /** Σ_j (Φ_j²−1)². */
    DOUBLE_WELL("double-well", 2),
    /** mean over examples of (x_iᵀΦ − y_i)²/(2s²). */
    LINREG("linreg", 3),
    /** mean over examples of ln(1 + exp(−y_i x_iᵀΦ)), labels ±1. */
    LOGISTIC("logistic", 4),
    /** A user model's loss or potential (--model); the engines read it through the model's compiled code. */
    MODEL("model", 5);

    /** Name on the command line and in JSON. */
    public final String cliName;
    /** Value of {@code ip[IP_LOSS]}. */
    public final int code;

    LossKind(String cliName, int code) {
        this.cliName = cliName;
        this.code = code;
    }

    /**
     * Whether the built-in loss is a mean over a training set.
     *
     * @return true for {@link #LINREG} and {@link #LOGISTIC} (a user model's data needs are its own)
     */
    public boolean needsData() {
        return this == LINREG || this == LOGISTIC;
    }

    /**
     * Parses a command-line name of a built-in loss; the message lists the valid names.
     *
     * @param name {@code double-well}, {@code quadratic}, {@code linreg} or {@code logistic} (case-sensitive)
     * @return the loss with that name
     * @throws IllegalArgumentException for any other name, including {@code none} and {@code model}, which are
     *         not chosen by name
     */
    public static LossKind parse(String name) {
        for (LossKind v : values()) {
            if (v.cliName.equals(name) && v != NONE && v != MODEL) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown loss '" + name + "': use one of "
                + "double-well, quadratic, linreg, logistic (or give your own with --model FILE)");
    }

    @Override
    public String toString() {
        return cliName;
    }
}
