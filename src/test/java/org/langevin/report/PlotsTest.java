package org.langevin.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.langevin.reduce.Histogram1D;
import org.langevin.reduce.Histogram2D;

class PlotsTest {

    @TempDir
    Path dir;

    private static void assertPng(Path f, int w, int h) throws Exception {
        assertTrue(Files.size(f) > 1000, f + " is too small to hold a chart");
        BufferedImage img = ImageIO.read(f.toFile());
        assertNotNull(img, f + " does not decode");
        assertEquals(w, img.getWidth());
        assertEquals(h, img.getHeight());
    }

    static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    @Test
    void writesEveryKindOfPlotAtTheRequestedSize() throws Exception {
        SplittableRandom r = new SplittableRandom(1);
        Histogram1D h = new Histogram1D(60, -4, 4);
        Histogram2D h2 = new Histogram2D(30, -3, 3, 30, -3, 3);
        for (int i = 0; i < 20_000; i++) {
            double a = gaussian(r);
            double b = 0.7 * a + 0.7 * gaussian(r);
            h.accept(a);
            h2.accept(a, b);
        }
        Path p1 = dir.resolve("hist_x0.png");
        Plots.histogram(p1, h, x -> Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI), "exact N(0,1)",
                PlotStyle.of("Stationary density of x0", "x0", "density").withSize(640, 480));
        assertPng(p1, 640, 480);

        Path p2 = dir.resolve("hist2d.png");
        Plots.heatMap(p2, h2, PlotStyle.of("Joint density", "x0", "x1").withSize(700, 600));
        assertPng(p2, 700, 600);

        Path p3 = dir.resolve("check.png");
        double[] eta = {0.01, 0.02, 0.04, 0.08};
        double[] y = {0.0052, 0.0098, 0.021, 0.039};
        double[] err = {0.0004, 0.0006, 0.001, 0.002};
        Plots.errorBars(p3, eta, y, err, "measured", new Plots.Series("theory η/2", eta,
                new double[] {0.005, 0.01, 0.02, 0.04}), PlotStyle.of("Excess loss", "η", "L − L*")
                .withLogAxes(true, true));
        assertPng(p3, 800, 600);

        Path p4 = dir.resolve("bench.png");
        double[] n = {1e3, 1e4, 1e5, 1e6};
        Plots.lines(p4, List.of(new Plots.Series("cpu", n, new double[] {1e6, 8e6, 2e7, 2.2e7}),
                new Plots.Series("gpu", n, new double[] {1e5, 1e7, 5e8, 2e9})),
                PlotStyle.of("Throughput", "particles", "particle steps / s").withLogAxes(true, true).withSize(900, 500));
        assertPng(p4, 900, 500);

        assertThrows(IllegalArgumentException.class, () -> PlotStyle.of("t", "x", "y").withSize(10, 10));
        assertThrows(IllegalArgumentException.class,
                () -> Plots.errorBars(p3, eta, y, new double[1], "m", null, PlotStyle.of("t", "x", "y")));
    }

    @Test
    void vectorFormatsAreValidSvgAndPdf() throws Exception {
        SplittableRandom r = new SplittableRandom(2);
        Histogram1D h = new Histogram1D(40, -4, 4);
        Histogram2D h2 = new Histogram2D(20, -3, 3, 20, -3, 3);
        for (int i = 0; i < 5_000; i++) {
            double a = gaussian(r);
            h.accept(a);
            h2.accept(a, gaussian(r));
        }
        java.util.function.DoubleBinaryOperator exact = (x, y) -> Math.exp(-(x * x + y * y) / 2) / (2 * Math.PI);
        for (PlotFormat f : new PlotFormat[] {PlotFormat.SVG, PlotFormat.PDF}) {
            Path p1 = dir.resolve(f.fileName("hist"));
            Plots.histogram(p1, h, x -> Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI), "exact N(0,1)",
                    PlotStyle.of("density of x1", "x1", "density"));
            Path p2 = dir.resolve(f.fileName("heat"));
            Plots.heatMap(p2, h2, exact, "N(0, I)", PlotStyle.of("joint density", "x1", "x2"));
            Path p3 = dir.resolve(f.fileName("bench"));
            Plots.lines(p3, List.of(new Plots.Series("cpu", new double[] {1e3, 1e4}, new double[] {1e6, 8e6})),
                    PlotStyle.of("Throughput", "particles", "particle steps / s").withLogAxes(true, true));
            for (Path p : List.of(p1, p2, p3)) {
                byte[] b = Files.readAllBytes(p);
                if (f == PlotFormat.SVG) {
                    javax.xml.parsers.DocumentBuilderFactory xml = javax.xml.parsers.DocumentBuilderFactory.newInstance();
                    // the SVG's DOCTYPE names the W3C DTD: parse without fetching it
                    xml.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
                    org.w3c.dom.Document doc = xml.newDocumentBuilder().parse(p.toFile());
                    assertEquals("svg", doc.getDocumentElement().getLocalName() == null
                            ? doc.getDocumentElement().getTagName() : doc.getDocumentElement().getLocalName());
                } else {
                    String head = new String(b, 0, 5, java.nio.charset.StandardCharsets.US_ASCII);
                    String tail = new String(b, b.length - 8, 8, java.nio.charset.StandardCharsets.US_ASCII);
                    assertEquals("%PDF-", head, p + " is no PDF");
                    assertTrue(tail.contains("%%EOF"), p + " does not end like a PDF: " + tail);
                }
                assertTrue(b.length > 1000, p + " is too small to hold a chart");
            }
        }
        assertThrows(IllegalArgumentException.class, () -> PlotFormat.parse("jpeg"));
        assertThrows(IllegalArgumentException.class,
                () -> Plots.heatMap(dir.resolve("heat.gif"), h2, PlotStyle.of("t", "x1", "x2")));
        assertEquals(PlotFormat.PDF, PlotFormat.parse("PDF"));
    }
}
