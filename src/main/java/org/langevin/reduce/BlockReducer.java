package org.langevin.reduce;

import java.util.Map;

/**
 * Reduces single blocks of one view, with scratch arrays reused between blocks. Each block is
 * reduced in particle-index order: a validity pass (diverged particles are counted and skipped), then
 * a gather of the accepted particles and two-pass moments per statistic. A particle is diverged when a
 * coordinate of its final state is non-finite or beyond the spec's divergence bound B (|x_j| > B), when
 * a window sum is non-finite or a time average is beyond B (|avg x_j| > B or avg x_j² > B²), or when its
 * loss or an observable is non-finite.
 *
 * <p>Not thread-safe: one instance per thread.
 */
final class BlockReducer {

    private final ParticleView view;
    private final ReduceSpec spec;
    private final int d;
    private final boolean windowed;
    private final boolean withCovariance;
    private final boolean withLoss;
    private final String[] names;
    private final ParticleObservable[] functions;
    private final float[] phi;
    private final int[] accepted = new int[Blocks.SIZE];
    private final double[][] values;
    private final double[][] work;
    private final double[] avgX = new double[Blocks.SIZE];
    private final double[] avgX2 = new double[Blocks.SIZE];
    private final double[] lossValues = new double[Blocks.SIZE];
    private final double[][] observableValues;
    /** Divergence bound B (+∞: non-finite values only). */
    private final double bound;

    BlockReducer(ParticleView view, ReduceSpec spec) {
        this.view = view;
        this.spec = spec;
        this.d = view.dimension();
        spec.check(d);
        this.windowed = view.hasWindow();
        this.withCovariance = spec.covarianceFor(d);
        this.withLoss = windowed || spec.loss() != null;
        Map<String, ParticleObservable> obs = spec.observables();
        this.names = obs.keySet().toArray(new String[0]);
        this.functions = obs.values().toArray(new ParticleObservable[0]);
        this.phi = new float[d];
        this.values = new double[d][Blocks.SIZE];
        this.work = withCovariance ? new double[d][Blocks.SIZE] : null;
        this.observableValues = new double[functions.length][Blocks.SIZE];
        this.bound = spec.divergenceBound();
    }

    /**
     * @param block global block index, in {@code [view.firstBlock(), view.firstBlock() + view.blockCount())}
     * @return the level-0 partial of that block
     */
    BlockPartial reduce(long block) {
        long local = block - view.firstBlock();
        if (block < view.firstBlock() || local >= view.blockCount()) {
            throw new IllegalArgumentException("blockIndex must be in [" + view.firstBlock() + ", "
                    + (view.firstBlock() + view.blockCount()) + ") for this view, got " + block);
        }
        float[][] x = view.states();
        double[][] sums = view.sums();
        double w = view.windowSteps();
        int start = (int) (local * Blocks.SIZE);
        int len = Math.min(Blocks.SIZE, view.particles() - start);
        boolean finalLoss = !windowed && spec.loss() != null;
        boolean needPhi = finalLoss || functions.length > 0;
        int n = 0;
        long diverged = 0;
        for (int i = 0; i < len; i++) {
            int g = start + i;
            boolean ok = true;
            for (int j = 0; j < d && ok; j++) {
                float v = x[j][g];
                ok = Float.isFinite(v) && Math.abs(v) <= bound;
            }
            if (windowed) {
                for (int r = 0; r < sums.length && ok; r++) {
                    ok = Double.isFinite(sums[r][g]);
                }
                for (int j = 0; j < d && ok && w > 0; j++) {
                    ok = Math.abs(sums[j][g] / w) <= bound && sums[d + j][g] / w <= bound * bound;
                }
            }
            if (ok && needPhi) {
                for (int j = 0; j < d; j++) {
                    phi[j] = x[j][g];
                }
                if (finalLoss) {
                    double l = spec.loss().loss(phi);
                    ok = Double.isFinite(l);
                    lossValues[n] = l;
                }
                for (int k = 0; k < functions.length && ok; k++) {
                    double v = functions[k].value(phi);
                    ok = Double.isFinite(v);
                    observableValues[k][n] = v;
                }
            }
            if (!ok) {
                diverged++;
                continue;
            }
            if (windowed) {
                lossValues[n] = sums[2 * d][g] / w;
            }
            accepted[n++] = g;
        }
        Moments[] state = new Moments[d];
        PairedMoments[] window = windowed ? new PairedMoments[d] : null;
        Histogram1D[] hist = spec.newHistograms(d);
        Histogram2D hist2 = spec.newHistogram2D();
        for (int j = 0; j < d; j++) {
            float[] row = x[j];
            double[] v = values[j];
            for (int m = 0; m < n; m++) {
                v[m] = row[accepted[m]];
            }
            state[j] = Moments.ofValues(v, n);
            if (hist != null) {
                for (int m = 0; m < n; m++) {
                    hist[j].accept(v[m]);
                }
            }
            if (windowed) {
                double[] s1 = sums[j];
                double[] s2 = sums[d + j];
                for (int m = 0; m < n; m++) {
                    int g = accepted[m];
                    avgX[m] = s1[g] / w;
                    avgX2[m] = s2[g] / w;
                }
                window[j] = PairedMoments.ofValues(avgX, avgX2, n);
            }
        }
        if (hist2 != null) {
            double[] v0 = values[0];
            double[] v1 = values[1];
            for (int m = 0; m < n; m++) {
                hist2.accept(v0[m], v1[m]);
            }
        }
        Covariance cov = withCovariance ? Covariance.ofValues(values, n, work) : null;
        Moments loss = withLoss ? Moments.ofValues(lossValues, n) : null;
        Moments[] obs = new Moments[functions.length];
        for (int k = 0; k < obs.length; k++) {
            obs[k] = Moments.ofValues(observableValues[k], n);
        }
        Summary s = new Summary(d, windowed, n, diverged, state, window, cov, loss, names.clone(), obs,
                hist, hist2);
        return new BlockPartial(0, block, s);
    }
}
