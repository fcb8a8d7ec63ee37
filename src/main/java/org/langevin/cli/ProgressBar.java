package org.langevin.cli;

import java.io.PrintWriter;
import org.langevin.engine.Sampler;

/**
 * A one-line progress bar on the terminal's error stream, shown once a run has taken more than a
 * second and has a measured rate, and only when a console is attached (logs and pipes get no control
 * characters). The rate and the ETA come from the recent segments, not the average since the start
 * (which includes the JIT's warm-up).
 */
final class ProgressBar implements Sampler.Listener {
    private static final int WIDTH = 30;
    private final PrintWriter out;
    private final long particles;
    private final boolean enabled;
    private long firstStep = -1;
    private double lastDraw = -1;
    private boolean drawn;

    ProgressBar(PrintWriter out, long particles, boolean enabled) {
        this.out = out;
        this.particles = particles;
        this.enabled = enabled;
    }

    /** Steps and time of the previous call, for the recent rate. */
    private long lastStep = -1;
    private double lastTime;
    /** Steps per second over the recent segments (exponentially weighted), NaN until there is one. */
    private double recentStepsPerSecond = Double.NaN;

    @Override
    public void progress(long stepsDone, long totalSteps, double elapsedSeconds) {
        if (firstStep < 0) {
            firstStep = stepsDone;
        }
        if (lastStep >= 0 && stepsDone > lastStep && elapsedSeconds > lastTime) {
            double r = (stepsDone - lastStep) / (elapsedSeconds - lastTime);
            // Recent segments weigh most, so the JIT's slow first segments leave the estimate quickly.
            recentStepsPerSecond = Double.isNaN(recentStepsPerSecond) ? r : 0.5 * recentStepsPerSecond + 0.5 * r;
        }
        lastStep = stepsDone;
        lastTime = elapsedSeconds;
        if (!enabled || Double.isNaN(recentStepsPerSecond) || elapsedSeconds < 1.0
                || elapsedSeconds - lastDraw < 0.2 && stepsDone < totalSteps) {
            return;
        }
        lastDraw = elapsedSeconds;
        double frac = totalSteps == 0 ? 1 : (double) stepsDone / totalSteps;
        int filled = (int) Math.round(frac * WIDTH);
        double rate = recentStepsPerSecond * particles;
        double eta = (totalSteps - stepsDone) / recentStepsPerSecond;
        out.printf("\r[%s%s] %5.1f%%  step %d/%d  %.3g particle-steps/s  ETA %s ",
                "#".repeat(filled), ".".repeat(WIDTH - filled), 100 * frac, stepsDone, totalSteps, rate,
                formatSeconds(eta));
        out.flush();
        drawn = true;
    }

    /** Ends the bar's line if one was drawn. */
    void finish() {
        if (drawn) {
            out.println();
        }
    }

    static String formatSeconds(double s) {
        if (s < 60) {
            return String.format("%.0fs", s);
        }
        if (s < 3600) {
            return String.format("%dm%02ds", (long) s / 60, (long) s % 60);
        }
        return String.format("%dh%02dm", (long) s / 3600, ((long) s % 3600) / 60);
    }
}
