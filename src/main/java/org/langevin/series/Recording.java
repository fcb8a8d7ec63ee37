package org.langevin.series;

import java.io.Serializable;
import java.util.Arrays;
import java.util.TreeSet;

/**
 * What {@code sample --record} takes at recorded steps: the record steps (always step 0, the initial
 * state, then the schedule's steps: {@code every:K} the multiples of K up to N, {@code at:s1,s2,...} the
 * listed steps, {@code log:M} M distinct log-spaced steps from 1 to N), whether the 1-D histograms are
 * recorded too, and how many particles' paths are traced. Immutable and serializable (it travels to
 * Spark executors).
 *
 * @param schedule the schedule as typed, e.g. "every:10"
 * @param steps the record steps, sorted, unique, starting with 0, all ≤ N
 * @param histograms true with --record-histograms
 * @param trace K of --trace (0: none): particles 0..K−1 are traced
 * @serial exclude (sent from the driver to Spark executors within one job; checkpoints store
 *         {@link #describe()}, not this object, so it is not a format to rely on)
 */
public record Recording(String schedule, long[] steps, boolean histograms, int trace) implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Most records one run may take. */
    public static final int MAX_RECORDS = 10_000;
    /** Most traced particles (one reduction block, so the traced particles lie in one Spark range). */
    public static final int MAX_TRACE = 4096;
    /** Most float values trace.npy may hold (records × K × d). */
    public static final long MAX_TRACE_VALUES = 50_000_000L;

    /**
     * Parses and validates a schedule against a run of {@code totalSteps} steps.
     *
     * @param schedule the value of --record: {@code every:K}, {@code at:s1,s2,...} or {@code log:M}
     *                 (surrounding blanks ignored, {@code _} allowed in numbers)
     * @param totalSteps N, the run's --steps
     * @param histograms true with --record-histograms
     * @param trace K of --trace, 0 for none; at most min(particles, {@value #MAX_TRACE})
     * @param particles the run's --particles
     * @param dim the run's dimension d (bounds records × K × d by {@value #MAX_TRACE_VALUES})
     * @return the recording; step 0 is always a record, and there are at most {@value #MAX_RECORDS} records
     *         ({@code at:} may list that many steps besides step 0)
     * @throws IllegalArgumentException with a one-line message naming the option
     */
    public static Recording parse(String schedule, long totalSteps, boolean histograms, int trace, long particles, int dim) {
        String s = schedule.trim();
        TreeSet<Long> set = new TreeSet<>();
        set.add(0L);
        if (s.startsWith("every:")) {
            long k = parseLong(s.substring(6), s);
            if (k < 1) {
                throw new IllegalArgumentException("--record every:K needs K >= 1, got " + k);
            }
            if (totalSteps / k + 1 > MAX_RECORDS) {
                throw new IllegalArgumentException("--record " + s + " takes " + (totalSteps / k + 1) + " records over "
                        + totalSteps + " steps; at most " + MAX_RECORDS + " (use a larger K or log:M)");
            }
            for (long step = k; step <= totalSteps; step += k) {
                set.add(step);
            }
        } else if (s.startsWith("at:")) {
            String[] parts = s.substring(3).split(",", -1);
            if (parts.length > MAX_RECORDS) {
                throw new IllegalArgumentException("--record at: lists " + parts.length + " steps; at most " + MAX_RECORDS);
            }
            long prev = 0;
            for (String p : parts) {
                long step = parseLong(p, s);
                if (step < 1 || step > totalSteps) {
                    throw new IllegalArgumentException("--record at: step " + step + " is outside 1.." + totalSteps
                            + " (--steps)");
                }
                if (step <= prev) {
                    throw new IllegalArgumentException("--record at: steps must be sorted and unique, got " + step
                            + " after " + prev);
                }
                prev = step;
                set.add(step);
            }
        } else if (s.startsWith("log:")) {
            long m = parseLong(s.substring(4), s);
            if (m < 1 || m > totalSteps) {
                throw new IllegalArgumentException("--record log:M needs 1 <= M <= --steps (" + totalSteps + "), got " + m);
            }
            if (m + 1 > MAX_RECORDS) {
                throw new IllegalArgumentException("--record log:M takes M + 1 records; at most " + MAX_RECORDS);
            }
            set.addAll(logSpaced((int) m, totalSteps));
        } else {
            throw new IllegalArgumentException("--record: unknown schedule '" + s + "' (use every:K, at:S1,S2,... or log:M)");
        }
        if (trace < 0 || trace > Math.min(particles, MAX_TRACE)) {
            throw new IllegalArgumentException("--trace K needs 1 <= K <= min(--particles, " + MAX_TRACE + "), got " + trace);
        }
        long[] steps = set.stream().mapToLong(Long::longValue).toArray();
        if ((long) steps.length * trace * dim > MAX_TRACE_VALUES) {
            throw new IllegalArgumentException("--trace " + trace + " with " + steps.length + " records of d = " + dim
                    + " would hold " + ((long) steps.length * trace * dim) + " values; at most " + MAX_TRACE_VALUES);
        }
        return new Recording(s, steps, histograms, trace);
    }

    /**
     * M distinct steps from 1 to N, log-spaced: s_i = round(N^(i/(M−1))) raised to s_{i−1} + 1 where two
     * would coincide (StrictMath, so every JVM gives the same steps); M = 1 gives {N}.
     */
    static java.util.List<Long> logSpaced(int m, long n) {
        java.util.List<Long> out = new java.util.ArrayList<>();
        long prev = 0;
        for (int i = 0; i < m; i++) {
            long s = m == 1 ? n : Math.round(StrictMath.exp(i * StrictMath.log((double) n) / (m - 1)));
            s = Math.min(n, Math.max(s, prev + 1));
            if (i == m - 1) {
                s = n;
            }
            if (s > prev) {
                out.add(s);
                prev = s;
            }
        }
        return out;
    }

    private static long parseLong(String v, String s) {
        try {
            return Long.parseLong(v.trim().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--record " + s + ": not a whole number: '" + v.trim() + "'");
        }
    }

    /**
     * @param k a global step
     * @return whether step k is a record step
     */
    public boolean isRecord(long k) {
        return Arrays.binarySearch(steps, k) >= 0;
    }

    /**
     * @param k a global step
     * @return the first record step &gt; k, or Long.MAX_VALUE when there is none
     */
    public long nextAfter(long k) {
        int i = Arrays.binarySearch(steps, k);
        int next = i >= 0 ? i + 1 : -i - 1;
        return next < steps.length ? steps[next] : Long.MAX_VALUE;
    }

    /** @return the record steps, sorted, unique, starting with 0 (a copy; the record keeps its own array) */
    @Override
    public long[] steps() {
        return steps.clone();
    }

    /** @return the number of records */
    public int count() {
        return steps.length;
    }

    /** @return a comparable description (schedule, histograms, trace), for --resume's conflict check */
    public String describe() {
        return schedule + (histograms ? " +histograms" : "") + (trace > 0 ? " trace " + trace : "");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Recording r && r.schedule.equals(schedule) && Arrays.equals(r.steps, steps)
                && r.histograms == histograms && r.trace == trace;
    }

    @Override
    public int hashCode() {
        return schedule.hashCode() * 31 + Arrays.hashCode(steps);
    }
}
