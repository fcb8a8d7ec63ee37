package org.langevin.check;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.DoubleUnaryOperator;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A {@link FigureSink} that writes PNG files (XChart) into a directory. Not thread-safe.
 */
public final class PngFigures implements FigureSink {
    /** Points of the theory curve. */
    private static final int CURVE_POINTS = 200;

    /** Output directory. */
    private final Path dir;

    /** @param dir where the PNG files go (created on first use) */
    public PngFigures(Path dir) {
        this.dir = dir;
    }

    @Override
    public void pointsWithTheory(String file, String title, String xLabel, String yLabel, double[] x, double[] y,
                                 double[] yErr, DoubleUnaryOperator theory, double theoryFrom, double theoryTo) {
        if (!file.endsWith(".png")) {
            throw new IllegalArgumentException("figure file must end in .png, got " + file);
        }
        XYChart chart = new XYChartBuilder().width(900).height(560).title(title).xAxisTitle(xLabel)
                .yAxisTitle(yLabel).build();
        double[] cx = new double[CURVE_POINTS];
        double[] cy = new double[CURVE_POINTS];
        for (int i = 0; i < CURVE_POINTS; i++) {
            cx[i] = theoryFrom + (theoryTo - theoryFrom) * i / (CURVE_POINTS - 1);
            cy[i] = theory.applyAsDouble(cx[i]);
        }
        XYSeries line = chart.addSeries("theory", cx, cy);
        line.setMarker(SeriesMarkers.NONE);
        XYSeries points = chart.addSeries("measured ± 1 SE", x, y, yErr);
        points.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        try {
            Files.createDirectories(dir);
            BitmapEncoder.saveBitmap(chart, dir.resolve(file).toString(), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write figure " + dir.resolve(file) + ": " + e.getMessage(), e);
        }
    }
}
