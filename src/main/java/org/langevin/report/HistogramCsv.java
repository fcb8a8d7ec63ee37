package org.langevin.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.langevin.reduce.Histogram1D;
import org.langevin.reduce.Histogram2D;

/**
 * Writes histograms as CSV with a header line; numbers in Java's shortest round-trip decimal form
 * (locale-independent). Densities are {@code count / (total · bin size)} with the total including
 * values outside the range, so they estimate the probability density.
 * <ul>
 *   <li>1-D: {@code bin_lo,bin_hi,count,density}, one line per bin.</li>
 *   <li>2-D: {@code x_lo,x_hi,y_lo,y_hi,count,density}, one line per cell, x-major.</li>
 * </ul>
 * Stateless; thread-safe for distinct files.
 */
public final class HistogramCsv {

    /** Header of the 1-D file. */
    public static final String HEADER_1D = "bin_lo,bin_hi,count,density";
    /** Header of the 2-D file. */
    public static final String HEADER_2D = "x_lo,x_hi,y_lo,y_hi,count,density";

    private HistogramCsv() {
    }

    /**
     * @param file destination (replaced if present)
     * @param h the histogram
     * @throws IOException if writing fails
     */
    public static void write(Path file, Histogram1D h) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(HEADER_1D);
            w.newLine();
            for (int k = 0; k < h.getBins(); k++) {
                w.write(h.binLo(k) + "," + h.binHi(k) + "," + h.getCount(k) + "," + h.density(k));
                w.newLine();
            }
        }
    }

    /**
     * @param file destination (replaced if present)
     * @param h the 2-D histogram
     * @throws IOException if writing fails
     */
    public static void write(Path file, Histogram2D h) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(HEADER_2D);
            w.newLine();
            for (int i = 0; i < h.getBinsX(); i++) {
                for (int j = 0; j < h.getBinsY(); j++) {
                    w.write(h.xEdge(i) + "," + h.xEdge(i + 1) + "," + h.yEdge(j) + "," + h.yEdge(j + 1) + ","
                            + h.getCount(i, j) + "," + h.density(i, j));
                    w.newLine();
                }
            }
        }
    }
}
