package org.langevin.engine.cpu;

import java.util.concurrent.ExecutorService;
import org.langevin.engine.CompiledProblem;
import org.langevin.engine.EngineSession;
import org.langevin.engine.ParticleState;
import org.langevin.model.Dynamics;
import org.langevin.model.lang.Model;
import org.langevin.model.lang.ModelFunctions;
import org.langevin.rng.NormalTransform;

/**
 * A CPU session of a run driven by a user model (--model): gradient flow, Langevin or the general SDE,
 * with the model's generated code for L, ∇L, μ and S. The update rules, in float, in this order
 * (docs/models.md), with n_j the step's d normals of the Philox stream (the layout of every dynamics:
 * normal k·d + j of the particle at step k) and t_k = (float)(k·Δt):
 * <ul>
 *   <li>gradient flow: x_j ← x_j − (Δt·g_j);</li>
 *   <li>Langevin: x_j ← (x_j − (Δt·g_j)) + (σ√Δt·n_j), σ√Δt rounded once from double; with
 *       Leimkuhler–Matthews n_j is (ξ_{k,j} + ξ_{k+1,j})·0.5f, ξ_k the step's normals and ξ_{k+1} the next
 *       step's (from the same stream, so nothing extra is stored);</li>
 *   <li>SGD: B examples drawn from the particle's index-word stream exactly as the built-in SGD
 *       (with replacement: bounded(word, n); without: Floyd's method), ĝ_j = (Σ_t ∂L_{i_t}/∂x_j)/B
 *       with the sum from 0.0f in draw order, then x_j ← x_j − (η·ĝ_j), x_j − (η·(D_jj·ĝ_j)) or
 *       x_j − (η·Σ_k D_jk·ĝ_k); the time t is 0;</li>
 *   <li>SDE: from (μ, S) at the state before the step, ξ_j = s·n_j (scalar), s_j·n_j (diagonal) or
 *       Σ_{k} S_jk·n_k from 0.0f in ascending k (matrix); x_j ← (x_j + (Δt·μ_j)) + (√Δt·ξ_j).</li>
 *   <li>SGD with an optimiser other than sgd: the rule of {@link org.langevin.model.Optimizer} on ĝ, with
 *       the particle's auxiliary rows as its state;</li>
 *   <li>underdamped Langevin, q = x and p the auxiliary rows, h = Δt, a = {@link CompiledProblem#underdampedA()},
 *       c = the noise scale: BAOAB p ← p − ((h·0.5f)·g(q, t_k)); q ← q + ((h·0.5f)·p); p ← (a·p) + (c·n);
 *       q ← q + ((h·0.5f)·p); p ← p − ((h·0.5f)·g(q, t_{k+1})); Euler–Maruyama q ← q + (h·p),
 *       p ← ((p − (h·g(q))) − (a·p)) + (c·n), both from the old (q, p).</li>
 * </ul>
 * Window sums as for the built-in dynamics, with the loss row the model's L (0 without a loss).
 * Not thread-safe: drive it from one thread.
 */
final class ModelSession implements EngineSession {
    private final ExecutorService pool;
    private final int threads;
    private final CompiledProblem problem;
    private final ParticleState state;
    private final ModelFunctions f;
    private final Dynamics dynamics;
    private final boolean average;
    private boolean closed;

    ModelSession(ExecutorService pool, int threads, CompiledProblem problem, ParticleState state) {
        var spec = problem.spec();
        if (state.dim() != spec.dim()) {
            throw new IllegalArgumentException("state dimension " + state.dim() + " does not match the model's d = "
                    + spec.dim());
        }
        if (spec.average() && !state.hasAverages()) {
            throw new IllegalArgumentException("the run averages over time but the state has no window sums");
        }
        this.pool = pool;
        this.threads = threads;
        this.problem = problem;
        this.state = state;
        this.f = ModelFunctions.of(spec.model(), spec.data());
        this.dynamics = spec.dynamics();
        this.average = spec.average();
    }

    @Override
    public void advance(long fromStep, long toStep) {
        if (closed) {
            throw new IllegalStateException("the CPU session is closed");
        }
        if (fromStep != state.stepsDone() || toStep < fromStep) {
            throw new IllegalArgumentException("advance(" + fromStep + ", " + toStep + ") must start at the state's "
                    + state.stepsDone() + " steps done and not go backwards");
        }
        if (toStep == fromStep) {
            return;
        }
        final float noiseScale = problem.noiseScaleAt(fromStep);
        final float lr = problem.lrAt(fromStep);
        final long seed = problem.spec().seed();
        final long burnIn = problem.spec().burnIn();
        final double dt = problem.spec().dt();
        final boolean noisy = dynamics == Dynamics.LANGEVIN || dynamics == Dynamics.SDE
                || dynamics == Dynamics.UNDERDAMPED;
        CpuSession.inRanges(pool, threads, state.particles(), (from, to) -> {
            Stepper st = new Stepper(seed);
            if (noisy) {
                st.runTiled(from, to, fromStep, toStep, dt, noiseScale, lr, burnIn);
            } else {
                st.run(from, to, fromStep, toStep, dt, noiseScale, lr, burnIn);
            }
        });
        state.setStepsDone(toStep);
    }

    /** One worker's scratch and streams. */
    private final class Stepper {
        private final int d = f.dim();
        private final float[] xv = new float[d];
        private final float[] lg = new float[1 + d];
        private final float[] scratch = new float[1 + d];
        private final float[] sde = new float[Math.max(1, f.sdeLength())];
        private final float[] nrm = new float[d];
        /** The index-word stream of SGD (the normals of the noisy dynamics are drawn per tile). */
        private final ParticleStreams streams;
        /** Scratch of the scalar remainder of a tile's normals. */
        private final int[] words = new int[4];
        private final int batch = problem.spec().batch();
        private final boolean distinct = problem.spec().sampling() == org.langevin.model.Sampling.WITHOUT_REPLACEMENT;
        private final int[] chosen = new int[Math.min(batch, 256)];
        private final int precond = problem.ip()[CompiledProblem.IP_PRECOND];
        private final float[] prec = java.util.Arrays.copyOfRange(problem.fp(), CompiledProblem.fpPrec(f.dim()),
                CompiledProblem.fpPrec(f.dim()) + f.dim() * f.dim());
        private final float[] nbuf = new float[4];
        /** Particles per tile of the noisy dynamics (their normals are drawn for the tile at once). */
        private static final int TILE = 64;
        /** The Philox block whose normals {@link #blk} holds (−1: none). */
        private long cachedBlock;
        /** The tile's normals of the current step: normal j of tile particle i at stepN[j·TILE + i]. */
        private final float[] stepN = new float[d * TILE];
        /** Leimkuhler–Matthews: the tile's normals ξ_k of the current step (the previous step's next row). */
        private final float[] prevN = new float[d * TILE];
        private final boolean lm = problem.ip()[CompiledProblem.IP_INTEGRATOR] == 1;
        /** The current Philox block's four normals for the tile: normal r of particle i at blk[r·count + i]. */
        private final float[] blk = new float[4 * TILE];
        private final float[][] xt = new float[d][TILE];
        private int tileIdx;
        private int jNext;
        private long[] keys;
        private final long[] vwords = new long[4 * SimdKernels.L];
        private final long seedValue;
        /** The particle's auxiliary state (optimiser rows, or the momentum p) while it is stepped. */
        private final float[] av = new float[Math.max(1, state.auxRows())];
        /** The tile's momenta of underdamped Langevin: p_j of tile particle i at pt[j][i]. */
        private final float[][] pt = new float[dynamics == Dynamics.UNDERDAMPED ? d : 0][TILE];
        private final org.langevin.model.Optimizer opt = problem.spec().optimizer() == null
                ? org.langevin.model.Optimizer.SGD : problem.spec().optimizer();
        private final int optCode = opt.kind().code;
        private final float oa = (float) opt.a();
        private final float ob = (float) opt.b();
        private final float oa1 = (float) (1.0 - opt.a());
        private final float ob1 = (float) (1.0 - opt.b());
        private final float oeps = (float) opt.eps();
        private final float ua = problem.underdampedA();
        private final boolean baoab = problem.ip()[CompiledProblem.IP_INTEGRATOR] == 2;
        /** The global step of the current SGD step (Adam's bias correction). */
        private long stepK;
        /**
         * Adam: the corrections (float)(1 − β₁^{k+1}) and (float)(1/√(1 − β₂^{k+1})) of steps corrFrom … corrFrom +
         * length − 1 (functions of k alone).
         */
        private float[] corr1 = new float[0];
        private float[] corr2 = new float[0];
        private long corrFrom;
        /** Longest segment whose Adam corrections are tabulated once (longer ones compute them per step). */
        private static final int CORR_TABLE = 1 << 16;

        Stepper(long seed) {
            streams = new ParticleStreams(seed);
            seedValue = seed;
        }

        /**
         * The noisy dynamics tile by tile: for each step the d normals of TILE particles at once (the
         * engine's vector Philox and Box–Muller where enabled, the same bits as the particle stream),
         * then each particle's step. Particles are independent, so the order changes no bit.
         */
        void runTiled(int from, int to, long fromStep, long toStep, double dt, float noiseScale, float lr, long burnIn) {
            final float fdt = (float) dt;
            final float[][] x = state.x();
            final double[][] avg = average ? state.avg() : null;
            final long base = state.firstParticle();
            if (keys == null && Simd.ENABLED) {
                keys = SimdKernels.roundKeys(seedValue);
            }
            for (int t0 = from; t0 < to; t0 += TILE) {
                final int cnt = Math.min(TILE, to - t0);
                for (int j = 0; j < d; j++) {
                    System.arraycopy(x[j], t0, xt[j], 0, cnt);
                }
                for (int j = 0; j < pt.length; j++) {
                    System.arraycopy(state.aux()[j], t0, pt[j], 0, cnt);
                }
                cachedBlock = -1;
                long g = fromStep * d;
                if (lm) {
                    // Leimkuhler–Matthews: the first step's own normals, then each step draws the next row.
                    g = row(g, base + t0, cnt, prevN);
                }
                for (long k = fromStep; k < toStep; k++) {
                    g = row(g, base + t0, cnt, stepN);
                    if (lm) {
                        // stepN holds ξ_{k+1}; the step uses (ξ_k + ξ_{k+1})·0.5f, and ξ_{k+1} is kept for step k+1.
                        for (int q = 0; q < d * TILE; q++) {
                            float next = stepN[q];
                            stepN[q] = (prevN[q] + next) * 0.5f;
                            prevN[q] = next;
                        }
                    }
                    final float t = (float) (k * dt);
                    if (dynamics == Dynamics.UNDERDAMPED) {
                        for (int i = 0; i < cnt; i++) {
                            for (int j = 0; j < d; j++) {
                                xv[j] = xt[j][i];
                                av[j] = pt[j][i];
                            }
                            tileIdx = i;
                            jNext = 0;
                            underdamped(fdt, noiseScale, t, (float) ((k + 1) * dt));
                            for (int j = 0; j < d; j++) {
                                xt[j][i] = xv[j];
                                pt[j][i] = av[j];
                            }
                        }
                    } else if (dynamics == Dynamics.SDE) {
                        f.sdeTile(xt, cnt, stepN, TILE, fdt, noiseScale, t);
                    } else if (f.isPotential()) {
                        f.langevinTile(xt, cnt, stepN, TILE, fdt, noiseScale, t);
                    } else {
                        for (int i = 0; i < cnt; i++) {
                            for (int j = 0; j < d; j++) {
                                xv[j] = xt[j][i];
                            }
                            tileIdx = i;
                            jNext = 0;
                            step(fdt, noiseScale, lr, t);
                            for (int j = 0; j < d; j++) {
                                xt[j][i] = xv[j];
                            }
                        }
                    }
                    if (!(average && k + 1 > burnIn)) {
                        continue;
                    }
                    for (int i = 0; i < cnt; i++) {
                        for (int j = 0; j < d; j++) {
                            xv[j] = xt[j][i];
                        }
                        {
                            int col = t0 + i;
                            for (int j = 0; j < d; j++) {
                                avg[j][col] += (double) xv[j];
                                avg[d + j][col] += (double) xv[j] * (double) xv[j];
                            }
                            float loss = 0.0f;
                            if (f.hasLoss()) {
                                f.lossAndGradient(xv, (float) ((k + 1) * dt), scratch, lg);
                                loss = lg[0];
                            }
                            avg[2 * d][col] += (double) loss;
                        }
                    }
                }
                for (int j = 0; j < d; j++) {
                    System.arraycopy(xt[j], 0, x[j], t0, cnt);
                }
                for (int j = 0; j < pt.length; j++) {
                    System.arraycopy(pt[j], 0, state.aux()[j], t0, cnt);
                }
            }
        }

        /** One underdamped step of the particle (xv, av) with the tile's normals. */
        private void underdamped(float h, float c, float t, float tNext) {
            f.lossAndGradient(xv, t, scratch, lg);
            if (baoab) {
                final float hh = h * 0.5f;
                for (int j = 0; j < d; j++) {
                    av[j] = av[j] - (hh * lg[1 + j]);
                    xv[j] = xv[j] + (hh * av[j]);
                }
                for (int j = 0; j < d; j++) {
                    av[j] = (ua * av[j]) + (c * normalsNext());
                    xv[j] = xv[j] + (hh * av[j]);
                }
                f.lossAndGradient(xv, tNext, scratch, lg);
                for (int j = 0; j < d; j++) {
                    av[j] = av[j] - (hh * lg[1 + j]);
                }
            } else {
                for (int j = 0; j < d; j++) {
                    final float p = av[j];
                    xv[j] = xv[j] + (h * p);
                    av[j] = ((p - (h * lg[1 + j])) - (ua * p)) + (c * normalsNext());
                }
            }
        }

        /**
         * Normals g … g+d−1 (one step's row) of the tile's particles first … first+cnt−1 into
         * dst[j·TILE + i], through the one-block cache.
         *
         * @return g + d, the next row's first normal
         */
        private long row(long g, long first, int cnt, float[] dst) {
            for (int j = 0; j < d; j++, g++) {
                long b = g >>> 2;
                if (b != cachedBlock) {
                    fillBlock(b, first, cnt);
                    cachedBlock = b;
                }
                System.arraycopy(blk, (int) (g & 3L) * cnt, dst, j * TILE, cnt);
            }
            return g;
        }

        /** The four normals of block b (region 0) of particles first … first+cnt−1 into blk[r·cnt + i]. */
        private void fillBlock(long b, long first, int cnt) {
            int vec = Simd.ENABLED ? (cnt / SimdKernels.L) * SimdKernels.L : 0;
            for (int i = 0; i < vec; i += SimdKernels.L) {
                SimdKernels.normals8(b, first + i, keys, vwords, blk, i, cnt);
            }
            for (int i = vec; i < cnt; i++) {
                NormalTransform.normal4(seedValue, first + i, b, words, nbuf, 0);
                for (int r = 0; r < 4; r++) {
                    blk[r * cnt + i] = nbuf[r];
                }
            }
        }

        void run(int from, int to, long fromStep, long toStep, double dt, float noiseScale, float lr, long burnIn) {
            final float fdt = (float) dt;
            final float[][] x = state.x();
            final double[][] avg = average ? state.avg() : null;
            final long base = state.firstParticle();
            final float[][] aux = state.aux();
            if (optCode == 4 && toStep - fromStep <= CORR_TABLE) {
                int len = (int) (toStep - fromStep);
                corr1 = new float[len];
                corr2 = new float[len];
                corrFrom = fromStep;
                for (int q = 0; q < len; q++) {
                    corr1[q] = adamCorrection(opt.a(), fromStep + q);
                    corr2[q] = adamRootCorrection(opt.b(), fromStep + q);
                }
            } else {
                corr1 = new float[0];
                corr2 = corr1;
            }
            for (int i = from; i < to; i++) {
                for (int j = 0; j < d; j++) {
                    xv[j] = x[j][i];
                }
                for (int r = 0; r < aux.length; r++) {
                    av[r] = aux[r][i];
                }
                if (dynamics == Dynamics.SGD) {
                    streams.wordsInit(base + i, fromStep * batch);
                }
                for (long k = fromStep; k < toStep; k++) {
                    float t = (float) (k * dt);
                    stepK = k;
                    step(fdt, noiseScale, lr, t);
                    if (average && k + 1 > burnIn) {
                        for (int j = 0; j < d; j++) {
                            avg[j][i] += (double) xv[j];
                            avg[d + j][i] += (double) xv[j] * (double) xv[j];
                        }
                        float loss = 0.0f;
                        if (f.hasLoss()) {
                            f.lossAndGradient(xv, (float) ((k + 1) * dt), scratch, lg);
                            loss = lg[0];
                        }
                        avg[2 * d][i] += (double) loss;
                    }
                }
                for (int j = 0; j < d; j++) {
                    x[j][i] = xv[j];
                }
                for (int r = 0; r < aux.length; r++) {
                    aux[r][i] = av[r];
                }
            }
        }

        /** @return Adam's bias correction (float)(1 − β^{k+1}) of global step k (kernels: lvu_powi) */
        private float adamCorrection(double beta, long k) {
            return (float) (1.0 - org.langevin.model.Optimizer.powi(beta, k + 1));
        }

        /** @return (float)(1/√(1 − β^{k+1})) of global step k, in double then rounded once */
        private float adamRootCorrection(double beta, long k) {
            return (float) (1.0 / Math.sqrt(1.0 - org.langevin.model.Optimizer.powi(beta, k + 1)));
        }

        /** The optimiser's update of xv from ĝ = lg[1..d] with the state av (kernels: lvu_optimise). */
        private void optimise(float lr) {
            switch (optCode) {
                case 1 -> {
                    for (int j = 0; j < d; j++) {
                        av[j] = (oa * av[j]) + lg[1 + j];
                        xv[j] = xv[j] - (lr * av[j]);
                    }
                }
                case 2 -> {
                    for (int j = 0; j < d; j++) {
                        float g = lg[1 + j];
                        av[j] = (oa * av[j]) + g;
                        xv[j] = xv[j] - (lr * (g + (oa * av[j])));
                    }
                }
                case 3 -> {
                    for (int j = 0; j < d; j++) {
                        float g = lg[1 + j];
                        av[j] = (oa * av[j]) + (oa1 * (g * g));
                        xv[j] = xv[j] - (lr * (g / ((float) Math.sqrt(av[j]) + oeps)));
                    }
                }
                default -> {
                    final long q = stepK - corrFrom;
                    final boolean tab = q >= 0 && q < corr1.length;
                    // PyTorch's formula: step = η/(1 − β₁ᵗ), denominator √s/√(1 − β₂ᵗ) + ε, the division by
                    // √(1 − β₂ᵗ) as a product with its reciprocal ir2 (kernels: lvu_optimise).
                    final float step = lr / (tab ? corr1[(int) q] : adamCorrection(opt.a(), stepK));
                    final float ir2 = tab ? corr2[(int) q] : adamRootCorrection(opt.b(), stepK);
                    for (int j = 0; j < d; j++) {
                        float g = lg[1 + j];
                        av[j] = (oa * av[j]) + (oa1 * g);
                        av[d + j] = (ob * av[d + j]) + (ob1 * (g * g));
                        xv[j] = xv[j] - (step * (av[j] / (((float) Math.sqrt(av[d + j]) * ir2) + oeps)));
                    }
                }
            }
        }

        private void step(float dt, float noiseScale, float lr, float t) {
            switch (dynamics) {
                case SGD -> {
                    for (int j = 0; j < d; j++) {
                        nrm[j] = 0.0f; // the batch sums
                    }
                    int n = f.examples();
                    for (int m = 0; m < batch; m++) {
                        int ex;
                        if (!distinct) {
                            ex = org.langevin.rng.Streams.bounded(streams.wordsNext(), n);
                        } else {
                            int j = (n - batch) + m;
                            ex = org.langevin.rng.Streams.bounded(streams.wordsNext(), j + 1);
                            for (int c = 0; c < m; c++) {
                                if (chosen[c] == ex) {
                                    ex = j;
                                    break;
                                }
                            }
                            chosen[m] = ex;
                        }
                        f.exampleLoss(xv, ex, 0.0f, scratch);
                        for (int j = 0; j < d; j++) {
                            nrm[j] = nrm[j] + scratch[1 + j];
                        }
                    }
                    float b = (float) batch;
                    for (int j = 0; j < d; j++) {
                        lg[1 + j] = nrm[j] / b;
                    }
                    if (optCode != 0) {
                        optimise(lr);
                    } else if (precond == 1) {
                        for (int j = 0; j < d; j++) {
                            xv[j] = xv[j] - (lr * (prec[j * d + j] * lg[1 + j]));
                        }
                    } else if (precond == 2) {
                        for (int j = 0; j < d; j++) {
                            float acc = 0.0f;
                            for (int k = 0; k < d; k++) {
                                acc = acc + (prec[j * d + k] * lg[1 + k]);
                            }
                            xv[j] = xv[j] - (lr * acc);
                        }
                    } else {
                        for (int j = 0; j < d; j++) {
                            xv[j] = xv[j] - (lr * lg[1 + j]);
                        }
                    }
                }
                case GRADIENT_FLOW -> {
                    f.lossAndGradient(xv, t, scratch, lg);
                    for (int j = 0; j < d; j++) {
                        xv[j] = xv[j] - (dt * lg[1 + j]);
                    }
                }
                case LANGEVIN -> {
                    f.lossAndGradient(xv, t, scratch, lg);
                    for (int j = 0; j < d; j++) {
                        xv[j] = (xv[j] - (dt * lg[1 + j])) + (noiseScale * normalsNext());
                    }
                }
                default -> {
                    f.sde(xv, t, sde);
                    for (int j = 0; j < d; j++) {
                        nrm[j] = normalsNext();
                    }
                    Model.DiffusionShape shape = f.diffusionShape();
                    for (int j = 0; j < d; j++) {
                        float xi;
                        if (shape == Model.DiffusionShape.SCALAR) {
                            xi = sde[d] * nrm[j];
                        } else if (shape == Model.DiffusionShape.DIAGONAL) {
                            xi = sde[d + j] * nrm[j];
                        } else {
                            float acc = 0.0f;
                            for (int m = 0; m < d; m++) {
                                acc = acc + (sde[d + j * d + m] * nrm[m]);
                            }
                            xi = acc;
                        }
                        xv[j] = (xv[j] + (dt * sde[j])) + (noiseScale * xi);
                    }
                }
            }
        }

        /** The step's next normal of the current tile particle (the noisy dynamics run tile by tile). */
        private float normalsNext() {
            return stepN[(jNext++) * TILE + tileIdx];
        }
    }

    @Override
    public void download() {
        if (closed) {
            throw new IllegalStateException("the CPU session is closed");
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
