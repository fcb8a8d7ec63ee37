package org.langevin.check;

import java.util.List;
import org.apache.commons.statistics.distribution.NormalDistribution;
import org.langevin.engine.CompiledProblem;
import org.langevin.engine.InitialStates;
import org.langevin.engine.ParticleState;
import org.langevin.engine.Sampler;
import org.langevin.model.Dynamics;
import org.langevin.model.InitialState;
import org.langevin.model.RunSpec;
import org.langevin.model.RunSpecBuilder;

/**
 * {@code diffusion-flow} (the notes' appendix): pure diffusion z' = z + σ√Δt ε from the density
 * p = N(0, s₀²) moves net mass −α σ² p′(c) Δt across a point c in one step, with α = 2∫₀^∞ uΦ(−u)du = ½.
 * Each particle contributes +1 when it crosses c upwards, −1 downwards, 0 otherwise; the mean is the
 * net flux with standard error sd/√P. For a Gaussian p the flux is also known exactly at finite Δt:
 * P(z' > c) − P(z > c) = Φ(c/s₀) − Φ(c/s₁), s₁² = s₀² + σ²Δt. At c = √3·s₀ the O(Δt) correction to α
 * vanishes; at σ²Δt = 0.05 the exact α is 0.4997, far closer to ½ than the error bar.
 */
public final class DiffusionFlowCheck implements Check {
    /** Standard deviation of the initial density. */
    static final double S0 = 1.0;
    /** σ of the diffusion. */
    static final double SIGMA = 1.0;
    /** One step of this size: σ²Δt = 0.05. */
    static final double DT = 0.05;
    /** The point c = √3·s₀. */
    static final double C = Math.sqrt(3.0) * S0;
    /** Particles per simulation (memory bound; larger sizes run several). */
    static final int CHUNK = 2_000_000;

    private static final NormalDistribution STD = NormalDistribution.of(0, 1);

    @Override
    public String name() {
        return "diffusion-flow";
    }

    @Override
    public String description() {
        return "net flux of pure diffusion across a point = −½σ²p′(x)Δt (α = ½, notes' appendix)";
    }

    private static int chunks(CheckSize size) {
        return size.pick(1, 1, 10);
    }

    private static int chunkParticles(CheckSize size) {
        return size == CheckSize.TINY ? 400_000 : CHUNK;
    }

    /** Counts of upward and downward crossings over all particles. */
    private static final class Counts {
        long up;
        long down;
        long total;

        void add(double z, double z1) {
            if (z < C && z1 > C) {
                up++;
            } else if (z > C && z1 < C) {
                down++;
            }
            total++;
        }

        /** @return the mean of the ±1/0 indicator with its standard error */
        Estimate flux() {
            double m = (double) (up - down) / total;
            double second = (double) (up + down) / total;
            double var = (second - m * m) * total / (total - 1);
            return new Estimate(m, Math.sqrt(var / total));
        }
    }

    @Override
    public List<ClaimResult> run(CheckContext ctx) {
        Counts counts = new Counts();
        int p = chunkParticles(ctx.size());
        for (int k = 0; k < chunks(ctx.size()); k++) {
            RunSpec spec = new RunSpecBuilder().dynamics(Dynamics.BROWNIAN).dim(1).sigma(SIGMA).dt(DT)
                    .init(new InitialState(new double[] {0.0}, S0)).particles(p).steps(1)
                    .seed(ctx.seedFor("diffusion-flow/" + k)).build();
            CompiledProblem problem = Simulation.compile(spec);
            ParticleState state = InitialStates.create(spec);
            float[] before = state.x()[0].clone();
            Sampler.run(problem, ctx.engine(), state, 1, Sampler.Options.none());
            float[] after = state.x()[0];
            for (int i = 0; i < p; i++) {
                counts.add(before[i], after[i]);
            }
        }
        return evaluate(counts);
    }

    @Override
    public List<ClaimResult> runOnExactDraws(CheckSize size, long seed) {
        ExactDraws draws = new ExactDraws(seed);
        Counts counts = new Counts();
        long n = (long) chunks(size) * chunkParticles(size);
        double step = SIGMA * Math.sqrt(DT);
        for (long i = 0; i < n; i++) {
            double z = S0 * draws.normal();
            counts.add(z, z + step * draws.normal());
        }
        return evaluate(counts);
    }

    /** @return the exact net flux across C in one step, Φ(c/s₀) − Φ(c/s₁) */
    static double exactFlux() {
        double s1 = Math.sqrt(S0 * S0 + SIGMA * SIGMA * DT);
        return STD.survivalProbability(C / s1) - STD.survivalProbability(C / S0);
    }

    /** @return p′(c) of N(0, s₀²) */
    static double densitySlope() {
        return -C / (S0 * S0) * STD.density(C / S0) / S0;
    }

    private List<ClaimResult> evaluate(Counts counts) {
        Estimate flux = counts.flux();
        double scale = -SIGMA * SIGMA * densitySlope() * DT;
        Estimate alpha = flux.times(1.0 / scale);
        return List.of(
                ClaimResult.value(name(), "net flux across c = √3 s₀ in one step = Φ(c/s₀) − Φ(c/s₁) (p = N(0,s₀²), σ²Δt = "
                        + SIGMA * SIGMA * DT + ")", flux, exactFlux(), Verdict.CONFIRMED),
                ClaimResult.value(name(), "α = 2∫uΦ(−u)du = ½ in flux = −ασ²p′(c)Δt (notes' appendix)", alpha, 0.5,
                        Verdict.CONFIRMED));
    }
}
