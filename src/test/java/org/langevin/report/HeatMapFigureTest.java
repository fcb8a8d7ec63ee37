package org.langevin.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.SplittableRandom;
import java.util.function.DoubleBinaryOperator;
import org.junit.jupiter.api.Test;
import org.langevin.reduce.Histogram2D;

class HeatMapFigureTest {

    @Test
    void levelsHoldTheGivenFractionsOfTheMass() {
        // values 1..10, total 55: the top values 10+9+8 = 27 < 27.5, +7 = 34 ≥ 27.5 (50 %);
        // 90 % = 49.5: 10+…+4 = 49 falls short, +3 = 52 reaches it
        double[] v = {3, 1, 4, 10, 5, 9, 2, 6, 8, 7};
        assertArrayEquals(new double[] {7, 3}, HeatMapFigure.levels(v, new double[] {0.5, 0.9}), 0.0);
        assertArrayEquals(new double[] {0, 0}, HeatMapFigure.levels(new double[4], new double[] {0.5, 0.9}), 0.0);
    }

    @Test
    void gaussianLevelsMatchTheChiSquareRadii() {
        // for N(0, I) the 50 % region is r² ≤ −2 ln 0.5, where the density is p(0)·0.5
        int n = 401;
        double[] v = new double[n * n];
        double half = 6;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double x = -half + 2 * half * i / (n - 1);
                double y = -half + 2 * half * j / (n - 1);
                v[i * n + j] = Math.exp(-(x * x + y * y) / 2) / (2 * Math.PI);
            }
        }
        double[] l = HeatMapFigure.levels(v, new double[] {0.5, 0.9});
        double p0 = 1 / (2 * Math.PI);
        // tolerance: the grid (spacing 0.03) moves the level by about a percent
        assertEquals(0.5 * p0, l[0], 0.01 * p0);
        assertEquals(0.1 * p0, l[1], 0.01 * p0);
    }

    @Test
    void contoursAreDrawnOnlyWithAnExactLaw() {
        Histogram2D h = new Histogram2D(40, -3, 3, 40, -3, 3);
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 20_000; i++) {
            h.accept(PlotsTest.gaussian(r), PlotsTest.gaussian(r));
        }
        DoubleBinaryOperator exact = (x, y) -> Math.exp(-(x * x + y * y) / 2) / (2 * Math.PI);
        long plain = darkPixels(new HeatMapFigure(h, null, null, PlotStyle.of("t", "x1", "x2"), "d"));
        long with = darkPixels(new HeatMapFigure(h, exact, "N(0, I)", PlotStyle.of("t", "x1", "x2"), "d"));
        // three closed curves of radius ~1.2 to 3 plot units (about 100 to 250 pixels each) and two legend lines
        assertTrue(with > plain + 500, "contour pixels: " + (with - plain));
    }

    @Test
    void colourRampRunsFromPaleToRed() {
        assertEquals(250, HeatMapFigure.colour(0).getRed());
        assertEquals(180, HeatMapFigure.colour(1).getRed());
        assertEquals(20, HeatMapFigure.colour(1).getGreen());
        assertEquals(HeatMapFigure.colour(1), HeatMapFigure.colour(7), "fractions are clamped to [0, 1]");
    }

    private static long darkPixels(HeatMapFigure f) {
        BufferedImage img = new BufferedImage(800, 600, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        f.paint(g);
        g.dispose();
        long n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                if (((rgb >> 16) & 255) < 60 && ((rgb >> 8) & 255) < 60 && (rgb & 255) < 60) {
                    n++;
                }
            }
        }
        return n;
    }
}
