package org.langevin.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.DoubleBinaryOperator;
import org.langevin.reduce.Histogram2D;

/**
 * A 2-D histogram's densities as a heat map, drawn with Java 2D (so that the same drawing goes to PNG,
 * SVG and PDF): cells coloured by density on linear axes with 1-2-5 ticks, a colour bar with its
 * ticks and units, and, where the exact joint law is known, its contours (thick to thin) enclosing 50 %,
 * 90 % and 99 % of its mass within the plotted range (highest-density regions, found on a 161 × 161 grid).
 * Immutable; thread-safe.
 */
final class HeatMapFigure {

    /** Probability contents of the exact law's contours. */
    static final double[] CONTOUR_MASS = {0.5, 0.9, 0.99};
    /** Grid points per axis on which the exact density is evaluated. */
    private static final int GRID = 161;
    /** The colour map: low, middle and high density. */
    private static final Color[] RAMP = {new Color(250, 250, 255), new Color(65, 105, 225), new Color(180, 20, 40)};
    /** Colour of the exact law's contours. */
    private static final Color CONTOUR = new Color(20, 20, 20);

    /** The histogram. */
    private final Histogram2D h;
    /** The exact joint density of (x1, x2), or null. */
    private final DoubleBinaryOperator exact;
    /** Legend text of the exact law. */
    private final String exactLabel;
    /** Title, axis labels and size. */
    private final PlotStyle style;
    /** Colour bar title (with its units). */
    private final String densityLabel;

    HeatMapFigure(Histogram2D h, DoubleBinaryOperator exact, String exactLabel, PlotStyle style, String densityLabel) {
        this.h = h;
        this.exact = exact;
        this.exactLabel = exactLabel == null ? "exact law" : exactLabel;
        this.style = style;
        this.densityLabel = densityLabel;
    }

    /** Paints the figure onto g, a canvas of the style's width × height. */
    void paint(Graphics2D g) {
        int w = style.width();
        int ht = style.height();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fill(new Rectangle2D.Double(0, 0, w, ht));
        double left = 80;
        double right = w - 150;
        double top = 45;
        double bottom = ht - (exact == null ? 70 : 110);
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 15);
        g.setFont(titleFont);
        g.setColor(Color.BLACK);
        centred(g, style.title(), w / 2.0, 25);
        double x0 = h.getLoX();
        double x1 = h.getHiX();
        double y0 = h.getLoY();
        double y1 = h.getHiY();
        double max = 0;
        for (int i = 0; i < h.getBinsX(); i++) {
            for (int j = 0; j < h.getBinsY(); j++) {
                double d = h.density(i, j);
                if (Double.isFinite(d)) {
                    max = Math.max(max, d);
                }
            }
        }
        double top0 = max > 0 ? max : 1;
        for (int i = 0; i < h.getBinsX(); i++) {
            for (int j = 0; j < h.getBinsY(); j++) {
                double d = h.density(i, j);
                if (!(d > 0)) {
                    continue;
                }
                double ax = sx(h.xEdge(i), x0, x1, left, right);
                double bx = sx(h.xEdge(i + 1), x0, x1, left, right);
                double ay = sy(h.yEdge(j + 1), y0, y1, top, bottom);
                double by = sy(h.yEdge(j), y0, y1, top, bottom);
                g.setColor(colour(d / top0));
                // a quarter pixel of overlap hides the seams between cells in anti-aliased renderers
                g.fill(new Rectangle2D.Double(ax, ay, bx - ax + 0.25, by - ay + 0.25));
            }
        }
        if (exact != null) {
            contours(g, x0, x1, y0, y1, left, right, top, bottom);
        }
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1f));
        g.draw(new Rectangle2D.Double(left, top, right - left, bottom - top));
        g.setFont(font);
        FontMetrics fm = g.getFontMetrics();
        double xs = TickFormat.step(x1 - x0, 8);
        for (double v : TickFormat.ticks(x0, x1, xs)) {
            double px = sx(v, x0, x1, left, right);
            g.draw(new Line2D.Double(px, bottom, px, bottom + 5));
            centred(g, TickFormat.label(v, xs), px, bottom + 8 + fm.getAscent());
        }
        double ys = TickFormat.step(y1 - y0, 8);
        for (double v : TickFormat.ticks(y0, y1, ys)) {
            double py = sy(v, y0, y1, top, bottom);
            g.draw(new Line2D.Double(left - 5, py, left, py));
            String s = TickFormat.label(v, ys);
            g.drawString(s, (float) (left - 8 - fm.stringWidth(s)), (float) (py + fm.getAscent() / 2.0 - 1));
        }
        centred(g, style.xLabel(), (left + right) / 2, bottom + 12 + 2 * fm.getAscent());
        vertical(g, style.yLabel(), 18, (top + bottom) / 2);
        colourBar(g, max, right + 25, right + 45, top, bottom, fm);
        if (exact != null) {
            double ly = bottom + 30 + 2 * fm.getAscent();
            g.setColor(CONTOUR);
            g.setStroke(new BasicStroke(1.4f));
            g.draw(new Line2D.Double(left, ly - 4, left + 30, ly - 4));
            g.setColor(Color.BLACK);
            g.drawString(exactLabel, (float) (left + 38), (float) ly);
            g.drawString("contours, thick to thin, enclose 50 %, 90 % and 99 % of its mass in the plotted range", (float) (left + 38),
                    (float) (ly + fm.getHeight()));
        }
    }

    private void colourBar(Graphics2D g, double max, double a, double b, double top, double bottom, FontMetrics fm) {
        int n = 200;
        for (int k = 0; k < n; k++) {
            double f0 = (double) k / n;
            g.setColor(colour(f0 + 0.5 / n));
            double yLo = bottom - (bottom - top) * f0;
            double yHi = bottom - (bottom - top) * (k + 1.0) / n;
            g.fill(new Rectangle2D.Double(a, yHi, b - a, yLo - yHi + 0.5));
        }
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1f));
        g.draw(new Rectangle2D.Double(a, top, b - a, bottom - top));
        if (max > 0) {
            double st = TickFormat.step(max, 6);
            for (double v : TickFormat.ticks(0, max, st)) {
                double py = bottom - (bottom - top) * v / max;
                g.draw(new Line2D.Double(b, py, b + 4, py));
                g.drawString(TickFormat.label(v, st), (float) (b + 7), (float) (py + fm.getAscent() / 2.0 - 1));
            }
        }
        vertical(g, densityLabel, b + 85, (top + bottom) / 2);
    }

    /** Contours of the exact density at the levels of its highest-density regions of given mass. */
    private void contours(Graphics2D g, double x0, double x1, double y0, double y1, double left, double right,
                          double top, double bottom) {
        double[][] v = new double[GRID][GRID];
        double[] all = new double[GRID * GRID];
        int k = 0;
        for (int i = 0; i < GRID; i++) {
            double x = x0 + (x1 - x0) * i / (GRID - 1);
            for (int j = 0; j < GRID; j++) {
                double y = y0 + (y1 - y0) * j / (GRID - 1);
                double d = exact.applyAsDouble(x, y);
                v[i][j] = Double.isFinite(d) && d > 0 ? d : 0;
                all[k++] = v[i][j];
            }
        }
        double[] levels = levels(all, CONTOUR_MASS);
        g.setColor(CONTOUR);
        float[] widths = {2.0f, 1.2f, 0.6f};
        for (int c = 0; c < levels.length; c++) {
            if (!(levels[c] > 0)) {
                continue;
            }
            g.setStroke(new BasicStroke(widths[c], BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            double lv = levels[c];
            for (int i = 0; i + 1 < GRID; i++) {
                for (int j = 0; j + 1 < GRID; j++) {
                    // corners in order around the cell: (i,j), (i+1,j), (i+1,j+1), (i,j+1)
                    double[] cv = {v[i][j], v[i + 1][j], v[i + 1][j + 1], v[i][j + 1]};
                    int[][] corner = {{i, j}, {i + 1, j}, {i + 1, j + 1}, {i, j + 1}};
                    double[] px = new double[4];
                    double[] py = new double[4];
                    int m = 0;
                    for (int e = 0; e < 4; e++) {
                        double a = cv[e] - lv;
                        double b = cv[(e + 1) % 4] - lv;
                        if ((a < 0) != (b < 0)) {
                            double f = a / (a - b);
                            double gi = corner[e][0] + f * (corner[(e + 1) % 4][0] - corner[e][0]);
                            double gj = corner[e][1] + f * (corner[(e + 1) % 4][1] - corner[e][1]);
                            px[m] = sx(x0 + (x1 - x0) * gi / (GRID - 1), x0, x1, left, right);
                            py[m] = sy(y0 + (y1 - y0) * gj / (GRID - 1), y0, y1, top, bottom);
                            m++;
                        }
                    }
                    for (int s = 0; s + 1 < m; s += 2) {
                        g.draw(new Line2D.Double(px[s], py[s], px[s + 1], py[s + 1]));
                    }
                }
            }
        }
    }

    /**
     * The density levels whose super-level sets hold the given fractions of the total of the values
     * (grid points of equal area, so the total stands for the mass).
     *
     * @param values density values at the grid points
     * @param mass fractions in (0, 1), increasing
     * @return one level per fraction (0 when the values are all 0)
     */
    static double[] levels(double[] values, double[] mass) {
        double[] s = values.clone();
        Arrays.sort(s);
        double total = 0;
        for (double x : s) {
            total += x;
        }
        double[] out = new double[mass.length];
        if (!(total > 0)) {
            return out;
        }
        double cum = 0;
        int c = 0;
        for (int k = s.length - 1; k >= 0 && c < mass.length; k--) {
            cum += s[k];
            while (c < mass.length && cum >= mass[c] * total) {
                out[c++] = s[k];
            }
        }
        return out;
    }

    /** @return the colour of a density as a fraction of the largest, in [0, 1] */
    static Color colour(double f) {
        double t = Math.max(0, Math.min(1, f)) * (RAMP.length - 1);
        int k = Math.min((int) t, RAMP.length - 2);
        double u = t - k;
        Color a = RAMP[k];
        Color b = RAMP[k + 1];
        return new Color((int) Math.round(a.getRed() + u * (b.getRed() - a.getRed())),
                (int) Math.round(a.getGreen() + u * (b.getGreen() - a.getGreen())),
                (int) Math.round(a.getBlue() + u * (b.getBlue() - a.getBlue())));
    }

    private static double sx(double x, double x0, double x1, double left, double right) {
        return left + (x - x0) / (x1 - x0) * (right - left);
    }

    private static double sy(double y, double y0, double y1, double top, double bottom) {
        return bottom - (y - y0) / (y1 - y0) * (bottom - top);
    }

    private static void centred(Graphics2D g, String s, double x, double y) {
        g.drawString(s, (float) (x - g.getFontMetrics().stringWidth(s) / 2.0), (float) y);
    }

    private static void vertical(Graphics2D g, String s, double x, double y) {
        AffineTransform saved = g.getTransform();
        g.translate(x, y);
        g.rotate(-Math.PI / 2);
        centred(g, s, 0, 0);
        g.setTransform(saved);
    }

    /** @return the default colour bar title for coordinates named a and b */
    static String densityLabel(String a, String b) {
        return String.format(Locale.ROOT, "density of (%s, %s), per unit %s per unit %s", a, b, a, b);
    }
}
