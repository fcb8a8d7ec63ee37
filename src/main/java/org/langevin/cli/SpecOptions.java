package org.langevin.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.langevin.model.Dynamics;
import org.langevin.model.HistogramSpec;
import org.langevin.model.InitialState;
import org.langevin.model.LearningRateSchedule;
import org.langevin.model.LossKind;
import org.langevin.model.PreconditionerKind;
import org.langevin.model.RunSpec;
import org.langevin.model.RunSpecBuilder;
import org.langevin.model.Sampling;
import org.langevin.model.SdeNoise;
import org.langevin.model.TrainingSet;
import org.langevin.model.TrainingSets;
import picocli.CommandLine.Option;

/** The options that define a run (shared by {@code sample} and the Spark launcher). */
public final class SpecOptions {
    @Option(names = "--dynamics", defaultValue = "langevin",
            description = "brownian | gradient-flow | langevin | sgd | sgd-sde (default: ${DEFAULT-VALUE})")
    String dynamics;

    @Option(names = "--loss", defaultValue = "double-well",
            description = "double-well | quadratic | linreg | logistic (default: ${DEFAULT-VALUE})")
    String loss;

    @Option(names = "--dim", description = "dimension d of Φ (default: 1, or the training set's)")
    Integer dim;

    @Option(names = "--quadratic-matrix", description = "A of ½(Φ−m)ᵀA(Φ−m), rows separated by ';' (default: identity)")
    String quadraticMatrix;

    @Option(names = "--quadratic-center", description = "m of the quadratic loss, comma-separated (default: 0)")
    String quadraticCenter;

    @Option(names = "--data", description = "training set CSV with header x1,...,xd,y")
    Path data;

    @Option(names = "--synthetic", description = "seeded synthetic training set, e.g. n=1000,d=3,noise=0.5,seed=7")
    String synthetic;

    @Option(names = "--noise-variance", defaultValue = "1", description = "s² of the linreg loss (xᵀΦ−y)²/(2s²) (default: ${DEFAULT-VALUE})")
    double noiseVariance;

    @Option(names = "--prior-variance", defaultValue = "0", description = "τ² of a Gaussian prior, adds ‖Φ‖²/(2nτ²) to L (default: none)")
    double priorVariance;

    @Option(names = "--sigma", defaultValue = "1", description = "σ of Brownian motion and Langevin dynamics (default: ${DEFAULT-VALUE})")
    double sigma;

    @Option(names = "--posterior-temperature", description = "set σ² = 2/n, so Langevin samples the Bayesian posterior exp(−nL)")
    boolean posteriorTemperature;

    @Option(names = "--dt", defaultValue = "0.01", description = "time step Δt (default: ${DEFAULT-VALUE})")
    double dt;

    @Option(names = "--lr", description = "learning rate η of SGD and of the SGD SDE")
    Double lr;

    @Option(names = "--lr-schedule", defaultValue = "constant", description = "constant | step:FACTOR@S1,S2,... (default: ${DEFAULT-VALUE})")
    String lrSchedule;

    @Option(names = "--batch", defaultValue = "1", description = "batch size B (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--sampling", defaultValue = "with-replacement", description = "with-replacement | without-replacement (default: ${DEFAULT-VALUE})")
    String sampling;

    @Option(names = "--preconditioner", defaultValue = "identity",
            description = "identity | diagonal | full | inverse-noise | rmsprop (default: ${DEFAULT-VALUE})")
    String preconditioner;

    @Option(names = "--preconditioner-matrix", description = "D for diagonal (d1,d2,...) or full (\"a11,a12;a21,a22\")")
    String preconditionerMatrix;

    @Option(names = "--sde-noise", defaultValue = "constant", description = "SGD SDE noise: constant Σ(Φ*) or state (exact Σ(Φ), linreg) (default: ${DEFAULT-VALUE})")
    String sdeNoise;

    @Option(names = "--particles", defaultValue = "100000", description = "number of particles P (default: ${DEFAULT-VALUE})")
    int particles;

    @Option(names = "--steps", defaultValue = "1000", description = "number of steps N (default: ${DEFAULT-VALUE})")
    long steps;

    @Option(names = "--init", defaultValue = "0", description = "0 | v1,v2,... | normal:MEAN,SD (default: ${DEFAULT-VALUE})")
    String init;

    @Option(names = "--seed", defaultValue = "1", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--burn-in", defaultValue = "0", description = "steps left out of time averages (default: ${DEFAULT-VALUE})")
    long burnIn;

    @Option(names = "--average", description = "statistics of per-particle time averages over steps burn-in+1..N")
    boolean average;

    @Option(names = "--histogram", description = "bins,lo,hi for every coordinate (default: 100 bins over the sample's range)")
    String histogram;

    @Option(names = "--divergence-bound", defaultValue = "0",
            description = "a particle with |x_j| > B counts as diverged and is left out (default: derived from the problem)")
    double divergenceBound;

    @Option(names = "--max-diverged-fraction", defaultValue = "0.01",
            description = "fail (exit 3, after writing the results) when more than this fraction diverged (default: ${DEFAULT-VALUE})")
    double maxDivergedFraction;

    /**
     * Builds the validated run specification.
     *
     * @throws IllegalArgumentException naming the option and value when something is wrong
     */
    public RunSpec toSpec() {
        Dynamics dyn = Dynamics.parse(dynamics);
        LossKind lk = dyn == Dynamics.BROWNIAN ? LossKind.NONE : LossKind.parse(loss);
        if (data != null && synthetic != null) {
            throw new IllegalArgumentException("give either --data or --synthetic, not both");
        }
        TrainingSet ts = null;
        int d = dim == null ? 1 : dim;
        if (data != null) {
            ts = TrainingSets.readCsv(data);
            if (dim == null) {
                d = ts.d();
            }
        } else if (synthetic != null) {
            ts = TrainingSets.parseSynthetic(synthetic, d, lk == LossKind.LOGISTIC);
            if (dim == null) {
                d = ts.d();
            }
        }
        RunSpecBuilder b = new RunSpecBuilder().dynamics(dyn).loss(lk).dim(d).data(ts)
                .noiseVariance(noiseVariance).priorVariance(priorVariance).dt(dt).batch(batch)
                .sampling(Sampling.parse(sampling)).sdeNoise(SdeNoise.parse(sdeNoise))
                .particles(particles).steps(steps).init(InitialState.parse(init, d)).seed(seed)
                .burnIn(burnIn).average(average)
                .divergenceBound(divergenceBound).maxDivergedFraction(maxDivergedFraction);
        if (!(Double.isFinite(sigma))) {
            throw new IllegalArgumentException("--sigma must be finite and >= 0, got " + sigma);
        }
        double s = sigma;
        if (posteriorTemperature) {
            if (ts == null) {
                throw new IllegalArgumentException("--posterior-temperature sets σ² = 2/n and needs a training set (--data or --synthetic)");
            }
            s = Math.sqrt(2.0 / ts.n());
        }
        b.sigma(s);
        if (lk == LossKind.QUADRATIC) {
            b.quadratic(quadraticMatrix == null ? null : parseMatrix("--quadratic-matrix", quadraticMatrix),
                    quadraticCenter == null ? null : parseVector("--quadratic-center", quadraticCenter));
        }
        if (lr != null) {
            if (!(lr > 0) || Double.isInfinite(lr)) {
                throw new IllegalArgumentException("--lr must be finite and > 0, got " + lr);
            }
            b.schedule(LearningRateSchedule.parse(lrSchedule, lr));
        }
        PreconditionerKind pk = PreconditionerKind.parse(preconditioner);
        double[][] pm = null;
        if (preconditionerMatrix != null) {
            pm = pk == PreconditionerKind.DIAGONAL && !preconditionerMatrix.contains(";")
                    ? new double[][] {parseVector("--preconditioner-matrix", preconditionerMatrix)}
                    : parseMatrix("--preconditioner-matrix", preconditionerMatrix);
        }
        b.preconditioner(pk, pm);
        if (histogram != null) {
            b.histogram(HistogramSpec.parse(histogram));
        }
        return b.build();
    }

    /** Parses "a11,a12;a21,a22". */
    static double[][] parseMatrix(String option, String text) {
        String[] rows = text.split(";");
        List<double[]> out = new ArrayList<>();
        for (String r : rows) {
            out.add(parseVector(option, r));
        }
        return out.toArray(new double[0][]);
    }

    /** Parses "v1,v2,...". */
    static double[] parseVector(String option, String text) {
        String[] p = text.split(",");
        double[] v = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            try {
                v[i] = Double.parseDouble(p[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + ": not a number: '" + p[i].trim() + "'");
            }
            if (!Double.isFinite(v[i])) {
                throw new IllegalArgumentException(option + ": value is not finite: '" + p[i].trim() + "'");
            }
        }
        return v;
    }
}
