package org.langevin.reduce;

import java.io.Serializable;

/**
 * A mean over the P independent accepted particles with its standard error {@code s/√P}.
 *
 * @param mean the mean (NaN when no particle was accepted)
 * @param stdErr its standard error (NaN when fewer than two particles were accepted)
 * @param count number of particles averaged

 * @serial exclude (an accumulator's result passed between the reducer's parts, not a format to rely on)
 */
public record MeanEstimate(double mean, double stdErr, long count) implements Serializable {

    static MeanEstimate of(Moments m) {
        return new MeanEstimate(m.getMean(), m.getMeanStdErr(), m.getCount());
    }
}
