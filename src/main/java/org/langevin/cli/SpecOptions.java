package org.langevin.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.langevin.engine.MemoryEstimate;
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
import org.langevin.model.UserModel;
import picocli.CommandLine.Option;

/**
 * The options that define a run (shared by {@code sample} and the Spark launcher). Options with a
 * default are nullable fields resolved in {@link #toSpec()}, so the rule of {@link Applicability}
 * (an option the run would ignore is an error) sees what the user typed, not the defaults.
 */
public final class SpecOptions {

    /**
     * Where the run's training set came from, for results.json's {@code spec}: {@code dataFile} with the
     * {@code path} as given and the {@code sha256} (hex) of the file's bytes for {@code --data}, or
     * {@code synthetic} with its description for {@code --synthetic}; empty without a training set.
     *
     * @return the entries (a new, ordered map)
     * @throws java.io.IOException when the data file cannot be read
     */
    public java.util.Map<String, Object> dataSource() throws java.io.IOException {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        if (data != null) {
            java.util.Map<String, Object> f = new java.util.LinkedHashMap<>();
            f.put("path", data.toString());
            try (java.io.InputStream in = java.nio.file.Files.newInputStream(data)) {
                java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
                byte[] buf = new byte[1 << 16];
                for (int r; (r = in.read(buf)) > 0; ) {
                    md.update(buf, 0, r);
                }
                f.put("sha256", java.util.HexFormat.of().formatHex(md.digest()));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
            }
            m.put("dataFile", f);
        } else if (synthetic != null) {
            m.put("synthetic", synthetic);
        }
        return m;
    }
    static final String DYNAMICS = "langevin";
    static final String LOSS = "double-well";
    static final String NOISE_VARIANCE = "1";
    static final String SIGMA = "1";
    static final String DT = "0.01";
    static final String LR_SCHEDULE = "constant";
    static final String BATCH = "1";
    static final String SAMPLING = "with-replacement";
    static final String PRECONDITIONER = "identity";
    static final String SDE_NOISE = "constant";
    static final String PARTICLES = "100000";
    static final String STEPS = "1000";
    static final String INIT = "0";
    static final String SEED = "1";
    static final String BURN_IN = "0";

    @Option(names = "--dynamics", description = "brownian | gradient-flow | langevin | sgd | sgd-sde (default: " + DYNAMICS + ")")
    String dynamics;

    @Option(names = "--loss", description = "double-well | quadratic | linreg | logistic (default: " + LOSS
            + "; not for brownian)")
    String loss;

    @Option(names = "--dim", description = "dimension d of Φ, 1..64 (default: 1, or the training set's)")
    Integer dim;

    @Option(names = "--quadratic-matrix", description = "A of ½(Φ−m)ᵀA(Φ−m), rows separated by ';', symmetric "
            + "positive semi-definite (default: identity; --loss quadratic only)")
    String quadraticMatrix;

    @Option(names = "--quadratic-center", description = "m of the quadratic loss, comma-separated (default: 0; --loss quadratic only)")
    String quadraticCenter;

    @Option(names = "--data", description = "training set CSV with header x1,...,xd,y (linreg, logistic, sgd, sgd-sde, "
            + "--prior-variance, --posterior-temperature); logistic labels y are -1/+1 or 0/1 (0 is read as -1)")
    Path data;

    @Option(names = "--synthetic", description = "seeded synthetic training set, e.g. n=1000,d=3,noise=0.5,seed=7 "
            + "(where --data applies)")
    String synthetic;

    @Option(names = "--noise-variance", description = "s² of the linreg loss (xᵀΦ−y)²/(2s²), > 0 (default: "
            + NOISE_VARIANCE + "; --loss linreg only)")
    Double noiseVariance;

    @Option(names = "--prior-variance", description = "τ² > 0 of a Gaussian prior, adds ‖Φ‖²/(2nτ²) to L (default: none)")
    Double priorVariance;

    @Option(names = "--sigma", description = "σ ≥ 0 of Brownian motion and Langevin dynamics, coordinate units per "
            + "√(time unit): the noise of one step is σ√Δt·N(0, I) (default: " + SIGMA + "; brownian and langevin only)")
    Double sigma;

    @Option(names = "--posterior-temperature", description = "set σ² = 2/n, so Langevin samples the Bayesian posterior "
            + "exp(−nL) (langevin only, instead of --sigma)")
    boolean posteriorTemperature;

    @Option(names = "--dt", description = "time step Δt > 0, in time units: t = kΔt after k steps (default: " + DT
            + "; not for sgd)")
    Double dt;

    @Option(names = "--lr", description = "learning rate η > 0 of SGD and of the SGD SDE: the step Φ ← Φ − ηDĝ; SGD's "
            + "time is t = Σ η_k, so η is time units per step (sgd and sgd-sde only, required there)")
    Double lr;

    @Option(names = "--lr-schedule", description = "constant | step:F@S1,S2,...: the rate is multiplied by F (0 < F ≤ 1) at "
            + "each step S_i, i.e. update k (0-based; the update from Φ_k to Φ_k+1) uses η·F^(number of S_i ≤ k) "
            + "(default: " + LR_SCHEDULE + "; sgd and sgd-sde only)")
    String lrSchedule;

    @Option(names = "--batch", converter = CountConverter.ToInt.class, description = "batch size B, 1..n (default: "
            + BATCH + "; sgd only)")
    Integer batch;

    @Option(names = "--sampling", description = "with-replacement | without-replacement (default: " + SAMPLING
            + "; sgd only)")
    String sampling;

    @Option(names = "--preconditioner",
            description = "identity | diagonal | full | inverse-noise | rmsprop (default: " + PRECONDITIONER + "; sgd only)")
    String preconditioner;

    @Option(names = "--preconditioner-matrix", description = "D for diagonal (d1,d2,...) or full (\"a11,a12;a21,a22\") "
            + "(those two preconditioners only)")
    String preconditionerMatrix;

    @Option(names = "--sde-noise", description = "SGD SDE noise: constant Σ(Φ*) or state (exact Σ(Φ), linreg) (default: "
            + SDE_NOISE + "; sgd-sde only)")
    String sdeNoise;

    @Option(names = "--particles", converter = CountConverter.ToLong.class, description = "number of particles P, "
            + "e.g. 1e6 or 1_000_000 (default: " + PARTICLES + "; above 2^31 - 9 with the Spark launcher)")
    Long particles;

    @Option(names = "--steps", converter = CountConverter.ToLong.class, description = "number of steps N ≥ 0 (updates per particle; "
            + "default: " + STEPS + ")")
    Long steps;

    @Option(names = "--init", description = "initial state Φ_0, in coordinate units: 0 | v1,v2,... (a point) | "
            + "normal:MEAN,SD (each coordinate N(MEAN, SD²)) (default: " + INIT + ")")
    String init;

    @Option(names = "--seed", description = "random seed, any 64-bit integer (default: " + SEED + ")")
    Long seed;

    @Option(names = "--burn-in", converter = CountConverter.ToLong.class, description = "steps left out of time averages, "
            + "0..N−1 (default: " + BURN_IN + "; with --average only)")
    Long burnIn;

    @Option(names = "--average", description = "statistics of per-particle time averages over steps burn-in+1..N: "
            + "mean, variance, ... across particles of the averages, and the variance pooled over those steps and the "
            + "particles (pooledVariance)")
    boolean average;

    @Option(names = "--histogram", description = "bins,lo,hi for every coordinate, lo and hi in coordinate units (default: "
            + "100 bins over the finite sample's range; results.json's spec.histograms records the ranges used)")
    String histogram;

    @Option(names = "--record", description = "statistics over time at recorded steps (and step 0): every:K | "
            + "at:S1,S2,... | log:M (writes series.csv; default: none)")
    String record;

    @Option(names = "--record-histograms", description = "with --record: the 1-D histograms at every record (needs --histogram)")
    boolean recordHistograms;

    @Option(names = "--trace", description = "with --record: the paths of particles 0..K-1 at every record (trace.npy), 1..4096")
    Integer trace;

    /**
     * The records of the run ({@code --record}, {@code --record-histograms}, {@code --trace}), validated
     * against the spec's steps, or null without --record.
     *
     * @param spec the run these options define
     * @return the records to take, or null
     * @throws IllegalArgumentException one line naming the option
     */
    public org.langevin.series.Recording recording(RunSpec spec) {
        if (record == null) {
            if (recordHistograms || trace != null) {
                throw new IllegalArgumentException((recordHistograms ? "--record-histograms" : "--trace")
                        + " applies only with --record every:K | at:S1,... | log:M");
            }
            return null;
        }
        if (recordHistograms && spec.histogram() == null) {
            throw new IllegalArgumentException("--record-histograms needs a fixed range: give --histogram bins,lo,hi");
        }
        if (trace != null && trace < 1) {
            throw new IllegalArgumentException("--trace K needs K >= 1, got " + trace);
        }
        return org.langevin.series.Recording.parse(record, spec.steps(), recordHistograms, trace == null ? 0 : trace,
                spec.particles(), spec.dim());
    }

    @Option(names = "--model", description = "a model file (docs/models.md): state, constants, data, and a loss, a "
            + "potential or a drift with a diffusion; replaces --loss (dynamics gradient-flow, langevin, sde)")
    Path model;

    @Option(names = "--integrator", description = "Langevin: em (Euler-Maruyama) | leimkuhler-matthews (exact stationary "
            + "law of Ornstein-Uhlenbeck at any stable dt; user models); underdamped: em | baoab (default: em)")
    String integrator;

    @Option(names = "--optimizer", description = "SGD's update rule (PyTorch's conventions; user models): sgd | momentum:MU "
            + "| nesterov:MU | rmsprop:rho=0.99,eps=1e-8 | adam:b1=0.9,b2=0.999,eps=1e-8 (default: sgd)")
    String optimizer;

    @Option(names = "--friction", description = "underdamped Langevin: the friction gamma > 0 (default: 1)")
    Double friction;

    /** @return true when the options name a user model (--model) */
    public boolean hasModel() {
        return model != null;
    }

    @Option(names = "--set", description = "values of the model's constants, e.g. theta=2,mu=0.5 (default: as written in the model)")
    String set;

    @Option(names = "--divergence-bound", defaultValue = "0",
            description = "a particle with |x_j| > B (coordinate units) counts as diverged and is left "
            + "out (default: derived from the problem)")
    double divergenceBound;

    @Option(names = "--max-diverged-fraction", defaultValue = "0.01",
            description = "fail (exit 3, after writing the results) when more than this fraction diverged (default: ${DEFAULT-VALUE})")
    double maxDivergedFraction;

    /**
     * Builds the validated run specification of a run held in one JVM: {@link #toSpecWithoutMemoryCheck()}
     * and then the heap check of {@link MemoryEstimate}, before anything of the run is allocated.
     *
     * @return the run's specification
     * @throws IllegalArgumentException naming the option and value when something is wrong
     */
    public RunSpec toSpec() {
        RunSpec spec = toSpecWithoutMemoryCheck();
        MemoryEstimate.requireFits(spec, Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory());
        return spec;
    }

    /**
     * Builds the validated run specification without the heap check (for a run spread over several
     * JVMs, where each holds a slice of the particles).
     *
     * @return the run's specification
     * @throws IllegalArgumentException naming the option and value when something is wrong
     */
    public RunSpec toSpecWithoutMemoryCheck() {
        Dynamics dyn = Dynamics.parse(or(dynamics, DYNAMICS));
        if (set != null && model == null) {
            throw new IllegalArgumentException("--set gives values to a model's constants: give --model FILE too");
        }
        if (model != null && loss != null) {
            throw new IllegalArgumentException("give either --loss or --model: the model defines the loss");
        }
        if (dyn == Dynamics.SDE && model == null) {
            throw new IllegalArgumentException("--dynamics sde integrates a model's drift and diffusion: give --model FILE");
        }
        UserModel um = model == null ? null : UserModel.load(model, set);
        LossKind lk = dyn == Dynamics.BROWNIAN ? LossKind.NONE : um != null ? LossKind.MODEL : LossKind.parse(or(loss, LOSS));
        PreconditionerKind pk = PreconditionerKind.parse(or(preconditioner, PRECONDITIONER));
        Applicability.check(new Applicability.Choice(dyn, lk, pk, typed()));
        if (data != null && synthetic != null) {
            throw new IllegalArgumentException("give either --data or --synthetic, not both");
        }
        if (dim != null && (dim < 1 || dim > RunSpec.MAX_DIM)) {
            throw new IllegalArgumentException("--dim must be in 1.." + RunSpec.MAX_DIM + ", got " + dim);
        }
        if (priorVariance != null && (!(priorVariance > 0) || Double.isInfinite(priorVariance))) {
            throw new IllegalArgumentException("--prior-variance must be finite and > 0: omit --prior-variance for no prior; got "
                    + fmt(priorVariance));
        }
        double s = or(sigma, SIGMA);
        if (!(s >= 0) || Double.isInfinite(s)) {
            throw new IllegalArgumentException("--sigma must be finite and >= 0, got " + fmt(s));
        }
        TrainingSet ts = null;
        int d = um != null ? um.model().dim() : dim == null ? 1 : dim;
        if (um != null && dim != null && dim != d) {
            throw new IllegalArgumentException("--dim " + dim + " does not match the model's state size " + d
                    + " (drop --dim: " + model + " sets it)");
        }
        if (data != null) {
            ts = TrainingSets.readCsv(data);
            if (ts.d() == 0 && um == null) {
                throw new IllegalArgumentException("--data " + data + " has no feature columns (its header is y alone): "
                        + "the built-in losses need features x1,...,xd; a target-only file is for a --model whose data "
                        + "line declares no features");
            }
            if (dim == null && um == null) {
                d = ts.d();
            }
        } else if (synthetic != null) {
            ts = TrainingSets.parseSynthetic(synthetic, um != null ? Math.max(1, um.model().featureCount()) : d,
                    lk == LossKind.LOGISTIC);
            if (dim == null && um == null) {
                d = ts.d();
            }
        }
        long n = or(steps, STEPS);
        long bi = or(burnIn, BURN_IN);
        RunSpecBuilder b = new RunSpecBuilder().dynamics(dyn).loss(lk).dim(d).data(ts)
                .noiseVariance(or(noiseVariance, NOISE_VARIANCE)).priorVariance(priorVariance == null ? 0 : priorVariance)
                .dt(or(dt, DT)).batch(or(batch, BATCH))
                .sampling(Sampling.parse(or(sampling, SAMPLING))).sdeNoise(SdeNoise.parse(or(sdeNoise, SDE_NOISE)))
                .particles(or(particles, PARTICLES)).steps(n).init(InitialState.parse(or(init, INIT), d))
                .seed(or(seed, SEED)).burnIn(bi).average(average)
                .divergenceBound(divergenceBound).maxDivergedFraction(maxDivergedFraction).model(um)
                .integrator(integrator == null ? org.langevin.model.Integrator.EULER_MARUYAMA
                        : org.langevin.model.Integrator.parse(integrator))
                .optimizer(optimizer == null ? org.langevin.model.Optimizer.SGD : org.langevin.model.Optimizer.parse(optimizer))
                .friction(friction == null ? 1.0 : friction);
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
                throw new IllegalArgumentException("--lr must be finite and > 0, got " + fmt(lr));
            }
            b.schedule(LearningRateSchedule.parse(or(lrSchedule, LR_SCHEDULE), lr));
        } else if (lrSchedule != null) {
            throw new IllegalArgumentException("--lr-schedule scales the learning rate: give --lr ETA too");
        }
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

    /** @return the names of the options the user typed (each option with a value, and the flags set) */
    private Set<String> typed() {
        Set<String> t = new HashSet<>();
        Object[][] fields = {
            {"--dynamics", dynamics}, {"--loss", loss}, {"--dim", dim}, {"--quadratic-matrix", quadraticMatrix},
            {"--quadratic-center", quadraticCenter}, {"--data", data}, {"--synthetic", synthetic},
            {"--noise-variance", noiseVariance}, {"--prior-variance", priorVariance}, {"--sigma", sigma},
            {"--dt", dt}, {"--lr", lr}, {"--lr-schedule", lrSchedule}, {"--batch", batch}, {"--sampling", sampling},
            {"--preconditioner", preconditioner}, {"--preconditioner-matrix", preconditionerMatrix},
            {"--sde-noise", sdeNoise}, {"--particles", particles}, {"--steps", steps}, {"--init", init},
            {"--seed", seed}, {"--burn-in", burnIn}, {"--histogram", histogram}, {"--model", model}, {"--set", set}, {"--integrator", integrator}, {"--optimizer", optimizer}, {"--friction", friction},
        };
        for (Object[] f : fields) {
            if (f[1] != null) {
                t.add((String) f[0]);
            }
        }
        if (posteriorTemperature) {
            t.add("--posterior-temperature");
        }
        if (average) {
            t.add("--average");
        }
        return t;
    }

    private static String or(String v, String dflt) {
        return v != null ? v : dflt;
    }

    private static double or(Double v, String dflt) {
        return v != null ? v : Double.parseDouble(dflt);
    }

    private static int or(Integer v, String dflt) {
        return v != null ? v : Integer.parseInt(dflt);
    }

    private static long or(Long v, String dflt) {
        return v != null ? v : Long.parseLong(dflt);
    }

    /** @return a double as typed, whole numbers without ".0" (0, not 0.0) */
    private static String fmt(double v) {
        return v == Math.rint(v) && Double.isFinite(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
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
