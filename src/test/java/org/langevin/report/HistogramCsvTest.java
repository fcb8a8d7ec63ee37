package org.langevin.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.langevin.reduce.Histogram1D;
import org.langevin.reduce.Histogram2D;

class HistogramCsvTest {

    @TempDir
    Path dir;

    @Test
    void writesOneLinePerBinWithDensities() throws Exception {
        Histogram1D h = new Histogram1D(4, 0, 2);
        for (double x : new double[] {0.1, 0.2, 0.7, 1.9, 5}) {
            h.accept(x);
        }
        Path f = dir.resolve("hist_x0.csv");
        HistogramCsv.write(f, h);
        List<String> lines = Files.readAllLines(f);
        assertEquals(List.of("bin_lo,bin_hi,count,density", "0.0,0.5,2,0.8", "0.5,1.0,1,0.4", "1.0,1.5,0,0.0",
                "1.5,2.0,1,0.4"), lines);

        Histogram2D g = new Histogram2D(2, 0, 1, 2, 0, 1);
        g.accept(0.1, 0.9);
        g.accept(0.6, 0.1);
        Path f2 = dir.resolve("hist2d.csv");
        HistogramCsv.write(f2, g);
        List<String> l2 = Files.readAllLines(f2);
        assertEquals(5, l2.size());
        assertEquals("x_lo,x_hi,y_lo,y_hi,count,density", l2.get(0));
        assertEquals("0.0,0.5,0.5,1.0,1,2.0", l2.get(2));
    }
}
