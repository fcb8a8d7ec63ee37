package org.langevin.check;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs a selection of checks on one context, judges all their claims together (the threshold depends on
 * the number of claims, docs/theory.md §4), formats the table and writes {@code checks.json}. Not
 * thread-safe; the checks run one after another on the context's engine.
 */
public final class CheckRunner {
    /** Name of the JSON file written by {@link #writeJson}. */
    public static final String JSON_FILE = "checks.json";

    /** Progress callback, called from the running thread. */
    public interface Listener {
        /**
         * A check starts.
         *
         * @param check the check about to run
         */
        void started(Check check);

        /**
         * A check has finished after the given wall time.
         *
         * @param check the check that ran
         * @param seconds its wall time, seconds
         * @param claims its claims, measured but not yet judged (the threshold needs every check's claims)
         */
        void finished(Check check, double seconds, List<ClaimResult> claims);
    }

    private CheckRunner() {
    }

    /**
     * Runs the checks and judges their claims with family-wise false-alarm rate {@code alpha}.
     *
     * @param checks at least one check
     * @param ctx size, engine, threads, seed, figures
     * @param alpha family-wise false-alarm rate in (0, 1)
     * @param listener progress callback, or null
     * @return every claim of the checks, in run order, judged with the Bonferroni threshold for their
     *     total number, and each check's wall time
     * @throws IllegalArgumentException when no check is given, the checks make no claim, or alpha is not
     *     in (0, 1)
     */
    public static CheckReport run(List<Check> checks, CheckContext ctx, double alpha, Listener listener) {
        if (checks.isEmpty()) {
            throw new IllegalArgumentException("no check selected: name one or give --all");
        }
        List<ClaimResult> all = new ArrayList<>();
        Map<String, Double> seconds = new LinkedHashMap<>();
        for (Check c : checks) {
            if (listener != null) {
                listener.started(c);
            }
            long t0 = System.nanoTime();
            List<ClaimResult> claims = c.run(ctx);
            double s = (System.nanoTime() - t0) * 1e-9;
            seconds.put(c.name(), s);
            all.addAll(claims);
            if (listener != null) {
                listener.finished(c, s, claims);
            }
        }
        return judge(all, alpha, seconds);
    }

    /**
     * Judges claims already measured (e.g. on exact draws).
     *
     * @param claims the measured claims, at least one
     * @param alpha family-wise false-alarm rate in (0, 1)
     * @param seconds wall time of each check, by name, for the report
     * @return the claims judged with the threshold for their number
     * @throws IllegalArgumentException when there is no claim or alpha is not in (0, 1)
     */
    public static CheckReport judge(List<ClaimResult> claims, double alpha, Map<String, Double> seconds) {
        List<JudgedClaim> judged = Verdicts.judge(claims, alpha);
        return new CheckReport(judged, alpha, Verdicts.threshold(claims.size(), alpha), seconds);
    }

    /**
     * Formats a report as a plain-text table for the terminal.
     *
     * @param report the judged run
     * @return the table, one row per claim: check, claim, estimate ± standard error, theory, z, verdict,
     *     and "UNEXPECTED (theory: …)" when the verdict is not the one theory predicts; then a line with
     *     the number of claims, the threshold and α
     */
    public static String table(CheckReport report) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"check", "claim", "estimate ± SE", "theory", "z", "verdict", ""});
        for (JudgedClaim j : report.claims()) {
            ClaimResult r = j.result();
            rows.add(new String[] {r.check(), r.claim(), valueWithError(r.estimate(), r.stdErr()),
                    String.format(Locale.ROOT, "%.6g", r.expected()), String.format(Locale.ROOT, "%.2f", r.z()),
                    j.verdict().label, j.asExpected() ? "" : "UNEXPECTED (theory: " + r.expectedVerdict().label + ")"});
        }
        int cols = rows.get(0).length;
        int[] width = new int[cols];
        for (String[] row : rows) {
            for (int c = 0; c < cols; c++) {
                width[c] = Math.max(width[c], row[c].codePointCount(0, row[c].length()));
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < rows.size(); i++) {
            String[] row = rows.get(i);
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < cols; c++) {
                boolean right = c == 2 || c == 3 || c == 4;
                String cell = row[c];
                String pad = " ".repeat(width[c] - cell.codePointCount(0, cell.length()));
                line.append(right ? pad + cell : cell + pad).append("  ");
            }
            sb.append(line.toString().stripTrailing()).append('\n');
            if (i == 0) {
                int total = 0;
                for (int w : width) {
                    total += w + 2;
                }
                sb.append("-".repeat(Math.max(0, total - 2))).append('\n');
            }
        }
        sb.append(String.format(Locale.ROOT, "%d claims, threshold |z| <= %.3f (alpha = %s over K = %d); %s%n",
                report.claims().size(), report.threshold(), report.alpha(), report.claims().size(),
                report.allAsExpected() ? "every verdict is the one theory predicts"
                        : report.unexpected() + " verdict(s) differ from theory"));
        return sb.toString();
    }

    /** @return "value ± se" with the value rounded to the standard error's second significant digit */
    static String valueWithError(double value, double se) {
        int digits = Math.max(0, Math.min(12, 1 - (int) Math.floor(Math.log10(se))));
        if (Math.abs(value) >= 1e6 || (Math.abs(value) < 1e-4 && value != 0) || se >= 1e6) {
            return String.format(Locale.ROOT, "%.5e ± %.2e", value, se);
        }
        return String.format(Locale.ROOT, "%." + digits + "f ± %." + digits + "f", value, se);
    }

    /**
     * Writes {@code checks.json}: run metadata and, per claim, name, claim, estimate, stdErr, expected, z,
     * pValue, verdict and expectedVerdict.
     *
     * @param dir output directory (created if missing)
     * @param report the judged run
     * @param metadata run description (size, backend, seed, …), written as given
     * @return the file written
     * @throws IOException when the directory cannot be created or the file cannot be written
     */
    public static Path writeJson(Path dir, CheckReport report, Map<String, Object> metadata) throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> root = new LinkedHashMap<>(metadata);
        root.put("alpha", report.alpha());
        root.put("claimCount", report.claims().size());
        root.put("threshold", report.threshold());
        root.put("allAsExpected", report.allAsExpected());
        root.put("wallSeconds", report.wallSeconds());
        List<Map<String, Object>> claims = new ArrayList<>();
        for (JudgedClaim j : report.claims()) {
            ClaimResult r = j.result();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", r.check());
            m.put("claim", r.claim());
            m.put("estimate", r.estimate());
            m.put("stdErr", r.stdErr());
            m.put("expected", r.expected());
            m.put("z", r.z());
            m.put("pValue", r.pValue());
            m.put("verdict", j.verdict().label);
            m.put("expectedVerdict", r.expectedVerdict().label);
            claims.add(m);
        }
        root.put("claims", claims);
        Path file = dir.resolve(JSON_FILE);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
        return file;
    }
}
