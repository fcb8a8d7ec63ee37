package org.langevin.spark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaSparkContext;
import org.langevin.engine.ParticleState;
import org.langevin.model.RunSpec;
import org.langevin.reduce.BlockPartial;
import org.langevin.reduce.Reduction;
import org.langevin.reduce.Reducer;

/**
 * Runs a sampling job on Spark, with the same result, bit for bit, as a one-machine run: the particle
 * index space is split into K ranges of whole blocks ({@link BlockRanges}), one task per range runs the
 * local engine ({@link RangeTask}), and the driver merges the tasks' block partials in block order
 * with the same merge code as the local engine. The partials are gathered with {@code collect} (which
 * returns partitions in partition order, whatever order they finished in) and sorted again by block
 * index before merging; Spark's reduce, fold and treeAggregate, which combine in finish order, are not
 * used. Not thread-safe: one run per call.
 */
public final class SparkSampler {
    private SparkSampler() {
    }

    /**
     * The merged result of a distributed run.
     *
     * @param spec the run
     * @param reduction the partials of all blocks merged in block order
     * @param particles all final particles in index order (coordinates only), or null when the job does
     *                  not keep particles
     * @param partitions K, the number of ranges (tasks)
     * @param elapsedSeconds wall time of the Spark job on the driver, including scheduling
     * @param taskSeconds sum over ranges of the tasks' work (engine and reduction), seconds
     * @param devices where the ranges ran, e.g. [cpu] or [gpu:0, gpu:1]
     * @param recording the records the run takes (--record), or null without
     * @param series one point per record step, the ranges' partials at that step merged in block order
     *               (with range 0's trace); empty without --record
     */
    public record Outcome(RunSpec spec, Reduction reduction, ParticleState particles, int partitions,
                          double elapsedSeconds, double taskSeconds, Set<String> devices,
                          org.langevin.series.Recording recording, List<org.langevin.series.SeriesPoint> series) {
        /**
         * An outcome without records: no recording and an empty series.
         *
         * @param spec the run
         * @param reduction the partials of all blocks merged in block order
         * @param particles all final particles in index order, or null
         * @param partitions K, the number of ranges (tasks)
         * @param elapsedSeconds wall time of the Spark job on the driver, seconds
         * @param taskSeconds sum over ranges of the tasks' work, seconds
         * @param devices where the ranges ran
         */
        public Outcome(RunSpec spec, Reduction reduction, ParticleState particles, int partitions,
                       double elapsedSeconds, double taskSeconds, Set<String> devices) {
            this(spec, reduction, particles, partitions, elapsedSeconds, taskSeconds, devices, null, List.of());
        }

        /** @return particle-steps of the run, P·N */
        public long particleSteps() {
            return (long) spec.particles() * spec.steps();
        }

        /** @return particle-steps per second of wall time */
        public double particleStepsPerSecond() {
            return elapsedSeconds > 0 ? particleSteps() / elapsedSeconds : 0.0;
        }
    }

    /**
     * Runs the job in K tasks on the given context and merges the result on the driver. Ships the
     * training-set file (if any) with {@code addFile}. A task that fails more than
     * {@code spark.task.maxFailures} times ends the job with Spark's (undeclared) {@code SparkException}.
     *
     * @param sc a running context (the caller owns and stops it)
     * @param job the run
     * @param partitions K, 1 … the number of blocks of the run's particles
     * @return the merged result
     * @throws IllegalArgumentException when K is out of range
     */
    public static Outcome run(JavaSparkContext sc, SampleJob job, int partitions) {
        return run(sc, job, partitions, TaskHook.NONE);
    }

    static Outcome run(JavaSparkContext sc, SampleJob job, int partitions, TaskHook hook) {
        RunSpec spec = job.spec();
        List<ParticleRange> ranges = BlockRanges.split(spec.particles(), partitions);
        Path data = job.dataFile();
        if (data != null) {
            sc.addFile(data.toString());
        }
        Path model = job.modelFile();
        if (model != null) {
            sc.addFile(model.toString());
        }
        long t0 = System.nanoTime();
        sc.setJobDescription("langevin sample: " + spec.particles() + " particles x " + spec.steps() + " steps in "
                + ranges.size() + " ranges");
        List<RangeResult> results = new ArrayList<>(sc.parallelize(ranges, ranges.size())
                .map(new RangeTask(job, hook))
                .collect());
        double elapsed = (System.nanoTime() - t0) * 1e-9;
        results.sort(Comparator.comparingInt(r -> r.range().index()));
        List<BlockPartial> partials = inBlockOrder(ranges, results);
        Reduction reduction = Reducer.merge(partials);
        ParticleState particles = job.keepParticles() ? assemble(spec, results) : null;
        double taskSeconds = 0;
        Set<String> devices = new TreeSet<>();
        for (RangeResult r : results) {
            taskSeconds += r.seconds();
            devices.add(r.device());
        }
        org.langevin.series.Recording rec = job.recording();
        List<org.langevin.series.SeriesPoint> series = rec == null ? List.of() : series(spec, rec, results);
        return new Outcome(spec, reduction, particles, ranges.size(), elapsed, taskSeconds, devices, rec, series);
    }

    /**
     * The records of all ranges: for each record step the ranges' partials at that step merged in block
     * order (the same tree as one machine's reduction), with the trace of range 0.
     */
    static List<org.langevin.series.SeriesPoint> series(RunSpec spec, org.langevin.series.Recording rec,
                                                        List<RangeResult> sortedResults) {
        long[] steps = rec.steps();
        List<org.langevin.series.SeriesPoint> out = new ArrayList<>();
        for (int i = 0; i < steps.length; i++) {
            List<BlockPartial> partials = new ArrayList<>();
            for (RangeResult r : sortedResults) {
                if (r.recordPartials().size() != steps.length) {
                    throw new IllegalStateException("range " + r.range().index() + " returned " + r.recordPartials().size()
                            + " records, expected " + steps.length);
                }
                partials.addAll(r.recordPartials().get(i));
            }
            float[] trace = null;
            if (rec.trace() > 0) {
                RangeResult first = sortedResults.get(0);
                if (first.trace().size() != steps.length) {
                    throw new IllegalStateException("range 0 returned " + first.trace().size() + " traced records, expected "
                            + steps.length);
                }
                trace = first.trace().get(i);
            }
            out.add(new org.langevin.series.SeriesPoint(steps[i], org.langevin.series.SeriesRecorder.time(spec, steps[i]),
                    Reducer.merge(partials).summary(), trace));
        }
        return out;
    }

    /**
     * Checks that the results are exactly the ranges asked for, each block once, and returns the
     * partials of all blocks in block order.
     */
    static List<BlockPartial> inBlockOrder(List<ParticleRange> ranges, List<RangeResult> sortedResults) {
        if (sortedResults.size() != ranges.size()) {
            throw new IllegalStateException("Spark returned " + sortedResults.size() + " range results for "
                    + ranges.size() + " ranges");
        }
        List<BlockPartial> out = new ArrayList<>();
        for (int i = 0; i < ranges.size(); i++) {
            RangeResult r = sortedResults.get(i);
            if (!r.range().equals(ranges.get(i))) {
                throw new IllegalStateException("range result " + i + " is for " + r.range() + ", expected " + ranges.get(i));
            }
            if (r.partials().isEmpty()) {
                throw new IllegalStateException("range " + i + " returned no block partials");
            }
            out.addAll(r.partials());
        }
        return out;
    }

    /** @return the final particles of all ranges in one state, at the run's last step */
    private static ParticleState assemble(RunSpec spec, List<RangeResult> sortedResults) {
        ParticleState all = new ParticleState(spec.dim(), SparkSample.gatherable(spec.particles()), false, 0L, spec.auxRows());
        float[][] x = all.x();
        int d = spec.dim();
        for (RangeResult r : sortedResults) {
            float[][] slice = r.particles();
            if (slice == null || slice.length != d + spec.auxRows() || slice[0].length != r.range().count()) {
                throw new IllegalStateException("range " + r.range().index() + " returned no or malformed particles");
            }
            for (int j = 0; j < d; j++) {
                System.arraycopy(slice[j], 0, x[j], (int) r.range().first(), r.range().count());
            }
            for (int q = 0; q < spec.auxRows(); q++) {
                System.arraycopy(slice[d + q], 0, all.aux()[q], (int) r.range().first(), r.range().count());
            }
        }
        all.setStepsDone(spec.steps());
        return all;
    }
}
