package org.langevin.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.langevin.engine.ParticleState;
import org.langevin.engine.Sampler;

/**
 * The wall time and particle-steps of every part of a run, so that a resumed run reports totals over the
 * whole run: {@code checkpoint/clock.json} ({@code stepsDone}, {@code elapsedSeconds},
 * {@code particleSteps}) is written before every checkpoint of the state, from the latest progress of the
 * sampler. A part of a run killed outright counts up to its last checkpoint (the steps after it are
 * computed again by the resumed run and counted there).
 *
 * <p>As a {@link Sampler.Listener} it forwards progress to the next listener; as a {@link Sampler.Recorder}
 * it forwards records to the run's series recorder, if any, and saves the clock with them. Confined to
 * the sampler's driving thread.
 */
final class RunClock implements Sampler.Listener, Sampler.Recorder {
    /** File name inside the checkpoint directory. */
    static final String FILE = "clock.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Wall time of the earlier parts of the run, seconds. */
    private final double priorSeconds;
    /** Particle-steps advanced by the earlier parts of the run. */
    private final long priorParticleSteps;
    /** Steps done when this part started. */
    private final long firstStep;
    /** Particles of the run. */
    private final long particles;
    /** The listener progress is forwarded to, or null. */
    private final Sampler.Listener next;
    /** The run's series recorder, or null. */
    private final Sampler.Recorder recorder;
    /** Steps done at the latest progress. */
    private long stepsDone;
    /** Wall time of this part at the latest progress, seconds. */
    private double seconds;

    /**
     * @param prior the clock of the earlier parts ({@link #read}), {@code {0, 0}} for a new run
     * @param state the run's state at the start of this part
     * @param next listener to forward progress to, or null
     * @param recorder the run's series recorder, or null
     */
    RunClock(double[] prior, ParticleState state, Sampler.Listener next, Sampler.Recorder recorder) {
        this.priorSeconds = prior[0];
        this.priorParticleSteps = (long) prior[1];
        this.firstStep = state.stepsDone();
        this.particles = state.particles();
        this.stepsDone = firstStep;
        this.next = next;
        this.recorder = recorder;
    }

    /**
     * @param checkpointDir a run's checkpoint directory
     * @return {wall seconds, particle-steps} of the run's parts up to its last checkpoint; {0, 0} when the
     *         directory holds no readable clock (a run written by an earlier release)
     */
    static double[] read(Path checkpointDir) {
        Path f = checkpointDir.resolve(FILE);
        try {
            Map<?, ?> m = JSON.readValue(f.toFile(), Map.class);
            if (m.get("elapsedSeconds") instanceof Number s && m.get("particleSteps") instanceof Number n
                    && s.doubleValue() >= 0 && n.longValue() >= 0) {
                return new double[] {s.doubleValue(), n.doubleValue()};
            }
        } catch (IOException e) {
            // no clock: the earlier parts are not counted (the results then cover this part only)
        }
        return new double[] {0, 0};
    }

    /** @return wall time of the whole run up to the latest progress, seconds */
    double totalSeconds(double thisPart) {
        return priorSeconds + thisPart;
    }

    /** @return particle-steps of the whole run, given those of this part */
    long totalParticleSteps(long thisPart) {
        return priorParticleSteps + thisPart;
    }

    @Override
    public void progress(long done, long totalSteps, double elapsedSeconds) {
        stepsDone = done;
        seconds = elapsedSeconds;
        if (next != null) {
            next.progress(done, totalSteps, elapsedSeconds);
        }
    }

    @Override
    public long nextAfter(long k) {
        return recorder == null ? Long.MAX_VALUE : recorder.nextAfter(k);
    }

    @Override
    public boolean wants(long k) {
        return recorder != null && recorder.wants(k);
    }

    @Override
    public void record(long step, ParticleState state) {
        if (recorder != null) {
            recorder.record(step, state);
        }
    }

    /** Forwards the session too, so that the series recorder can reduce where the particles are. */
    @Override
    public void record(long step, org.langevin.engine.EngineSession session, ParticleState state) {
        if (recorder != null) {
            recorder.record(step, session, state);
        }
    }

    @Override
    public void save(Path checkpointDir) throws IOException {
        if (recorder != null) {
            recorder.save(checkpointDir);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("stepsDone", stepsDone);
        m.put("elapsedSeconds", priorSeconds + seconds);
        m.put("particleSteps", priorParticleSteps + (stepsDone - firstStep) * particles);
        Path tmp = checkpointDir.resolve(FILE + ".part");
        try {
            JSON.writeValue(tmp.toFile(), m);
            Files.move(tmp, checkpointDir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
