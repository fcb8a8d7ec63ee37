package org.langevin.model;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.regex.Pattern;

/**
 * Parses counts typed by a user (particles, steps, examples, bins): plain integers, integers with
 * underscores between digits ({@code 1_000_000}) and scientific notation whose value is a whole number
 * ({@code 1e6}, {@code 2.5e3}). The value is converted exactly (no rounding through double), so
 * {@code 1.5e0} is refused as not whole and {@code 1e30} as beyond the range. The one parser behind
 * every count option of the command line. Stateless and thread-safe.
 */
public final class Counts {
    /** Digits, optionally grouped by underscores, a fraction and an exponent. */
    private static final Pattern FORM = Pattern.compile("[+-]?\\d+(_+\\d+)*(\\.\\d+)?([eE][+-]?\\d+)?");

    private Counts() {
    }

    /**
     * Parses one count.
     *
     * @param option name used in the message, e.g. {@code --particles} or {@code --synthetic n}
     * @param text what the user typed
     * @param min smallest allowed value
     * @param max largest allowed value, ≥ min
     * @return the value, in min … max
     * @throws IllegalArgumentException naming the option, the range and the text
     */
    public static long parse(String option, String text, long min, long max) {
        String t = text == null ? "" : text.trim();
        BigDecimal d = wholeValue(t);
        if (d == null) {
            throw new IllegalArgumentException(option + " must be a whole number in " + min + ".." + max
                    + " (1e6 and 1_000_000 are accepted), got '" + t + "'");
        }
        // More than 30 integer digits is beyond every range here; test before forming a huge integer (1e999999).
        if (d.precision() - d.scale() > 30 || d.toBigInteger().compareTo(BigInteger.valueOf(min)) < 0
                || d.toBigInteger().compareTo(BigInteger.valueOf(max)) > 0) {
            throw new IllegalArgumentException(option + " must be in " + min + ".." + max + ", got " + t);
        }
        return d.toBigInteger().longValueExact();
    }

    /**
     * Whether a text is a count in the accepted syntax, whatever its size (no range is checked).
     *
     * @param text what the user typed; null and blank are not whole; surrounding spaces are ignored
     * @return true when the text is a count in the accepted syntax with a whole value (any size)
     */
    public static boolean isWhole(String text) {
        return wholeValue(text == null ? "" : text.trim()) != null;
    }

    private static BigDecimal wholeValue(String t) {
        if (!FORM.matcher(t).matches()) {
            return null;
        }
        BigDecimal d;
        try {
            d = new BigDecimal(t.replace("_", ""));
        } catch (NumberFormatException e) {
            return null; // an exponent beyond int
        }
        return d.signum() == 0 || d.stripTrailingZeros().scale() <= 0 ? d : null;
    }
}
