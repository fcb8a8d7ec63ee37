package org.langevin.report;

/**
 * Frame of a plot: title, axis labels, pixel size and axis scales. Immutable; thread-safe.
 *
 * @param title chart title
 * @param xLabel x-axis label (with units)
 * @param yLabel y-axis label (with units)
 * @param width width in pixels, in {@code [100, 10000]}
 * @param height height in pixels, in {@code [100, 10000]}
 * @param logX logarithmic x axis (all x must be {@code > 0})
 * @param logY logarithmic y axis (all y must be {@code > 0})
 */
public record PlotStyle(String title, String xLabel, String yLabel, int width, int height, boolean logX,
                        boolean logY) {

    /**
     * Validates the fields.
     *
     * @param title chart title
     * @param xLabel x-axis label (with units)
     * @param yLabel y-axis label (with units)
     * @param width width in pixels, in {@code [100, 10000]}
     * @param height height in pixels, in {@code [100, 10000]}
     * @param logX logarithmic x axis (all x must be {@code > 0})
     * @param logY logarithmic y axis (all y must be {@code > 0})
     */
    public PlotStyle {
        if (title == null || xLabel == null || yLabel == null) {
            throw new IllegalArgumentException("title, xLabel and yLabel must not be null");
        }
        if (width < 100 || width > 10_000 || height < 100 || height > 10_000) {
            throw new IllegalArgumentException("width and height must be in [100, 10000] pixels, got "
                    + width + " x " + height);
        }
    }

    /**
     * An 800×600 plot with linear axes.
     *
     * @param title chart title
     * @param xLabel x-axis label
     * @param yLabel y-axis label
     * @return the style
     */
    public static PlotStyle of(String title, String xLabel, String yLabel) {
        return new PlotStyle(title, xLabel, yLabel, 800, 600, false, false);
    }

    /**
     * @param w width in pixels
     * @param h height in pixels
     * @return this style with another size
     */
    public PlotStyle withSize(int w, int h) {
        return new PlotStyle(title, xLabel, yLabel, w, h, logX, logY);
    }

    /**
     * @param x logarithmic x axis
     * @param y logarithmic y axis
     * @return this style with the given axis scales
     */
    public PlotStyle withLogAxes(boolean x, boolean y) {
        return new PlotStyle(title, xLabel, yLabel, width, height, x, y);
    }
}
