package org.langevin.engine.cpu;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import org.langevin.engine.CompiledProblem;
import org.langevin.engine.Engine;
import org.langevin.engine.EngineSession;
import org.langevin.engine.ParticleState;

/**
 * The pure-Java engine: the kernels' arithmetic (kernels/README.md) mirrored in Java float, with
 * the particle range split among a fixed pool of worker threads. Results are bit-identical for
 * every thread count. Thread-safe to open sessions from; each session is driven by one thread.
 * Close it to stop the workers.
 */
public final class CpuEngine implements Engine {
    /** Worker threads. */
    private final int threads;
    /** The fixed pool running the particle ranges. */
    private final ExecutorService pool;

    /** An engine with one worker per available processor. */
    public CpuEngine() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /**
     * @param threads worker threads, 1 … 4096
     * @throws IllegalArgumentException when threads is out of range
     */
    public CpuEngine(int threads) {
        if (threads < 1 || threads > 4096) {
            throw new IllegalArgumentException("threads must be in 1..4096, got " + threads
                    + " (use the number of cores, e.g. " + Runtime.getRuntime().availableProcessors() + ")");
        }
        this.threads = threads;
        AtomicInteger next = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "langevin-cpu-" + next.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.pool = Executors.newFixedThreadPool(threads, factory);
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public String description() {
        return "Java CPU engine, " + threads + (threads == 1 ? " thread" : " threads") + ", " + Simd.describe()
                + (NativeCpu.enabled() ? ", " + NativeCpu.describe() : "");
    }

    /** @return the number of worker threads */
    public int threads() {
        return threads;
    }

    /**
     * Opens a session that advances the given state in place.
     *
     * @throws IllegalArgumentException when the problem's arrays are invalid or do not match the state
     * @throws IllegalStateException when the engine is closed
     */
    @Override
    public EngineSession open(CompiledProblem problem, ParticleState state) {
        if (pool.isShutdown()) {
            throw new IllegalStateException("the CPU engine is closed; open a new CpuEngine");
        }
        if (problem.spec() != null && problem.spec().model() != null) {
            return new ModelSession(pool, threads, problem, state);
        }
        return new CpuSession(pool, threads, problem, state);
    }

    /** Stops the worker threads; running advances finish first. Idempotent. */
    @Override
    public void close() {
        pool.shutdown();
    }
}
