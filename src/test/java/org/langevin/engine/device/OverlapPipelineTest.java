package org.langevin.engine.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.langevin.engine.CompiledProblem;
import org.langevin.engine.EngineSession;
import org.langevin.engine.ParticleState;
import org.langevin.engine.cpu.CpuEngine;
import org.langevin.engine.emulated.EmulatedLauncher;
import org.langevin.model.Dynamics;
import org.langevin.model.LossKind;
import org.langevin.model.RunSpec;
import org.langevin.model.Sampling;

/**
 * Runs larger than the device budget overlap copies with compute (two slots, staging memory, one
 * queue each): the planner's two slots and its local-memory reserve, and the pipeline's bytes against
 * the CPU engine on the emulated device and on a device whose queues defer every operation until they
 * are synchronised (so a staging read before its queue's synchronisation would see NaN).
 */
class OverlapPipelineTest {
    private static final int Q = ChunkPlan.QUANTUM;

    @Test
    void severalChunksGetTwoSlotsOfHalfTheRoom() {
        int particles = 10 * Q + 7;
        long budget = 100 + (long) (3.5 * Q * 48);  // d = 2 with window sums: 48 bytes a particle
        ChunkPlan serial = ChunkPlan.of(2, particles, true, 0, 100, budget, false, 0);
        assertEquals(1, serial.slots());
        assertEquals(3 * Q, serial.chunkParticles());
        ChunkPlan two = ChunkPlan.of(2, particles, true, 0, 100, budget, true, 0);
        assertEquals(2, two.slots());
        assertEquals(Q, two.chunkParticles());  // 1.75 quanta a slot, rounded down
        assertEquals(11, two.chunks());
        assertEquals(100 + 2L * Q * 48, two.deviceBytes());
        assertTrue(two.deviceBytes() <= budget);
        assertTrue(two.describe().contains("2 device slots"), two.describe());
        // every particle fits: one resident chunk, one slot
        assertEquals(1, ChunkPlan.of(2, 3 * Q, true, 0, 100, budget, true, 0).slots());
        // two slots of one quantum do not fit: the chunks run one after the other
        ChunkPlan one = ChunkPlan.of(2, 5 * Q, true, 0, 100, 100 + (long) (1.5 * Q * 48), true, 0);
        assertEquals(1, one.slots());
        assertEquals(5, one.chunks());
        // a noise buffer keeps one slot
        assertEquals(1, ChunkPlan.of(1, 5 * Q, false, 1, 0, Q * (4L + 4L * 8) * 2 + 4, true, 0).slots());
    }

    @Test
    void theLocalMemoryReserveIsSubtractedFromTheBudget() {
        long budget = 40L << 20;
        long reserve = 2048L * 4 * 2048;  // 2 KiB a thread, 4 SMs of 2048 threads
        ChunkPlan with = ChunkPlan.of(3, 2_000_000, true, 0, 500, budget, true, reserve);
        ChunkPlan less = ChunkPlan.of(3, 2_000_000, true, 0, 500, budget - reserve, true, 0);
        assertEquals(reserve, with.localReserve());
        assertEquals(less.chunkParticles(), with.chunkParticles());
        assertEquals(less.chunks(), with.chunks());
        assertEquals(less.slots(), with.slots());
        assertTrue(with.describe().contains("local-memory reserve " + reserve + " bytes"), with.describe());
        // a budget that holds a chunk only without the reserve is refused, naming the bytes
        long small = 500 + 68L * Q + 1000;
        ChunkPlan.of(3, 2_000_000, true, 0, 500, small, true, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ChunkPlan.of(3, 2_000_000, true, 0, 500, small, true, 2000));
        assertTrue(e.getMessage().contains("budget of " + small + " bytes less the 2000 bytes the kernels' local memory "
                + "reserves leaves " + (small - 2000) + " bytes"), e.getMessage());
        long need = 500 + 68L * Q + 4;
        assertTrue(e.getMessage().contains("(the chunk needs " + need + " bytes, " + (need + 2000) + " with the reserve)"),
                e.getMessage());
    }

    /** Cases over several dynamics, window sums and d &gt; 1. */
    static List<RunSpec> cases() {
        int p = 4 * Q + 1234;  // 5 chunks of one quantum, the last partial
        List<RunSpec> c = new ArrayList<>();
        c.add(DeviceCases.base(Dynamics.BROWNIAN, LossKind.NONE, 1).particles(p).steps(40).build());
        c.add(DeviceCases.base(Dynamics.LANGEVIN, LossKind.QUADRATIC, 2).quadratic(DeviceCases.quadraticA(2),
                DeviceCases.center(2)).particles(p).steps(40).average(true).burnIn(10).build());
        c.add(DeviceCases.base(Dynamics.LANGEVIN, LossKind.DOUBLE_WELL, 3).particles(p).steps(40).average(true)
                .burnIn(5).build());
        c.add(DeviceCases.base(Dynamics.SGD, LossKind.LINREG, 2).data(DeviceCases.regression(2)).lr(0.05).batch(4)
                .sampling(Sampling.WITHOUT_REPLACEMENT).particles(p).steps(40).average(true).build());
        c.add(DeviceCases.base(Dynamics.SGD_SDE, LossKind.LINREG, 3).data(DeviceCases.regression(3)).lr(0.05)
                .particles(p).steps(30).build());
        return c;
    }

    /** A budget of two slots of one quantum each (plus the parameters), not two of two. */
    static long twoSlotsOfOneQuantum(RunSpec s) {
        int d = s.dim();
        long perParticle = 4L * d + (s.average() ? 8L * (2L * d + 1) : 0);
        CompiledProblem cp = DeviceProblems.compile(s);
        long fixed = 4L * CompiledProblem.IP_LEN + 4L * cp.fp().length + 4L * cp.data().length;
        return fixed + 3 * Q * perParticle;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void pipelinedChunksGiveTheCpuBytesOnTheEmulatedDevice(RunSpec s) {
        try (CpuEngine cpu = new CpuEngine(2);
             org.langevin.engine.emulated.EmulatedEngine emu = new org.langevin.engine.emulated.EmulatedEngine(
                     NoiseMode.FUSED, twoSlotsOfOneQuantum(s))) {
            ChunkPlan plan = emu.plan(DeviceProblems.compile(s), DeviceProblems.state(s));
            assertEquals(2, plan.slots());
            assertEquals(5, plan.chunks());
            assertEquals(1234, plan.chunkCount(4));
            ParticleState a = DeviceProblems.run(cpu, s, s.steps());
            assertNull(DeviceProblems.firstDifference(a, DeviceProblems.run(emu, s, s.steps(), 7, 19)));
            assertEquals(0, emu.liveBuffers());
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void pipelinedChunksGiveTheCpuBytesWhenQueuesDeferTheirWork(RunSpec s) {
        DeferringLauncher dev = new DeferringLauncher();
        try (CpuEngine cpu = new CpuEngine(2);
             DeviceEngine engine = new DeviceEngine("deferring", dev, NoiseMode.FUSED, twoSlotsOfOneQuantum(s)) { }) {
            ParticleState a = DeviceProblems.run(cpu, s, s.steps());
            assertNull(DeviceProblems.firstDifference(a, DeviceProblems.run(engine, s, s.steps(), 7, 19)));
            // 5 chunks a segment, 3 segments: every chunk's copies and launches went through a queue
            assertTrue(dev.deferred >= 3 * 5 * (2 * s.dim() + 1), "operations deferred: " + dev.deferred);
            assertEquals(0, dev.openQueues);
            assertEquals(0, dev.openStaging);
        }
    }

    /** A host that cannot pin the two slots' staging: the session runs the chunks serially, the same bytes. */
    @ParameterizedTest
    @MethodSource("cases")
    void refusedPinnedMemoryFallsBackToTheSerialChunkLoop(RunSpec s) {
        DeferringLauncher dev = new DeferringLauncher();
        dev.refuseStaging = true;
        try (CpuEngine cpu = new CpuEngine(2);
             DeviceEngine engine = new DeviceEngine("deferring", dev, NoiseMode.FUSED, twoSlotsOfOneQuantum(s)) { }) {
            ParticleState a = DeviceProblems.run(cpu, s, s.steps());
            assertNull(DeviceProblems.firstDifference(a, DeviceProblems.run(engine, s, s.steps(), 7, 19)));
            assertEquals(0, dev.deferred, "nothing went through a queue");
            assertEquals(0, dev.openQueues);
            assertEquals(0, dev.openStaging);
        }
    }

    @Test
    void overlappedChunksGiveTheBytesOfTheSerialChunkLoop() {
        for (RunSpec s : cases()) {
            long budget = twoSlotsOfOneQuantum(s);
            ParticleState overlapped;
            try (org.langevin.engine.emulated.EmulatedEngine emu = new org.langevin.engine.emulated.EmulatedEngine(
                    NoiseMode.FUSED, budget)) {
                assertEquals(2, emu.plan(DeviceProblems.compile(s), DeviceProblems.state(s)).slots());
                overlapped = DeviceProblems.run(emu, s, s.steps(), 11);
            }
            String before = System.getProperty("langevin.overlap");
            System.setProperty("langevin.overlap", "false");
            try (org.langevin.engine.emulated.EmulatedEngine emu = new org.langevin.engine.emulated.EmulatedEngine(
                    NoiseMode.FUSED, budget)) {
                ChunkPlan serial = emu.plan(DeviceProblems.compile(s), DeviceProblems.state(s));
                assertEquals(1, serial.slots());
                assertEquals(2, serial.chunks());  // three quanta a chunk, one after the other
                assertNull(DeviceProblems.firstDifference(DeviceProblems.run(emu, s, s.steps(), 11), overlapped));
            } finally {
                if (before == null) {
                    System.clearProperty("langevin.overlap");
                } else {
                    System.setProperty("langevin.overlap", before);
                }
            }
        }
    }

    @Test
    void aResumedSessionContinuesThePipelineBitForBit() {
        RunSpec s = cases().get(2);
        CompiledProblem cp = DeviceProblems.compile(s);
        ParticleState st = DeviceProblems.state(s);
        DeferringLauncher dev = new DeferringLauncher();
        try (CpuEngine cpu = new CpuEngine(2);
             DeviceEngine engine = new DeviceEngine("deferring", dev, NoiseMode.FUSED, twoSlotsOfOneQuantum(s)) { }) {
            try (EngineSession first = engine.open(cp, st)) {
                first.advance(0, 13);
                first.download();
            }
            st.setStepsDone(13);
            try (EngineSession second = engine.open(cp, st)) {
                second.advance(13, s.steps());
                second.download();
            }
            st.setStepsDone(s.steps());
            assertNull(DeviceProblems.firstDifference(DeviceProblems.run(cpu, s, s.steps()), st));
        }
    }

    @Test
    void theDeferringQueueReallyDefers() {
        try (DeferringLauncher dev = new DeferringLauncher()) {
            DeviceBuffer b = dev.allocate(16);
            dev.copyToDevice(new float[] {1, 2, 3, 4}, 0, 4, b, 0);
            DeviceQueue q = dev.openQueue();
            HostStaging h = dev.allocateStaging(16);
            dev.copyToHostAsync(b, 0, h, 0, 16, q);
            float[] early = new float[4];
            h.get(0, early, 0, 4);
            assertTrue(Float.isNaN(early[0]) && Float.isNaN(early[3]), "read before the queue ran");
            q.synchronize();
            float[] late = new float[4];
            h.get(0, late, 0, 4);
            assertEquals(4f, late[3]);
            q.close();
            h.close();
            b.close();
        }
    }

    /**
     * The emulated device with queues that defer their copies and launches until they are synchronised
     * (or closed), and staging memory filled with NaN when allocated: a pipeline that reads staging memory
     * before synchronising its queue, or reuses it too early, gives wrong bytes.
     */
    static final class DeferringLauncher implements DeviceLauncher {
        private final EmulatedLauncher emu = new EmulatedLauncher();
        int deferred;
        int openQueues;
        int openStaging;
        /** Refuse pinned staging memory (as a host that cannot pin that much does). */
        boolean refuseStaging;

        final class Queue implements DeviceQueue {
            final List<Runnable> pending = new ArrayList<>();
            boolean open = true;

            Queue() {
                openQueues++;
            }

            @Override
            public void synchronize() {
                List<Runnable> work = new ArrayList<>(pending);
                pending.clear();
                work.forEach(Runnable::run);
            }

            @Override
            public void close() {
                if (open) {
                    synchronize();
                    open = false;
                    openQueues--;
                }
            }
        }

        private void enqueue(DeviceQueue q, Runnable r) {
            if (!(q instanceof Queue dq) || !dq.open) {
                throw new IllegalArgumentException("not an open queue of this device: " + q);
            }
            dq.pending.add(r);
            deferred++;
        }

        @Override
        public DeviceQueue openQueue() {
            return new Queue();
        }

        @Override
        public HostStaging allocateStaging(long bytes) {
            if (refuseStaging) {
                throw new IllegalStateException("cuMemHostAlloc(" + bytes + " bytes) failed: CUDA_ERROR_OUT_OF_MEMORY");
            }
            HostStaging h = HostStaging.nativeMemory(bytes);
            float[] nan = new float[(int) (bytes / 4)];
            java.util.Arrays.fill(nan, Float.NaN);
            h.put(0, nan, 0, nan.length);
            openStaging++;
            return new HostStaging() {
                boolean open = true;

                @Override
                public long bytes() {
                    return h.bytes();
                }

                @Override
                public void put(long o, float[] s, int f, int l) {
                    h.put(o, s, f, l);
                }

                @Override
                public void put(long o, double[] s, int f, int l) {
                    h.put(o, s, f, l);
                }

                @Override
                public void get(long o, float[] d, int f, int l) {
                    h.get(o, d, f, l);
                }

                @Override
                public void get(long o, double[] d, int f, int l) {
                    h.get(o, d, f, l);
                }

                @Override
                public void close() {
                    if (open) {
                        open = false;
                        openStaging--;
                        h.close();
                    }
                }
            };
        }

        @Override
        public void copyToDeviceAsync(HostStaging src, long srcByte, DeviceBuffer dst, long dstByte, long bytes,
                                      DeviceQueue queue) {
            DeviceLauncher.checkAsync(src, srcByte, dst, dstByte, bytes);
            enqueue(queue, () -> DeviceLauncher.super.copyToDeviceAsync(src, srcByte, dst, dstByte, bytes, queue));
        }

        @Override
        public void copyToHostAsync(DeviceBuffer src, long srcByte, HostStaging dst, long dstByte, long bytes,
                                    DeviceQueue queue) {
            DeviceLauncher.checkAsync(dst, dstByte, src, srcByte, bytes);
            enqueue(queue, () -> DeviceLauncher.super.copyToHostAsync(src, srcByte, dst, dstByte, bytes, queue));
        }

        @Override
        public void launch(Kernel kernel, KernelArgs args, DeviceQueue queue) {
            enqueue(queue, () -> emu.launch(kernel, args));
        }

        @Override
        public String description() {
            return "emulated device with deferring queues";
        }

        @Override
        public long availableBytes() {
            return emu.availableBytes();
        }

        @Override
        public DeviceBuffer allocate(long bytes) {
            return emu.allocate(bytes);
        }

        @Override
        public void copyToDevice(float[] src, int from, int length, DeviceBuffer dst, long dstByte) {
            emu.copyToDevice(src, from, length, dst, dstByte);
        }

        @Override
        public void copyToDevice(double[] src, int from, int length, DeviceBuffer dst, long dstByte) {
            emu.copyToDevice(src, from, length, dst, dstByte);
        }

        @Override
        public void copyToDevice(int[] src, int from, int length, DeviceBuffer dst, long dstByte) {
            emu.copyToDevice(src, from, length, dst, dstByte);
        }

        @Override
        public void copyToHost(DeviceBuffer src, long srcByte, float[] dst, int from, int length) {
            emu.copyToHost(src, srcByte, dst, from, length);
        }

        @Override
        public void copyToHost(DeviceBuffer src, long srcByte, double[] dst, int from, int length) {
            emu.copyToHost(src, srcByte, dst, from, length);
        }

        @Override
        public void launch(Kernel kernel, KernelArgs args) {
            emu.launch(kernel, args);
        }

        @Override
        public void launchReduce(ReduceArgs args) {
            emu.launchReduce(args);
        }

        @Override
        public ModelKernel loadModel(org.langevin.model.lang.Model model) {
            return emu.loadModel(model);
        }

        @Override
        public NoiseSource openNoiseSource(long seed, long particles) {
            return emu.openNoiseSource(seed, particles);
        }

        @Override
        public void close() {
            emu.close();
        }
    }
}
