package org.langevin.engine.cuda;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.langevin.engine.CompiledProblem;
import org.langevin.engine.Engine;
import org.langevin.engine.EngineSession;
import org.langevin.engine.ParticleState;
import org.langevin.engine.device.ChunkPlan;

/**
 * The GPU backend on several devices: one {@link GpuEngine} (context, module) and one thread per
 * device. A session splits its particles into ranges of whole blocks of {@link ChunkPlan#QUANTUM}
 * particles, as equal as the blocks allow, one range per device in device order, and runs each range
 * as a session of its device's engine on that device's thread; advances run on all devices at once.
 * The kernels address their random numbers by global particle and step, so the bytes are those of one
 * device (and of the CPU engine). Thread-safety: one session at a time, driven from one thread.
 */
public final class MultiGpuEngine implements Engine {
    /** The devices' engines, in the order given. */
    private final List<GpuEngine> engines;
    /** One thread per device: every call on a device's engine and session runs there. */
    private final List<ExecutorService> threads = new ArrayList<>();
    /** The session now open, or null. */
    private Session current;
    /** Set by close(). */
    private boolean closed;

    /** Takes ownership of the engines (at least two). */
    MultiGpuEngine(List<GpuEngine> engines) {
        if (engines.size() < 2) {
            throw new IllegalArgumentException("a multi-GPU engine needs at least two devices, got " + engines.size());
        }
        this.engines = List.copyOf(engines);
        for (GpuEngine e : this.engines) {
            int index = e.device().index();
            threads.add(Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "langevin-gpu-" + index);
                t.setDaemon(true);
                return t;
            }));
        }
    }

    @Override
    public String name() {
        return GpuEngine.NAME;
    }

    @Override
    public String description() {
        StringBuilder b = new StringBuilder(engines.size() + " GPUs");
        for (GpuEngine e : engines) {
            b.append("; ").append(e.description());
        }
        return b.toString();
    }

    /** @return the devices, in the order their particle ranges follow */
    public List<CudaDevice> devices() {
        List<CudaDevice> out = new ArrayList<>();
        for (GpuEngine e : engines) {
            out.add(e.device());
        }
        return out;
    }

    /**
     * The particle ranges of a session of {@code particles} particles on {@code devices} devices:
     * {@code [starts[i], starts[i + 1])} on device i, whole blocks of {@link ChunkPlan#QUANTUM} except
     * the last range's end; a device gets an empty range when there are fewer blocks than devices.
     */
    static int[] split(int particles, int devices) {
        int blocks = (int) ((particles + (long) ChunkPlan.QUANTUM - 1) / ChunkPlan.QUANTUM);
        int[] starts = new int[devices + 1];
        for (int i = 0; i < devices; i++) {
            int b = blocks / devices * i + Math.min(i, blocks % devices);
            starts[i] = (int) Math.min(particles, (long) b * ChunkPlan.QUANTUM);
        }
        starts[devices] = particles;
        return starts;
    }

    @Override
    public EngineSession open(CompiledProblem problem, ParticleState state) {
        if (closed) {
            throw new IllegalStateException("the gpu engine is closed");
        }
        if (current != null) {
            throw new IllegalStateException("a session is already open on the gpu engine: close it before opening another");
        }
        current = new Session(problem, state);
        return current;
    }

    /** Closes the open session, every device's engine and the threads. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException first = null;
        if (current != null) {
            try {
                current.close();
            } catch (RuntimeException e) {
                first = e;
            }
        }
        List<Callable<Void>> closes = new ArrayList<>();
        for (GpuEngine e : engines) {
            closes.add(() -> {
                e.close();
                return null;
            });
        }
        try {
            onEach(closes);
        } catch (RuntimeException e) {
            if (first == null) {
                first = e;
            } else {
                first.addSuppressed(e);
            }
        }
        for (ExecutorService t : threads) {
            t.shutdown();
        }
        if (first != null) {
            throw first;
        }
    }

    /** Runs calls[i] on device i's thread (null: nothing there), all at once; rethrows the first failure. */
    private void onEach(List<Callable<Void>> calls) {
        List<Future<Void>> running = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            running.add(calls.get(i) == null ? null : threads.get(i).submit(calls.get(i)));
        }
        RuntimeException first = null;
        for (Future<Void> f : running) {
            if (f == null) {
                continue;
            }
            try {
                f.get();
            } catch (ExecutionException e) {
                RuntimeException r = e.getCause() instanceof RuntimeException re ? re
                        : e.getCause() instanceof Error err ? new IllegalStateException(err.getMessage(), err)
                        : new IllegalStateException(e.getCause());
                if (first == null) {
                    first = r;
                } else {
                    first.addSuppressed(r);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (first == null) {
                    first = new IllegalStateException("interrupted while waiting for the GPUs", e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** A session per device over its particle range, the ranges copied out of and back into the caller's state. */
    private final class Session implements EngineSession {
        /** The caller's state. */
        private final ParticleState state;
        /** Range starts, one more than devices. */
        private final int[] starts;
        /** Each device's part of the state (null: no particles there). */
        private final ParticleState[] parts;
        /** Each device's session (null: none). */
        private final EngineSession[] sessions;
        /** Set by close(). */
        private boolean closed;

        Session(CompiledProblem problem, ParticleState state) {
            this.state = state;
            int n = engines.size();
            starts = split(state.particles(), n);
            parts = new ParticleState[n];
            sessions = new EngineSession[n];
            List<Callable<Void>> opens = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int from = starts[i];
                int count = starts[i + 1] - from;
                if (count == 0) {
                    opens.add(null);
                    continue;
                }
                ParticleState p = new ParticleState(state.dim(), count, state.hasAverages(), state.firstParticle() + from,
                        state.auxRows());
                copy(state, from, p, 0, count);
                p.setStepsDone(state.stepsDone());
                parts[i] = p;
                int device = i;
                opens.add(() -> {
                    sessions[device] = engines.get(device).open(problem, p);
                    return null;
                });
            }
            try {
                onEach(opens);
            } catch (RuntimeException e) {
                try {
                    close();
                } catch (RuntimeException e2) {
                    e.addSuppressed(e2);
                }
                throw e;
            }
        }

        @Override
        public void advance(long fromStep, long toStep) {
            List<Callable<Void>> calls = new ArrayList<>();
            for (EngineSession s : sessions) {
                calls.add(s == null ? null : () -> {
                    s.advance(fromStep, toStep);
                    return null;
                });
            }
            onEach(calls);
        }

        @Override
        public void download() {
            List<Callable<Void>> calls = new ArrayList<>();
            for (EngineSession s : sessions) {
                calls.add(s == null ? null : () -> {
                    s.download();
                    return null;
                });
            }
            onEach(calls);
            for (int i = 0; i < parts.length; i++) {
                if (parts[i] != null) {
                    copy(parts[i], 0, state, starts[i], parts[i].particles());
                }
            }
        }

        /**
         * Each device reduces its own range ({@link EngineSession#reduceBlocks}), all at once; the
         * ranges are whole blocks, so their partials, in device order, are the run's level-0 partials in
         * block order. Null (reduce on the host) when any device cannot.
         */
        @Override
        public List<org.langevin.reduce.BlockPartial> reduceBlocks(org.langevin.engine.RecordReduction request) {
            for (int i = 0; i < parts.length; i++) {
                if (parts[i] != null && parts[i].firstParticle() % org.langevin.reduce.Blocks.SIZE != 0) {
                    return null;
                }
            }
            @SuppressWarnings("unchecked")
            List<org.langevin.reduce.BlockPartial>[] got = new List[sessions.length];
            List<Callable<Void>> calls = new ArrayList<>();
            for (int i = 0; i < sessions.length; i++) {
                EngineSession s = sessions[i];
                int device = i;
                calls.add(s == null ? null : () -> {
                    got[device] = s.reduceBlocks(request);
                    return null;
                });
            }
            onEach(calls);
            List<org.langevin.reduce.BlockPartial> all = new ArrayList<>();
            for (int i = 0; i < sessions.length; i++) {
                if (sessions[i] == null) {
                    continue;
                }
                if (got[i] == null) {
                    return null;
                }
                all.addAll(got[i]);
            }
            return all;
        }

        /** Downloads particles 0 .. count−1 from the devices holding them. */
        @Override
        public void downloadFirst(int count) {
            List<Callable<Void>> calls = new ArrayList<>();
            for (int i = 0; i < sessions.length; i++) {
                EngineSession s = sessions[i];
                int n = Math.min(count - starts[i], starts[i + 1] - starts[i]);
                calls.add(s == null || n <= 0 ? null : () -> {
                    s.downloadFirst(n);
                    return null;
                });
            }
            onEach(calls);
            for (int i = 0; i < parts.length; i++) {
                int n = Math.min(count - starts[i], starts[i + 1] - starts[i]);
                if (parts[i] != null && n > 0) {
                    for (int j = 0; j < state.dim(); j++) {
                        System.arraycopy(parts[i].x()[j], 0, state.x()[j], starts[i], n);
                    }
                }
            }
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (current == this) {
                current = null;
            }
            List<Callable<Void>> calls = new ArrayList<>();
            for (EngineSession s : sessions) {
                calls.add(s == null ? null : () -> {
                    s.close();
                    return null;
                });
            }
            onEach(calls);
        }
    }

    /** Copies coordinates, window sums and auxiliary rows of {@code count} particles. */
    private static void copy(ParticleState src, int srcFrom, ParticleState dst, int dstFrom, int count) {
        for (int j = 0; j < src.dim(); j++) {
            System.arraycopy(src.x()[j], srcFrom, dst.x()[j], dstFrom, count);
        }
        if (src.hasAverages()) {
            for (int r = 0; r < src.avg().length; r++) {
                System.arraycopy(src.avg()[r], srcFrom, dst.avg()[r], dstFrom, count);
            }
        }
        for (int r = 0; r < src.auxRows(); r++) {
            System.arraycopy(src.aux()[r], srcFrom, dst.aux()[r], dstFrom, count);
        }
    }
}
