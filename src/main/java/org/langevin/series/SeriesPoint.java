package org.langevin.series;

import java.io.Serializable;
import org.langevin.reduce.Summary;

/**
 * One record of a run: the step, its time, the merged statistics of every particle at that step (the
 * same block reduction as the final one) and the traced particles' states.
 *
 * @param step the global step k (0: the initial state)
 * @param time t at step k: kΔt, or Σ_{i&lt;k} η_i for SGD
 * @param summary the reduction of all particles at step k
 * @param trace particles 0..K−1 at step k, row-major (particle i, coordinate j at i·d + j), or null
 * @serial exclude (kept in checkpoint/series.bin by Java serialization and read back only by langevin's own
 *         --resume, like the summaries it holds; not a format to rely on)
 */
public record SeriesPoint(long step, double time, Summary summary, float[] trace) implements Serializable {
    private static final long serialVersionUID = 1L;
}
