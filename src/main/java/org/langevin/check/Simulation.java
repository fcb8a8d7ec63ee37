package org.langevin.check;

import java.util.List;
import org.langevin.engine.CompiledProblem;
import org.langevin.engine.InitialStates;
import org.langevin.engine.ParticleState;
import org.langevin.engine.ProblemCompiler;
import org.langevin.engine.Sampler;
import org.langevin.model.RunSpec;
import org.langevin.series.Recording;
import org.langevin.series.SeriesPoint;
import org.langevin.series.SeriesRecorder;

/**
 * Runs a check's simulations on the context's engine: the particles start from the spec's initial state
 * (or a state the check provides), advance with {@link Sampler}, and are read on the host between
 * segments. Stateless; not thread-safe per call (one engine session at a time).
 */
final class Simulation {
    private Simulation() {
    }

    /** @return the compiled problem of a spec */
    static CompiledProblem compile(RunSpec spec) {
        return ProblemCompiler.compile(spec);
    }

    /** Runs a spec to its last step and returns the particles. */
    static ParticleState run(CheckContext ctx, RunSpec spec) {
        CompiledProblem problem = compile(spec);
        ParticleState state = InitialStates.create(spec);
        Sampler.run(problem, ctx.engine(), state, spec.steps(), Sampler.Options.none());
        return state;
    }

    /**
     * Runs a spec to its last step, recording the statistics of every particle at the recording's steps
     * (the same {@link SeriesRecorder} as {@code sample --record}), and returns the records in step order.
     */
    static Recorded recorded(CheckContext ctx, RunSpec spec, Recording recording) {
        CompiledProblem problem = compile(spec);
        ParticleState state = InitialStates.create(spec);
        SeriesRecorder rec = new SeriesRecorder(spec, recording, List.of(), ctx.threads());
        Sampler.run(problem, ctx.engine(), state, spec.steps(), Sampler.Options.none().withRecorder(rec));
        return new Recorded(rec.points(), state);
    }

    /**
     * A recorded run.
     *
     * @param points the records, in step order
     * @param last the particles at the last step
     */
    record Recorded(List<SeriesPoint> points, ParticleState last) {
    }

    /**
     * Runs a spec for {@code burnIn} steps, then takes {@code count} snapshots {@code spacing} steps
     * apart, adding each to {@code averages}. The spec's step count must be burnIn + count·spacing.
     */
    static void snapshots(CheckContext ctx, RunSpec spec, long burnIn, int count, long spacing,
                          ParticleAverages averages) {
        snapshots(ctx, spec, burnIn, count, spacing, averages, null);
    }

    /**
     * As {@link #snapshots(CheckContext, RunSpec, long, int, long, ParticleAverages)}, recording the
     * burn-in at the recording's steps (≤ burnIn).
     *
     * @return the records of the burn-in, in step order (empty without a recording)
     */
    static List<SeriesPoint> snapshots(CheckContext ctx, RunSpec spec, long burnIn, int count, long spacing,
                                       ParticleAverages averages, Recording burnInRecording) {
        if (spec.steps() != burnIn + count * spacing) {
            throw new IllegalArgumentException("spec has " + spec.steps() + " steps, the snapshots need "
                    + (burnIn + count * spacing));
        }
        CompiledProblem problem = compile(spec);
        ParticleState state = InitialStates.create(spec);
        SeriesRecorder rec = burnInRecording == null ? null
                : new SeriesRecorder(spec, burnInRecording, List.of(), ctx.threads());
        Sampler.run(problem, ctx.engine(), state, burnIn, Sampler.Options.none().withRecorder(rec));
        for (int s = 0; s < count; s++) {
            Sampler.run(problem, ctx.engine(), state, burnIn + (s + 1) * spacing, Sampler.Options.none());
            averages.add(state);
        }
        return rec == null ? List.of() : rec.points();
    }

    /**
     * Runs a check's user-model simulations: on the context's engine, or on a CPU engine of the context's
     * threads (closed afterwards) when that engine is the GPU, whose model path has not run on a real GPU.
     */
    static <T> T onModelEngine(CheckContext ctx, java.util.function.Function<CheckContext, T> body) {
        if (!ctx.engine().name().equals("gpu")) {
            return body.apply(ctx);
        }
        try (org.langevin.engine.cpu.CpuEngine cpu = new org.langevin.engine.cpu.CpuEngine(ctx.threads())) {
            return body.apply(new CheckContext(ctx.size(), cpu, ctx.threads(), ctx.seed(), ctx.figures()));
        }
    }

    /** @return coordinate rows of a state in double, {@code x[j][p]} */
    static double[][] coordinates(ParticleState s) {
        double[][] x = new double[s.dim()][s.particles()];
        for (int j = 0; j < s.dim(); j++) {
            float[] row = s.x()[j];
            for (int p = 0; p < s.particles(); p++) {
                x[j][p] = row[p];
            }
        }
        return x;
    }
}
