package org.langevin.check;

import java.util.function.DoubleUnaryOperator;

/**
 * Where checks send the pictures people would rather look at than read (PNG files in the run's output
 * directory). Checks describe a figure; the sink draws it, or ignores it. Implementations need not be
 * thread-safe: checks call them from the thread that runs them.
 */
public interface FigureSink {
    /** A sink that draws nothing. */
    FigureSink NONE = new FigureSink() {
        @Override
        public void pointsWithTheory(String file, String title, String xLabel, String yLabel, double[] x, double[] y,
                                     double[] yErr, DoubleUnaryOperator theory, double theoryFrom, double theoryTo) {
        }
    };

    /**
     * Measured points with error bars and the theory curve over [theoryFrom, theoryTo]: a histogram's
     * bin densities against the Gibbs density, or L(η) against η with the theory line.
     *
     * @param file file name without directory, ending in .png
     * @param title title of the figure
     * @param xLabel label of the x axis
     * @param yLabel label of the y axis
     * @param x abscissae of the points
     * @param y measured values
     * @param yErr their standard errors (error bars of one standard error)
     * @param theory the theory curve
     * @param theoryFrom left end of the curve
     * @param theoryTo right end of the curve
     */
    void pointsWithTheory(String file, String title, String xLabel, String yLabel, double[] x, double[] y,
                          double[] yErr, DoubleUnaryOperator theory, double theoryFrom, double theoryTo);
}
