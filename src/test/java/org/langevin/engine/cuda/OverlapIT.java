package org.langevin.engine.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.langevin.engine.CompiledProblem;
import org.langevin.engine.EngineSession;
import org.langevin.engine.ParticleState;
import org.langevin.engine.cpu.CpuEngine;
import org.langevin.engine.device.ChunkPlan;
import org.langevin.engine.device.DeviceBuffer;
import org.langevin.engine.device.DeviceCases;
import org.langevin.engine.device.DeviceProblems;
import org.langevin.engine.device.DeviceQueue;
import org.langevin.engine.device.HostStaging;
import org.langevin.engine.device.NoiseMode;
import org.langevin.model.Dynamics;
import org.langevin.model.LossKind;
import org.langevin.model.RunSpec;
import org.langevin.model.Sampling;

/**
 * The GPU engine's overlapped chunks (two slots, pinned staging memory, one stream each) and its
 * local-memory reserve, against the stand-in driver, whose streams defer their work until they are
 * synchronised: a staging read before its stream's synchronisation would see the 0xFF bytes (NaN) of
 * new pinned memory or the chunk's input, and the bytes would differ from the CPU engine's.
 */
class OverlapIT {
    private static final int Q = ChunkPlan.QUANTUM;

    /** @return bytes of local memory per thread of an entry in the packaged PTX: its __local_depot */
    static long depot(String ptx, String entry) {
        int at = ptx.indexOf(".entry " + entry + "(");
        assertTrue(at >= 0, "no entry " + entry);
        int next = ptx.indexOf(".entry ", at + 7);
        String body = ptx.substring(at, next < 0 ? ptx.length() : next);
        Matcher m = Pattern.compile("\\.local\\s+\\.align\\s+\\d+\\s+\\.b8\\s+__local_depot\\d+\\[(\\d+)\\]").matcher(body);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    @Test
    void thePlanSubtractsExactlyTheLocalMemoryReserve() {
        GpuTests.requireGpu("local-memory reserve of the plan");
        assumeTrue(GpuTests.standin(), "the expected reserve is the PTX's local depots (a real driver's ptxas decides)");
        RunSpec s = DeviceCases.base(Dynamics.LANGEVIN, LossKind.DOUBLE_WELL, 3).particles(100_000).steps(5)
                .average(true).build();
        CompiledProblem cp = DeviceProblems.compile(s);
        String ptx = Ptx.loadPackaged().text();
        long perThread = Math.max(depot(ptx, "lv_langevin"), depot(ptx, "lv_reduce_blocks"));
        assertEquals(2048, perThread, "lv_langevin's local depot");
        try (GpuEngine gpu = GpuEngine.open(0, NoiseMode.FUSED, 0)) {
            CudaDevice dev = gpu.device();
            long reserve = perThread * dev.multiprocessors() * dev.maxThreadsPerMultiprocessor();
            assertEquals(2048L * 4 * 2048, reserve, "the stand-in's default 4 SMs of 2048 threads");
            long free = gpu.memoryInfo()[0];
            ParticleState st = DeviceProblems.state(s);
            ChunkPlan plan = gpu.plan(cp, st);
            long fixed = 4L * CompiledProblem.IP_LEN + 4L * cp.fp().length + 4L * cp.data().length;
            assertEquals(ChunkPlan.of(3, s.particlesInOneJvm(), true, 0, fixed,
                    (long) (free * org.langevin.engine.device.DeviceEngine.FREE_MEMORY_FRACTION), true, reserve), plan);
            assertEquals(reserve, plan.localReserve());
            // the first launch reserves it (the free memory shrinks by exactly that), and then nothing more
            try (EngineSession session = gpu.open(cp, st)) {
                long beforeLaunch = gpu.memoryInfo()[0];
                session.advance(0, 1);
                assertEquals(beforeLaunch - reserve, gpu.memoryInfo()[0]);
            }
            assertEquals(0, gpu.plan(cp, st).localReserve());
            assertEquals(free - reserve, gpu.memoryInfo()[0]);
        }
    }

    @Test
    void aStagingReadBeforeTheStreamIsSynchronisedSeesNaN() {
        GpuTests.requireGpu("deferred stream work");
        assumeTrue(GpuTests.standin(), "the stand-in defers stream work; a real GPU may have finished it");
        try (GpuEngine gpu = GpuEngine.open(0, NoiseMode.FUSED, 0)) {
            CudaLauncher l = gpu.cudaLauncher();
            DeviceBuffer b = l.allocate(16);
            l.copyToDevice(new float[] {1, 2, 3, 4}, 0, 4, b, 0);
            try (DeviceQueue q = l.openQueue(); HostStaging h = l.allocateStaging(16)) {
                l.copyToHostAsync(b, 0, h, 0, 16, q);
                float[] early = new float[4];
                h.get(0, early, 0, 4);
                assertTrue(Float.isNaN(early[0]) && Float.isNaN(early[3]), "the copy ran before the stream was synchronised");
                q.synchronize();
                float[] late = new float[4];
                h.get(0, late, 0, 4);
                assertEquals(4f, late[3]);
                // an upload from pinned memory reads it when it runs: the bytes written after the enqueue
                h.put(0, new float[] {9, 9, 9, 9}, 0, 4);
                l.copyToDeviceAsync(h, 0, b, 0, 16, q);
                h.put(0, new float[] {5, 6, 7, 8}, 0, 4);
                q.synchronize();
                float[] dev = new float[4];
                l.copyToHost(b, 0, dev, 0, 4);
                assertEquals(8f, dev[3]);
            }
            b.close();
        }
    }

    static List<RunSpec> cases() {
        int p = 4 * Q + 1234;  // 5 chunks of one quantum, the last partial
        return List.of(
                DeviceCases.base(Dynamics.BROWNIAN, LossKind.NONE, 1).particles(p).steps(40).build(),
                DeviceCases.base(Dynamics.LANGEVIN, LossKind.QUADRATIC, 2).quadratic(DeviceCases.quadraticA(2),
                        DeviceCases.center(2)).particles(p).steps(40).average(true).burnIn(10).build(),
                DeviceCases.base(Dynamics.LANGEVIN, LossKind.DOUBLE_WELL, 3).particles(p).steps(40).average(true)
                        .burnIn(5).build(),
                DeviceCases.base(Dynamics.SGD, LossKind.LINREG, 2).data(DeviceCases.regression(2)).lr(0.05).batch(4)
                        .sampling(Sampling.WITHOUT_REPLACEMENT).particles(p).steps(40).average(true).build(),
                DeviceCases.base(Dynamics.SGD_SDE, LossKind.LINREG, 3).data(DeviceCases.regression(3)).lr(0.05)
                        .particles(p).steps(30).build());
    }

    @Test
    void pipelinedChunksOnTheStandinGiveTheCpuBytes() {
        GpuTests.requireGpu("overlapped chunks");
        try (CpuEngine cpu = new CpuEngine(2)) {
            for (RunSpec s : cases()) {
                int d = s.dim();
                CompiledProblem cp = DeviceProblems.compile(s);
                long fixed = 4L * CompiledProblem.IP_LEN + 4L * cp.fp().length + 4L * cp.data().length;
                long budget = fixed + 3L * Q * (4L * d + (s.average() ? 8L * (2L * d + 1) : 0));
                try (GpuEngine gpu = GpuEngine.open(0, NoiseMode.FUSED, budget)) {
                    ChunkPlan plan = gpu.plan(cp, DeviceProblems.state(s));
                    assertEquals(2, plan.slots(), s.toString());
                    assertEquals(5, plan.chunks(), s.toString());
                    ParticleState a = DeviceProblems.run(cpu, s, s.steps());
                    ParticleState b = DeviceProblems.run(gpu, s, s.steps(), 7, 19);
                    assertNull(DeviceProblems.firstDifference(a, b), s.dynamics() + " d" + d);
                }
            }
        }
    }
}
