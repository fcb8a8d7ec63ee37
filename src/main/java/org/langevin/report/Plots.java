package org.langevin.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import javax.imageio.ImageIO;
import de.erichseifert.vectorgraphics2d.Document;
import de.erichseifert.vectorgraphics2d.Processor;
import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.pdf.PDFProcessor;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.langevin.reduce.Histogram1D;
import org.langevin.reduce.Histogram2D;

/**
 * Plots with XChart (the heat map with Java 2D), as PNG, SVG or PDF by the file name's extension
 * ({@link PlotFormat}), rendered headless ({@code java.awt.headless=true} is set when this class
 * loads, unless the property is already set):
 * <ul>
 *   <li>{@link #histogram}: a 1-D histogram as a density step line, optionally with the exact
 *       density overlaid;</li>
 *   <li>{@link #heatMap}: a 2-D histogram's densities as a heat map with a colour bar and, where it is
 *       known, the exact law's contours;</li>
 *   <li>{@link #errorBars}: estimates with error bars and a theory curve (theorem checks);</li>
 *   <li>{@link #lines}: several series, typically on log–log axes (benchmarks).</li>
 * </ul>
 * Stateless; thread-safe for distinct files.
 */
public final class Plots {

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** Colours of XChart's default series palette. */
    private static final int PALETTE = 12;
    /** Points at which an exact density function is sampled. */
    private static final int CURVE_POINTS = 400;

    private Plots() {
    }

    /**
     * A named series of points.
     *
     * @param name legend label
     * @param x abscissae
     * @param y ordinates, same length as {@code x}
     */
    public record Series(String name, double[] x, double[] y) {

        /**
         * Validates the series.
         *
         * @param name legend label
         * @param x abscissae
         * @param y ordinates, same length as {@code x}
         */
        public Series {
            if (name == null || x == null || y == null || x.length != y.length || x.length == 0) {
                throw new IllegalArgumentException("series '" + name + "' needs a name and x, y of the same "
                        + "non-zero length");
            }
        }
    }

    /**
     * A histogram's density as a step line, with the exact density sampled at 400 points overlaid.
     *
     * @param png destination file (replaced)
     * @param h the histogram
     * @param exact exact density (1/x units), or null for none
     * @param exactLabel legend label of the exact density (ignored when {@code exact} is null)
     * @param style frame; log axes are not applied to histograms
     * @throws IOException if writing fails
     */
    public static void histogram(Path png, Histogram1D h, DoubleUnaryOperator exact, String exactLabel,
                                 PlotStyle style) throws IOException {
        Series curve = null;
        if (exact != null) {
            double[] cx = new double[CURVE_POINTS];
            double[] cy = new double[CURVE_POINTS];
            for (int i = 0; i < CURVE_POINTS; i++) {
                cx[i] = h.getLo() + (h.getHi() - h.getLo()) * i / (CURVE_POINTS - 1);
                cy[i] = exact.applyAsDouble(cx[i]);
            }
            curve = new Series(exactLabel == null ? "exact" : exactLabel, cx, cy);
        }
        histogram(png, h, curve, style);
    }

    /**
     * A histogram's density as a step line, with an optional sampled exact curve overlaid.
     *
     * @param png destination file (replaced)
     * @param h the histogram
     * @param exact sampled exact density, or null
     * @param style frame; log axes are not applied to histograms
     * @throws IOException if writing fails
     */
    public static void histogram(Path png, Histogram1D h, Series exact, PlotStyle style) throws IOException {
        XYChart chart = xyChart(style.withLogAxes(false, false));
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
        int bins = h.getBins();
        double[] sx = new double[2 * bins];
        double[] sy = new double[2 * bins];
        for (int k = 0; k < bins; k++) {
            double d = h.density(k);
            sx[2 * k] = h.binLo(k);
            sx[2 * k + 1] = h.binHi(k);
            sy[2 * k] = d;
            sy[2 * k + 1] = d;
        }
        XYSeries s = chart.addSeries("histogram (" + h.getTotal() + " samples)", sx, sy);
        s.setMarker(SeriesMarkers.NONE);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
        s.setFillColor(new Color(70, 130, 180, 110));
        s.setLineColor(new Color(40, 80, 140));
        if (exact != null) {
            XYSeries e = chart.addSeries(exact.name(), exact.x(), exact.y());
            e.setMarker(SeriesMarkers.NONE);
            e.setLineColor(new Color(200, 30, 30));
            e.setLineWidth(2.5f);
        }
        save(chart, png);
    }

    /**
     * A 2-D histogram's densities as a heat map with a colour bar, without an exact law.
     *
     * @param file destination file (replaced); its extension (.png, .svg, .pdf) is the format
     * @param h the 2-D histogram
     * @param style frame; log axes are not applied
     * @throws IOException if writing fails
     */
    public static void heatMap(Path file, Histogram2D h, PlotStyle style) throws IOException {
        heatMap(file, h, null, null, style);
    }

    /**
     * A 2-D histogram's densities as a heat map on the histogram's range, with a colour bar (density per
     * unit of each coordinate) and, when the exact joint density is given, its contours enclosing 50 %,
     * 90 % and 99 % of its mass in the plotted range.
     *
     * @param file destination file (replaced); its extension (.png, .svg, .pdf) is the format
     * @param h the 2-D histogram
     * @param exact exact joint density of the two coordinates (per unit of each), or null for none
     * @param exactLabel legend text of the exact law (ignored without {@code exact})
     * @param style frame (its axis labels name the coordinates); log axes are not applied
     * @throws IOException if writing fails
     */
    public static void heatMap(Path file, Histogram2D h, DoubleBinaryOperator exact, String exactLabel,
                               PlotStyle style) throws IOException {
        HeatMapFigure fig = new HeatMapFigure(h, exact, exactLabel, style,
                HeatMapFigure.densityLabel(firstWord(style.xLabel()), firstWord(style.yLabel())));
        PlotFormat format = PlotFormat.ofFileName(file.getFileName().toString());
        try (OutputStream out = Files.newOutputStream(file)) {
            if (format == PlotFormat.PNG) {
                BufferedImage img = new BufferedImage(style.width(), style.height(), BufferedImage.TYPE_INT_RGB);
                Graphics2D g = img.createGraphics();
                try {
                    fig.paint(g);
                } finally {
                    g.dispose();
                }
                ImageIO.write(img, "png", out);
            } else {
                VectorGraphics2D g = new VectorGraphics2D();
                fig.paint(g);
                vector(g, format, style.width(), style.height(), out);
            }
        }
    }

    private static String firstWord(String label) {
        int sp = label.indexOf(' ');
        return sp < 0 ? label : label.substring(0, sp);
    }

    /**
     * Estimates with ± error bars and a theory curve.
     *
     * @param png destination file (replaced)
     * @param x abscissae of the estimates
     * @param y estimates
     * @param yErr error bars (half-widths, {@code >= 0}), same length
     * @param dataLabel legend label of the estimates
     * @param theory theory curve, or null
     * @param style frame, possibly with log axes
     * @throws IOException if writing fails
     */
    public static void errorBars(Path png, double[] x, double[] y, double[] yErr, String dataLabel,
                                 Series theory, PlotStyle style) throws IOException {
        if (x.length != y.length || y.length != yErr.length || x.length == 0) {
            throw new IllegalArgumentException("x, y and yErr must have the same non-zero length, got "
                    + x.length + ", " + y.length + ", " + yErr.length);
        }
        XYChart chart = xyChart(style);
        if (theory != null) {
            XYSeries t = chart.addSeries(theory.name(), theory.x(), theory.y());
            t.setMarker(SeriesMarkers.NONE);
            t.setLineColor(new Color(200, 30, 30));
            t.setLineWidth(2f);
        }
        XYSeries s = chart.addSeries(dataLabel, x, y, yErr);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setMarkerColor(new Color(30, 60, 160));
        s.setLineColor(new Color(30, 60, 160));
        chart.getStyler().setErrorBarsColorSeriesColor(true);
        List<double[]> xs = new ArrayList<>(List.of(x));
        List<double[]> ys = new ArrayList<>(List.of(y));
        if (theory != null) {
            xs.add(theory.x());
            ys.add(theory.y());
        }
        logLabels(chart, xs, ys);
        save(chart, png);
    }

    /**
     * Several series as lines with markers, typically with log–log axes.
     *
     * @param png destination file (replaced)
     * @param series the series, at least one
     * @param style frame, possibly with log axes
     * @throws IOException if writing fails
     */
    public static void lines(Path png, List<Series> series, PlotStyle style) throws IOException {
        if (series == null || series.isEmpty()) {
            throw new IllegalArgumentException("lines needs at least one series");
        }
        XYChart chart = xyChart(style);
        // right of the plot area, one entry a line: as many entries as a benchmark has fit
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        int k = 0;
        for (Series s : series) {
            XYSeries x = chart.addSeries(s.name(), s.x(), s.y());
            x.setMarker(SeriesMarkers.CIRCLE);
            // XChart's palette has 12 colours: the next 12 series are dashed, so no two lines look the same
            x.setLineStyle((k++ / PALETTE) % 2 == 0 ? new BasicStroke(2f)
                    : new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {7f, 4f}, 0f));
        }
        logLabels(chart, series.stream().map(Series::x).toList(), series.stream().map(Series::y).toList());
        save(chart, png);
    }

    /**
     * A curve over time with its ± band drawn as a shaded polygon, optionally an exact curve, thin sample
     * paths, and vertical marks (e.g. learning-rate cuts).
     *
     * @param png destination file (replaced)
     * @param x abscissae (times), increasing
     * @param y the estimates
     * @param half band half-widths (e.g. 1.96·SE), same length
     * @param label legend label of the estimates
     * @param exact exact curve, or null
     * @param paths sample paths drawn thin under the band (may be empty)
     * @param marks abscissae of vertical marks (may be empty)
     * @param markLabel legend label of the marks
     * @param style frame, possibly with log axes (non-positive points are then left out)
     * @throws IOException if writing fails
     */
    public static void band(Path png, double[] x, double[] y, double[] half, String label, Series exact,
                            List<Series> paths, double[] marks, String markLabel, PlotStyle style) throws IOException {
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            boolean ok = Double.isFinite(x[i]) && Double.isFinite(y[i]) && Double.isFinite(half[i])
                    && (!style.logX() || x[i] > 0) && (!style.logY() || y[i] - half[i] > 0);
            if (ok) {
                keep.add(i);
            }
        }
        XYChart chart = xyChart(style);
        if (keep.isEmpty()) {
            save(chart, png);
            return;
        }
        int n = keep.size();
        double[] bx = new double[2 * n + 1];
        double[] by = new double[2 * n + 1];
        double[] cx = new double[n];
        double[] cy = new double[n];
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int m = 0; m < n; m++) {
            int i = keep.get(m);
            cx[m] = x[i];
            cy[m] = y[i];
            bx[m] = x[i];
            by[m] = y[i] + half[i];
            bx[2 * n - 1 - m] = x[i];
            by[2 * n - 1 - m] = y[i] - half[i];
            lo = Math.min(lo, y[i] - half[i]);
            hi = Math.max(hi, y[i] + half[i]);
        }
        bx[2 * n] = bx[0];
        by[2 * n] = by[0];
        int p = 0;
        for (Series s : paths) {
            List<Integer> ok = new ArrayList<>();
            for (int i = 0; i < s.x().length; i++) {
                if (Double.isFinite(s.y()[i]) && (!style.logX() || s.x()[i] > 0) && (!style.logY() || s.y()[i] > 0)) {
                    ok.add(i);
                }
            }
            if (ok.isEmpty()) {
                continue;
            }
            double[] px = ok.stream().mapToDouble(i -> s.x()[i]).toArray();
            double[] py = ok.stream().mapToDouble(i -> s.y()[i]).toArray();
            XYSeries ps = chart.addSeries(p == 0 ? s.name() : " " + p, px, py);
            ps.setMarker(SeriesMarkers.NONE);
            ps.setLineColor(new Color(120, 120, 120, 140));
            ps.setLineWidth(0.8f);
            ps.setShowInLegend(p == 0);
            p++;
            for (double v : py) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        XYSeries b = chart.addSeries(label + " ± 1.96 SE", bx, by);
        b.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
        b.setMarker(SeriesMarkers.NONE);
        b.setFillColor(new Color(70, 130, 180, 90));
        b.setLineColor(new Color(70, 130, 180, 90));
        XYSeries c = chart.addSeries(label, cx, cy);
        c.setMarker(n <= 60 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        c.setLineColor(new Color(30, 60, 160));
        c.setMarkerColor(new Color(30, 60, 160));
        chart.getStyler().setMarkerSize(4);
        if (exact != null) {
            List<Integer> ok = new ArrayList<>();
            for (int i = 0; i < exact.x().length; i++) {
                if (Double.isFinite(exact.y()[i]) && (!style.logX() || exact.x()[i] > 0)
                        && (!style.logY() || exact.y()[i] > 0)) {
                    ok.add(i);
                }
            }
            if (!ok.isEmpty()) {
                XYSeries e = chart.addSeries(exact.name(), ok.stream().mapToDouble(i -> exact.x()[i]).toArray(),
                        ok.stream().mapToDouble(i -> exact.y()[i]).toArray());
                e.setMarker(SeriesMarkers.NONE);
                e.setLineColor(new Color(200, 30, 30));
                e.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                        new float[] {6f, 4f}, 0f));
            }
        }
        int mk = 0;
        for (double m : marks) {
            if (!(m > cx[0] && m <= cx[n - 1])) {
                continue;
            }
            XYSeries s = chart.addSeries(mk == 0 ? markLabel : "  " + mk, new double[] {m, m}, new double[] {lo, hi});
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(new Color(40, 150, 60));
            s.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                    new float[] {2f, 3f}, 0f));
            s.setShowInLegend(mk == 0);
            mk++;
        }
        logLabels(chart, List.of(cx), List.of(cy));
        save(chart, png);
    }

    private static XYChart xyChart(PlotStyle style) {
        XYChart chart = new XYChartBuilder().width(style.width()).height(style.height()).title(style.title())
                .xAxisTitle(style.xLabel()).yAxisTitle(style.yLabel()).build();
        chart.getStyler().setXAxisLogarithmic(style.logX());
        chart.getStyler().setYAxisLogarithmic(style.logY());
        // below the plot area, one entry a line: it never hides data and never runs off the canvas's sides
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
        chart.getStyler().setMarkerSize(7);
        chart.getStyler().setAntiAlias(true);
        return chart;
    }

    /** Log axes label every decade only when the data span 1.5 decades or more (else 1..9 too, which then fit). */
    private static void logLabels(XYChart chart, List<double[]> xs, List<double[]> ys) {
        chart.getStyler().setXAxisLogarithmicDecadeOnly(decades(xs) >= 1.5);
        chart.getStyler().setYAxisLogarithmicDecadeOnly(decades(ys) >= 1.5);
    }

    private static double decades(List<double[]> arrays) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (double[] a : arrays) {
            for (double v : a) {
                if (v > 0 && Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        return hi > 0 ? Math.log10(hi / lo) : 0;
    }

    /**
     * Writes a chart in the format its file name's extension names: PNG through XChart's bitmap encoder,
     * SVG and PDF by painting the chart onto a {@link VectorGraphics2D} canvas. Linear axes get tick
     * labels with the decimals their spacing needs.
     */
    private static void save(Chart<?, ?> chart, Path file) throws IOException {
        PlotFormat format = PlotFormat.ofFileName(file.getFileName().toString());
        if (chart instanceof XYChart xy) {
            tickPatterns(xy);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            if (format == PlotFormat.PNG) {
                BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
            } else {
                VectorGraphics2D g = new VectorGraphics2D();
                chart.paint(g, chart.getWidth(), chart.getHeight());
                vector(g, format, chart.getWidth(), chart.getHeight(), out);
            }
        }
    }

    private static void vector(VectorGraphics2D g, PlotFormat format, int width, int height, OutputStream out)
            throws IOException {
        Processor p = format == PlotFormat.SVG ? new SVGProcessor() : new PDFProcessor(true);
        Document doc = p.getDocument(g.getCommands(), new PageSize(0, 0, width, height));
        doc.writeTo(out);
    }

    /** Decimal patterns for the linear axes of an XY chart from the range of its data. */
    private static void tickPatterns(XYChart chart) {
        double xlo = Double.POSITIVE_INFINITY;
        double xhi = Double.NEGATIVE_INFINITY;
        double ylo = Double.POSITIVE_INFINITY;
        double yhi = Double.NEGATIVE_INFINITY;
        for (XYSeries s : chart.getSeriesMap().values()) {
            for (double v : s.getXData()) {
                if (Double.isFinite(v)) {
                    xlo = Math.min(xlo, v);
                    xhi = Math.max(xhi, v);
                }
            }
            for (double v : s.getYData()) {
                if (Double.isFinite(v)) {
                    ylo = Math.min(ylo, v);
                    yhi = Math.max(yhi, v);
                }
            }
        }
        if (!chart.getStyler().isXAxisLogarithmic() && xlo < xhi) {
            double st = TickFormat.step(xhi - xlo, 8);
            // axis ends on multiples of a 1-2-5 step, so that XChart's ticks fall on round numbers
            chart.getStyler().setXAxisMin(Math.floor(xlo / st) * st);
            chart.getStyler().setXAxisMax(Math.ceil(xhi / st) * st);
            chart.getStyler().setXAxisDecimalPattern(TickFormat.pattern(xlo, xhi));
        }
        if (!chart.getStyler().isYAxisLogarithmic() && ylo < yhi) {
            double st = TickFormat.step(yhi - ylo, 8);
            chart.getStyler().setYAxisMin(Math.floor(ylo / st) * st);
            chart.getStyler().setYAxisMax(Math.ceil(yhi / st) * st);
            chart.getStyler().setYAxisDecimalPattern(TickFormat.pattern(ylo, yhi));
        }
    }
}
