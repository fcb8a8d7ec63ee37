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
import org.langevin.Langevin;
import org.langevin.reduce.Reducer;

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
        try (ExecutorEngines.Lease lease = ExecutorEngines.lease(job.threads(), job.noise(),
                job.spec().model() != null && !org.langevin.engine.cuda.ModelPtx.canCompile())) {
            // The state holds particles [first, end) and draws their global random streams.
            ParticleState state = InitialStates.create(spec, range.first(), range.count());
            org.langevin.series.Recording rec = job.recording();
            List<List<BlockPartial>> recordPartials = new ArrayList<>();
            List<float[]> trace = new ArrayList<>();
            Sampler.Options opts = Sampler.Options.none();
            if (rec != null) {
                org.langevin.reduce.ReduceSpec rs = org.langevin.series.SeriesRecorder.reduceSpec(spec, rec);
                boolean traced = rec.trace() > 0 && range.first() == 0;
                opts = opts.withRecorder(new Sampler.Recorder() {
                    @Override
                    public long nextAfter(long k) {
                        return rec.nextAfter(k);
                    }

                    @Override
                    public boolean wants(long k) {
                        return rec.isRecord(k) && recordPartials.size() < rec.count()
                                && (recordPartials.isEmpty() || rec.steps()[recordPartials.size() - 1] < k);
                    }

                    @Override
                    public void record(long step, ParticleState s) {
                        recordPartials.add(Reducer.reduceRange(org.langevin.reduce.ParticleView.of(s.x())
                                .atFirstBlock(range.firstBlock()), rs, range.firstBlock(), range.endBlock()));
                        if (traced) {
                            trace.add(org.langevin.series.SeriesRecorder.trace(s.x(), rec.trace()));
                        }
                    }

                    @Override
                    public void save(java.nio.file.Path dir) {
                        // no checkpoints in a task: a failed task is run again from its start
                    }
                });
            }
            Sampler.run(problem, lease.engine(), state, spec.steps(), opts);
            List<BlockPartial> partials = Reducer.reduceRange(
                    Langevin.view(spec, state).atFirstBlock(range.firstBlock()), job.reduceSpec(),
                    range.firstBlock(), range.endBlock());
            // The final coordinates, then the auxiliary rows (optimiser state, momenta) of the range's particles.
            float[][] particles = null;
            if (job.keepParticles()) {
                particles = new float[state.dim() + state.auxRows()][];
                System.arraycopy(state.x(), 0, particles, 0, state.dim());
                System.arraycopy(state.aux(), 0, particles, state.dim(), state.auxRows());
            }
            return new RangeResult(range, partials, particles, (System.nanoTime() - t0) * 1e-9, lease.device(),
                    recordPartials, trace);
        }
    }
}
