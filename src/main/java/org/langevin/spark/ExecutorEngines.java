package org.langevin.spark;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.langevin.engine.Backends;
import org.langevin.engine.Engine;
import org.langevin.engine.cpu.CpuEngine;

/**
 * The engines of one executor JVM, opened on first use and kept for the JVM's lifetime (a CUDA
 * context or a thread pool is too costly to open per task). A task that Spark gave a GPU
 * ({@code spark.task.resource.gpu.amount}) runs on the GPU engine of that device: one engine per device,
 * used by one task at a time. Other tasks run on CPU engines: an engine per concurrently running
 * task, reused by later tasks. All methods are thread-safe (Spark runs several tasks per executor).
 */
final class ExecutorEngines {
    /** GPU engines by device ordinal, each with the lock that gives it to one task at a time. */
    private static final Map<Integer, GpuSlot> GPUS = new ConcurrentHashMap<>();
    /** Idle CPU engines by thread count. */
    private static final Map<Integer, Deque<Engine>> IDLE_CPU = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ExecutorEngines::closeAll, "langevin-engines-close"));
    }

    private ExecutorEngines() {
    }

    /** An engine lent to one task; close it to give it back (never closes the engine itself). */
    interface Lease extends AutoCloseable {
        /** @return the engine, for this task only until {@link #close()} */
        Engine engine();

        /** @return "cpu", "cpu-scalar" (a JVM without the vector module) or "gpu:N" */
        String device();

        @Override
        void close();
    }

    /**
     * Lends the engine for the calling task: the GPU named by {@code TaskContext.resourcesJMap().get("gpu")}
     * when there is one, else a CPU engine.
     *
     * @param threads CPU threads, ≥ 0 (0: the task's spark.task.cpus, or all cores outside a task)
     * @param noise GPU noise mode, fused or curand
     */
    /**
     * @param vectorPaths whether this JVM runs the CPU engine's vector paths
     * @return the device name of a CPU task: "cpu", or "cpu-scalar" so that the driver can say that an
     *         executor lacks {@code --add-modules jdk.incubator.vector}
     */
    static String cpuDevice(boolean vectorPaths) {
        return vectorPaths ? "cpu" : "cpu-scalar";
    }

    static Lease lease(int threads, String noise) {
        return lease(threads, noise, false);
    }

    /**
     * As {@link #lease(int, String)}; with {@code cpuOnly} (a user model on an executor that cannot compile
     * its CUDA kernel) always a CPU engine.
     */
    static Lease lease(int threads, String noise, boolean cpuOnly) {
        TaskContext tc = TaskContext.get();
        Integer gpu = tc == null || cpuOnly ? null : gpuOf(tc.resourcesJMap().get("gpu"));
        if (gpu != null) {
            GpuSlot slot = GPUS.computeIfAbsent(gpu, GpuSlot::new);
            return slot.lease(noise);
        }
        int t = threads > 0 ? threads : (tc != null ? Math.max(1, tc.cpus()) : 0);
        Deque<Engine> idle = IDLE_CPU.computeIfAbsent(t, k -> new ArrayDeque<>());
        Engine e;
        synchronized (idle) {
            e = idle.pollFirst();
        }
        Engine engine = e != null ? e : new CpuEngine(t);
        return new Lease() {
            private boolean closed;

            @Override
            public Engine engine() {
                return engine;
            }

            @Override
            public String device() {
                return cpuDevice(org.langevin.engine.cpu.Simd.enabled());
            }

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    synchronized (idle) {
                        idle.addFirst(engine);
                    }
                }
            }
        };
    }

    /** @return the first device ordinal of a task's GPU resource, or null when it has none */
    static Integer gpuOf(ResourceInformation info) {
        if (info == null || info.addresses().length == 0) {
            return null;
        }
        String a = info.addresses()[0].trim();
        try {
            return Integer.parseInt(a);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("the GPU address Spark gave this task is not a device ordinal: '" + a
                    + "'; the discovery script (spark.executor.resource.gpu.discoveryScript) must list CUDA ordinals,"
                    + " with CUDA_DEVICE_ORDER=PCI_BUS_ID on the executors", e);
        }
    }

    private static void closeAll() {
        for (GpuSlot s : GPUS.values()) {
            s.closeEngine();
        }
        for (Deque<Engine> d : IDLE_CPU.values()) {
            synchronized (d) {
                for (Engine e : d) {
                    e.close();
                }
                d.clear();
            }
        }
    }

    /** One GPU device of this executor: its engine, opened on first use, and its lock. */
    private static final class GpuSlot {
        /** CUDA device ordinal. */
        private final int device;
        /** Held by the task using the device. */
        private final ReentrantLock lock = new ReentrantLock();
        /** The device's engine, or null before first use; guarded by lock. */
        private Engine engine;
        /** Noise mode the engine was opened with; guarded by lock. */
        private String engineNoise;

        GpuSlot(int device) {
            this.device = device;
        }

        Lease lease(String noise) {
            lock.lock();
            try {
                if (engine == null || !noise.equals(engineNoise)) {
                    if (engine != null) {
                        engine.close();
                        engine = null;
                    }
                    engine = Backends.openGpu(device, noise);
                    engineNoise = noise;
                }
            } catch (RuntimeException | Error e) {
                lock.unlock();
                throw e;
            }
            Engine held = engine;
            return new Lease() {
                private boolean closed;

                @Override
                public Engine engine() {
                    return held;
                }

                @Override
                public String device() {
                    return "gpu:" + device;
                }

                @Override
                public void close() {
                    if (!closed) {
                        closed = true;
                        lock.unlock();
                    }
                }
            };
        }

        void closeEngine() {
            if (lock.tryLock()) {
                try {
                    if (engine != null) {
                        engine.close();
                        engine = null;
                    }
                } finally {
                    lock.unlock();
                }
            }
        }
    }
}
