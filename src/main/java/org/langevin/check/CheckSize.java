package org.langevin.check;

import java.util.Locale;

/**
 * How much work a check does. Every size confirms and refutes the same claims; larger sizes give
 * tighter error bars. FULL meets the project's precision targets (relative standard error ≤ 1% for the
 * loss-slope constant, ≤ 0.5% for every variance); SMALL runs in CI; TINY is for unit tests.
 */
public enum CheckSize {
    /** Smallest runs that still resolve every wrong claim (unit tests, about a second per check). */
    TINY("tiny"),
    /** CI size: all checks together in a few minutes on two cores. */
    SMALL("small"),
    /** Tight error bars: all checks together well under 15 minutes on two cores. */
    FULL("full");

    /** Name on the command line. */
    public final String cliName;
    CheckSize(String cliName) {
        this.cliName = cliName;
    }

    /**
     * Picks one of three values by size.
     *
     * @param tiny the value for TINY
     * @param small the value for SMALL
     * @param full the value for FULL
     * @return {@code tiny}, {@code small} or {@code full}, the one of this size
     */
    public int pick(int tiny, int small, int full) {
        return switch (this) {
            case TINY -> tiny;
            case SMALL -> small;
            case FULL -> full;
        };
    }

    /**
     * Parses tiny, small or full (case-insensitive).
     *
     * @param name the value of --size
     * @return the size whose {@link #cliName} is {@code name} in lower case
     * @throws IllegalArgumentException naming the valid sizes when there is no such size
     */
    public static CheckSize parse(String name) {
        for (CheckSize s : values()) {
            if (s.cliName.equals(name.toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown --size '" + name + "': use small, full or tiny");
    }

    @Override
    public String toString() {
        return cliName;
    }
}
