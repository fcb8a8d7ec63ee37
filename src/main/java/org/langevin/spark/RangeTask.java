package org.langevin.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.function.Function;
import org.langevin.engine.CompiledProblem;
import org.langevin.engine.InitialStates;
import org.langevin.engine.ParticleState;
import org.langevin.engine.Sampler;
import org.langevin.model.RunSpec;
import org.langevin.reduce.BlockPartial;
import org.langevin.reduce.Reductions;

/**
 * The work of one Spark task: runs the particles of one range from their initial state to the last
 * step on this executor's engine and reduces each of the range's blocks. It is a pure function of its
 * range (the particles' random streams are addressed by global particle index and step), so a retried
 * or speculative attempt returns exactly the same result. Serializable; thread-safe (no shared
 * mutable state besides the per-JVM engine and problem caches, which are).
 */
final class RangeTask implements Function<ParticleRange, RangeResult> {
    private static final long serialVersionUID = 1L;

    /** The run. */
    private final SampleJob job;
    /** Test hook (failures, delays); {@link TaskHook#NONE} in production. */
    private final TaskHook hook;

    RangeTask(SampleJob job, TaskHook hook) {
        this.job = job;
        this.hook = hook;
    }

    @Override
    public RangeResult call(ParticleRange range) throws Exception {
        hook.beforeRange(range);
        CompiledProblem problem = job.problem();
        RunSpec spec = problem.spec();
        if (range.end() > spec.particles()) {
            throw new IllegalArgumentException("range " + range + " ends beyond the run's " + spec.particles() + " particles");
        }
        long t0 = System.nanoTime();
        try (ExecutorEngines.Lease lease = ExecutorEngines.lease(job.threads(), job.noise())) {
            // The engines take the RNG subsequence of a particle from its column in the state, so the
            // range is run as columns [0, end) and columns [first, end) are kept: exact, but a range costs
            // its end index, not its count. Once ParticleState carries a first-particle index honoured by
            // the engines, this becomes InitialStates.create(spec, range.first(), range.count()).
            ParticleState state = InitialStates.create(spec, 0, range.end());
            Sampler.run(problem, lease.engine(), state, spec.steps(), Sampler.Options.none());
            List<BlockPartial> partials = new ArrayList<>(range.endBlock() - range.firstBlock());
            for (int b = range.firstBlock(); b < range.endBlock(); b++) {
                partials.add(Reductions.reduceBlock(state, spec, b));
            }
            float[][] particles = job.keepParticles() ? columns(state, range.first(), range.end()) : null;
            return new RangeResult(range, partials, particles, (System.nanoTime() - t0) * 1e-9, lease.device());
        }
    }

    /** @return coordinates of columns [from, to) of the state, d rows */
    private static float[][] columns(ParticleState state, int from, int to) {
        float[][] x = state.x();
        float[][] out = new float[x.length][];
        for (int j = 0; j < x.length; j++) {
            out[j] = java.util.Arrays.copyOfRange(x[j], from, to);
        }
        return out;
    }
}
