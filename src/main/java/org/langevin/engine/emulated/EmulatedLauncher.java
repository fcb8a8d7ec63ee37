package org.langevin.engine.emulated;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.lang.management.ManagementFactory;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.langevin.engine.device.DeviceBuffer;
import org.langevin.engine.device.DeviceLauncher;
import org.langevin.engine.device.Kernel;
import org.langevin.engine.device.KernelArgs;
import org.langevin.engine.device.NoiseSource;

/**
 * The emulated device: "device memory" is native memory allocated by JNA ({@link Memory}), and a
 * launch calls the host-compiled kernel through {@link EmulatorLibrary}, which runs every
 * (block, thread) of the grid on the calling thread. The grid is deliberately small
 * ({@link #GRID_BLOCKS} blocks of {@link #BLOCK_THREADS} threads) so that the kernels' grid-stride
 * loops wrap many times, as on a GPU with more particles than threads. Buffer-mode noise is the
 * project's own Philox normals ({@code lv_emu_fill_normals}), so it reproduces fused mode bit for bit.
 * Used from one thread at a time.
 */
public final class EmulatedLauncher implements DeviceLauncher {
    /** Blocks per launch. */
    public static final int GRID_BLOCKS = 7;
    /** Threads per block. */
    public static final int BLOCK_THREADS = 64;
    /** Budget when the free physical memory is unknown: 1 GiB. */
    private static final long DEFAULT_AVAILABLE = 1L << 30;

    /** The loaded emulator. */
    private final EmulatorBinary.Loaded emu;
    /** Buffers not yet freed (freed on close). */
    private final Set<EmuBuffer> live = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Set by close(). */
    private boolean closed;

    /** Loads the emulator library ({@link EmulatorBinary#load()}). */
    public EmulatedLauncher() {
        this.emu = EmulatorBinary.load();
    }

    /** @return the loaded emulator library */
    public EmulatorBinary.Loaded emulator() {
        return emu;
    }

    @Override
    public String description() {
        return "emulated device (kernels compiled for the host, " + emu.origin() + ", grid " + GRID_BLOCKS + "x"
                + BLOCK_THREADS + ")";
    }

    /** @return half of the free physical memory (the device memory is host memory) */
    @Override
    public long availableBytes() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long free = os.getFreeMemorySize();
            return free > 0 ? free / 2 : DEFAULT_AVAILABLE;
        }
        return DEFAULT_AVAILABLE;
    }

    @Override
    public DeviceBuffer allocate(long bytes) {
        checkOpen();
        if (!(bytes > 0)) {
            throw new IllegalArgumentException("buffer size must be > 0 bytes, got " + bytes);
        }
        EmuBuffer b = new EmuBuffer(new Memory(bytes));
        live.add(b);
        return b;
    }

    @Override
    public void copyToDevice(float[] src, int from, int length, DeviceBuffer dst, long dstByte) {
        DeviceLauncher.checkRange(src.length, from, length, dst, dstByte, 4);
        mem(dst).write(dstByte, src, from, length);
    }

    @Override
    public void copyToDevice(double[] src, int from, int length, DeviceBuffer dst, long dstByte) {
        DeviceLauncher.checkRange(src.length, from, length, dst, dstByte, 8);
        mem(dst).write(dstByte, src, from, length);
    }

    @Override
    public void copyToDevice(int[] src, int from, int length, DeviceBuffer dst, long dstByte) {
        DeviceLauncher.checkRange(src.length, from, length, dst, dstByte, 4);
        mem(dst).write(dstByte, src, from, length);
    }

    @Override
    public void copyToHost(DeviceBuffer src, long srcByte, float[] dst, int from, int length) {
        DeviceLauncher.checkRange(dst.length, from, length, src, srcByte, 4);
        mem(src).read(srcByte, dst, from, length);
    }

    @Override
    public void copyToHost(DeviceBuffer src, long srcByte, double[] dst, int from, int length) {
        DeviceLauncher.checkRange(dst.length, from, length, src, srcByte, 8);
        mem(src).read(srcByte, dst, from, length);
    }

    @Override
    public void launch(Kernel kernel, KernelArgs a) {
        checkOpen();
        if (a.count() == 0 || a.nSteps() == 0) {
            return;
        }
        int grid = (int) Math.min(GRID_BLOCKS, (a.count() + (long) BLOCK_THREADS - 1) / BLOCK_THREADS);
        EmulatorLibrary l = emu.library();
        Pointer st = mem(a.state());
        Pointer av = ptr(a.avg());
        Pointer ip = mem(a.ip());
        Pointer fp = mem(a.fp());
        Pointer data = ptr(a.data());
        Pointer noise = ptr(a.noise());
        int rc = l.lv_emu_launch(kernel.entryName, grid, BLOCK_THREADS, st, av, a.count(), a.stride(),
                a.firstParticle(), a.firstStep(), a.nSteps(), a.burnIn(), a.seedLo(), a.seedHi(), a.lr(),
                a.noiseScale(), ip, fp, data, noise);
        if (rc == 2) {
            throw new IllegalStateException("the emulator library has no entry point " + kernel.entryName
                    + ": it was built from other kernel sources than this jar's (rebuild with mvn package)");
        }
        if (rc != 0) {
            throw new IllegalStateException("emulated launch of " + kernel.entryName + " rejected its grid " + grid
                    + "x" + BLOCK_THREADS + " (code " + rc + ")");
        }
    }

    /** The record reduction over the same small grid: one (block, thread) per block of particles. */
    @Override
    public void launchReduce(org.langevin.engine.device.ReduceArgs a) {
        checkOpen();
        int grid = (int) Math.min(GRID_BLOCKS, (a.blocks() + (long) BLOCK_THREADS - 1) / BLOCK_THREADS);
        int rc = emu.library().lv_emu_reduce_blocks(grid, BLOCK_THREADS, 0, grid, mem(a.state()), mem(a.out()), a.count(),
                a.stride(), a.d(), a.withLoss() ? 1 : 0, mem(a.rp()));
        if (rc != 0) {
            throw new IllegalStateException("the emulated record reduction rejected its arguments (grid " + grid + "x"
                    + BLOCK_THREADS + ", " + a.count() + " particles, d = " + a.d() + "; code " + rc + ")");
        }
    }

    /**
     * A user model's kernel for the emulated device: the model compiled by the host C++ compiler at first
     * use ({@link ModelEmulator}), run over the same small grid as the built-in kernels.
     */
    @Override
    public org.langevin.engine.device.ModelKernel loadModel(org.langevin.model.lang.Model model) {
        checkOpen();
        ModelEmulatorLibrary lib = ModelEmulator.load(model);
        return new org.langevin.engine.device.ModelKernel() {
            @Override
            public String description() {
                return "model " + model.sha256().substring(0, 12) + " compiled for the host";
            }

            @Override
            public void launch(org.langevin.engine.device.ModelKernelArgs a) {
                checkOpen();
                if (a.count() == 0 || a.nSteps() == 0) {
                    return;
                }
                int grid = (int) Math.min(GRID_BLOCKS, (a.count() + (long) BLOCK_THREADS - 1) / BLOCK_THREADS);
                int rc = lib.lvu_emu_launch(grid, BLOCK_THREADS, mem(a.state()), ptr(a.avg()), ptr(a.aux()), a.auxRows(),
                        a.count(), a.stride(),
                        a.firstParticle(), a.firstStep(), a.nSteps(), a.burnIn(), a.seedLo(), a.seedHi(), a.dynamics(),
                        a.dt(), a.dtd(), a.noiseScale(), mem(a.constants()), mem(a.examples()), a.n(), a.lr(), a.batch(),
                        a.distinct(), a.precond(), mem(a.prec()), a.integrator(), a.opt(), a.oa(), a.ob(), a.oa1(),
                        a.ob1(), a.oeps(), a.oad(), a.obd(), a.ua());
                if (rc != 0) {
                    throw new IllegalStateException("the model's emulated kernel refused its grid " + grid + "x"
                            + BLOCK_THREADS + " (code " + rc + ")");
                }
            }

            @Override
            public void launchReduce(org.langevin.engine.device.ModelReduceArgs a) {
                checkOpen();
                int grid = (int) Math.min(GRID_BLOCKS, (a.blocks() + (long) BLOCK_THREADS - 1) / BLOCK_THREADS);
                int rc = lib.lvu_emu_reduce(grid, BLOCK_THREADS, mem(a.state()), mem(a.out()), a.count(), a.stride(),
                        a.withLoss() ? 1 : 0, mem(a.rp()), mem(a.constants()), mem(a.examples()), a.n(), a.t());
                if (rc != 0) {
                    throw new IllegalStateException("the model's emulated record reduction rejected its arguments (grid "
                            + grid + "x" + BLOCK_THREADS + ", " + a.count() + " particles; code " + rc + ")");
                }
            }

            @Override
            public void close() {
                // the library stays loaded for the JVM (ModelEmulator caches it by the model's hash)
            }
        };
    }

    /** The project's Philox normals in the ABI's buffer layout. */
    @Override
    public NoiseSource openNoiseSource(long seed, long particles) {
        checkOpen();
        return new NoiseSource() {
            @Override
            public String description() {
                return "Philox4x32-10 normals of the kernels' own stream, written to the buffer";
            }

            @Override
            public void fill(DeviceBuffer noise, long firstParticle, int count, long firstStep, int nSteps, int q) {
                if (firstParticle < 0 || count < 0 || firstStep < 0 || nSteps < 0 || q < 1) {
                    throw new IllegalArgumentException("need firstParticle, count, firstStep, nSteps >= 0 and q >= 1; got "
                            + firstParticle + ", " + count + ", " + firstStep + ", " + nSteps + ", " + q);
                }
                long floats = (long) count * nSteps * q;
                if (4L * floats > noise.bytes()) {
                    throw new IllegalArgumentException("noise buffer of " + noise.bytes() + " bytes cannot hold "
                            + floats + " normals");
                }
                int rc = emu.library().lv_emu_fill_normals(mem(noise), count, firstParticle, firstStep * q,
                        (long) nSteps * q, (int) seed, (int) (seed >>> 32));
                if (rc != 0) {
                    throw new IllegalStateException("lv_emu_fill_normals rejected its arguments (code " + rc + ")");
                }
            }

            @Override
            public void close() {
                // nothing to release: the normals are computed, not drawn from a stateful generator
            }
        };
    }

    /** Frees every buffer still allocated. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (EmuBuffer b : live.toArray(new EmuBuffer[0])) {
            b.close();
        }
    }

    /** @return buffers allocated and not yet freed */
    public int liveBuffers() {
        return live.size();
    }

    private Memory mem(DeviceBuffer b) {
        if (!(b instanceof EmuBuffer e) || e.memory == null) {
            throw new IllegalArgumentException("not a live buffer of this emulated device: " + b);
        }
        if (!live.contains(e)) {
            throw new IllegalArgumentException("buffer belongs to another emulated device: " + b);
        }
        return e.memory;
    }

    private Pointer ptr(DeviceBuffer b) {
        return b == null ? null : mem(b);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the emulated device is closed");
        }
    }

    /** Native memory standing in for device memory. */
    private final class EmuBuffer implements DeviceBuffer {
        /** The memory, null once freed. */
        private Memory memory;
        /** Size in bytes. */
        private final long bytes;

        EmuBuffer(Memory memory) {
            this.memory = memory;
            this.bytes = memory.size();
        }

        @Override
        public long bytes() {
            return bytes;
        }

        @Override
        public void close() {
            if (memory != null) {
                memory.close();
                memory = null;
                live.remove(this);
            }
        }

        @Override
        public String toString() {
            return "emulated buffer of " + bytes + " bytes" + (memory == null ? " (freed)" : "");
        }
    }
}
