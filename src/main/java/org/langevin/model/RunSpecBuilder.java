package org.langevin.model;

/**
 * Mutable builder of a {@link RunSpec}; {@link #build()} validates every field and the combination,
 * naming the command-line option and the value in each message. Not thread-safe.
 */
public final class RunSpecBuilder {
    /** Largest batch drawn without replacement (kernels/README.md, LV_MAX_BATCH_DISTINCT). */
    public static final int MAX_DISTINCT_BATCH = 256;
    /** Default of --max-diverged-fraction: a run with more than 1 % diverged particles fails. */
    public static final double DEFAULT_MAX_DIVERGED_FRACTION = 0.01;
    private Dynamics dynamics = Dynamics.LANGEVIN;
    private LossKind loss = LossKind.DOUBLE_WELL;
    private int dim = 1;
    private double[][] quadraticMatrix;
    private double[] quadraticCenter;
    private TrainingSet data;
    private double noiseVariance = 1.0;
    private double priorVariance = 0.0;
    private double sigma = 1.0;
    private double dt = 0.01;
    private LearningRateSchedule schedule;
    private int batch = 1;
    private Sampling sampling = Sampling.WITH_REPLACEMENT;
    private PreconditionerKind preconditioner = PreconditionerKind.IDENTITY;
    private double[][] preconditionerMatrix;
    private SdeNoise sdeNoise = SdeNoise.CONSTANT;
    private long particles = 100_000;
    private long steps = 1000;
    private InitialState init;
    private long seed = 1;
    private long burnIn = 0;
    private boolean average = false;
    private HistogramSpec histogram;
    /** The user's divergence bound, 0 for the derived one. */
    private double divergenceBound = 0;
    /** Largest diverged fraction of a successful run. */
    private double maxDivergedFraction = DEFAULT_MAX_DIVERGED_FRACTION;
    private UserModel model;
    private Integrator integrator = Integrator.EULER_MARUYAMA;
    private Optimizer optimizer = Optimizer.SGD;
    private double friction = 1.0;

    /**
     * A builder to derive a spec from another (e.g. the same run with more steps).
     *
     * @param s a built spec
     * @return a builder holding the values of an existing spec
     */
    public static RunSpecBuilder from(RunSpec s) {
        RunSpecBuilder b = new RunSpecBuilder();
        b.dynamics = s.dynamics();
        b.loss = s.loss();
        b.dim = s.dim();
        b.quadraticMatrix = s.quadraticMatrix();
        b.quadraticCenter = s.quadraticCenter();
        b.data = s.data();
        b.noiseVariance = s.noiseVariance();
        b.priorVariance = s.priorVariance();
        b.sigma = s.sigma();
        b.dt = s.dt();
        b.schedule = s.schedule();
        b.batch = s.batch();
        b.sampling = s.sampling();
        b.preconditioner = s.preconditioner();
        b.preconditionerMatrix = s.preconditionerMatrix();
        b.sdeNoise = s.sdeNoise();
        b.particles = s.particles();
        b.steps = s.steps();
        b.init = s.init();
        b.seed = s.seed();
        b.burnIn = s.burnIn();
        b.average = s.average();
        b.histogram = s.histogram();
        b.divergenceBound = s.divergenceBound();
        b.maxDivergedFraction = s.maxDivergedFraction();
        b.model = s.model();
        b.integrator = s.integrator();
        b.optimizer = s.optimizer();
        if (s.dynamics() == Dynamics.UNDERDAMPED) {
            b.friction = s.friction();
        }
        return b;
    }

    /**
     * Sets the dynamics (default {@link Dynamics#LANGEVIN}); {@link #build()} requires one.
     *
     * @param v the update rule
     * @return this builder
     */
    public RunSpecBuilder dynamics(Dynamics v) { dynamics = v; return this; }
    /**
     * Sets the built-in loss (default {@link LossKind#DOUBLE_WELL}); ignored for Brownian motion, replaced by {@link LossKind#MODEL} with a user model.
     *
     * @param v the loss
     * @return this builder
     */
    public RunSpecBuilder loss(LossKind v) { loss = v; return this; }
    /**
     * Sets the dimension d of Φ (default 1); a user model sets it to its state size.
     *
     * @param v d, 1 … {@link RunSpec#MAX_DIM}
     * @return this builder
     */
    public RunSpecBuilder dim(int v) { dim = v; return this; }
    /**
     * Sets the quadratic loss ½(Φ−m)ᵀA(Φ−m) (read only with {@link LossKind#QUADRATIC}).
     *
     * @param a A, d×d symmetric positive semi-definite, or null for the identity
     * @param m the centre m, length d, or null for 0
     * @return this builder
     */
    public RunSpecBuilder quadratic(double[][] a, double[] m) { quadraticMatrix = a; quadraticCenter = m; return this; }
    /**
     * Sets the training set (needed by linreg, logistic, SGD, the SGD SDE and a model with a data line; for the quadratic and double-well losses its rows x_i − x̄ are the additive gradient noise of SGD).
     *
     * @param v the training set, or null for none; logistic labels are mapped to ±1 at build
     * @return this builder
     */
    public RunSpecBuilder data(TrainingSet v) { data = v; return this; }
    /**
     * Sets s² of the linreg per-example loss (xᵀΦ−y)²/(2s²) (default 1).
     *
     * @param v s², finite and &gt; 0
     * @return this builder
     */
    public RunSpecBuilder noiseVariance(double v) { noiseVariance = v; return this; }
    /**
     * Sets τ² of the Gaussian prior, which adds ‖Φ‖²/(2nτ²) to L (default 0: no prior); needs a training set and a built-in loss.
     *
     * @param v τ², finite and ≥ 0
     * @return this builder
     */
    public RunSpecBuilder priorVariance(double v) { priorVariance = v; return this; }
    /**
     * Sets σ of Brownian motion, Langevin and underdamped Langevin (default 1; ignored by the other dynamics).
     *
     * @param v σ, finite and ≥ 0
     * @return this builder
     */
    public RunSpecBuilder sigma(double v) { sigma = v; return this; }
    /**
     * Sets the time step Δt of every dynamics but SGD (default 0.01).
     *
     * @param v Δt, finite and &gt; 0
     * @return this builder
     */
    public RunSpecBuilder dt(double v) { dt = v; return this; }
    /**
     * Sets the learning rates of SGD and the η of the SGD SDE (required by both; ignored by the other dynamics).
     *
     * @param v the schedule
     * @return this builder
     */
    public RunSpecBuilder schedule(LearningRateSchedule v) { schedule = v; return this; }
    /**
     * Sets a constant learning rate, as {@link #schedule} with {@link LearningRateSchedule#constant(double)}.
     *
     * @param v η, finite and &gt; 0 (checked at once)
     * @return this builder
     */
    public RunSpecBuilder lr(double v) { schedule = LearningRateSchedule.constant(v); return this; }
    /**
     * Sets the batch size B of SGD (default 1; ignored by the other dynamics).
     *
     * @param v B, 1 … n, at most {@link #MAX_DISTINCT_BATCH} without replacement
     * @return this builder
     */
    public RunSpecBuilder batch(int v) { batch = v; return this; }
    /**
     * Sets how SGD draws a step's examples (default with replacement).
     *
     * @param v the sampling
     * @return this builder
     */
    public RunSpecBuilder sampling(Sampling v) { sampling = v; return this; }
    /**
     * Sets the preconditioner D of SGD (default the identity; any other kind is refused for the other dynamics).
     *
     * @param v the kind
     * @param matrix the user's D: for {@link PreconditionerKind#DIAGONAL} one row of d values or a d×d matrix, for {@link PreconditionerKind#FULL} a d×d matrix; null for the other kinds
     * @return this builder
     */
    public RunSpecBuilder preconditioner(PreconditionerKind v, double[][] matrix) { preconditioner = v; preconditionerMatrix = matrix; return this; }
    /**
     * Sets the gradient-noise covariance of the SGD SDE (default constant Σ(Φ*); state-dependent for linreg only).
     *
     * @param v the noise model
     * @return this builder
     */
    public RunSpecBuilder sdeNoise(SdeNoise v) { sdeNoise = v; return this; }
    /**
     * Sets the number of particles P (default 100000).
     *
     * @param v P ≥ 1
     * @return this builder
     */
    public RunSpecBuilder particles(long v) { particles = v; return this; }
    /**
     * Sets the number of steps N (default 1000), bounded by each particle's random stream (2³⁴ normals or index words).
     *
     * @param v N ≥ 0
     * @return this builder
     */
    public RunSpecBuilder steps(long v) { steps = v; return this; }
    /**
     * Sets how the particles start (default every particle at 0).
     *
     * @param v the initial state, of dimension d, or null for 0
     * @return this builder
     */
    public RunSpecBuilder init(InitialState v) { init = v; return this; }
    /**
     * Sets the Philox seed of the particles' random streams (default 1).
     *
     * @param v the seed (any value)
     * @return this builder
     */
    public RunSpecBuilder seed(long v) { seed = v; return this; }
    /**
     * Sets the steps excluded from the time averages (default 0; read only when averaging).
     *
     * @param v the burn-in, ≥ 0 and below N when averaging
     * @return this builder
     */
    public RunSpecBuilder burnIn(long v) { burnIn = v; return this; }
    /**
     * Sets whether per-particle time averages are accumulated over steps burnIn+1 … N (default false).
     *
     * @param v true to average
     * @return this builder
     */
    public RunSpecBuilder average(boolean v) { average = v; return this; }
    /**
     * Sets the histogram binning (default null: an automatic range).
     *
     * @param v the binning, or null
     * @return this builder
     */
    public RunSpecBuilder histogram(HistogramSpec v) { histogram = v; return this; }
    /**
     * Sets the divergence bound B beyond which a particle counts as diverged (default 0).
     *
     * @param v divergence bound B, finite and {@code > 0}; 0 for the bound derived from the problem
     * @return this builder
     */
    public RunSpecBuilder divergenceBound(double v) { divergenceBound = v; return this; }
    /**
     * Sets the largest diverged fraction of a successful run (default {@link #DEFAULT_MAX_DIVERGED_FRACTION}).
     *
     * @param v largest diverged fraction of a successful run, in [0, 1]
     * @return this builder
     */
    public RunSpecBuilder maxDivergedFraction(double v) { maxDivergedFraction = v; return this; }
    /**
     * The discretisation of Langevin dynamics (default Euler–Maruyama); {@link Integrator#BAOAB} for underdamped only.
     *
     * @param v the integrator, or null for Euler–Maruyama
     * @return this builder
     */
    public RunSpecBuilder integrator(Integrator v) { integrator = v; return this; }
    /**
     * The update rule of SGD given ĝ (default plain SGD); any other rule needs SGD on a user model with the identity preconditioner.
     *
     * @param v the rule, or null for plain SGD
     * @return this builder
     */
    public RunSpecBuilder optimizer(Optimizer v) { optimizer = v; return this; }
    /**
     * Sets the friction of underdamped Langevin (default 1; ignored by the other dynamics).
     *
     * @param v the friction γ of underdamped Langevin, finite and &gt; 0
     * @return this builder
     */
    public RunSpecBuilder friction(double v) { friction = v; return this; }
    /**
     * A user model: sets the loss to {@link LossKind#MODEL} and d to the model's state size.
     *
     * @param v the model, or null for none (then the loss and d are left as they are)
     * @return this builder
     */
    public RunSpecBuilder model(UserModel v) { model = v; if (v != null) { loss = LossKind.MODEL; dim = v.model().dim(); } return this; }

    /** @return the dimension currently set */
    public int dim() {
        return dim;
    }

    /**
     * Validates and builds.
     *
     * @return the immutable spec; values that the dynamics does not use are normalised (e.g. σ = 0 for SGD,
     *         Δt = 0 for SGD, B = 1 for every dynamics but SGD)
     * @throws IllegalArgumentException naming the option, the value and the fix
     */
    public RunSpec build() {
        if (dynamics == null) {
            throw new IllegalArgumentException("--dynamics is required");
        }
        if (dim < 1 || dim > RunSpec.MAX_DIM) {
            throw new IllegalArgumentException("--dim must be in 1.." + RunSpec.MAX_DIM + ", got " + dim);
        }
        LossKind l = dynamics == Dynamics.BROWNIAN ? LossKind.NONE : loss;
        if (model == null && runsAsModel(l)) {
            return buildAsModel(l);
        }
        if (model != null || l == LossKind.MODEL || dynamics.modelOnly()) {
            checkModel();
            l = LossKind.MODEL;
        }
        if (l == null || l == LossKind.NONE && dynamics != Dynamics.BROWNIAN) {
            throw new IllegalArgumentException("--loss is required for --dynamics " + dynamics);
        }
        double[][] a = null;
        double[] m = null;
        if (l == LossKind.QUADRATIC) {
            a = quadraticMatrix == null ? identity(dim) : quadraticMatrix;
            checkSquare("--quadratic-matrix", a, dim);
            for (int i = 0; i < dim; i++) {
                for (int j = 0; j < i; j++) {
                    if (Math.abs(a[i][j] - a[j][i]) > 1e-12 * (Math.abs(a[i][j]) + Math.abs(a[j][i]))) {
                        throw new IllegalArgumentException("--quadratic-matrix must be symmetric: a" + (i + 1) + (j + 1)
                                + " = " + a[i][j] + " but a" + (j + 1) + (i + 1) + " = " + a[j][i]);
                    }
                }
            }
            requirePositiveSemiDefinite(a);
            m = quadraticCenter == null ? new double[dim] : quadraticCenter.clone();
            if (m.length != dim) {
                throw new IllegalArgumentException("--quadratic-center has " + m.length + " values but --dim is " + dim);
            }
            for (double v : m) {
                finite("--quadratic-center", v);
            }
        }
        TrainingSet ds = data;
        if (l.needsData() && ds == null) {
            throw new IllegalArgumentException("--loss " + l + " needs a training set: give --data FILE.csv or --synthetic n=..,d=..");
        }
        if (dynamics == Dynamics.SGD && ds == null) {
            throw new IllegalArgumentException("--dynamics sgd draws examples from a training set: give --data FILE.csv or "
                    + "--synthetic n=..,d=.. (for quadratic and double-well losses the rows x_i − x̄ are the additive gradient noise)");
        }
        if (l == LossKind.MODEL) {
            int k = model.model().featureCount();
            boolean wantsData = model.model().target() != null;
            if (wantsData && ds == null) {
                throw new IllegalArgumentException("the model's loss is over a training set (its data line declares " + k
                        + " feature" + (k == 1 ? "" : "s") + " and a target): give --data FILE.csv");
            }
            if (!wantsData && ds != null && priorVariance == 0) {
                throw new IllegalArgumentException("the model has no data line, so it reads no training set: drop --data "
                        + "/ --synthetic, or declare the features with 'data x[k] -> y'");
            }
            if (wantsData && ds.d() != k) {
                throw new IllegalArgumentException("size mismatch: the training set has " + ds.d() + " feature column"
                        + (ds.d() == 1 ? "" : "s") + " but the model's data line declares " + k + " (its CSV needs "
                        + k + " feature columns and the target last)");
            }
        } else if (ds != null && ds.d() != dim) {
            throw new IllegalArgumentException("dimension mismatch: the training set has " + ds.d()
                    + " features but --dim is " + dim + " (set --dim " + ds.d() + ")");
        }
        if (ds != null && l == LossKind.LOGISTIC) {
            ds = ds.withSignLabels();
        }
        if (!(noiseVariance > 0) || Double.isInfinite(noiseVariance)) {
            throw new IllegalArgumentException("--noise-variance must be finite and > 0, got " + noiseVariance);
        }
        if (!(priorVariance >= 0) || Double.isInfinite(priorVariance)) {
            throw new IllegalArgumentException("--prior-variance must be finite and > 0 (0: no prior), got " + priorVariance);
        }
        if (priorVariance > 0 && ds == null) {
            throw new IllegalArgumentException("--prior-variance needs a training set (the prior term is ‖Φ‖²/(2nτ²))");
        }
        boolean usesDt = dynamics != Dynamics.SGD;
        if (usesDt && (!(dt > 0) || Double.isInfinite(dt))) {
            throw new IllegalArgumentException("--dt must be finite and > 0, got " + dt + " (e.g. --dt 0.01)");
        }
        if (l == LossKind.MODEL && priorVariance > 0) {
            throw new IllegalArgumentException("--prior-variance does not apply to --model: write the prior into the "
                    + "model's loss, e.g. + sum(j, w[j]^2) / (2 * n * tau2)");
        }
        boolean usesSigma = dynamics == Dynamics.BROWNIAN || dynamics == Dynamics.LANGEVIN
                || dynamics == Dynamics.UNDERDAMPED;
        if (usesSigma && (!(sigma >= 0) || Double.isInfinite(sigma))) {
            throw new IllegalArgumentException("--sigma must be finite and >= 0, got " + sigma);
        }
        LearningRateSchedule sch = schedule;
        if ((dynamics == Dynamics.SGD || dynamics == Dynamics.SGD_SDE) && sch == null) {
            throw new IllegalArgumentException("--dynamics " + dynamics + " needs a learning rate: give --lr ETA");
        }
        if (dynamics != Dynamics.SGD && dynamics != Dynamics.SGD_SDE) {
            sch = null;
        }
        int n = ds == null ? 0 : ds.n();
        if (dynamics == Dynamics.SGD && (batch < 1 || batch > n)) {
            throw new IllegalArgumentException("--batch must be in 1.." + n + " (the number of examples), got " + batch);
        }
        if (dynamics == Dynamics.SGD && sampling == Sampling.WITHOUT_REPLACEMENT && batch > MAX_DISTINCT_BATCH) {
            throw new IllegalArgumentException("--batch " + batch + " with --sampling without-replacement: at most "
                    + MAX_DISTINCT_BATCH + " distinct examples per step (the kernels keep a step's indices per particle); "
                    + "use --sampling with-replacement or a smaller --batch");
        }
        if (dynamics == Dynamics.SGD_SDE) {
            if (ds == null) {
                throw new IllegalArgumentException("--dynamics sgd-sde needs a training set for its noise covariance Σ: "
                        + "give --data FILE.csv or --synthetic n=..,d=..");
            }
            if (sdeNoise == SdeNoise.STATE && l != LossKind.LINREG) {
                throw new IllegalArgumentException("--sde-noise state is implemented for --loss linreg only, got --loss " + l);
            }
        }
        double[][] pm = null;
        if (dynamics == Dynamics.SGD) {
            switch (preconditioner) {
                case DIAGONAL -> {
                    if (preconditionerMatrix == null) {
                        throw new IllegalArgumentException("--preconditioner diagonal needs --preconditioner-matrix d1,d2,...");
                    }
                    pm = preconditionerMatrix.length == 1 && preconditionerMatrix[0].length == dim
                            ? diag(preconditionerMatrix[0]) : preconditionerMatrix;
                    checkSquare("--preconditioner-matrix", pm, dim);
                }
                case FULL -> {
                    if (preconditionerMatrix == null) {
                        throw new IllegalArgumentException("--preconditioner full needs --preconditioner-matrix \"a11,a12;a21,a22\"");
                    }
                    pm = preconditionerMatrix;
                    checkSquare("--preconditioner-matrix", pm, dim);
                }
                default -> pm = null;
            }
        } else if (preconditioner != PreconditionerKind.IDENTITY) {
            throw new IllegalArgumentException("--preconditioner applies to --dynamics sgd only, got --dynamics " + dynamics);
        }
        if (particles < 1) {
            throw new IllegalArgumentException("--particles must be at least 1, got " + particles);
        }
        if (steps < 0) {
            throw new IllegalArgumentException("--steps must be >= 0, got " + steps);
        }
        long normals = dynamics.normalsPerStep(dim);
        if (normals > 0 && steps > (1L << 34) / normals) {
            throw new IllegalArgumentException("--steps " + steps + " exceeds the noise stream of a particle (2^34 normals): "
                    + "at most " + ((1L << 34) / normals) + " steps in dimension " + dim);
        }
        if (dynamics == Dynamics.SGD && steps > ((1L << 34) / batch)) {
            throw new IllegalArgumentException("--steps " + steps + " exceeds the index stream of a particle (2^34 words)");
        }
        if (burnIn < 0 || (average && burnIn >= steps)) {
            throw new IllegalArgumentException("--burn-in must be in 0.." + Math.max(0, steps - 1)
                    + " (fewer than --steps) when averaging, got " + burnIn);
        }
        if (divergenceBound != 0 && (!(divergenceBound > 0) || Double.isInfinite(divergenceBound))) {
            throw new IllegalArgumentException("--divergence-bound must be finite and > 0 (or 0 for the bound "
                    + "derived from the problem), got " + divergenceBound);
        }
        if (!(maxDivergedFraction >= 0 && maxDivergedFraction <= 1)) {
            throw new IllegalArgumentException("--max-diverged-fraction must be in [0, 1], got " + maxDivergedFraction);
        }
        InitialState in = init == null ? new InitialState(new double[dim], 0) : init;
        if (in.dim() != dim) {
            throw new IllegalArgumentException("--init has " + in.dim() + " values but --dim is " + dim);
        }
        return new RunSpec(dynamics, l, dim, a, m, ds, noiseVariance, priorVariance,
                usesSigma ? sigma : 0.0, usesDt ? dt : 0.0, sch, dynamics == Dynamics.SGD ? batch : 1, sampling,
                dynamics == Dynamics.SGD ? preconditioner : PreconditionerKind.IDENTITY, pm,
                dynamics == Dynamics.SGD_SDE ? sdeNoise : SdeNoise.CONSTANT,
                particles, steps, in, seed, average ? burnIn : 0, average, histogram, divergenceBound,
                maxDivergedFraction, l == LossKind.MODEL ? model : null, checkIntegrator(l), checkOptimizer(l),
                checkFriction());
    }

    /**
     * @return whether a built-in loss is run as its model ({@link BuiltInModels}): the optimisers other than
     *         sgd, underdamped Langevin and Leimkuhler–Matthews exist on the model path only
     */
    private boolean runsAsModel(LossKind l) {
        if (l == null || l == LossKind.NONE || l == LossKind.MODEL) {
            return false;
        }
        return dynamics == Dynamics.UNDERDAMPED
                || dynamics == Dynamics.SGD && optimizer != null && !optimizer.plain()
                || dynamics == Dynamics.LANGEVIN && integrator == Integrator.LEIMKUHLER_MATTHEWS;
    }

    /**
     * Builds a built-in loss's run as its model: validates the built-in problem as plain SGD or Euler–Maruyama
     * Langevin would (dimensions, data, the quadratic's A), checks the scheme's stable range against the
     * loss's Hessian at the minimum ({@link org.langevin.linalg.LinearStability}), then builds the same run
     * with the loss written in the model language.
     */
    private RunSpec buildAsModel(LossKind l) {
        // the scheme itself first (e.g. LM for underdamped, a preconditioner with Adam), as the model run would refuse it
        checkIntegrator(LossKind.MODEL);
        checkOptimizer(LossKind.MODEL);
        RunSpecBuilder plain = copy();
        plain.optimizer = Optimizer.SGD;
        plain.integrator = Integrator.EULER_MARUYAMA;
        if (dynamics == Dynamics.UNDERDAMPED) {
            plain.dynamics = Dynamics.LANGEVIN;
        }
        RunSpec base = plain.build();
        if (dynamics == Dynamics.UNDERDAMPED) {
            checkFriction();
        }
        double step = dynamics == Dynamics.SGD ? base.schedule().max() : base.dt();
        org.langevin.linalg.LinearStability.check(dynamics, integrator, optimizer, step, friction,
                org.langevin.linalg.NoiseGeometry.of(base).hessian());
        UserModel um = BuiltInModels.of(l, dynamics, dim, base.quadraticMatrix(), base.quadraticCenter(),
                base.noiseVariance(), base.priorVariance(), base.data());
        RunSpecBuilder r = copy();
        r.model(um);
        r.quadraticMatrix = null;
        r.quadraticCenter = null;
        r.priorVariance = 0;
        r.data = um.model().target() != null ? base.data() : null;
        return r.build();
    }

    /** @return a builder with this one's values */
    private RunSpecBuilder copy() {
        RunSpecBuilder b = new RunSpecBuilder();
        b.dynamics = dynamics;
        b.loss = loss;
        b.dim = dim;
        b.quadraticMatrix = quadraticMatrix;
        b.quadraticCenter = quadraticCenter;
        b.data = data;
        b.noiseVariance = noiseVariance;
        b.priorVariance = priorVariance;
        b.sigma = sigma;
        b.dt = dt;
        b.schedule = schedule;
        b.batch = batch;
        b.sampling = sampling;
        b.preconditioner = preconditioner;
        b.preconditionerMatrix = preconditionerMatrix;
        b.sdeNoise = sdeNoise;
        b.particles = particles;
        b.steps = steps;
        b.init = init;
        b.seed = seed;
        b.burnIn = burnIn;
        b.average = average;
        b.histogram = histogram;
        b.divergenceBound = divergenceBound;
        b.maxDivergedFraction = maxDivergedFraction;
        b.model = model;
        b.integrator = integrator;
        b.optimizer = optimizer;
        b.friction = friction;
        return b;
    }

    /** @return the optimiser, refused where it does not apply */
    private Optimizer checkOptimizer(LossKind l) {
        Optimizer o = optimizer == null ? Optimizer.SGD : optimizer;
        if (o.plain()) {
            return Optimizer.SGD;
        }
        if (dynamics != Dynamics.SGD) {
            throw new IllegalArgumentException("--optimizer " + o + " applies to --dynamics sgd, not " + dynamics);
        }
        if (preconditioner != PreconditionerKind.IDENTITY) {
            throw new IllegalArgumentException("--preconditioner " + preconditioner + " applies to --optimizer sgd only: "
                    + o.kind().cliName + " sets its own step per coordinate");
        }
        return o;
    }

    /** @return γ for underdamped Langevin (validated), else 0 */
    private double checkFriction() {
        if (dynamics != Dynamics.UNDERDAMPED) {
            return 0.0;
        }
        if (!(friction > 0) || Double.isInfinite(friction)) {
            throw new IllegalArgumentException("--friction must be finite and > 0, got " + friction);
        }
        return friction;
    }

    /** @return the integrator, refused where it does not apply or is not implemented yet */
    private Integrator checkIntegrator(LossKind l) {
        Integrator in = integrator == null ? Integrator.EULER_MARUYAMA : integrator;
        if (dynamics == Dynamics.UNDERDAMPED) {
            if (in == Integrator.LEIMKUHLER_MATTHEWS) {
                throw new IllegalArgumentException("--integrator leimkuhler-matthews applies to --dynamics langevin; "
                        + "underdamped takes em or baoab");
            }
            return in;
        }
        if (in == Integrator.BAOAB) {
            throw new IllegalArgumentException("--integrator baoab applies to --dynamics underdamped, not " + dynamics);
        }
        if (in == Integrator.LEIMKUHLER_MATTHEWS) {
            if (dynamics != Dynamics.LANGEVIN) {
                throw new IllegalArgumentException("--integrator leimkuhler-matthews applies to --dynamics langevin, not "
                        + dynamics);
            }
        }
        return in;
    }

    /** The dynamics a user model can drive today, and what each needs from it. */
    private void checkModel() {
        if (model == null) {
            throw new IllegalArgumentException(dynamics == Dynamics.SDE
                    ? "--dynamics sde integrates a model's drift and diffusion: give --model FILE"
                    : "--loss model needs --model FILE");
        }
        var m = model.model();
        if (dim != m.dim()) {
            throw new IllegalArgumentException("--dim " + dim + " does not match the model's state size " + m.dim()
                    + " (drop --dim: the model sets it)");
        }
        switch (dynamics) {
            case SDE -> {
                if (!m.hasSde()) {
                    throw new IllegalArgumentException("--dynamics sde needs a model with 'drift' and 'diffusion' lines; "
                            + model.source() + " has none");
                }
            }
            case GRADIENT_FLOW, LANGEVIN, UNDERDAMPED -> {
                if (!m.hasLoss()) {
                    throw new IllegalArgumentException("--dynamics " + dynamics + " follows the gradient of a 'loss' or "
                            + "'potential'; " + model.source() + " has neither (use --dynamics sde for its drift)");
                }
            }
            case SGD -> {
                if (!m.hasLoss() || !m.loss().perExample()) {
                    throw new IllegalArgumentException("--dynamics sgd draws examples of a per-example loss: the model "
                            + model.source() + " needs a 'data' line and a 'loss'");
                }
                if (preconditioner == PreconditionerKind.INVERSE_NOISE || preconditioner == PreconditionerKind.RMSPROP) {
                    throw new IllegalArgumentException("--preconditioner " + preconditioner + " needs the noise covariance "
                            + "at the minimiser, which is known for the built-in losses only; give --preconditioner "
                            + "diagonal or full with --preconditioner-matrix for a model");
                }
            }
            default -> throw new IllegalArgumentException("--dynamics " + dynamics + " does not run user models yet: "
                    + "use --dynamics gradient-flow, langevin, underdamped, sgd or sde with --model");
        }
    }

    /**
     * Refuses an A with a negative eigenvalue. A positive semi-definite A is kept: along its null space
     * the drift vanishes and the particles diffuse (a valid simulation, though Langevin then has no
     * stationary law); along a negative eigenvalue the loss has no minimum and every dynamics runs off
     * exponentially at any step size, which the step-size checks would misreport as "reduce dt".
     */
    private static void requirePositiveSemiDefinite(double[][] a) {
        double[] ev = org.langevin.linalg.Matrices.symmetricEigenvalues(a, "--quadratic-matrix");
        double scale = Math.max(Math.abs(ev[0]), Math.abs(ev[ev.length - 1]));
        if (ev[0] < -1e-12 * scale) {
            throw new IllegalArgumentException("--quadratic-matrix must be positive semi-definite: its smallest eigenvalue is "
                    + ev[0] + " < 0, so the loss ½(Φ−m)ᵀA(Φ−m) has no minimum and the particles run off at every --dt"
                    + " and --lr");
        }
    }

    private static void finite(String option, double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(option + " has a value that is not finite: " + v);
        }
    }

    private static void checkSquare(String option, double[][] a, int d) {
        if (a.length != d) {
            throw new IllegalArgumentException(option + " has " + a.length + " rows but --dim is " + d);
        }
        for (int i = 0; i < d; i++) {
            if (a[i].length != d) {
                throw new IllegalArgumentException(option + " row " + (i + 1) + " has " + a[i].length
                        + " values but --dim is " + d);
            }
            for (double v : a[i]) {
                finite(option, v);
            }
        }
    }

    private static double[][] identity(int d) {
        double[][] a = new double[d][d];
        for (int i = 0; i < d; i++) {
            a[i][i] = 1;
        }
        return a;
    }

    private static double[][] diag(double[] v) {
        double[][] a = new double[v.length][v.length];
        for (int i = 0; i < v.length; i++) {
            a[i][i] = v[i];
        }
        return a;
    }
}
