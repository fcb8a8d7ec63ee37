package org.langevin.series;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.langevin.model.RunSpec;
import org.langevin.reduce.CoordinateStats;
import org.langevin.reduce.Histogram1D;
import org.langevin.reduce.MeanEstimate;
import org.langevin.reduce.Reduction;
import org.langevin.report.PlotFormat;
import org.langevin.report.PlotStyle;
import org.langevin.report.Plots;

/**
 * Writes the records of a run (docs/output-formats.md): {@code series.csv} (one row per record),
 * {@code series_histograms.csv} (with --record-histograms), {@code trace.npy} (with --trace), the plots
 * {@code series-x<j>.png}, {@code series-var-x<j>.png}, {@code series-loss.png}, {@code series-loss-log.png}
 * and {@code trace-x<j>.png} (for the first {@value #MAX_PLOTTED} coordinates), and the {@code series} map of
 * results.json. Every number is written with {@link Double#toString}, so equal records give equal bytes.
 * Stateless.
 */
public final class SeriesOutputs {
    /**
     * File name of the per-record table: step, t, particles, diverged, per coordinate the mean and variance
     * with their standard errors, then the loss and the exact curves where the run has them.
     */
    public static final String CSV = "series.csv";
    /** File name of the per-record 1-D histograms (a row per step, coordinate and bin; --record-histograms). */
    public static final String HISTOGRAMS = "series_histograms.csv";
    /** File name of the traced particles' states: a float32 array of shape (records, K, d), with --trace. */
    public static final String TRACE = "trace.npy";
    /** Coordinates that get plots. */
    static final int MAX_PLOTTED = 8;
    /** Sample paths drawn in a trace plot. */
    static final int MAX_PATHS = 50;
    /** z of the bands: 1.96 (95 %). */
    static final double BAND_Z = 1.96;

    private SeriesOutputs() {
    }

    /**
     * Writes the files and returns the {@code series} map of results.json.
     *
     * @param dir the run directory, which must exist; files of the same names are replaced
     * @param spec the run the records were taken from
     * @param rec the run's recording (histograms and trace decide which files are written)
     * @param points the records, in step order
     * @return the {@code series} map (record, histograms, trace, steps, t, particles, diverged, coordinates,
     *         loss, lrCuts, exact), in that key order; loss and exact are null where there are none
     * @throws IOException when a file cannot be written
     */
    public static Map<String, Object> write(Path dir, RunSpec spec, Recording rec, List<SeriesPoint> points)
            throws IOException {
        return write(dir, spec, rec, points, PlotFormat.PNG);
    }

    /**
     * Writes the files, the plots in the given format, and returns the {@code series} map of results.json.
     *
     * @param dir the run directory, which must exist; files of the same names are replaced
     * @param spec the run the records were taken from
     * @param rec the run's recording (histograms and trace decide which files are written)
     * @param points the records, in step order; with none, the tables hold only their headers and no plot
     *               is drawn
     * @param format the plots' format
     * @return the {@code series} map (record, histograms, trace, steps, t, particles, diverged, coordinates,
     *         loss, lrCuts, exact), in that key order; loss and exact are null where there are none
     * @throws IOException when a file cannot be written
     */
    public static Map<String, Object> write(Path dir, RunSpec spec, Recording rec, List<SeriesPoint> points,
                                            PlotFormat format) throws IOException {
        int d = spec.dim();
        int r = points.size();
        long[] steps = points.stream().mapToLong(SeriesPoint::step).toArray();
        double[] t = points.stream().mapToDouble(SeriesPoint::time).toArray();
        List<Reduction> reds = new ArrayList<>();
        for (SeriesPoint p : points) {
            reds.add(new Reduction(p.summary()));
        }
        ExactCurves exact = r == 0 ? null : ExactCurves.of(spec, steps);
        boolean hasLoss = r > 0 && reds.get(0).hasLoss();
        writeCsv(dir.resolve(CSV), d, steps, t, reds, hasLoss, exact);
        if (rec.histograms()) {
            writeHistograms(dir.resolve(HISTOGRAMS), d, steps, t, reds);
        }
        if (rec.trace() > 0) {
            List<float[]> slices = new ArrayList<>();
            for (SeriesPoint p : points) {
                slices.add(p.trace());
            }
            org.langevin.report.NpyWriter.write3(dir.resolve(TRACE), slices, rec.trace(), d);
        }
        double[] cuts = cuts(spec, steps.length == 0 ? 0 : steps[r - 1]);
        if (r > 0) {
            plots(dir, spec, rec, points, t, reds, hasLoss, exact, cuts, format);
        }
        return jsonMap(rec, steps, t, reds, hasLoss, exact, cuts, d);
    }

    /** @return t at each learning-rate cut up to the last step (none without a schedule) */
    static double[] cuts(RunSpec spec, long last) {
        if (spec.schedule() == null) {
            return new double[0];
        }
        return java.util.Arrays.stream(spec.schedule().boundaries()).filter(b -> b <= last)
                .mapToDouble(b -> SeriesRecorder.time(spec, b)).toArray();
    }

    private static void writeCsv(Path file, int d, long[] steps, double[] t, List<Reduction> reds, boolean hasLoss,
                                 ExactCurves exact) throws IOException {
        StringBuilder sb = new StringBuilder("step,t,particles,diverged");
        for (int j = 1; j <= d; j++) {
            sb.append(",x").append(j).append("_mean,x").append(j).append("_mean_se,x").append(j).append("_var,x")
                    .append(j).append("_var_se");
        }
        if (hasLoss) {
            sb.append(",loss_mean,loss_se");
        }
        if (exact != null) {
            for (int j = 1; j <= d; j++) {
                sb.append(",x").append(j).append("_mean_exact,x").append(j).append("_var_exact");
            }
            if (exact.loss() != null && hasLoss) {
                sb.append(",loss_exact");
            }
        }
        sb.append('\n');
        for (int i = 0; i < steps.length; i++) {
            Reduction red = reds.get(i);
            sb.append(steps[i]).append(',').append(t[i]).append(',').append(red.particles()).append(',')
                    .append(red.diverged());
            for (int j = 0; j < d; j++) {
                CoordinateStats c = red.coordinate(j);
                sb.append(',').append(c.mean()).append(',').append(c.meanStdErr()).append(',').append(c.variance())
                        .append(',').append(c.varianceStdErr());
            }
            if (hasLoss) {
                MeanEstimate l = red.loss();
                sb.append(',').append(l.mean()).append(',').append(l.stdErr());
            }
            if (exact != null) {
                for (int j = 0; j < d; j++) {
                    sb.append(',').append(exact.mean()[i][j]).append(',').append(exact.variance()[i][j]);
                }
                if (exact.loss() != null && hasLoss) {
                    sb.append(',').append(exact.loss()[i]);
                }
            }
            sb.append('\n');
        }
        writeText(file, sb);
    }

    private static void writeHistograms(Path file, int d, long[] steps, double[] t, List<Reduction> reds)
            throws IOException {
        StringBuilder sb = new StringBuilder("step,t,coordinate,bin_lo,bin_hi,count,density\n");
        for (int i = 0; i < steps.length; i++) {
            List<Histogram1D> hs = reds.get(i).histograms();
            for (int j = 0; j < d; j++) {
                Histogram1D h = hs.get(j);
                for (int k = 0; k < h.getBins(); k++) {
                    sb.append(steps[i]).append(',').append(t[i]).append(",x").append(j + 1).append(',')
                            .append(h.binLo(k)).append(',').append(h.binHi(k)).append(',').append(h.getCount(k))
                            .append(',').append(h.density(k)).append('\n');
                }
            }
        }
        writeText(file, sb);
    }

    private static void writeText(Path file, CharSequence text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".part");
        try {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                w.append(text);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void plots(Path dir, RunSpec spec, Recording rec, List<SeriesPoint> points, double[] t,
                              List<Reduction> reds, boolean hasLoss, ExactCurves exact, double[] cuts, PlotFormat format)
            throws IOException {
        int r = t.length;
        int d = spec.dim();
        String timeLabel = spec.dynamics() == org.langevin.model.Dynamics.SGD ? "t = sum of learning rates (time units)"
                : "t = k dt (time units)";
        String what = spec.dynamics() + ", " + spec.loss() + " (" + reds.get(r - 1).particles() + " particles)";
        String cutLabel = "lr cut";
        for (int j = 0; j < Math.min(d, MAX_PLOTTED); j++) {
            double[] m = new double[r];
            double[] mh = new double[r];
            double[] v = new double[r];
            double[] vh = new double[r];
            for (int i = 0; i < r; i++) {
                CoordinateStats c = reds.get(i).coordinate(j);
                m[i] = c.mean();
                mh[i] = BAND_Z * c.meanStdErr();
                v[i] = c.variance();
                vh[i] = BAND_Z * c.varianceStdErr();
            }
            final int jj = j;
            Plots.Series em = exact == null ? null : new Plots.Series(exact.label(), t,
                    java.util.Arrays.stream(exact.mean()).mapToDouble(a -> a[jj]).toArray());
            Plots.Series ev = exact == null ? null : new Plots.Series(exact.label(), t,
                    java.util.Arrays.stream(exact.variance()).mapToDouble(a -> a[jj]).toArray());
            String x = "x" + (j + 1);
            Plots.band(dir.resolve(format.fileName("series-" + x)), t, m, mh, "mean of " + x, em, List.of(), cuts, cutLabel,
                    PlotStyle.of(what + ": mean of " + x, timeLabel, "mean of " + x + " (coordinate units)"));
            Plots.band(dir.resolve(format.fileName("series-var-" + x)), t, v, vh, "variance of " + x, ev, List.of(), cuts,
                    cutLabel, PlotStyle.of(what + ": variance of " + x, timeLabel, "variance of " + x + " (squared coordinate units)"));
            if (rec.trace() > 0) {
                List<Plots.Series> paths = new ArrayList<>();
                for (int p = 0; p < Math.min(rec.trace(), MAX_PATHS); p++) {
                    double[] y = new double[r];
                    for (int i = 0; i < r; i++) {
                        y[i] = points.get(i).trace()[p * d + j];
                    }
                    paths.add(new Plots.Series("sample paths (particles 0.." + (Math.min(rec.trace(), MAX_PATHS) - 1)
                            + ")", t, y));
                }
                Plots.band(dir.resolve(format.fileName("trace-" + x)), t, m, mh, "mean of " + x, em, paths, cuts, cutLabel,
                        PlotStyle.of(what + ": sample paths of " + x, timeLabel, x + " (coordinate units)"));
            }
        }
        if (hasLoss) {
            double[] l = new double[r];
            double[] lh = new double[r];
            for (int i = 0; i < r; i++) {
                MeanEstimate e = reds.get(i).loss();
                l[i] = e.mean();
                lh[i] = BAND_Z * e.stdErr();
            }
            Plots.Series el = exact == null || exact.loss() == null ? null : new Plots.Series(exact.label(), t, exact.loss());
            Plots.band(dir.resolve(format.fileName("series-loss")), t, l, lh, "loss", el, List.of(), cuts, cutLabel,
                    PlotStyle.of(what + ": loss", timeLabel, "loss (loss units)"));
            Plots.band(dir.resolve(format.fileName("series-loss-log")), t, l, lh, "loss", el, List.of(), cuts, cutLabel,
                    PlotStyle.of(what + ": loss (log axes)", timeLabel, "loss (loss units)").withLogAxes(true, true));
        }
    }

    private static Map<String, Object> jsonMap(Recording rec, long[] steps, double[] t, List<Reduction> reds,
                                               boolean hasLoss, ExactCurves exact, double[] cuts, int d) {
        Map<String, Object> m = new LinkedHashMap<>();
        int r = steps.length;
        m.put("record", rec.schedule());
        m.put("histograms", rec.histograms());
        m.put("trace", rec.trace());
        m.put("steps", steps);
        m.put("t", t);
        m.put("particles", reds.stream().mapToLong(Reduction::particles).toArray());
        m.put("diverged", reds.stream().mapToLong(Reduction::diverged).toArray());
        List<Map<String, Object>> coords = new ArrayList<>();
        for (int j = 0; j < d; j++) {
            double[] mean = new double[r];
            double[] meanSe = new double[r];
            double[] var = new double[r];
            double[] varSe = new double[r];
            for (int i = 0; i < r; i++) {
                CoordinateStats c = reds.get(i).coordinate(j);
                mean[i] = c.mean();
                meanSe[i] = c.meanStdErr();
                var[i] = c.variance();
                varSe[i] = c.varianceStdErr();
            }
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("index", j);
            c.put("mean", mean);
            c.put("meanStdErr", meanSe);
            c.put("variance", var);
            c.put("varianceStdErr", varSe);
            coords.add(c);
        }
        m.put("coordinates", coords);
        if (hasLoss) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("mean", reds.stream().mapToDouble(x -> x.loss().mean()).toArray());
            l.put("stdErr", reds.stream().mapToDouble(x -> x.loss().stdErr()).toArray());
            m.put("loss", l);
        } else {
            m.put("loss", null);
        }
        m.put("lrCuts", cuts);
        if (exact != null) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("law", exact.label());
            e.put("mean", exact.mean());
            e.put("variance", exact.variance());
            e.put("loss", hasLoss ? exact.loss() : null);
            m.put("exact", e);
        } else {
            m.put("exact", null);
        }
        return m;
    }
}
