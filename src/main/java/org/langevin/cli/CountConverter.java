package org.langevin.cli;

import java.util.ArrayList;
import java.util.List;
import org.langevin.model.Counts;
import picocli.CommandLine;

/**
 * picocli converters for count options (--particles, --steps, --burn-in, --batch, bench's --repeats):
 * {@link Counts} syntax ({@code 1e6}, {@code 1_000_000}), the range of the field's type. The range an
 * option needs (e.g. --particles ≥ 1) is checked where the run is validated. picocli prefixes the
 * message with the option's name.
 */
final class CountConverter {
    private CountConverter() {
    }

    /** Converter for {@code long} / {@code Long} fields. */
    static final class ToLong implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return convertCount(value, Long.MIN_VALUE, Long.MAX_VALUE);
        }
    }

    /** Converter for {@code int} / {@code Integer} fields. */
    static final class ToInt implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return (int) convertCount(value, Integer.MIN_VALUE, Integer.MAX_VALUE);
        }
    }

    private static long convertCount(String value, long min, long max) {
        if (!Counts.isWhole(value)) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a whole number (counts accept 1e6 and "
                    + "1_000_000)");
        }
        try {
            return Counts.parse("count", value, min, max);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is out of range (at most " + max + ")");
        }
    }

    /**
     * Parses a comma-separated list of counts in min … max (bench's --particles and --dims).
     *
     * @throws IllegalArgumentException naming the option and the bad entry
     */
    static List<Integer> parseList(String option, String text, int min, int max) {
        List<Integer> out = new ArrayList<>();
        for (String p : text.split(",")) {
            out.add((int) Counts.parse(option, p, min, max));
        }
        return out;
    }
}
