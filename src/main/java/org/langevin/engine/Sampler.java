package org.langevin.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * Drives an engine through a run: steps in short segments (split at learning-rate changes), reports
 * progress, writes checkpoints, and stops cleanly between segments when asked. The particles' values
 * do not depend on how the run is segmented, interrupted or resumed. Not thread-safe.
 */
public final class Sampler {
    /** Progress callback, called after every segment from the driving thread. */
    public interface Listener {
        /**
         * @param stepsDone global steps completed
         * @param totalSteps steps the run will reach
         * @param elapsedSeconds wall time since this call of {@link #run} started
         */
        void progress(long stepsDone, long totalSteps, double elapsedSeconds);
    }

    /**
     * Takes records of the run at given steps ({@code sample --record}): the sampler ends a segment
     * exactly at every record step and hands the session over (the recorder reduces on the device or
     * downloads the state), and saves the recorder's
     * records before every checkpoint, so that a checkpoint never holds fewer records than its step.
     */
    public interface Recorder {
        /**
         * @param k a global step
         * @return the first step &gt; k at which a record is due, or Long.MAX_VALUE
         */
        long nextAfter(long k);

        /**
         * @param k a global step (the sampler asks at the run's first step and after every segment)
         * @return whether a record is due at step k and not taken yet
         */
        boolean wants(long k);

        /**
         * Records the (downloaded) state at its step; the state must not be kept.
         *
         * @param step the state's step
         * @param state the whole state at that step, downloaded to the host; valid only during the call
         */
        void record(long step, ParticleState state);

        /**
         * Records the state at its step, given the session that holds it: a recorder may ask the session
         * to reduce where the particles are ({@link EngineSession#reduceBlocks}) instead of downloading
         * them. The default downloads the state and calls {@link #record(long, ParticleState)}.
         *
         * @param step the state's step
         * @param session the session holding the particles
         * @param state the host state, current only after {@code session.download()}
         */
        default void record(long step, EngineSession session, ParticleState state) {
            session.download();
            record(step, state);
        }

        /**
         * Saves the records taken so far into the checkpoint directory (before the state is saved).
         *
         * @param checkpointDir the run's checkpoint directory
         * @throws IOException when the records cannot be written (the sampler rethrows it unchecked)
         */
        void save(Path checkpointDir) throws IOException;
    }

    /**
     * @param checkpointDir where checkpoints go, or null for none
     * @param checkpointSeconds minimum wall time between periodic checkpoints (≥ 0)
     * @param listener progress callback, or null
     * @param stopRequested polled between segments; when true the run checkpoints and returns early
     * @param runDigest the run's digest written into every checkpoint ({@link Checkpoint#DIGEST_BYTES} bytes)
     * @param recorder takes records at its record steps ({@code sample --record}), or null for none
     */
    public record Options(Path checkpointDir, double checkpointSeconds, Listener listener, BooleanSupplier stopRequested,
                          byte[] runDigest, Recorder recorder) {
        /**
         * No recorder.
         *
         * @param checkpointDir where checkpoints go, or null for none
         * @param checkpointSeconds minimum wall time between periodic checkpoints (≥ 0)
         * @param listener progress callback, or null
         * @param stopRequested polled between segments; when true the run checkpoints and returns early
         * @param runDigest the run's digest written into every checkpoint ({@link Checkpoint#DIGEST_BYTES} bytes)
         */
        public Options(Path checkpointDir, double checkpointSeconds, Listener listener, BooleanSupplier stopRequested,
                       byte[] runDigest) {
            this(checkpointDir, checkpointSeconds, listener, stopRequested, runDigest, null);
        }

        /**
         * Checkpoints with an all-zero run digest, no recorder.
         *
         * @param checkpointDir where checkpoints go, or null for none
         * @param checkpointSeconds minimum wall time between periodic checkpoints (≥ 0)
         * @param listener progress callback, or null
         * @param stopRequested polled between segments; when true the run checkpoints and returns early
         */
        public Options(Path checkpointDir, double checkpointSeconds, Listener listener, BooleanSupplier stopRequested) {
            this(checkpointDir, checkpointSeconds, listener, stopRequested, new byte[Checkpoint.DIGEST_BYTES]);
        }

        /**
         * Validates the options.
         *
         * @param checkpointDir where checkpoints go, or null for none
         * @param checkpointSeconds minimum wall time between periodic checkpoints (≥ 0)
         * @param listener progress callback, or null
         * @param stopRequested polled between segments; when true the run checkpoints and returns early
         * @param runDigest the run's digest written into every checkpoint ({@link Checkpoint#DIGEST_BYTES} bytes)
         * @param recorder takes records at its record steps, or null for none
         * @throws IllegalArgumentException when checkpointSeconds is negative or NaN, or runDigest is null
         *                                  or not {@link Checkpoint#DIGEST_BYTES} bytes
         */
        public Options {
            if (!(checkpointSeconds >= 0)) {
                throw new IllegalArgumentException("--checkpoint-seconds must be >= 0, got " + checkpointSeconds);
            }
            if (runDigest == null || runDigest.length != Checkpoint.DIGEST_BYTES) {
                throw new IllegalArgumentException("runDigest must have " + Checkpoint.DIGEST_BYTES + " bytes");
            }
        }

        /**
         * @param r the recorder, or null for none
         * @return these options with a recorder (null: none)
         */
        public Options withRecorder(Recorder r) {
            return new Options(checkpointDir, checkpointSeconds, listener, stopRequested, runDigest, r);
        }

        /**
         * No checkpoints, no progress, never stopped.
         *
         * @return options without checkpoints, listener or recorder, whose stop request is never true
         */
        public static Options none() {
            return new Options(null, Double.POSITIVE_INFINITY, null, () -> false);
        }
    }

    /**
     * @param state the particles after the run (downloaded to the host)
     * @param completed false when stopped early by {@code stopRequested}
     * @param elapsedSeconds wall time of this call (advancing only)
     * @param particleSteps particle-steps taken in this call
     */
    public record Outcome(ParticleState state, boolean completed, double elapsedSeconds, long particleSteps) {
        /** @return particle-steps per second of this call */
        public double particleStepsPerSecond() {
            return elapsedSeconds > 0 ? particleSteps / elapsedSeconds : 0.0;
        }
    }

    /** Target wall time of one segment: keeps progress, Ctrl-C and checkpoints responsive. */
    private static final double SEGMENT_SECONDS = 0.25;

    /**
     * Steps a segment reaches even when that takes longer than its target (up to four targets): every advance
     * reads and writes each particle's state once, and the native kernels keep a tile in cache through all the
     * advance's steps, so a segment of a few steps over 10⁸ particles is bound by memory, not arithmetic (measured:
     * Langevin on a quadratic, d = 2, 10⁸ particles, 1.0–1.1 G particle-steps/s at 5–10 steps an advance, 1.7 G at
     * 32, 2.0 G at 10⁶ particles).
     */
    static final long MIN_SEGMENT_STEPS = 32;

    private Sampler() {
    }

    /**
     * Advances {@code state} from its {@code stepsDone} to {@code totalSteps}.
     *
     * @param problem the compiled run (its learning-rate changes end segments)
     * @param engine the engine; a session is opened on it and closed before this returns
     * @param state the particles, advanced in place; on return they are on the host at the step reached
     * @param totalSteps the global step to reach, ≥ the state's steps done
     * @param opts checkpoints, progress, stop requests and records
     * @return the state, whether the run reached totalSteps, the wall time and the particle-steps of this call
     * @throws IllegalArgumentException when totalSteps is less than the steps already done
     * @throws UncheckedIOException when a checkpoint cannot be written
     */
    public static Outcome run(CompiledProblem problem, Engine engine, ParticleState state, long totalSteps,
                              Options opts) {
        if (totalSteps < state.stepsDone()) {
            throw new IllegalArgumentException("--steps " + totalSteps + " is fewer than the " + state.stepsDone()
                    + " steps already taken by this run");
        }
        long start = System.nanoTime();
        long lastCheckpoint = start;
        long first = state.stepsDone();
        long k = first;
        long seg = 1;
        final long align = alignSteps(problem);
        boolean completed = true;
        Recorder rec = opts.recorder();
        try (EngineSession session = engine.open(problem, state)) {
            if (rec != null && rec.wants(k)) {
                rec.record(k, session, state);
            }
            while (k < totalSteps) {
                if (opts.stopRequested() != null && opts.stopRequested().getAsBoolean()) {
                    completed = false;
                    break;
                }
                long end = Math.min(totalSteps, Math.min(aligned(k, seg, align), problem.nextChangeAfter(k)));
                if (rec != null) {
                    end = Math.min(end, rec.nextAfter(k));
                }
                long t0 = System.nanoTime();
                session.advance(k, end);
                double dtSeg = (System.nanoTime() - t0) * 1e-9;
                long taken = end - k;
                k = end;
                state.setStepsDone(k);
                if (rec != null && rec.wants(k)) {
                    rec.record(k, session, state);
                }
                // Grow or shrink the segment towards the target duration.
                double perStep = dtSeg / taken;
                long want = perStep > 0 ? segmentSteps(perStep, SEGMENT_SECONDS) : seg * 2;
                seg = Math.max(1, Math.min(want, seg * 4));
                double elapsed = (System.nanoTime() - start) * 1e-9;
                if (opts.listener() != null) {
                    opts.listener().progress(k, totalSteps, elapsed);
                }
                if (opts.checkpointDir() != null && k < totalSteps
                        && (System.nanoTime() - lastCheckpoint) * 1e-9 >= opts.checkpointSeconds()) {
                    session.download();
                    saveRecords(rec, opts.checkpointDir());
                    save(opts.checkpointDir(), state, opts.runDigest());
                    lastCheckpoint = System.nanoTime();
                }
            }
            session.download();
        }
        state.setStepsDone(k);
        if (opts.checkpointDir() != null) {
            saveRecords(rec, opts.checkpointDir());
            save(opts.checkpointDir(), state, opts.runDigest());
        }
        double elapsed = (System.nanoTime() - start) * 1e-9;
        return new Outcome(state, completed, elapsed, (k - first) * (long) state.particles());
    }

    private static void saveRecords(Recorder rec, Path dir) {
        if (rec == null) {
            return;
        }
        try {
            rec.save(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the records in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Steps after which every random stream of a particle is at a Philox block boundary (4 words): a
     * segment that ends there leaves no block half used, so the next segment does not compute it again.
     * The bits do not depend on it (every number is addressed by particle and global step).
     *
     * @return 1, 2 or 4
     */
    static long alignSteps(CompiledProblem problem) {
        var spec = problem.spec();
        if (spec == null) {
            return 1;
        }
        long q = spec.dynamics().normalsPerStep(spec.dim());
        long m = q == 0 ? 1 : 4 / gcd(q, 4);
        if (spec.dynamics() == org.langevin.model.Dynamics.SGD) {
            long w = 4 / gcd(spec.batch(), 4);
            m = m * w / gcd(m, w);
        }
        return m;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /**
     * Steps of a segment (or of a bench repetition) of about {@code targetSeconds} at {@code perStep} seconds a step,
     * but at least {@link #MIN_SEGMENT_STEPS} where they fit in four targets.
     *
     * @param perStep seconds a step, &gt; 0
     * @param targetSeconds the target, &gt; 0
     * @return at least 1
     */
    public static long segmentSteps(double perStep, double targetSeconds) {
        double s = targetSeconds / perStep;
        double steps = Math.max(s, Math.min(MIN_SEGMENT_STEPS, 4 * s));
        return (long) Math.max(1.0, Math.min(steps, 1e15));
    }

    /** The end of a segment of about {@code seg} steps from k, moved to a multiple of align when one is near. */
    static long aligned(long k, long seg, long align) {
        long e = ((k + seg) / align) * align;
        return e > k ? e : ((k / align) + 1) * align;
    }

    private static void save(Path dir, ParticleState state, byte[] runDigest) {
        try {
            Checkpoint.save(dir, state, runDigest);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint in " + dir + ": " + e.getMessage(), e);
        }
    }
}
