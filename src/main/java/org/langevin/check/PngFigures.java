package org.langevin.check;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.DoubleUnaryOperator;
import org.langevin.report.PlotStyle;
import org.langevin.report.Plots;

/**
 * A {@link FigureSink} that writes PNG files into a directory with {@link Plots}. Not thread-safe.
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
        double[] cx = new double[CURVE_POINTS];
        double[] cy = new double[CURVE_POINTS];
        for (int i = 0; i < CURVE_POINTS; i++) {
            cx[i] = theoryFrom + (theoryTo - theoryFrom) * i / (CURVE_POINTS - 1);
            cy[i] = theory.applyAsDouble(cx[i]);
        }
        try {
            Files.createDirectories(dir);
            Plots.errorBars(dir.resolve(file), x, y, yErr, "measured ± 1 SE", new Plots.Series("theory", cx, cy),
                    PlotStyle.of(title, xLabel, yLabel).withSize(900, 560));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write figure " + dir.resolve(file) + ": " + e.getMessage(), e);
        }
    }
}
