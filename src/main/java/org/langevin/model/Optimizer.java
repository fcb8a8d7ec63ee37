package org.langevin.model;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The update rule of SGD given the batch gradient ĝ (docs/theory.md §1, PyTorch's conventions of
 * {@code torch.optim}, with no dampening and no weight decay). Per coordinate j, in float, in this order:
 * <ul>
 *   <li>{@code sgd}: Φ ← Φ − η·ĝ (and the preconditioner D of --preconditioner, the only rule that takes one);</li>
 *   <li>{@code momentum:μ} (heavy ball): v ← μ·v + ĝ; Φ ← Φ − η·v;</li>
 *   <li>{@code nesterov:μ}: v ← μ·v + ĝ; Φ ← Φ − η·(ĝ + μ·v);</li>
 *   <li>{@code rmsprop:rho=ρ,eps=ε}: s ← ρ·s + (1−ρ)·(ĝ·ĝ); Φ ← Φ − η·(ĝ/(√s + ε));</li>
 *   <li>{@code adam:b1=β₁,b2=β₂,eps=ε}: m ← β₁·m + (1−β₁)·ĝ; s ← β₂·s + (1−β₂)·(ĝ·ĝ);
 *       Φ ← Φ − (η/c₁)·(m/((√s·r₂) + ε)) with c₁ = (float)(1 − β₁^t), r₂ = (float)(1/√(1 − β₂^t)), t = k + 1 the
 *       global step: PyTorch's formula (step size η/c₁, denominator √s/√(1 − β₂ᵗ) + ε), its division by
 *       √(1 − β₂ᵗ) done as the product with the reciprocal r₂ (one float division fewer); β^t by binary
 *       powering in double, so the corrections depend on t alone, not on segments.</li>
 * </ul>
 * The state v, s, m starts at 0 (PyTorch's first heavy-ball step v = ĝ is the same number) and is the
 * particle's auxiliary state: {@link #auxRows(int)} float rows of d values, carried by every engine,
 * checkpoint and partition. Immutable.
 *
 * @param kind the rule
 * @param a μ (momentum, nesterov), ρ (rmsprop) or β₁ (adam); 0 for sgd
 * @param b β₂ (adam), else 0
 * @param eps ε (rmsprop, adam), else 0
 */
public record Optimizer(Kind kind, double a, double b, double eps) {
    /** The rules, with their kernel code. */
    public enum Kind {
        /** Plain SGD, Φ ← Φ − η·ĝ; no auxiliary state. */
        SGD("sgd", 0),
        /** Heavy-ball momentum; auxiliary state v (d floats). */
        MOMENTUM("momentum", 1),
        /** Nesterov momentum; auxiliary state v (d floats). */
        NESTEROV("nesterov", 2),
        /** RMSProp; auxiliary state s (d floats). */
        RMSPROP("rmsprop", 3),
        /** Adam with bias correction; auxiliary state m then s (2d floats). */
        ADAM("adam", 4);

        /** Name on the command line. */
        public final String cliName;
        /** The kernels' optimiser code. */
        public final int code;

        Kind(String cliName, int code) {
            this.cliName = cliName;
            this.code = code;
        }
    }

    /** Plain SGD. */
    public static final Optimizer SGD = new Optimizer(Kind.SGD, 0, 0, 0);

    /**
     * Validates the rule's parameters; those a rule does not use are not checked.
     *
     * @param kind the rule, not null
     * @param a    μ in [0, 1) (momentum, nesterov), ρ in [0, 1) (rmsprop) or β₁ in [0, 1) (adam)
     * @param b    β₂ in [0, 1) (adam)
     * @param eps  ε, finite and &gt; 0 (rmsprop, adam)
     * @throws IllegalArgumentException if the kind is null or a parameter the rule uses is out of range
     */
    public Optimizer {
        if (kind == null) {
            throw new IllegalArgumentException("optimizer kind must not be null");
        }
        switch (kind) {
            case MOMENTUM, NESTEROV -> {
                if (!(a >= 0 && a < 1)) {
                    throw new IllegalArgumentException("--optimizer " + kind.cliName + ": the momentum μ must be in [0, 1), got " + a);
                }
            }
            case RMSPROP -> {
                if (!(a >= 0 && a < 1)) {
                    throw new IllegalArgumentException("--optimizer rmsprop: rho must be in [0, 1), got " + a);
                }
                checkEps(eps);
            }
            case ADAM -> {
                if (!(a >= 0 && a < 1)) {
                    throw new IllegalArgumentException("--optimizer adam: b1 must be in [0, 1), got " + a);
                }
                if (!(b >= 0 && b < 1)) {
                    throw new IllegalArgumentException("--optimizer adam: b2 must be in [0, 1), got " + b);
                }
                checkEps(eps);
            }
            default -> {
            }
        }
    }

    private static void checkEps(double eps) {
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("--optimizer: eps must be finite and > 0, got " + eps);
        }
    }

    /**
     * The size of the particle's auxiliary state for this rule.
     *
     * @param d the particle's dimension
     * @return float rows of auxiliary state per particle for dimension d: 0, d (v or s) or 2d (adam: m then s)
     */
    public int auxRows(int d) {
        return switch (kind) {
            case SGD -> 0;
            case MOMENTUM, NESTEROV, RMSPROP -> d;
            case ADAM -> 2 * d;
        };
    }

    /** @return true for plain SGD */
    public boolean plain() {
        return kind == Kind.SGD;
    }

    /**
     * Parses {@code sgd}, {@code momentum:0.9}, {@code nesterov:0.9}, {@code rmsprop:rho=0.99,eps=1e-8},
     * {@code adam:b1=0.9,b2=0.999,eps=1e-8} (each key optional, PyTorch's defaults: rho 0.99, b1 0.9,
     * b2 0.999, eps 1e-8); the message names the valid shapes.
     *
     * @param text the {@code --optimizer} value (case-insensitive; momentum's value may be written {@code mu=0.9})
     * @return the rule; {@link #SGD} for {@code sgd}
     * @throws IllegalArgumentException for an unknown rule or key, a missing momentum, a value that is not a
     *         number, or a parameter out of range
     */
    public static Optimizer parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        int colon = t.indexOf(':');
        String name = colon < 0 ? t : t.substring(0, colon);
        String args = colon < 0 ? "" : t.substring(colon + 1);
        try {
            switch (name) {
                case "sgd" -> {
                    if (!args.isEmpty()) {
                        throw new IllegalArgumentException("--optimizer sgd takes no parameters, got '" + text + "'");
                    }
                    return SGD;
                }
                case "momentum", "nesterov" -> {
                    if (args.isEmpty()) {
                        throw new IllegalArgumentException("--optimizer " + name + " needs its momentum: " + name + ":0.9");
                    }
                    String v = args.startsWith("mu=") ? args.substring(3) : args;
                    return new Optimizer(name.equals("momentum") ? Kind.MOMENTUM : Kind.NESTEROV, Double.parseDouble(v), 0, 0);
                }
                case "rmsprop" -> {
                    Map<String, Double> kv = keys(args, "rho", "eps");
                    return new Optimizer(Kind.RMSPROP, kv.getOrDefault("rho", 0.99), 0, kv.getOrDefault("eps", 1e-8));
                }
                case "adam" -> {
                    Map<String, Double> kv = keys(args, "b1", "b2", "eps");
                    return new Optimizer(Kind.ADAM, kv.getOrDefault("b1", 0.9), kv.getOrDefault("b2", 0.999),
                            kv.getOrDefault("eps", 1e-8));
                }
                default -> throw new IllegalArgumentException("unknown --optimizer '" + text + "': use sgd, momentum:MU, "
                        + "nesterov:MU, rmsprop:rho=0.99,eps=1e-8 or adam:b1=0.9,b2=0.999,eps=1e-8");
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--optimizer '" + text + "' has a value that is not a number");
        }
    }

    private static Map<String, Double> keys(String args, String... allowed) {
        Map<String, Double> kv = new LinkedHashMap<>();
        if (args.isEmpty()) {
            return kv;
        }
        for (String part : args.split(",")) {
            int eq = part.indexOf('=');
            String k = eq < 0 ? "" : part.substring(0, eq).trim();
            if (!java.util.List.of(allowed).contains(k)) {
                throw new IllegalArgumentException("--optimizer: '" + part + "' is not one of " + String.join("=.., ", allowed)
                        + "=..");
            }
            kv.put(k, Double.parseDouble(part.substring(eq + 1).trim()));
        }
        return kv;
    }

    /** @return the canonical command-line text (for results.json) */
    @Override
    public String toString() {
        return switch (kind) {
            case SGD -> "sgd";
            case MOMENTUM, NESTEROV -> kind.cliName + ":" + a;
            case RMSPROP -> "rmsprop:rho=" + a + ",eps=" + eps;
            case ADAM -> "adam:b1=" + a + ",b2=" + b + ",eps=" + eps;
        };
    }

    /**
     * β^t in double by binary powering (the kernels' lv_powi), a function of t alone.
     *
     * @param beta the base β (Adam's β₁ or β₂)
     * @param t    the exponent, the 1-based global step; 1.0 for t ≤ 0
     * @return β^t, the same double as the kernels' lv_powi computes
     */
    public static double powi(double beta, long t) {
        double r = 1.0;
        double base = beta;
        long e = t;
        while (e > 0) {
            if ((e & 1L) != 0) {
                r = r * base;
            }
            base = base * base;
            e >>>= 1;
        }
        return r;
    }
}
